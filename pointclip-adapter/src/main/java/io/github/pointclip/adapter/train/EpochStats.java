package io.github.pointclip.adapter.train;

/**
 * What one training epoch did.
 *
 * @param epoch zero-based epoch
 * @param learningRate the rate used in this epoch
 * @param loss mean training loss over the epoch's steps
 * @param trainAccuracy accuracy on the epoch's training batches (in training mode), in [0, 1]
 * @param validationAccuracy accuracy on the validation split in inference mode, NaN without one
 * @param best whether this epoch is the best so far (the weights that will be kept)
 * @param millis wall time of the epoch including validation
 */
public record EpochStats(int epoch, double learningRate, double loss, double trainAccuracy, double validationAccuracy,
        boolean best, long millis) {
}
