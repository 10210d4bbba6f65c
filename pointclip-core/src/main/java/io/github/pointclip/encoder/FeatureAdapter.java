package io.github.pointclip.encoder;

/**
 * A trained few-shot head placed between the frozen CLIP image features and the class
 * similarity (PointCLIP's inter-view adapter). Implementations are immutable and thread-safe in
 * inference. {@code pointclip-adapter} provides one, loaded from a checkpoint by a
 * {@link FeatureAdapterLoader}.
 */
public interface FeatureAdapter {

    /** @return the number of views V the adapter was trained for */
    int viewCount();

    /** @return the feature dimension D */
    int embeddingDim();

    /**
     * Inference logits.
     *
     * @param rawImageFeatures raw (not normalised) view features [N, V, D], not modified
     * @param clouds N
     * @param textFeatures L2-normalised class features [C, D]
     * @param classes C
     * @return logits [N, C]
     */
    float[] logits(float[] rawImageFeatures, int clouds, float[] textFeatures, int classes);

    /**
     * @return metadata of the checkpoint (backbone, pipeline, class names, prompts…), unmodifiable. The
     *     facade reads {@code pipeline} (the name) and {@code pipeline_fingerprint} (the
     *     {@code Pipeline.fingerprint()} the adapter was trained with) to refuse another pipeline,
     *     and {@code model_id}
     */
    java.util.Map<String, String> metadata();

    /**
     * @return the checkpoint file the adapter was loaded from, or null (named in messages about the
     *     adapter); default null
     */
    default java.nio.file.Path source() {
        return null;
    }
}
