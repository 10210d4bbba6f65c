package io.github.pointclip.encoder;

/**
 * A loaded CLIP model: an image and a text encoder sharing one embedding space. Closing the
 * model closes both encoders. Thread-safe unless an implementation says otherwise.
 */
public interface ClipModel extends AutoCloseable {

    /**
     * @return a stable identity of the model's weights (e.g. a SHA-256 over its files), used to
     *     key feature caches; two models with the same id give the same features
     */
    String id();

    /** @return the backbone, or null when the model does not say */
    Backbone backbone();

    /** @return the image encoder */
    ImageEncoder imageEncoder();

    /** @return the text encoder */
    TextEncoder textEncoder();

    /** @return the factor applied to cosine similarities, 100 for CLIP */
    float logitScale();

    /** @return where the encoders run, e.g. {@code cpu} or {@code cuda:0} */
    String executionDevice();

    /** Releases both encoders; idempotent. */
    @Override
    void close();
}
