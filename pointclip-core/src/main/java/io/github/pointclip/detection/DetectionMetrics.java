package io.github.pointclip.detection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Average precision of 3-D detections, computed as the standard VoteNet/ScanNet evaluation does.
 * Feed it scene by scene with {@link #add}; {@link #result()} computes, per class and IoU threshold:
 *
 * <ol>
 * <li>the class's detections of all scenes sorted by descending score (ties keep the order they were
 *     added in: scene by scene, each scene's list in order);</li>
 * <li>each detection matched to the ground-truth box of its class in the same scene with the highest
 *     {@linkplain BoxOverlap#iou 3-D IoU} (oriented about z; the first such box on ties), whether or not
 *     that box is already taken: a hit when the IoU is strictly above the threshold and the box is not
 *     taken yet (it becomes taken), otherwise a false positive;</li>
 * <li>precision and recall after each detection, and the area under the interpolated curve (the VOC
 *     2010+ rule, every recall step, not 11 points): {@link #averagePrecision}.</li>
 * </ol>
 *
 * <p>AP and mAP are fractions in [0, 1]. A class without ground truth in any scene is left out of the
 * results and of the mean; a class with ground truth but no detection has AP 0. Detections whose
 * label is not one of the classes are ignored. Thread-safe.
 */
public final class DetectionMetrics {

    /** The two thresholds of the ScanNet benchmark tables. */
    public static final List<Double> SCANNET_THRESHOLDS = List.of(0.25, 0.5);

    private final List<String> classes;
    private final double[] thresholds;
    /** Per class: ground truth boxes per scene. */
    private final Map<String, List<List<Box>>> truth = new LinkedHashMap<>();
    /** Per class: detections with their scene, in the order added. */
    private final Map<String, List<Scored>> detections = new LinkedHashMap<>();
    private int scenes;

    private record Scored(int scene, Box box, double score) {
    }

    /**
     * @param classes the classes evaluated, in report order
     * @param thresholds IoU thresholds in [0, 1), e.g. 0.25 and 0.5
     * @throws IllegalArgumentException if there is no class or threshold, or a threshold is out of range
     */
    public DetectionMetrics(List<String> classes, double... thresholds) {
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("no classes to evaluate");
        }
        if (thresholds.length == 0) {
            throw new IllegalArgumentException("no IoU threshold given");
        }
        for (double t : thresholds) {
            if (!(t >= 0 && t < 1)) {
                throw new IllegalArgumentException("IoU thresholds must be in [0, 1), got " + t);
            }
        }
        this.classes = List.copyOf(classes);
        this.thresholds = thresholds.clone();
        for (String c : this.classes) {
            truth.put(c, new ArrayList<>());
            detections.put(c, new ArrayList<>());
        }
    }

    /**
     * Adds one scene.
     *
     * @param groundTruth its ground-truth boxes (labels outside the classes are ignored)
     * @param found the detections in it (labels outside the classes are ignored)
     */
    public synchronized void add(List<LabelledBox> groundTruth, List<Detection> found) {
        int scene = scenes++;
        for (List<List<Box>> perScene : truth.values()) {
            perScene.add(new ArrayList<>());
        }
        for (LabelledBox g : groundTruth) {
            List<List<Box>> perScene = truth.get(g.label());
            if (perScene != null) {
                perScene.get(scene).add(g.box());
            }
        }
        for (Detection d : found) {
            List<Scored> list = detections.get(d.label());
            if (list != null) {
                list.add(new Scored(scene, d.box(), d.score()));
            }
        }
    }

    /** @return the metrics of the scenes added so far */
    public synchronized Result result() {
        Map<String, double[]> ap = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String c : classes) {
            List<List<Box>> gt = truth.get(c);
            int positives = gt.stream().mapToInt(List::size).sum();
            if (positives == 0) {
                continue;
            }
            List<Scored> sorted = new ArrayList<>(detections.get(c));
            sorted.sort((a, b) -> Double.compare(b.score(), a.score())); // List.sort is stable
            double[] perThreshold = new double[thresholds.length];
            for (int t = 0; t < thresholds.length; t++) {
                perThreshold[t] = classAp(sorted, gt, positives, thresholds[t]);
            }
            ap.put(c, perThreshold);
            counts.put(c, positives);
        }
        return new Result(scenes, thresholds, ap, counts);
    }

    private static double classAp(List<Scored> sorted, List<List<Box>> gt, int positives, double threshold) {
        List<boolean[]> taken = new ArrayList<>(gt.size());
        for (List<Box> boxes : gt) {
            taken.add(new boolean[boxes.size()]);
        }
        int n = sorted.size();
        double[] recall = new double[n];
        double[] precision = new double[n];
        int tp = 0;
        for (int i = 0; i < n; i++) {
            Scored d = sorted.get(i);
            List<Box> boxes = gt.get(d.scene());
            double best = Double.NEGATIVE_INFINITY;
            int at = -1;
            for (int j = 0; j < boxes.size(); j++) {
                double iou = BoxOverlap.iou(d.box(), boxes.get(j));
                if (iou > best) {
                    best = iou;
                    at = j;
                }
            }
            if (best > threshold && !taken.get(d.scene())[at]) {
                taken.get(d.scene())[at] = true;
                tp++;
            }
            recall[i] = (double) tp / positives;
            precision[i] = (double) tp / (i + 1);
        }
        return averagePrecision(recall, precision);
    }

    /**
     * The area under the interpolated precision/recall curve (VOC 2010+): the curve is closed with
     * recall 0 and 1 (precision 0 there), precision made non-increasing from the right, and summed
     * over every change of recall.
     *
     * @param recall recall after each detection, non-decreasing
     * @param precision precision after each detection
     * @return the average precision in [0, 1]
     */
    public static double averagePrecision(double[] recall, double[] precision) {
        if (recall.length != precision.length) {
            throw new IllegalArgumentException(recall.length + " recall values but " + precision.length + " precision values");
        }
        int n = recall.length;
        double[] r = new double[n + 2];
        double[] p = new double[n + 2];
        System.arraycopy(recall, 0, r, 1, n);
        System.arraycopy(precision, 0, p, 1, n);
        r[n + 1] = 1;
        for (int i = n; i >= 0; i--) {
            p[i] = Math.max(p[i], p[i + 1]);
        }
        double ap = 0;
        for (int i = 0; i <= n; i++) {
            if (r[i + 1] != r[i]) {
                ap += (r[i + 1] - r[i]) * p[i + 1];
            }
        }
        return ap;
    }

    /** The metrics: per class with ground truth, AP at each threshold; and their means. Immutable. */
    public static final class Result {
        private final int scenes;
        private final double[] thresholds;
        private final Map<String, double[]> ap;
        private final Map<String, Integer> groundTruth;

        private Result(int scenes, double[] thresholds, Map<String, double[]> ap, Map<String, Integer> groundTruth) {
            this.scenes = scenes;
            this.thresholds = thresholds.clone();
            this.ap = Collections.unmodifiableMap(new LinkedHashMap<>(ap));
            this.groundTruth = Collections.unmodifiableMap(new LinkedHashMap<>(groundTruth));
        }

        /** @return the scenes added */
        public int scenes() {
            return scenes;
        }

        /** @return the IoU thresholds (a copy) */
        public double[] thresholds() {
            return thresholds.clone();
        }

        /** @return the classes with ground truth, in class order: those in the results and the mean */
        public List<String> classes() {
            return List.copyOf(ap.keySet());
        }

        /**
         * @param label a class with ground truth
         * @param threshold one of the thresholds
         * @return its AP in [0, 1]
         * @throws IllegalArgumentException for a class without ground truth or an unknown threshold
         */
        public double ap(String label, double threshold) {
            double[] values = ap.get(label);
            if (values == null) {
                throw new IllegalArgumentException("no ground truth of class '" + label + "' was evaluated");
            }
            return values[index(threshold)];
        }

        /**
         * @param label a class with ground truth
         * @return its number of ground-truth boxes
         */
        public int groundTruth(String label) {
            Integer n = groundTruth.get(Objects.requireNonNull(label, "label"));
            if (n == null) {
                throw new IllegalArgumentException("no ground truth of class '" + label + "' was evaluated");
            }
            return n;
        }

        /**
         * @param threshold one of the thresholds
         * @return the mean AP over the classes with ground truth; 0 when there is none
         */
        public double meanAp(double threshold) {
            int t = index(threshold);
            return ap.values().stream().mapToDouble(v -> v[t]).average().orElse(0);
        }

        private int index(double threshold) {
            for (int i = 0; i < thresholds.length; i++) {
                if (thresholds[i] == threshold) {
                    return i;
                }
            }
            throw new IllegalArgumentException("IoU threshold " + threshold + " was not evaluated; evaluated: "
                + Arrays.toString(thresholds));
        }
    }
}
