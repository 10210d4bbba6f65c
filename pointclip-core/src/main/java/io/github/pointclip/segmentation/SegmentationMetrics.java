package io.github.pointclip.segmentation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Accumulates the shape scores of a part-segmentation evaluation and aggregates them as the
 * PointCLIP V2 evaluation does, plus the usual dataset-level figures:
 * <ul>
 *   <li>category mIoU: 100 × the mean shape IoU over the category's shapes (the figure the original
 *       reports, one category per run);</li>
 *   <li>class mIoU: the mean of the category mIoUs over the categories present;</li>
 *   <li>instance mIoU: 100 × the mean shape IoU over all shapes;</li>
 *   <li>accuracy: 100 × the mean over shapes of the fraction of correctly labelled points (overall,
 *       and per category over its shapes).</li>
 * </ul>
 * Shapes are grouped by category name; categories are listed in the order they first appear.
 * Thread-safe: shapes may be added from several threads.
 */
public final class SegmentationMetrics {

    /** Sums per category. */
    private static final class Totals {
        int shapes;
        double iou;
        double accuracy;
    }

    private final Map<String, Totals> categories = new LinkedHashMap<>();
    private int shapes;
    private double iou;
    private double accuracy;

    /**
     * Scores a shape and adds it.
     *
     * @param category its category
     * @param predicted the predicted local part of every point
     * @param truth the ground-truth local part of every point
     * @return the shape's score
     * @throws IllegalArgumentException as {@link ShapeScore#of(int, int[], int[])}
     */
    public ShapeScore add(PartCategory category, int[] predicted, int[] truth) {
        ShapeScore score = ShapeScore.of(category, predicted, truth);
        add(category.name(), score);
        return score;
    }

    /**
     * Adds a scored shape.
     *
     * @param category the name its category is reported under
     * @param score its score
     */
    public synchronized void add(String category, ShapeScore score) {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(score, "score");
        double shapeIou = score.iou();
        double shapeAccuracy = score.accuracy();
        Totals t = categories.computeIfAbsent(category, c -> new Totals());
        t.shapes++;
        t.iou += shapeIou;
        t.accuracy += shapeAccuracy;
        shapes++;
        iou += shapeIou;
        accuracy += shapeAccuracy;
    }

    /** @return the number of shapes added so far */
    public synchronized int shapes() {
        return shapes;
    }

    /**
     * @return the figures of the shapes added so far
     * @throws IllegalStateException when no shape was added
     */
    public synchronized SegmentationResult result() {
        if (shapes == 0) {
            throw new IllegalStateException("no shape was scored");
        }
        List<SegmentationResult.CategoryScore> perCategory = new ArrayList<>();
        double classSum = 0;
        for (Map.Entry<String, Totals> e : categories.entrySet()) {
            Totals t = e.getValue();
            double miou = 100 * t.iou / t.shapes;
            classSum += miou;
            perCategory.add(new SegmentationResult.CategoryScore(e.getKey(), t.shapes, miou, 100 * t.accuracy / t.shapes));
        }
        return new SegmentationResult(shapes, classSum / categories.size(), 100 * iou / shapes, 100 * accuracy / shapes,
            perCategory);
    }
}
