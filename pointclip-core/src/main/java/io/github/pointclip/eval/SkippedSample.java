package io.github.pointclip.eval;

import java.util.Objects;

/**
 * A sample an evaluation left out because it could not be read ({@link Evaluator.Builder#skipBad}).
 *
 * @param index its index in the evaluated dataset
 * @param id its id ({@link io.github.pointclip.dataset.Dataset#id(int)})
 * @param reason why, one line (the read error's message, naming the file)
 */
public record SkippedSample(int index, String id, String reason) {

    /**
     * Validates the components.
     *
     * @param index index in the dataset
     * @param id sample id
     * @param reason one-line reason
     */
    public SkippedSample {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(reason, "reason");
        reason = reason.replaceAll("[\\r\\n]+", " ").strip();
    }
}
