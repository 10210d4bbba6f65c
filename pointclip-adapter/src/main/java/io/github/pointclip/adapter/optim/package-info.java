/**
 * Optimisers with PyTorch's update rules ({@link io.github.pointclip.adapter.optim.Sgd},
 * {@link io.github.pointclip.adapter.optim.AdamW}) and per-epoch learning-rate schedules
 * ({@link io.github.pointclip.adapter.train.WarmupCosineSchedule}, including PointCLIP's).
 *
 * <p>Not exported by the module descriptor: implementation of the adapter module, not an API.
 */
package io.github.pointclip.adapter.optim;
