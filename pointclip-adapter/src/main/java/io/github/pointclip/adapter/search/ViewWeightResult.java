package io.github.pointclip.adapter.search;

import java.util.Arrays;

/**
 * The outcome of a {@link ViewWeightSearch}: the best view weights (the earliest in grid order among
 * equally good ones) and their validation accuracy. Immutable.
 */
public final class ViewWeightResult {

    private final float[] weights;
    private final int correct;
    private final int samples;
    private final long trials;

    ViewWeightResult(float[] weights, int correct, int samples, long trials) {
        this.weights = weights.clone();
        this.correct = correct;
        this.samples = samples;
        this.trials = trials;
    }

    /** @return the best view weights (a copy) */
    public float[] weights() {
        return weights.clone();
    }

    /** @return validation samples classified correctly with {@link #weights()} */
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
        return "ViewWeightResult[" + Arrays.toString(weights) + ", " + correct + "/" + samples + ", " + trials + " trials]";
    }
}
