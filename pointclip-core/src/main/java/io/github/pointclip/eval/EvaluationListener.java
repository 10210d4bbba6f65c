package io.github.pointclip.eval;

/**
 * Progress callbacks of an {@link Evaluator}. All methods are called on the thread that runs
 * {@link Evaluator#evaluate()}, in order; each does nothing by default. An exception thrown by a
 * callback aborts the evaluation (chunks already written to the feature cache stay there, so a
 * rerun resumes after them) and propagates out of {@code evaluate()}.
 */
public interface EvaluationListener {

    /** A listener that ignores everything. */
    EvaluationListener NONE = new EvaluationListener() { };

    /**
     * Called once, after the text features are ready and the cache was checked.
     *
     * @param samples number of samples that will be evaluated
     * @param cached how many of them have their image features in the cache already
     */
    default void started(int samples, int cached) {
    }

    /**
     * Called after every encoder run and once after the cached chunks were read.
     *
     * @param done samples whose features are ready, cached ones included
     * @param samples number of samples evaluated
     */
    default void progress(int done, int samples) {
    }

    /**
     * Called when a chunk's features are complete and, where a cache is used, written.
     *
     * @param chunk the chunk's index
     * @param chunks number of chunks
     * @param fromCache whether its features came from the cache
     */
    default void chunkDone(int chunk, int chunks, boolean fromCache) {
    }
}
