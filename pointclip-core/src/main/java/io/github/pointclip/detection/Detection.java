package io.github.pointclip.detection;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A labelled box: the proposal, its most likely class, the score and, when it came from
 * {@link ZeroShotDetector}, how many points were classified and the class probabilities and logits
 * (in {@link #labels()} order, "no object" last when it was asked for). Immutable.
 */
public final class Detection {

    private final Box box;
    private final String label;
    private final double score;
    private final int points;
    private final List<String> labels;
    private final float[] probabilities;
    private final float[] logits;

    private Detection(Box box, String label, double score, int points, List<String> labels, float[] probabilities,
            float[] logits) {
        this.box = Objects.requireNonNull(box, "box");
        this.label = Objects.requireNonNull(label, "label");
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException("detection score must be finite, got " + score);
        }
        this.score = score;
        this.points = points;
        this.labels = List.copyOf(labels);
        this.probabilities = probabilities.clone();
        this.logits = logits.clone();
        if (this.labels.size() != this.probabilities.length || this.labels.size() != this.logits.length) {
            throw new IllegalArgumentException(labels.size() + " labels but " + probabilities.length
                + " probabilities and " + logits.length + " logits");
        }
    }

    /**
     * A detection from another detector (no per-class values), e.g. to evaluate it.
     *
     * @param box the box
     * @param label its class
     * @param score its confidence, finite
     * @return the detection
     */
    public static Detection of(Box box, String label, double score) {
        return new Detection(box, label, score, 0, List.of(), new float[0], new float[0]);
    }

    /**
     * A classified box.
     *
     * @param box the proposal
     * @param label the chosen class
     * @param score the score (class probability × proposal score)
     * @param points points inside the box
     * @param labels the classes, in order
     * @param probabilities one per class
     * @param logits one per class
     * @return the detection
     */
    public static Detection of(Box box, String label, double score, int points, List<String> labels,
            float[] probabilities, float[] logits) {
        return new Detection(box, label, score, points, labels, probabilities, logits);
    }

    /** @return the box (with its proposal score, if it had one) */
    public Box box() {
        return box;
    }

    /** @return the class */
    public String label() {
        return label;
    }

    /** @return the score: the class probability times the proposal score (when the box has one) */
    public double score() {
        return score;
    }

    /** @return the number of scene points inside the box; 0 for {@link #of(Box, String, double)} */
    public int points() {
        return points;
    }

    /** @return the classes the box was scored against, in order; empty for {@link #of(Box, String, double)} */
    public List<String> labels() {
        return labels;
    }

    /** @return the class probabilities in {@link #labels()} order (a copy) */
    public float[] probabilities() {
        return probabilities.clone();
    }

    /** @return the class logits in {@link #labels()} order (a copy) */
    public float[] logits() {
        return logits.clone();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Detection[%s %.3f, %d points, %s]", label, score, points, box);
    }
}
