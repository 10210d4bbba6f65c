package io.github.pointclip.adapter.optim;

/** Updates a fixed list of parameters from their gradients. Not thread-safe. */
public interface Optimizer {
    /** Applies one update to every parameter from its current gradient. */
    void step();

    /** Sets every parameter's gradient to zero. */
    void zeroGrad();

    /**
     * Sets the learning rate used by the next {@link #step()} (what a schedule does once per epoch).
     *
     * @param learningRate new rate, ≥ 0
     */
    void setLearningRate(double learningRate);

    /** @return the current learning rate */
    double learningRate();
}
