package io.github.pointclip.encoder;

/**
 * Encodes images into D-dimensional CLIP features (not normalised). Implementations hold native
 * resources: close them. Thread-safe unless an implementation says otherwise.
 */
public interface ImageEncoder extends AutoCloseable {

    /** @return the feature dimension D */
    int embeddingDim();

    /** @return the square input size S the encoder expects */
    int imageSize();

    /**
     * Encodes {@code count} images.
     *
     * @param pixels images [count, 3, S, S], C order, starting at index 0 (not modified)
     * @param count number of images
     * @return features [count, D], C order
     */
    float[] encode(float[] pixels, int count);

    /** Releases native resources; idempotent. */
    @Override
    void close();
}
