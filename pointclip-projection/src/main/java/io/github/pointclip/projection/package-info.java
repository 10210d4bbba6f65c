/**
 * The built-in projectors: {@link io.github.pointclip.projection.SparsePerspectiveProjector}
 * (PointCLIP, zero-shot and few-shot presets) and
 * {@link io.github.pointclip.projection.RealisticProjector} (PointCLIP V2) with pluggable
 * {@link io.github.pointclip.projection.kernel.SmoothingKernel}s.
 */
package io.github.pointclip.projection;
