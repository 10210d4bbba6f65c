package io.github.pointclip.internal;

/**
 * The similarity arithmetic of PointCLIP, in one place: L2 normalisation and the view-weighted
 * logits {@code logitScale/√V · Σ_v w_v·⟨f_v, t_c⟩} (DESIGN §1). The 1/√V is kept because the
 * references compare the concatenated normalised view features with the text feature repeated
 * V times and normalised over all V·D values; it changes the probabilities.
 */
public final class FeatureMath {

    private FeatureMath() {
    }

    /**
     * Normalises each of {@code rows} consecutive rows of length {@code dim} to unit L2 norm,
     * in place (rows of norm 0 stay 0).
     *
     * @param data the rows (modified)
     * @param offset index of the first row
     * @param rows number of rows
     * @param dim row length
     */
    public static void normaliseRows(float[] data, int offset, int rows, int dim) {
        for (int r = 0; r < rows; r++) {
            int base = offset + r * dim;
            double sum = 0;
            for (int i = 0; i < dim; i++) {
                sum += (double) data[base + i] * data[base + i];
            }
            if (!Double.isFinite(sum)) {
                throw new IllegalStateException("non-finite feature in row " + r + " (encoder produced NaN or Inf)");
            }
            if (sum > 0) {
                float inv = (float) (1.0 / Math.sqrt(sum));
                for (int i = 0; i < dim; i++) {
                    data[base + i] *= inv;
                }
            }
        }
    }

    /**
     * Per-view cosine similarities of one cloud with every class: {@code out[v·C + c] = ⟨f_v, t_c⟩}.
     *
     * @param views normalised view features [V, D] starting at {@code viewOffset}
     * @param viewOffset index of the first view feature
     * @param viewCount V
     * @param text normalised class features [C, D]
     * @param classes C
     * @param dim D
     * @param out destination [V, C] (modified), or null
     * @return the similarities
     */
    public static float[] viewSimilarities(float[] views, int viewOffset, int viewCount, float[] text, int classes,
                                           int dim, float[] out) {
        if (out == null || out.length < viewCount * classes) {
            out = new float[viewCount * classes];
        }
        for (int v = 0; v < viewCount; v++) {
            int f = viewOffset + v * dim;
            for (int c = 0; c < classes; c++) {
                int t = c * dim;
                float s = 0f;
                for (int i = 0; i < dim; i++) {
                    s += views[f + i] * text[t + i];
                }
                out[v * classes + c] = s;
            }
        }
        return out;
    }

    /**
     * Fuses per-view similarities into logits: {@code logitScale/√V · Σ_v w_v·sim[v][c]}.
     *
     * @param similarities [V, C] from {@link #viewSimilarities}
     * @param viewCount V
     * @param classes C
     * @param weights V view weights
     * @param logitScale e.g. 100
     * @return logits [C]
     */
    public static float[] fuseLogits(float[] similarities, int viewCount, int classes, float[] weights, float logitScale) {
        if (weights.length != viewCount) {
            throw new IllegalArgumentException(viewCount + " views but " + weights.length + " view weights");
        }
        float scale = (float) (logitScale / Math.sqrt(viewCount));
        float[] logits = new float[classes];
        for (int c = 0; c < classes; c++) {
            float s = 0f;
            for (int v = 0; v < viewCount; v++) {
                s += weights[v] * similarities[v * classes + c];
            }
            logits[c] = scale * s;
        }
        return logits;
    }
}
