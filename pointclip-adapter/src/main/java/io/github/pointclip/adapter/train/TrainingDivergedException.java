package io.github.pointclip.adapter.train;

/**
 * Few-shot training stopped because the loss stopped being a finite number: the learning rate is too
 * high for these features, or the features themselves are broken (a damaged model, inputs far outside
 * what the encoder saw). Nothing was written; the message says where it happened.
 */
public final class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int step;
    private final double loss;

    /**
     * @param epoch the epoch (0-based) in which the loss was not finite
     * @param step the step within that epoch (0-based)
     * @param loss the loss value (NaN or infinite)
     */
    public TrainingDivergedException(int epoch, int step, double loss) {
        super("training diverged: loss " + loss + " at epoch " + epoch + ", step " + step
            + " (the learning rate is too high for these features, or the features are broken)");
        this.epoch = epoch;
        this.step = step;
        this.loss = loss;
    }

    /** @return the epoch (0-based) in which the loss was not finite */
    public int epoch() {
        return epoch;
    }

    /** @return the step within that epoch (0-based) */
    public int step() {
        return step;
    }

    /** @return the loss value (NaN or infinite) */
    public double loss() {
        return loss;
    }
}
