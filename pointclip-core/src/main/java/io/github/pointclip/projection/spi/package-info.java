/**
 * The projection SPI: {@link io.github.pointclip.projection.spi.Projector} turns a point cloud into
 * {@link io.github.pointclip.projection.spi.DepthMaps} seen from the cameras of a
 * {@link io.github.pointclip.projection.spi.ViewRig}; {@link io.github.pointclip.projection.spi.BilinearResize}
 * prepares maps for the image encoder. Implementations live in {@code pointclip-projection}.
 */
package io.github.pointclip.projection.spi;
