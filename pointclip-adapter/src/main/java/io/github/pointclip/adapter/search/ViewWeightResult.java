package io.github.pointclip.adapter.search;

import java.util.Arrays;
import java.util.Optional;

/**
 * The outcome of a {@link ViewWeightSearch}: the best view weights (the earliest in grid order among
 * equally good ones) and their validation accuracy, or no weights when no trial classified a single
 * sample correctly (as in the reference search). Immutable.
 */
public final class ViewWeightResult {

    private final float[] weights;
    private final int correct;
    private final int samples;
    private final long trials;

    ViewWeightResult(float[] weights, int correct, int samples, long trials) {
        this.weights = weights == null ? null : weights.clone();
        this.correct = correct;
        this.samples = samples;
        this.trials = trials;
    }

    /** @return the best view weights (a copy); empty when every trial classified 0 samples correctly */
    public Optional<float[]> weights() {
        return weights == null ? Optional.empty() : Optional.of(weights.clone());
    }

    /** @return validation samples classified correctly with {@link #weights()} (0 when none was selected) */
    public int correct() {
        return correct;
    }

    /** @return validation samples */
    public int samples() {
        return samples;
    }

    /** @return {@code correct / samples} */
    public double accuracy() {
        return (double) correct / samples;
    }

    /** @return grid points evaluated */
    public long trials() {
        return trials;
    }

    @Override
    public String toString() {
        return "ViewWeightResult[" + (weights == null ? "none selected" : Arrays.toString(weights)) + ", " + correct + "/" + samples + ", " + trials + " trials]";
    }
}
