package io.github.pointclip.eval;

import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Thrown by {@link Evaluator#evaluate()} when the calling thread is interrupted: says how far the
 * evaluation got and how much of it is in the feature cache, so that the same evaluation resumes
 * from there. The features of every sample finished before the interruption, the finished part
 * of the current chunk included, were written to the cache before this was thrown.
 */
public final class EvaluationInterruptedException extends InterruptedIOException {

    private static final long serialVersionUID = 1L;

    /** Samples whose features were ready. */
    private final int done;
    /** Samples to evaluate. */
    private final int samples;
    /** Samples whose features are in the cache now. */
    private final int cached;
    /** The cache directory, or null without a cache. */
    private final transient Path cacheDirectory;

    /**
     * @param done samples whose features were ready (cached ones included)
     * @param samples samples to evaluate
     * @param cached samples whose features are in the cache now
     * @param cacheDirectory the cache directory, or null without a cache
     */
    public EvaluationInterruptedException(int done, int samples, int cached, Path cacheDirectory) {
        super(message(done, samples, cached, cacheDirectory));
        this.done = done;
        this.samples = samples;
        this.cached = cached;
        this.cacheDirectory = cacheDirectory;
    }

    private static String message(int done, int samples, int cached, Path dir) {
        return dir == null
            ? String.format(Locale.ROOT, "evaluation interrupted after %d of %d samples; without a feature cache "
                + "nothing is kept", done, samples)
            : String.format(Locale.ROOT, "evaluation interrupted after %d of %d samples; %d of them are cached in %s, "
                + "the same evaluation resumes from there", done, samples, cached, dir);
    }

    /** @return samples whose features were ready when it stopped, cached ones included */
    public int done() {
        return done;
    }

    /** @return samples the evaluation was to evaluate */
    public int samples() {
        return samples;
    }

    /** @return samples whose features are in the feature cache now: what the next run reads */
    public int cached() {
        return cached;
    }

    /** @return the feature cache's directory, or null when no cache was used */
    public Path cacheDirectory() {
        return cacheDirectory;
    }
}
