package io.github.pointclip.crosspoint;

/**
 * One finished pre-training epoch.
 *
 * @param epoch zero-based epoch
 * @param learningRate the rate it ran at
 * @param imidLoss mean intra-modal NT-Xent loss over its steps
 * @param cmidLoss mean cross-modal NT-Xent loss over its steps
 * @param millis wall time in milliseconds
 */
public record PretrainEpoch(int epoch, double learningRate, double imidLoss, double cmidLoss, long millis) {

    /** @return imidLoss + cmidLoss, the optimised total */
    public double loss() {
        return imidLoss + cmidLoss;
    }
}
