package io.github.pointclip.crosspoint.probe;

/**
 * Progress of a probe: feature extraction, classifier training, few-shot episodes. Called on the
 * thread that runs the probe, in order; every method does nothing by default. An exception thrown
 * by a callback aborts the probe and propagates.
 */
public interface ProbeListener {

    /** A listener that ignores everything. */
    ProbeListener NONE = new ProbeListener() { };

    /** What is in progress. */
    enum Stage {
        /** Encoding clouds; counted in clouds. */
        FEATURES,
        /** Fitting the linear classifier; counted in L-BFGS iterations, the total is the iteration limit. */
        TRAINING,
        /** Few-shot episodes; counted in episodes. */
        EPISODES
    }

    /**
     * @param stage the stage starting
     * @param total how many units it has
     */
    default void started(Stage stage, int total) {
    }

    /**
     * @param stage the stage
     * @param done units done
     * @param total units in all
     */
    default void progress(Stage stage, int done, int total) {
    }
}
