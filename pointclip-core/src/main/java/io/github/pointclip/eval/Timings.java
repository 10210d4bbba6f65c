package io.github.pointclip.eval;

/**
 * Where the time of an evaluation went. Durations are in nanoseconds; the projection time is
 * summed over the worker threads, so it can exceed the wall time.
 *
 * @param wallNanos the whole {@link Evaluator#evaluate()} call
 * @param textNanos computing (or loading) the class text features
 * @param loopNanos the encode loop: from the first projection job to the last encoder run
 * @param encoderNanos time spent inside the image encoder
 * @param projectionNanos time the workers spent reading and projecting clouds, summed
 * @param waitNanos time the encoder thread waited for projected batches
 * @param encodedSamples samples whose features were computed in this run
 * @param cachedSamples samples whose features came from the feature cache
 * @param encoderRuns number of image-encoder runs
 * @param batchImages images per encoder run (at most)
 * @param workers projection worker threads
 */
public record Timings(long wallNanos, long textNanos, long loopNanos, long encoderNanos, long projectionNanos,
    long waitNanos, int encodedSamples, int cachedSamples, int encoderRuns, int batchImages, int workers) {

    /**
     * The fraction of the encode loop's wall time the image encoder was running: the figure the
     * overlapped projection is there to keep near 1.
     *
     * @return encoder time / loop time, or NaN when nothing was encoded
     */
    public double encoderBusyFraction() {
        return loopNanos <= 0 || encodedSamples == 0 ? Double.NaN : (double) encoderNanos / loopNanos;
    }

    /**
     * @return samples encoded per second of loop time, or NaN when nothing was encoded
     */
    public double samplesPerSecond() {
        return loopNanos <= 0 || encodedSamples == 0 ? Double.NaN : encodedSamples / (loopNanos / 1e9);
    }
}
