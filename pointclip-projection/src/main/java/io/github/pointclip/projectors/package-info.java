/**
 * The built-in projectors: {@link io.github.pointclip.projectors.SparsePerspectiveProjector}
 * (PointCLIP, zero-shot and few-shot presets) and
 * {@link io.github.pointclip.projectors.RealisticProjector} (PointCLIP V2) with pluggable
 * {@link io.github.pointclip.projectors.kernel.SmoothingKernel}s.
 */
package io.github.pointclip.projectors;
