/**
 * PointCLIP for Java, CrossPoint: native point-cloud encoders (PointNet, DGCNN) trained by
 * intra-modal (IMID) and cross-modal (CMID) contrastive learning against the frozen CLIP image
 * features of each cloud's own depth maps, their checkpoints (registered as a
 * {@link io.github.pointclip.encoder.PointEncoderLoader}, so that
 * {@code PointClip.builder().pointEncoder(path)} finds them), and the evaluations of a frozen encoder
 * (linear probe, few-shot episodes).
 *
 * <p>{@code io.github.pointclip.crosspoint.internal} (the networks and the loss on the adapter's autograd) is
 * implementation, not exported.
 */
@SuppressWarnings("requires-automatic") // EJML's jars are automatic modules
module io.github.pointclip.crosspoint {
    requires transitive io.github.pointclip.core;
    requires io.github.pointclip.adapter;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires ejml.core;
    requires ejml.fdense;

    exports io.github.pointclip.crosspoint;
    exports io.github.pointclip.crosspoint.probe;

    provides io.github.pointclip.encoder.PointEncoderLoader
        with io.github.pointclip.crosspoint.CrossPointEncoderLoader;
}
