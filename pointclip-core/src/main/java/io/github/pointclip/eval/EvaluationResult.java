package io.github.pointclip.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of an evaluation: every prediction and the metrics computed from them. Immutable;
 * accessors return copies of arrays.
 *
 * <p>Overall accuracy is correct / samples. Per-class accuracy is the fraction of a class's
 * samples predicted as that class, NaN for a class without samples. Mean class accuracy is the
 * mean of the per-class accuracies over the classes that have samples (a class absent from the
 * evaluated samples neither counts as 0 nor as 1). The confusion matrix is indexed
 * {@code [true class][predicted class]}.
 */
public final class EvaluationResult {

    private final List<String> classNames;
    private final List<String> ids;
    private final int[] labels;
    private final int[] predictions;
    private final float[] logits;
    private final int[][] confusion;
    private final int[] classCounts;
    private final double[] perClass;
    private final double accuracy;
    private final double meanClassAccuracy;
    private final Timings timings;
    private final Provenance provenance;
    private final List<SkippedSample> skipped;

    private EvaluationResult(List<String> classNames, List<String> ids, int[] labels, int[] predictions, float[] logits,
        Timings timings, Provenance provenance, List<SkippedSample> skipped) {
        this.classNames = List.copyOf(classNames);
        int classes = this.classNames.size();
        if (labels.length != predictions.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + predictions.length + " predictions");
        }
        if (ids != null && ids.size() != labels.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + ids.size() + " ids");
        }
        if (logits != null && logits.length != labels.length * classes) {
            throw new IllegalArgumentException("logits must hold samples x classes = " + labels.length * classes
                + " values, got " + logits.length);
        }
        this.labels = labels.clone();
        this.predictions = predictions.clone();
        this.ids = ids == null ? null : List.copyOf(ids);
        this.logits = logits == null ? null : logits.clone();
        this.timings = timings;
        this.provenance = provenance;
        this.skipped = List.copyOf(skipped);
        confusion = new int[classes][classes];
        classCounts = new int[classes];
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            int t = labels[i], p = predictions[i];
            Objects.checkIndex(t, classes);
            Objects.checkIndex(p, classes);
            confusion[t][p]++;
            classCounts[t]++;
            correct += t == p ? 1 : 0;
        }
        accuracy = labels.length == 0 ? Double.NaN : (double) correct / labels.length;
        perClass = new double[classes];
        double sum = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            if (classCounts[c] == 0) {
                perClass[c] = Double.NaN;
            } else {
                perClass[c] = (double) confusion[c][c] / classCounts[c];
                sum += perClass[c];
                present++;
            }
        }
        meanClassAccuracy = present == 0 ? Double.NaN : sum / present;
    }

    /**
     * Computes the metrics of predictions alone (no logits, timings or provenance).
     *
     * @param classNames the classes, in label order
     * @param labels true class of each sample
     * @param predictions predicted class of each sample
     * @return the result
     * @throws IllegalArgumentException if the arrays differ in length
     * @throws IndexOutOfBoundsException if a label or prediction is not a class index
     */
    public static EvaluationResult of(List<String> classNames, int[] labels, int[] predictions) {
        return of(classNames, null, labels, predictions, null, null, null);
    }

    /**
     * Computes the metrics and keeps everything an evaluation produced.
     *
     * @param classNames the classes, in label order
     * @param ids sample ids, or null
     * @param labels true class of each sample
     * @param predictions predicted class of each sample
     * @param logits logits [samples, classes], or null
     * @param timings timings, or null
     * @param provenance provenance, or null
     * @return the result
     * @throws IllegalArgumentException if the sizes disagree
     * @throws IndexOutOfBoundsException if a label or prediction is not a class index
     */
    public static EvaluationResult of(List<String> classNames, List<String> ids, int[] labels, int[] predictions,
        float[] logits, Timings timings, Provenance provenance) {
        return of(classNames, ids, labels, predictions, logits, timings, provenance, List.of());
    }

    /**
     * Computes the metrics and keeps everything an evaluation produced, with the samples it
     * skipped.
     *
     * @param classNames the classes, in label order
     * @param ids sample ids, or null
     * @param labels true class of each sample
     * @param predictions predicted class of each sample
     * @param logits logits [samples, classes], or null
     * @param timings timings, or null
     * @param provenance provenance, or null
     * @param skipped the samples left out because they could not be read (not counted anywhere else)
     * @return the result
     * @throws IllegalArgumentException if the sizes disagree
     * @throws IndexOutOfBoundsException if a label or prediction is not a class index
     */
    public static EvaluationResult of(List<String> classNames, List<String> ids, int[] labels, int[] predictions,
        float[] logits, Timings timings, Provenance provenance, List<SkippedSample> skipped) {
        return new EvaluationResult(classNames, ids, labels, predictions, logits, timings, provenance, skipped);
    }

    /** @return the class names, in label order */
    public List<String> classNames() {
        return classNames;
    }

    /** @return the number of samples */
    public int samples() {
        return labels.length;
    }

    /** @return the sample ids in dataset order, or null when not recorded */
    public List<String> ids() {
        return ids;
    }

    /** @return the true class of each sample */
    public int[] labels() {
        return labels.clone();
    }

    /** @return the predicted class of each sample, in dataset order */
    public int[] predictions() {
        return predictions.clone();
    }

    /**
     * @param sample sample index
     * @return the sample's logits, one per class, or null when not recorded
     */
    public float[] logits(int sample) {
        if (logits == null) {
            return null;
        }
        Objects.checkIndex(sample, labels.length);
        float[] out = new float[classNames.size()];
        System.arraycopy(logits, sample * out.length, out, 0, out.length);
        return out;
    }

    /** @return overall accuracy in [0, 1], NaN without samples */
    public double accuracy() {
        return accuracy;
    }

    /** @return the mean of per-class accuracies over classes with samples, NaN without samples */
    public double meanClassAccuracy() {
        return meanClassAccuracy;
    }

    /** @return per-class accuracy in label order, NaN for a class without samples */
    public double[] perClassAccuracy() {
        return perClass.clone();
    }

    /** @return per-class accuracy by class name, in label order, NaN for a class without samples */
    public Map<String, Double> perClass() {
        Map<String, Double> map = new LinkedHashMap<>();
        for (int c = 0; c < perClass.length; c++) {
            map.put(classNames.get(c), perClass[c]);
        }
        return Collections.unmodifiableMap(map);
    }

    /** @return samples per class, in label order */
    public int[] classCounts() {
        return classCounts.clone();
    }

    /** @return the confusion matrix [true class][predicted class] (a copy) */
    public int[][] confusion() {
        int[][] copy = new int[confusion.length][];
        for (int c = 0; c < confusion.length; c++) {
            copy[c] = confusion[c].clone();
        }
        return copy;
    }

    /** @return indices of the correctly predicted samples, ascending */
    public List<Integer> correct() {
        return select(true);
    }

    /** @return indices of the wrongly predicted samples, ascending */
    public List<Integer> wrong() {
        return select(false);
    }

    private List<Integer> select(boolean right) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] == predictions[i]) == right) {
                out.add(i);
            }
        }
        return out;
    }

    /** @return the timings, or null when not recorded */
    public Timings timings() {
        return timings;
    }

    /** @return the provenance, or null when not recorded */
    public Provenance provenance() {
        return provenance;
    }

    /**
     * @return the samples left out because they could not be read (with
     *     {@link Evaluator.Builder#skipBad}), in dataset order; empty when none was
     */
    public List<SkippedSample> skipped() {
        return skipped;
    }

    /** @return the published figure of this run's setting, if there is one */
    public Optional<PublishedResults.Entry> published() {
        return provenance == null ? Optional.empty() : PublishedResults.match(provenance);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "EvaluationResult[%d samples, accuracy %.4f, mean class accuracy %.4f%s]",
            labels.length, accuracy, meanClassAccuracy, skipped.isEmpty() ? "" : ", " + skipped.size() + " skipped");
    }
}
