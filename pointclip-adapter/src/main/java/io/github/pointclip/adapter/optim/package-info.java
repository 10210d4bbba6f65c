/**
 * Optimisers with PyTorch's update rules ({@link io.github.pointclip.adapter.optim.Sgd},
 * {@link io.github.pointclip.adapter.optim.AdamW}) and per-epoch learning-rate schedules
 * ({@link io.github.pointclip.adapter.optim.WarmupCosineSchedule}, including PointCLIP's).
 */
package io.github.pointclip.adapter.optim;
