package io.github.pointclip.adapter.search;

import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The view-weight grid search of DESIGN §5: every view's weight runs over {@code (i+1)·range/steps}
 * for i = 0…steps−1 (PointCLIP V1: steps 4, range 1 → 0.25, 0.5, 0.75, 1), view 0 outermost and the
 * last view fastest; the weighted view features are not renormalised. A grid point replaces the best
 * only when it classifies strictly more validation samples, so among ties the earliest is kept. As in
 * the reference (PointCLIP's {@code search_weights.py}, whose best accuracy starts at 0), a trial must
 * classify at least one sample correctly to be selected: when every trial scores 0, the result
 * selects no weights ({@link ViewWeightResult#weights()} is empty).
 *
 * <p>The per-view similarity matrices {@code ⟨f_v, t_c⟩} are computed once; the grid is walked like an
 * odometer keeping the prefix sums {@code Σ_{v<k} w_v·S_v}, so a trial that changes only the last view
 * costs one pass over [N, C]. Logits are summed in the same order as
 * {@code FeatureMath.fuseLogits} and are bit-identical to it. The grid is cut into
 * contiguous chunks (leading weights fixed) walked by {@link Builder#threads(int) threads} workers; the
 * chunks' bests are combined in grid order, so the result does not depend on the thread count.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}.
 */
public final class ViewWeightSearch {

    private static final Logger LOG = LoggerFactory.getLogger(ViewWeightSearch.class);

    private final int steps;
    private final double range;
    private final SearchListener listener;
    private final int threads;

    private ViewWeightSearch(Builder b) {
        this.steps = b.steps;
        this.range = b.range;
        this.listener = b.listener;
        this.threads = b.threads;
    }

    /** @return a builder with the V1 defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder with this search's settings */
    public Builder toBuilder() {
        return new Builder().steps(steps).range(range).listener(listener).threads(threads);
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
        // S_v as [V][N·C]: sims[v][n·C + c] = <f_{n,v}, t_c>, summed in ascending d like FeatureMath;
        // computed as [C, D]·[D, N·V] so that the GEMM's inner loop is long
        int rowsNV = n * views;
        float[] features = data.featuresView();
        float[][] featuresT = new float[dim][rowsNV];
        for (int r = 0; r < rowsNV; r++) {
            for (int d = 0; d < dim; d++) {
                featuresT[d][r] = features[r * dim + d];
            }
        }
        float[][] byClass = new float[classes][rowsNV];
        FloatGemm.multiply(textFeatures, classes, dim, featuresT, rowsNV, byClass, null, 1);
        featuresT = null;
        float[][] sims = new float[views][n * classes];
        for (int c = 0; c < classes; c++) {
            float[] row = byClass[c];
            for (int s = 0; s < n; s++) {
                for (int v = 0; v < views; v++) {
                    sims[v][s * classes + c] = row[s * views + v];
                }
            }
        }
        byClass = null;
        float[] values = values();
        float scale = (float) (data.logitScale() / Math.sqrt(views));
        int[] labels = data.labelsView();
        // chunks: the first `lead` digits fixed, so chunks are contiguous runs of the grid order
        int lead = 0;
        long chunks = 1;
        while (lead < views - 1 && chunks < 4L * threads) {
            chunks *= steps;
            lead++;
        }
        long perChunk = total / chunks;
        long[] chunkCorrect = new long[(int) chunks];
        long[] chunkBest = new long[(int) chunks];
        Progress progress = new Progress(total, n, listener);
        int workers = (int) Math.min(threads, chunks);
        ExecutorService executor = workers > 1 ? Executors.newFixedThreadPool(workers - 1, r -> {
            Thread t = new Thread(r, "pointclip-view-search");
            t.setDaemon(true);
            return t;
        }) : null;
        final int leadDigits = lead;
        try {
            FloatGemm.parallel((int) chunks, 1, executor, workers, (from, to) -> {
                Walker walker = new Walker(sims, values, scale, labels, n, classes, views);
                for (int ch = from; ch < to; ch++) {
                    long[] best = walker.run(ch, leadDigits, steps, perChunk, progress);
                    chunkCorrect[ch] = best[0];
                    chunkBest[ch] = best[1];
                }
            });
        } finally {
            if (executor != null) {
                executor.shutdownNow();
            }
        }
        long bestCorrect = 0;
        long bestIndex = -1;
        for (int ch = 0; ch < chunks; ch++) {
            if (chunkCorrect[ch] > bestCorrect) {
                bestCorrect = chunkCorrect[ch];
                bestIndex = chunkBest[ch];
            }
        }
        float[] best = null;
        if (bestIndex >= 0) {
            best = new float[views];
            long rest = bestIndex;
            for (int v = views - 1; v >= 0; v--) {
                best[v] = values[(int) (rest % steps)];
                rest /= steps;
            }
        }
        ViewWeightResult result = new ViewWeightResult(best, (int) bestCorrect, n, total);
        LOG.info("view-weight search: {}", result);
        return result;
    }

    /** Reports progress from any worker; calls never overlap and {@code done} only grows. */
    private static final class Progress {
        private final long total;
        private final int samples;
        private final SearchListener listener;
        private final long every;
        private long done;
        private int best = -1;

        Progress(long total, int samples, SearchListener listener) {
            this.total = total;
            this.samples = samples;
            this.listener = listener;
            this.every = Math.max(1, Math.min(4096, total / 100));
        }

        synchronized void add(long trials, int correct) {
            long before = done;
            done += trials;
            best = Math.max(best, correct);
            if (done / every != before / every || done == total) {
                listener.progress(done, total, best, samples);
            }
        }
    }

    /** Walks one chunk of the grid as an odometer, keeping prefix sums; one per worker thread. */
    private static final class Walker {
        private final float[][] sims;
        private final float[] values;
        private final float scale;
        private final int[] labels;
        private final int n;
        private final int classes;
        private final int views;
        private final float[][] prefix;
        private final float[] logits;
        private final int[] digit;

        Walker(float[][] sims, float[] values, float scale, int[] labels, int n, int classes, int views) {
            this.sims = sims;
            this.values = values;
            this.scale = scale;
            this.labels = labels;
            this.n = n;
            this.classes = classes;
            this.views = views;
            this.prefix = new float[views][];
            for (int k = 1; k < views; k++) {
                prefix[k] = new float[n * classes];
            }
            this.logits = new float[n * classes];
            this.digit = new int[views];
        }

        /** @return {best correct, grid index of the first trial reaching it}; {0, -1} when none beats 0 */
        long[] run(long chunk, int lead, int steps, long trials, Progress progress) {
            java.util.Arrays.fill(digit, 0);
            long rest = chunk;
            for (int v = lead - 1; v >= 0; v--) {
                digit[v] = (int) (rest % steps);
                rest /= steps;
            }
            long index = chunk * trials;
            int bestCorrect = 0;
            long bestIndex = -1;
            int changedFrom = 0;
            int pending = 0;
            for (long t = 0; t < trials; t++, index++) {
                // prefix[k] = Σ_{v<k} w_v·S_v, summed from 0 in view order like FeatureMath.fuseLogits
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
                float w = values[digit[views - 1]];
                float[] s = sims[views - 1];
                if (views == 1) {
                    for (int i = 0; i < logits.length; i++) {
                        logits[i] = scale * (0f + w * s[i]);
                    }
                } else {
                    float[] p = prefix[views - 1];
                    for (int i = 0; i < logits.length; i++) {
                        logits[i] = scale * (p[i] + w * s[i]);
                    }
                }
                int correct = countCorrect(logits, labels, n, classes);
                if (correct > bestCorrect) {
                    bestCorrect = correct;
                    bestIndex = index;
                }
                if (++pending == 256) {
                    progress.add(pending, bestCorrect);
                    pending = 0;
                }
                int p = views - 1;
                while (p >= lead && ++digit[p] == steps) {
                    digit[p] = 0;
                    p--;
                }
                changedFrom = Math.max(p, 0);
            }
            progress.add(pending, bestCorrect);
            return new long[] {bestCorrect, bestIndex};
        }
    }

    private static int countCorrect(float[] logits, int[] labels, int n, int classes) {
        int correct = 0;
        for (int s = 0; s < n; s++) {
            int base = s * classes;
            int y = labels[s];
            float ly = logits[base + y];
            // y is the first maximum: no class before it reaches it, none after it exceeds it
            int beaten = 0;
            for (int c = base; c < base + y; c++) {
                beaten |= logits[c] >= ly ? 1 : 0;
            }
            for (int c = base + y + 1; c < base + classes; c++) {
                beaten |= logits[c] > ly ? 1 : 0;
            }
            correct += 1 - beaten;
        }
        return correct;
    }

    /** Settings of a {@link ViewWeightSearch}; validated as they are set and in {@link #build()}. */
    public static final class Builder {
        private int steps = 4;
        private double range = 1.0;
        private SearchListener listener = SearchListener.NONE;
        private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

        private Builder() {
        }

        /**
         * @param value threads walking the grid (default: available processors); results do not depend on it
         * @return this builder
         */
        public Builder threads(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + value);
            }
            this.threads = value;
            return this;
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
