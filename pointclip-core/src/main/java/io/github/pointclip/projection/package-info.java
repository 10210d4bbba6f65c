/**
 * The projection SPI: {@link io.github.pointclip.projection.Projector} turns a point cloud into
 * {@link io.github.pointclip.projection.DepthMaps} seen from the cameras of a
 * {@link io.github.pointclip.projection.ViewRig}; {@link io.github.pointclip.projection.BilinearResize}
 * prepares maps for the image encoder. Implementations live in {@code pointclip-projection}.
 */
package io.github.pointclip.projection;
