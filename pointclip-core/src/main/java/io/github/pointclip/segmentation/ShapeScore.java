package io.github.pointclip.segmentation;

import java.util.Objects;

/**
 * The part-segmentation score of one shape: per part, the intersection and union of the predicted
 * and ground-truth points, and from them the shape IoU, the mean over the category's parts of
 * |pred = p ∧ gt = p| / |pred = p ∨ gt = p|, where <b>an empty union counts as 1</b> (the part is
 * neither predicted nor present); plus the fraction of correctly labelled points.
 *
 * <p>All parts 0 … partCount − 1 of the category count, also those no prompt can predict: a lamp
 * has 4 ground-truth parts of which only 0 and 1 have a prompt, so parts 2 or 3 present in a lamp's
 * ground truth score 0, and absent ones score 1 (the original metric code's rule). A part predicted
 * but absent from the ground truth scores 0. Immutable.
 */
public final class ShapeScore {

    private final int[] intersection;
    private final int[] union;
    private final int correct;
    private final int points;

    private ShapeScore(int[] intersection, int[] union, int correct, int points) {
        this.intersection = intersection;
        this.union = union;
        this.correct = correct;
        this.points = points;
    }

    /**
     * Scores one shape of a category.
     *
     * @param category the shape's category; its {@link PartCategory#partCount()} parts count
     * @param predicted the predicted local part of every point
     * @param truth the ground-truth local part of every point
     * @return the score
     * @throws IllegalArgumentException as {@link #of(int, int[], int[])}
     */
    public static ShapeScore of(PartCategory category, int[] predicted, int[] truth) {
        return of(Objects.requireNonNull(category, "category").partCount(), predicted, truth);
    }

    /**
     * Scores one shape.
     *
     * @param partCount the number of parts that count (for ShapeNetPart, the category's seg_num)
     * @param predicted the predicted part of every point, each 0 to {@code partCount − 1}
     * @param truth the ground-truth part of every point, each 0 to {@code partCount − 1}
     * @return the score
     * @throws IllegalArgumentException when the arrays are empty or differ in length, or a label lies
     *     outside the parts (naming the point)
     */
    public static ShapeScore of(int partCount, int[] predicted, int[] truth) {
        if (partCount < 1) {
            throw new IllegalArgumentException("partCount must be >= 1, got " + partCount);
        }
        if (predicted.length != truth.length) {
            throw new IllegalArgumentException(predicted.length + " predicted labels for " + truth.length + " points");
        }
        if (truth.length == 0) {
            throw new IllegalArgumentException("a shape needs at least one point");
        }
        int[] predictedCount = new int[partCount];
        int[] truthCount = new int[partCount];
        int[] intersection = new int[partCount];
        int correct = 0;
        for (int i = 0; i < truth.length; i++) {
            int p = predicted[i];
            int t = truth[i];
            if (p < 0 || p >= partCount) {
                throw new IllegalArgumentException("point " + i + " is predicted as part " + p + ", outside 0.."
                    + (partCount - 1));
            }
            if (t < 0 || t >= partCount) {
                throw new IllegalArgumentException("point " + i + " has ground-truth part " + t + ", outside 0.."
                    + (partCount - 1));
            }
            predictedCount[p]++;
            truthCount[t]++;
            if (p == t) {
                intersection[p]++;
                correct++;
            }
        }
        int[] union = new int[partCount];
        for (int q = 0; q < partCount; q++) {
            union[q] = predictedCount[q] + truthCount[q] - intersection[q];
        }
        return new ShapeScore(intersection, union, correct, truth.length);
    }

    /** @return the number of parts that count */
    public int partCount() {
        return union.length;
    }

    /**
     * @param part a part
     * @return the points predicted as and labelled with that part
     */
    public int intersection(int part) {
        return intersection[part];
    }

    /**
     * @param part a part
     * @return the points predicted as or labelled with that part
     */
    public int union(int part) {
        return union[part];
    }

    /**
     * @param part a part
     * @return intersection / union, or 1 when the union is empty
     */
    public double partIou(int part) {
        return union[part] == 0 ? 1.0 : (double) intersection[part] / union[part];
    }

    /** @return the shape IoU in [0, 1]: the mean of {@link #partIou} over all parts */
    public double iou() {
        double sum = 0;
        for (int q = 0; q < union.length; q++) {
            sum += partIou(q);
        }
        return sum / union.length;
    }

    /** @return the number of points whose predicted part is the ground truth */
    public int correct() {
        return correct;
    }

    /** @return the number of points */
    public int points() {
        return points;
    }

    /** @return the fraction of correctly labelled points, in [0, 1] */
    public double accuracy() {
        return (double) correct / points;
    }

    @Override
    public String toString() {
        return "ShapeScore[iou " + iou() + ", accuracy " + accuracy() + ", " + points + " points, " + union.length
            + " parts]";
    }
}
