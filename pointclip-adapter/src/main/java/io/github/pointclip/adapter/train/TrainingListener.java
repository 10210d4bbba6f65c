package io.github.pointclip.adapter.train;

/**
 * Progress of a {@link FewShotTrainer} run, called on the training thread; all methods default to nothing.
 * The CLI draws a progress bar from it; the library only calls it.
 */
public interface TrainingListener {

    /** A listener that ignores everything. */
    TrainingListener NONE = new TrainingListener() { };

    /**
     * @param epochs epochs that will run
     * @param stepsPerEpoch optimiser steps per epoch
     */
    default void onStart(int epochs, int stepsPerEpoch) {
    }

    /**
     * @param epoch zero-based epoch
     * @param step zero-based step within the epoch
     * @param loss the step's loss
     */
    default void onStep(int epoch, int step, double loss) {
    }

    /**
     * @param stats the finished epoch
     */
    default void onEpoch(EpochStats stats) {
    }
}
