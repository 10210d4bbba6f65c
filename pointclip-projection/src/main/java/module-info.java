/**
 * PointCLIP for Java, projection: the built-in projectors, PointCLIP's sparse perspective projector
 * (V1) and PointCLIP V2's realistic projector, with their smoothing kernels. They are registered as a
 * {@link io.github.pointclip.projection.spi.ProjectorFactory} and found by name through
 * {@link io.github.pointclip.projection.spi.Projectors}; the classes can also be used directly.
 */
module io.github.pointclip.projection {
    requires transitive io.github.pointclip.core;

    exports io.github.pointclip.projection;
    exports io.github.pointclip.projection.kernel;

    provides io.github.pointclip.projection.spi.ProjectorFactory
        with io.github.pointclip.projection.BuiltInProjectors;
    provides io.github.pointclip.projection.spi.SegmentationProjector
        with io.github.pointclip.projection.SegmentationProjectorV2;
}
