package io.github.pointclip.adapter.search;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The view-weight grid search of DESIGN §5: every view's weight runs over {@code (i+1)·range/steps}
 * for i = 0…steps−1 (PointCLIP V1: steps 4, range 1 → 0.25, 0.5, 0.75, 1), view 0 outermost and the
 * last view fastest; the weighted view features are not renormalised. A grid point replaces the best
 * only when it classifies strictly more validation samples, so among ties the earliest is kept.
 *
 * <p>The per-view similarity matrices {@code ⟨f_v, t_c⟩} are computed once; the grid is walked like an
 * odometer keeping the prefix sums {@code Σ_{v<k} w_v·S_v}, so a trial that changes only the last view
 * costs one pass over [N, C]. Logits are summed in the same order as
 * {@link io.github.pointclip.FeatureMath#fuseLogits} and are bit-identical to it.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}.
 */
public final class ViewWeightSearch {

    private static final Logger LOG = LoggerFactory.getLogger(ViewWeightSearch.class);

    private final int steps;
    private final double range;
    private final SearchListener listener;

    private ViewWeightSearch(Builder b) {
        this.steps = b.steps;
        this.range = b.range;
        this.listener = b.listener;
    }

    /** @return a builder with the V1 defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder with this search's settings */
    public Builder toBuilder() {
        return new Builder().steps(steps).range(range).listener(listener);
    }

    /**
     * The candidate weight values, {@code (float) ((i+1)·range/steps)}.
     *
     * @return steps values, ascending
     */
    public float[] values() {
        float[] w = new float[steps];
        for (int i = 0; i < steps; i++) {
            w[i] = (float) ((i + 1) * range / steps);
        }
        return w;
    }

    /**
     * Runs the search.
     *
     * @param data validation features and labels
     * @param textFeatures class features [C, D] (normally L2-normalised), not modified
     * @return the best weights and their accuracy
     * @throws IllegalArgumentException if the sizes disagree or the grid has more than 2^62 points
     */
    public ViewWeightResult search(SearchData data, float[] textFeatures) {
        Objects.requireNonNull(data, "data");
        data.checkText(textFeatures, "text features");
        int n = data.samples();
        int views = data.views();
        int classes = data.classes();
        int dim = data.dim();
        if (views * Math.log(steps) > 62 * Math.log(2)) {
            throw new IllegalArgumentException(steps + "^" + views + " grid points are too many");
        }
        long total = 1;
        for (int v = 0; v < views; v++) {
            total *= steps;
        }
        if (total > 1_000_000) {
            LOG.warn("view-weight grid of {}^{} = {} points on {} samples will take long", steps, views, total, n);
        }
        // S_v as [V][N·C]: sims[v][n·C + c] = <f_{n,v}, t_c>, summed in ascending d like FeatureMath
        float[][] rows = new float[n * views][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = new float[classes];
        }
        float[][] textT = new float[dim][classes];
        for (int c = 0; c < classes; c++) {
            for (int d = 0; d < dim; d++) {
                textT[d][c] = textFeatures[c * dim + d];
            }
        }
        FloatGemm.multiply(data.featuresView(), n * views, dim, textT, classes, rows, null, 1);
        float[][] sims = new float[views][n * classes];
        for (int s = 0; s < n; s++) {
            for (int v = 0; v < views; v++) {
                System.arraycopy(rows[s * views + v], 0, sims[v], s * classes, classes);
            }
        }
        rows = null;
        float[] values = values();
        float scale = (float) (data.logitScale() / Math.sqrt(views));
        int[] labels = data.labelsView();
        // prefix[k] = Σ_{v<k} w_v·S_v for k = 1..V-1 (prefix[0] unused: the sum starts at 0)
        float[][] prefix = new float[views][];
        for (int k = 1; k < views; k++) {
            prefix[k] = new float[n * classes];
        }
        int[] digit = new int[views];
        int bestCorrect = -1;
        int[] bestDigits = new int[views];
        long done = 0;
        long reportEvery = Math.max(1, Math.min(4096, total / 100));
        int changedFrom = 0;
        while (true) {
            for (int k = Math.max(1, changedFrom + 1); k < views; k++) {
                float w = values[digit[k - 1]];
                float[] s = sims[k - 1];
                float[] p = prefix[k];
                if (k == 1) {
                    for (int i = 0; i < p.length; i++) {
                        p[i] = 0f + w * s[i];
                    }
                } else {
                    float[] q = prefix[k - 1];
                    for (int i = 0; i < p.length; i++) {
                        p[i] = q[i] + w * s[i];
                    }
                }
            }
            int correct = countCorrect(views == 1 ? null : prefix[views - 1], sims[views - 1],
                values[digit[views - 1]], scale, labels, n, classes);
            done++;
            if (correct > bestCorrect) {
                bestCorrect = correct;
                System.arraycopy(digit, 0, bestDigits, 0, views);
            }
            if (done % reportEvery == 0 || done == total) {
                listener.progress(done, total, bestCorrect, n);
            }
            // odometer: the last view fastest
            int p = views - 1;
            while (p >= 0 && ++digit[p] == steps) {
                digit[p] = 0;
                p--;
            }
            if (p < 0) {
                break;
            }
            changedFrom = p;
        }
        float[] best = new float[views];
        for (int v = 0; v < views; v++) {
            best[v] = values[bestDigits[v]];
        }
        ViewWeightResult result = new ViewWeightResult(best, bestCorrect, n, done);
        LOG.info("view-weight search: {}", result);
        return result;
    }

    private static int countCorrect(float[] prefix, float[] last, float w, float scale, int[] labels, int n,
                                    int classes) {
        int correct = 0;
        for (int s = 0; s < n; s++) {
            int base = s * classes;
            int arg = 0;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                float sum = prefix == null ? 0f + w * last[base + c] : prefix[base + c] + w * last[base + c];
                float logit = scale * sum;
                if (logit > max) {
                    max = logit;
                    arg = c;
                }
            }
            if (arg == labels[s]) {
                correct++;
            }
        }
        return correct;
    }

    /** Settings of a {@link ViewWeightSearch}; validated as they are set and in {@link #build()}. */
    public static final class Builder {
        private int steps = 4;
        private double range = 1.0;
        private SearchListener listener = SearchListener.NONE;

        private Builder() {
        }

        /**
         * @param value T, the number of weight values per view (default 4)
         * @return this builder
         */
        public Builder steps(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("steps must be at least 1, got " + value);
            }
            this.steps = value;
            return this;
        }

        /**
         * @param value R, the largest weight (default 1.0)
         * @return this builder
         */
        public Builder range(double value) {
            if (!(value > 0) || !Double.isFinite(value)) {
                throw new IllegalArgumentException("range must be positive and finite, got " + value);
            }
            this.range = value;
            return this;
        }

        /**
         * @param value progress listener (default: none)
         * @return this builder
         */
        public Builder listener(SearchListener value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        /** @return the search */
        public ViewWeightSearch build() {
            return new ViewWeightSearch(this);
        }
    }
}
