package io.github.pointclip.detection;

/** Progress of {@link ZeroShotDetector#detect}: called after each encoder batch, on the calling thread. */
@FunctionalInterface
public interface DetectionListener {

    /** Ignores progress. */
    DetectionListener NONE = (done, total) -> { };

    /**
     * @param done proposals handled so far (cropped, and classified when they had enough points)
     * @param total proposals in all
     */
    void progress(int done, int total);
}
