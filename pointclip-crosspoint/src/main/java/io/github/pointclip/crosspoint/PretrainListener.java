package io.github.pointclip.crosspoint;

/**
 * Progress of a {@link CrossPointPretrainer} run, called on the training thread; all methods default to nothing.
 * The CLI draws its progress bar from it; the library only calls it.
 */
public interface PretrainListener {

    /** A listener that ignores everything. */
    PretrainListener NONE = new PretrainListener() { };

    /**
     * @param firstEpoch the epoch the run starts at (0, or where a resumed run continues)
     * @param epochs total epochs of the run
     * @param stepsPerEpoch optimiser steps per epoch
     */
    default void onStart(int firstEpoch, int epochs, int stepsPerEpoch) {
    }

    /**
     * @param epoch zero-based epoch
     * @param step zero-based step within the epoch
     * @param imidLoss the step's intra-modal loss
     * @param cmidLoss the step's cross-modal loss
     */
    default void onStep(int epoch, int step, double imidLoss, double cmidLoss) {
    }

    /**
     * @param stats the finished epoch
     */
    default void onEpoch(PretrainEpoch stats) {
    }
}
