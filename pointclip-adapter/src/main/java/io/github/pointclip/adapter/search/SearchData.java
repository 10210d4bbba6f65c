package io.github.pointclip.adapter.search;

import io.github.pointclip.internal.FeatureMath;
import java.util.Arrays;
import java.util.Objects;

/**
 * Cached validation features for the searches: per-view image features [N, V, D] (L2-normalised
 * per view, as the zero-shot logits use them), the labels and the logit scale. Immutable; the
 * arrays are copied in and never handed out.
 *
 * <p>Logits follow DESIGN §1: {@code logitScale/√V · Σ_v w_v·⟨f_v, t_c⟩}, with the weighted view
 * features not renormalised.
 */
public final class SearchData {

    private final float[] features;
    private final int samples;
    private final int views;
    private final int dim;
    private final int[] labels;
    private final int classes;
    private final float logitScale;

    private SearchData(float[] features, int samples, int views, int dim, int[] labels, int classes,
                       float logitScale) {
        this.features = features;
        this.samples = samples;
        this.views = views;
        this.dim = dim;
        this.labels = labels;
        this.classes = classes;
        this.logitScale = logitScale;
    }

    /**
     * From raw image features as {@code PointClip.imageFeatures} returns them; each view's feature is
     * L2-normalised (on a copy).
     *
     * @param rawFeatures [N, V, D], not modified
     * @param samples N
     * @param views V
     * @param dim D
     * @param labels N class indices in [0, classes)
     * @param classes number of classes C
     * @param logitScale e.g. 100
     * @return the data
     * @throws IllegalArgumentException if sizes disagree or a label is out of range
     */
    public static SearchData fromRawFeatures(float[] rawFeatures, int samples, int views, int dim, int[] labels,
                                             int classes, float logitScale) {
        float[] f = check(rawFeatures, samples, views, dim, labels, classes, logitScale).clone();
        FeatureMath.normaliseRows(f, 0, samples * views, dim);
        return new SearchData(f, samples, views, dim, labels.clone(), classes, logitScale);
    }

    /**
     * From features that are already normalised per view (used as they are).
     *
     * @param normalisedFeatures [N, V, D], not modified
     * @param samples N
     * @param views V
     * @param dim D
     * @param labels N class indices in [0, classes)
     * @param classes number of classes C
     * @param logitScale e.g. 100
     * @return the data
     * @throws IllegalArgumentException if sizes disagree or a label is out of range
     */
    public static SearchData fromNormalisedFeatures(float[] normalisedFeatures, int samples, int views, int dim,
                                                    int[] labels, int classes, float logitScale) {
        float[] f = check(normalisedFeatures, samples, views, dim, labels, classes, logitScale).clone();
        return new SearchData(f, samples, views, dim, labels.clone(), classes, logitScale);
    }

    private static float[] check(float[] f, int samples, int views, int dim, int[] labels, int classes,
                                 float logitScale) {
        Objects.requireNonNull(f, "features");
        Objects.requireNonNull(labels, "labels");
        if (samples < 1 || views < 1 || dim < 1 || classes < 1) {
            throw new IllegalArgumentException("need at least one sample, view, dimension and class; got N=" + samples
                + ", V=" + views + ", D=" + dim + ", C=" + classes);
        }
        if ((long) samples * views * dim != f.length) {
            throw new IllegalArgumentException("features hold " + f.length + " floats, expected N·V·D = "
                + samples + "·" + views + "·" + dim);
        }
        if (labels.length != samples) {
            throw new IllegalArgumentException(samples + " samples but " + labels.length + " labels");
        }
        for (int n = 0; n < samples; n++) {
            if (labels[n] < 0 || labels[n] >= classes) {
                throw new IllegalArgumentException("label " + labels[n] + " of sample " + n + " is not in [0, " + classes + ")");
            }
        }
        if (!(logitScale > 0) || !Float.isFinite(logitScale)) {
            throw new IllegalArgumentException("logit scale must be positive and finite, got " + logitScale);
        }
        return f;
    }

    /** @return N */
    public int samples() {
        return samples;
    }

    /** @return V */
    public int views() {
        return views;
    }

    /** @return D */
    public int dim() {
        return dim;
    }

    /** @return C */
    public int classes() {
        return classes;
    }

    /** @return the logit scale */
    public float logitScale() {
        return logitScale;
    }

    /** @return the labels (a copy) */
    public int[] labels() {
        return labels.clone();
    }

    /** @return the per-view normalised features [N, V, D] (a copy) */
    public float[] features() {
        return features.clone();
    }

    int[] labelsView() {
        return labels;
    }

    float[] featuresView() {
        return features;
    }

    /**
     * The fused feature of every sample, {@code g_n = logitScale/√V · Σ_v w_v·f_{n,v}} (views
     * summed in order, not renormalised), so that the logit of class c is {@code ⟨g_n, t_c⟩}.
     *
     * @param weights V view weights
     * @return [N, D]
     */
    float[] fused(float[] weights) {
        checkWeights(weights);
        float scale = (float) (logitScale / Math.sqrt(views));
        float[] g = new float[samples * dim];
        for (int n = 0; n < samples; n++) {
            int out = n * dim;
            for (int v = 0; v < views; v++) {
                int f = (n * views + v) * dim;
                float w = weights[v];
                for (int i = 0; i < dim; i++) {
                    g[out + i] += w * features[f + i];
                }
            }
            for (int i = 0; i < dim; i++) {
                g[out + i] *= scale;
            }
        }
        return g;
    }

    void checkWeights(float[] weights) {
        Objects.requireNonNull(weights, "view weights");
        if (weights.length != views) {
            throw new IllegalArgumentException(views + " views but " + weights.length + " view weights");
        }
        for (float w : weights) {
            if (!Float.isFinite(w)) {
                throw new IllegalArgumentException("view weights must be finite: " + Arrays.toString(weights));
            }
        }
    }

    void checkText(float[] text, String what) {
        Objects.requireNonNull(text, what);
        if (text.length != classes * dim) {
            throw new IllegalArgumentException(what + " hold " + text.length + " floats, expected C·D = " + classes
                + "·" + dim);
        }
    }

    @Override
    public String toString() {
        return "SearchData[N=" + samples + ", V=" + views + ", D=" + dim + ", C=" + classes + "]";
    }
}
