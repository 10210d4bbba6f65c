package io.github.pointclip.adapter.search;

import io.github.pointclip.internal.FeatureMath;
import java.util.List;

/** Independent references: the whole logit matrix recomputed per trial with straightforward loops. */
final class BruteForce {

    private BruteForce() {
    }

    /** Accuracy count with per-view similarities and FeatureMath's fusion, first max wins. */
    static int correctPerView(float[] f, int n, int views, int dim, float[] text, int classes, float[] w, float scale,
                              int[] labels) {
        int correct = 0;
        for (int s = 0; s < n; s++) {
            float[] sims = FeatureMath.viewSimilarities(f, s * views * dim, views, text, classes, dim, null);
            float[] logits = FeatureMath.fuseLogits(sims, views, classes, w, scale);
            if (argmax(logits) == labels[s]) {
                correct++;
            }
        }
        return correct;
    }

    static int argmax(float[] l) {
        int arg = 0;
        for (int c = 1; c < l.length; c++) {
            if (l[c] > l[arg]) {
                arg = c;
            }
        }
        return arg;
    }

    /**
     * The grid in the spec's order: view 0 outermost, the last view fastest; strict improvement over
     * a best that starts at 0 correct, as in the reference, so null when every trial scores 0.
     */
    static float[] viewSearch(float[] f, int n, int views, int dim, float[] text, int classes, float scale,
                              int[] labels, int steps, double range) {
        long total = (long) Math.pow(steps, views);
        float[] best = null;
        int bestCorrect = 0;
        for (long t = 0; t < total; t++) {
            float[] w = new float[views];
            long rest = t;
            for (int v = views - 1; v >= 0; v--) {
                w[v] = (float) (((rest % steps) + 1) * range / steps);
                rest /= steps;
            }
            int correct = correctPerView(f, n, views, dim, text, classes, w, scale, labels);
            if (correct > bestCorrect) {
                bestCorrect = correct;
                best = w;
            }
        }
        return best;
    }

    /** Fused features, the logit being ⟨g_n, t_c⟩. */
    static float[] fused(float[] f, int n, int views, int dim, float[] w, float scale) {
        float k = (float) (scale / Math.sqrt(views));
        float[] g = new float[n * dim];
        for (int s = 0; s < n; s++) {
            for (int v = 0; v < views; v++) {
                for (int i = 0; i < dim; i++) {
                    g[s * dim + i] += w[v] * f[(s * views + v) * dim + i];
                }
            }
            for (int i = 0; i < dim; i++) {
                g[s * dim + i] *= k;
            }
        }
        return g;
    }

    /** Accuracy count with logits ⟨g_n, t_c⟩ summed as s = fma(g, t, s), first max wins. */
    static int correctFused(float[] g, int n, int dim, float[] text, int classes, int[] labels) {
        int correct = 0;
        for (int s = 0; s < n; s++) {
            float[] logits = new float[classes];
            for (int c = 0; c < classes; c++) {
                float sum = 0f;
                for (int i = 0; i < dim; i++) {
                    sum = Math.fma(g[s * dim + i], text[c * dim + i], sum);
                }
                logits[c] = sum;
            }
            if (argmax(logits) == labels[s]) {
                correct++;
            }
        }
        return correct;
    }

    /** The two-pass (or more) prompt search; returns chosen indices followed by the final count. */
    static int[] promptSearch(float[] g, int n, int dim, float[] initial, int classes, List<float[]> candidates,
                              int[] labels, int passes) {
        float[] text = initial.clone();
        int[] out = new int[classes + 1];
        java.util.Arrays.fill(out, -1);
        int best = correctFused(g, n, dim, text, classes, labels);
        for (int p = 0; p < passes; p++) {
            for (int c = 0; c < classes; c++) {
                float[] cand = candidates.get(c);
                for (int k = 0; k < cand.length / dim; k++) {
                    float[] trial = text.clone();
                    System.arraycopy(cand, k * dim, trial, c * dim, dim);
                    int correct = correctFused(g, n, dim, trial, classes, labels);
                    if (correct > best) {
                        best = correct;
                        text = trial;
                        out[c] = k;
                    }
                }
            }
        }
        out[classes] = best;
        return out;
    }
}
