/**
 * PointCLIP for Java, core: the {@link io.github.pointclip.PointClip} facade, point clouds, readers
 * and datasets, the CLIP encoder and projector SPIs, prompts, evaluation and reports. The encoders
 * ({@code io.github.pointclip.onnx}), the projectors ({@code io.github.pointclip.projection}) and the
 * few-shot adapter ({@code io.github.pointclip.adapter}) are found with {@link java.util.ServiceLoader}.
 *
 * <p>{@code io.github.pointclip.internal} is exported only to the SDK's own modules: it is support
 * code (atomic files, the cache directory, SHA-256, feature math and keys, the facade's pipeline
 * stages), not API.
 */
@SuppressWarnings({"module", "requires-automatic"}) // qualified exports to modules built after this one; jHDF
module io.github.pointclip.core {
    requires transitive java.desktop; // java.awt.image.BufferedImage in the report API
    requires transitive com.fasterxml.jackson.databind; // ObjectMapper/ObjectNode in the report API
    requires io.jhdf; // automatic module (Automatic-Module-Name in its manifest)
    requires org.slf4j;

    exports io.github.pointclip;
    exports io.github.pointclip.cloud;
    exports io.github.pointclip.dataset;
    exports io.github.pointclip.detection;
    exports io.github.pointclip.encoder;
    exports io.github.pointclip.eval;
    exports io.github.pointclip.io;
    exports io.github.pointclip.projection.spi;
    exports io.github.pointclip.prompt;
    exports io.github.pointclip.report;
    exports io.github.pointclip.segmentation;

    exports io.github.pointclip.internal to
        io.github.pointclip.onnx,
        io.github.pointclip.adapter,
        io.github.pointclip.crosspoint,
        io.github.pointclip.prompts,
        io.github.pointclip.spark,
        io.github.pointclip.cli;

    uses io.github.pointclip.encoder.ClipModelProvider;
    uses io.github.pointclip.encoder.FeatureAdapterLoader;
    uses io.github.pointclip.encoder.PointEncoderLoader;
    uses io.github.pointclip.projection.spi.ProjectorFactory;
    uses io.github.pointclip.projection.spi.SegmentationProjector;
}
