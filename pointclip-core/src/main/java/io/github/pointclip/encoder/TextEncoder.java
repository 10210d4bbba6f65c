package io.github.pointclip.encoder;

import java.util.List;

/**
 * Encodes texts into D-dimensional CLIP features (not normalised), tokenising them with the
 * model's own vocabulary. Implementations hold native resources: close them. Thread-safe unless
 * an implementation says otherwise.
 */
public interface TextEncoder extends AutoCloseable {

    /** @return the feature dimension D */
    int embeddingDim();

    /**
     * @param texts the texts
     * @return features [texts.size(), D], C order
     * @throws IllegalArgumentException if a text is longer than the context (naming the text)
     */
    float[] encode(List<String> texts);

    /** Releases native resources; idempotent. */
    @Override
    void close();
}
