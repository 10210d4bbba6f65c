package io.github.pointclip.adapter.search;

/**
 * Progress of a search, for a progress bar or a log. Calls never overlap and {@code done} never
 * decreases, but they may come from a search's worker threads; the implementation should return
 * quickly.
 */
@FunctionalInterface
public interface SearchListener {

    /** A listener that ignores everything. */
    SearchListener NONE = (done, total, bestCorrect, samples) -> { };

    /**
     * Reports progress.
     *
     * @param done trials evaluated so far
     * @param total trials in the whole search
     * @param bestCorrect correctly classified samples with the best setting so far
     * @param samples samples in the validation data
     */
    void progress(long done, long total, int bestCorrect, int samples);
}
