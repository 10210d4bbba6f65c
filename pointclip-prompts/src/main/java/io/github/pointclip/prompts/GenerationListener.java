package io.github.pointclip.prompts;

/** Progress of a {@link PromptGenerator#generate} run; called from the thread that runs {@code generate}. */
@FunctionalInterface
public interface GenerationListener {

    /** A listener that ignores progress. */
    GenerationListener NONE = (done, total, requests, cacheHits) -> { };

    /**
     * @param done (class, command) pairs answered so far
     * @param total (class, command) pairs in the run
     * @param requests requests sent to the server so far (retries not counted)
     * @param cacheHits responses read from the cache so far
     */
    void progress(int done, int total, int requests, int cacheHits);
}
