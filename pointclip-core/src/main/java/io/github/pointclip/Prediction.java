package io.github.pointclip;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The result of classifying one cloud: a logit and a probability per label, in the order the
 * labels were given, plus the ranking. Immutable.
 */
public final class Prediction {

    /**
     * One ranked label.
     *
     * @param label the class label
     * @param index its position in {@link Prediction#labels()}
     * @param probability softmax probability
     * @param logit the logit
     */
    public record Ranked(String label, int index, float probability, float logit) {
    }

    private final List<String> labels;
    private final float[] logits;
    private final float[] probabilities;
    private final List<Ranked> ranking;

    private Prediction(List<String> labels, float[] logits) {
        if (labels.size() != logits.length) {
            throw new IllegalArgumentException(labels.size() + " labels but " + logits.length + " logits");
        }
        this.labels = List.copyOf(labels);
        this.logits = logits.clone();
        this.probabilities = softmax(logits);
        List<Ranked> r = new ArrayList<>();
        for (int i = 0; i < logits.length; i++) {
            r.add(new Ranked(labels.get(i), i, probabilities[i], logits[i]));
        }
        r.sort(Comparator.comparingDouble(Ranked::logit).reversed().thenComparingInt(Ranked::index));
        this.ranking = List.copyOf(r);
    }

    /**
     * @param labels the labels
     * @param logits one logit per label
     * @return the prediction, probabilities by softmax
     */
    public static Prediction of(List<String> labels, float[] logits) {
        return new Prediction(labels, logits);
    }

    /**
     * Fuses this prediction with another model's over the same labels, as PointCLIP fuses its logits
     * with those of a trained 3D network: {@code fused = this.logits + weight · other.logits}, then
     * softmax. With {@code weight} 1 both models count equally when their logits have the same scale
     * (CLIP-space models such as PointCLIP and a CrossPoint encoder use a logit scale of 100); logits
     * of another scale need a weight that brings them to it. A weight of 0 gives this prediction's
     * logits back.
     *
     * @param other the other model's prediction: the same labels in the same order
     * @param weight the other model's weight, finite
     * @return the fused prediction
     * @throws IllegalArgumentException if the labels differ (the message names the first difference) or
     *     the weight is not finite
     */
    public Prediction fuse(Prediction other, float weight) {
        if (!Float.isFinite(weight)) {
            throw new IllegalArgumentException("fusion weight must be finite, got " + weight);
        }
        if (!labels.equals(other.labels)) {
            throw new IllegalArgumentException("cannot fuse predictions over different labels: "
                + firstDifference(labels, other.labels));
        }
        float[] fused = new float[logits.length];
        for (int i = 0; i < fused.length; i++) {
            fused[i] = logits[i] + weight * other.logits[i];
        }
        return new Prediction(labels, fused);
    }

    /**
     * @param ours labels of one model
     * @param theirs labels of another
     * @return the first difference in words, e.g. {@code label 3 is 'chair' here but 'lamp' there}
     */
    static String firstDifference(List<String> ours, List<String> theirs) {
        for (int i = 0; i < Math.min(ours.size(), theirs.size()); i++) {
            if (!ours.get(i).equals(theirs.get(i))) {
                return "label " + i + " is '" + ours.get(i) + "' here but '" + theirs.get(i) + "' there (the class "
                    + "order must match)";
            }
        }
        return ours.size() + " labels here but " + theirs.size() + " there";
    }

    /**
     * Numerically stable softmax in double precision.
     *
     * @param logits the logits
     * @return the probabilities
     */
    public static float[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        double[] e = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            e[i] = Math.exp(logits[i] - max);
            sum += e[i];
        }
        float[] p = new float[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (e[i] / sum);
        }
        return p;
    }

    /** @return the labels in the given order */
    public List<String> labels() {
        return labels;
    }

    /** @return the logits in label order (a copy) */
    public float[] logits() {
        return logits.clone();
    }

    /** @return the probabilities in label order (a copy) */
    public float[] probabilities() {
        return probabilities.clone();
    }

    /** @return the labels from most to least likely */
    public List<Ranked> ranking() {
        return ranking;
    }

    /**
     * @param k how many
     * @return the k most likely labels
     */
    public List<Ranked> top(int k) {
        return ranking.subList(0, Math.min(Math.max(k, 0), ranking.size()));
    }

    /** @return the most likely label */
    public String label() {
        return ranking.get(0).label();
    }

    /** @return the index of the most likely label */
    public int labelIndex() {
        return ranking.get(0).index();
    }

    @Override
    public String toString() {
        Ranked best = ranking.get(0);
        return "Prediction[" + best.label() + " " + String.format(java.util.Locale.ROOT, "%.3f", best.probability())
            + " of " + labels.size() + " labels]";
    }
}
