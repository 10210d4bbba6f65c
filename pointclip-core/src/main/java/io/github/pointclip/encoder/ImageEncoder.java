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

    /**
     * @return the side g of the square patch grid whose tokens {@link #encodeTokens} returns (14 for
     *     ViT-B/16 at 224), or 0 when this encoder has no dense (per-patch) features; default 0
     */
    default int patchGridSize() {
        return 0;
    }

    /**
     * Dense features for zero-shot part segmentation: every token of the final layer, after the
     * final layer norm and the projection into the joint space.
     *
     * @param pixels images [count, 3, S, S], C order, starting at index 0 (not modified)
     * @param count number of images
     * @return tokens [count, 1 + g², D], C order, not normalised: index 0 is the class token, then
     *     the g×g patch tokens row by row as the encoder returns them
     * @throws DenseFeaturesUnavailableException when the model cannot produce them (the message
     *     names the missing output and how to export it)
     */
    default float[] encodeTokens(float[] pixels, int count) {
        throw new DenseFeaturesUnavailableException("this image encoder (" + getClass().getSimpleName()
            + ") has no dense features: export the image model with a 'token_embeds' output "
            + "(see docs/models.md)");
    }

    /** Releases native resources; idempotent. */
    @Override
    void close();
}
