package io.github.pointclip.encoder;

import io.github.pointclip.cloud.PointCloud;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A native point-cloud encoder (CrossPoint's PointNet or DGCNN) whose features were trained to lie
 * next to CLIP's: it classifies a cloud against text features without rendering depth maps or
 * running the image encoder. Loaded from a checkpoint by a {@link PointEncoderLoader}
 * ({@code pointclip-crosspoint} provides one). Implementations are immutable and thread-safe in
 * inference.
 */
public interface PointEncoder extends AutoCloseable {

    /** @return the width D of the joint CLIP space that {@link #embed} maps into */
    int embeddingDim();

    /** @return the width of the backbone's global feature that {@link #features} returns */
    int featureDim();

    /**
     * The backbone's global features, before any projection head (what linear probes and few-shot
     * episodes train on).
     *
     * @param clouds clouds of any sizes (not modified)
     * @return features [clouds.size(), featureDim()], C order
     */
    float[] features(List<PointCloud> clouds);

    /**
     * Features in CLIP's space (the cross-modal projection head applied to the global feature).
     *
     * @param clouds clouds of any sizes (not modified)
     * @return features [clouds.size(), embeddingDim()], C order, not normalised
     */
    float[] embed(List<PointCloud> clouds);

    /**
     * @return metadata of the checkpoint (encoder kind, model id of the CLIP model it was aligned
     *     with, training provenance…), unmodifiable
     */
    Map<String, String> metadata();

    /** @return the checkpoint file the encoder was loaded from, or null; default null */
    default Path source() {
        return null;
    }

    /** Releases resources; idempotent. Default: nothing to release. */
    @Override
    default void close() {
    }
}
