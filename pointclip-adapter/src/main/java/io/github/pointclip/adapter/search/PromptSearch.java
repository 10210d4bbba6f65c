package io.github.pointclip.adapter.search;

import io.github.pointclip.adapter.linalg.FloatCounts;
import io.github.pointclip.adapter.linalg.FloatMatmul;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prompt search of PointCLIP V2 (DESIGN §5) on cached features: starting from the accuracy of the
 * initial class features, {@link Builder#passes(int) passes} (default two) over the classes in order,
 * each class's candidates in library order; a candidate replaces that class's text feature only when
 * it classifies strictly more validation samples, and then stays for all later trials.
 *
 * <p>How it avoids the logit matrix per trial: with the view weights fixed, the logit of class c is
 * {@code ⟨g_n, t_c⟩} with the fused feature {@code g_n = logitScale/√V·Σ_v w_v f_{n,v}}. While class c's
 * candidates are tried the other columns are fixed, so whether sample n is right depends only on its
 * candidate logit s being above a threshold (n of class c) or below one (n of another class that is
 * right without c); samples wrong without c stay wrong. The thresholds encode the argmax tie rule
 * (the lower class index wins). Each class's candidate logits are computed with a blocked float GEMM
 * ([samples that matter, D] × [D, K_c], {@code FloatMatmul}), and every
 * trial is then an O(N) count; a class's candidates are
 * independent of each other, so their counts are taken first and the strict-improvement rule applied
 * in library order after. Candidate logits computed before the last pass are kept, within
 * {@link Builder#cacheBytes(long) cacheBytes}, so a later pass computes only the samples that did not
 * matter before. Logits ⟨g_n, t_c⟩ are summed in ascending feature index in float with fused multiply-adds
 * ({@code s = Math.fma(g, t, s)}), so results equal a brute-force recomputation in that form exactly,
 * ties included; they may differ from the per-view logits of {@code PointClip.logits} in the last bits.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}. Each call uses its own short-lived
 * threads.
 */
public final class PromptSearch {

    private static final Logger LOG = LoggerFactory.getLogger(PromptSearch.class);
    /**
     * Most rows of candidate logits per task of the product: large, because each task streams all of the
     * class's candidate features (2 MB for 1000 candidates) through its core's cache.
     */
    private static final int ROW_CHUNK = 256;

    private final int passes;
    private final int threads;
    private final long cacheBytes;
    private final SearchListener listener;

    private PromptSearch(Builder b) {
        this.passes = b.passes;
        this.threads = b.threads;
        this.cacheBytes = b.cacheBytes;
        this.listener = b.listener;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder with this search's settings */
    public Builder toBuilder() {
        return new Builder().passes(passes).threads(threads).cacheBytes(cacheBytes).listener(listener);
    }

    /**
     * Runs the search.
     *
     * @param data validation features and labels
     * @param viewWeights the V view weights to score with (not modified)
     * @param initialText the initial class features [C, D] (not modified)
     * @param candidates for each class c, its candidates' features [K_c, D] row-major (K_c may be 0);
     *     not modified
     * @return the chosen candidates, the resulting features and the accuracies
     * @throws IllegalArgumentException if sizes disagree
     */
    public PromptSearchResult search(SearchData data, float[] viewWeights, float[] initialText,
                                     List<float[]> candidates) {
        Objects.requireNonNull(data, "data");
        data.checkText(initialText, "initial text features");
        Objects.requireNonNull(candidates, "candidates");
        int n = data.samples();
        int classes = data.classes();
        int dim = data.dim();
        if (candidates.size() != classes) {
            throw new IllegalArgumentException(classes + " classes but candidates for " + candidates.size());
        }
        long total = 0;
        int maxK = 0;
        for (int c = 0; c < classes; c++) {
            float[] cand = Objects.requireNonNull(candidates.get(c), "candidates of class " + c);
            if (cand.length % dim != 0) {
                throw new IllegalArgumentException("candidates of class " + c + " hold " + cand.length
                    + " floats, not a multiple of D = " + dim);
            }
            total += (long) passes * (cand.length / dim);
            maxK = Math.max(maxK, cand.length / dim);
        }
        if ((long) n * maxK > Integer.MAX_VALUE - 8) {
            // one class's candidate logits are kept in one array
            throw new IllegalArgumentException(n + " samples × " + maxK + " candidates of one class do not fit one "
                + "array; split that class's candidates into several searches");
        }
        float[] g = data.fused(viewWeights);
        float[] text = initialText.clone();
        int[] labels = data.labelsView();
        ExecutorService executor = threads > 1 ? Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "pointclip-prompt-search");
            t.setDaemon(true);
            return t;
        }) : null;
        try {
            // current logits [N][C]
            float[] flatLogits = new float[n * classes];
            FloatMatmul.multiply(g, false, text, true, flatLogits, n, dim, classes, false, null);
            float[][] logits = new float[n][classes];
            for (int s = 0; s < n; s++) {
                System.arraycopy(flatLogits, s * classes, logits[s], 0, classes);
            }
            int best = countCorrect(logits, labels, classes);
            int initialCorrect = best;
            LOG.info("prompt search: {} classes, {} trials on {} samples, initial {}/{}", classes, total, n, best, n);

            int[] chosen = new int[classes];
            java.util.Arrays.fill(chosen, -1);
            // class c's candidate logits of sample s, [K_c], computed once when the budget allows: row
            // cachedRow[c][s] of the block cachedBlock[c][s] (one large array per fill, which the GC does not copy)
            float[][][] cachedBlock = new float[classes][][];
            int[][] cachedRow = new int[classes][];
            long cacheLeft = cacheBytes;
            float[] gathered = new float[n * dim];
            float[] scores = new float[n * maxK];
            float[][] rowBlock = new float[n][];
            int[] rowStart = new int[n];
            int[] missing = new int[n];
            float[] candT = new float[dim * maxK];
            float[] lo = new float[n];
            float[] hi = new float[n];
            int[] rel = new int[n];
            int[] counts = new int[maxK];
            long done = 0;
            int accepted = 0;
            for (int pass = 0; pass < passes; pass++) {
                for (int c = 0; c < classes; c++) {
                    float[] cand = candidates.get(c);
                    int k = cand.length / dim;
                    if (k == 0) {
                        continue;
                    }
                    int relevant = thresholds(logits, labels, c, classes, lo, hi, rel);
                    float[][] blocks = cachedBlock[c];
                    int need = 0;
                    for (int i = 0; i < relevant; i++) {
                        float[] block = blocks == null ? null : blocks[rel[i]];
                        rowBlock[i] = block;
                        if (block != null) {
                            rowStart[i] = cachedRow[c][rel[i]] * k;
                        } else {
                            missing[need++] = i;
                        }
                    }
                    if (need > 0) {
                        long bytes = (long) need * k * Float.BYTES;
                        boolean keep = pass < passes - 1 && bytes <= cacheLeft;
                        float[] dest = keep ? new float[need * k] : scores;
                        if (keep) {
                            cacheLeft -= bytes;
                            if (blocks == null) {
                                blocks = new float[n][];
                                cachedBlock[c] = blocks;
                                cachedRow[c] = new int[n];
                            }
                        }
                        FloatMatmul.transpose(cand, candT, k, dim);
                        for (int m = 0; m < need; m++) {
                            int i = missing[m];
                            System.arraycopy(g, rel[i] * dim, gathered, m * dim, dim);
                            rowBlock[i] = dest;
                            rowStart[i] = m * k;
                            if (keep) {
                                blocks[rel[i]] = dest;
                                cachedRow[c][rel[i]] = m;
                            }
                        }
                        int kk = k;
                        int chunk = Math.max(8, Math.min(ROW_CHUNK, need / (2 * threads) / 8 * 8));
                        FloatGemm.parallel(need, chunk, executor, threads, (from, to) ->
                                FloatMatmul.multiplyRows(gathered, candT, kk, dest, kk, from, to, dim, kk, false));
                    }
                    final int r = relevant;
                    // one long column range per thread: each row's range is a few SIMD compares after one setup
                    int columns = Math.max(64, (k + threads - 1) / threads + 15) / 16 * 16;
                    FloatGemm.parallel(k, columns, executor, threads, (from, to) -> {
                        java.util.Arrays.fill(counts, from, to, 0);
                        for (int i = 0; i < r; i++) {
                            float[] row = rowBlock[i];
                            int o = rowStart[i];
                            if (hi[i] == Float.POSITIVE_INFINITY) { // a sample of class c: right above lo
                                FloatCounts.addAbove(row, o, lo[i], counts, from, to);
                            } else { // lo is -inf: right below hi
                                FloatCounts.addBelow(row, o, hi[i], counts, from, to);
                            }
                        }
                    });
                    int choice = -1;
                    for (int j = 0; j < k; j++) {
                        if (counts[j] > best) {
                            best = counts[j];
                            choice = j;
                            accepted++;
                        }
                    }
                    done += k;
                    if (choice >= 0) {
                        chosen[c] = choice;
                        System.arraycopy(cand, choice * dim, text, c * dim, dim);
                        for (int s = 0; s < n; s++) {
                            float[] block = blocks == null ? null : blocks[s];
                            logits[s][c] = block != null ? block[cachedRow[c][s] * k + choice]
                                    : FloatGemm.dotFma(g, s * dim, cand, choice * dim, dim);
                        }
                        LOG.debug("pass {}, class {}: candidate {} → {}/{}", pass + 1, c, choice, best, n);
                    }
                    listener.progress(done, total, best, n);
                }
            }
            PromptSearchResult result = new PromptSearchResult(chosen, text, initialCorrect, best, n, done, accepted);
            LOG.info("prompt search ({} kernels): {}", FloatMatmul.vectorised() ? "SIMD" : "portable", result);
            return result;
        } finally {
            if (executor != null) {
                executor.shutdownNow();
            }
        }
    }

    /**
     * For class c's trials: fills, for each sample whose outcome depends on c's logit s, the bounds with
     * "right iff lo &lt; s &lt; hi", and returns how many there are; the others are wrong whatever s is.
     */
    private static int thresholds(float[][] logits, int[] labels, int c, int classes, float[] lo, float[] hi,
                                  int[] rel) {
        int relevant = 0;
        for (int s = 0; s < logits.length; s++) {
            float[] row = logits[s];
            int y = labels[s];
            if (y == c) {
                float before = Float.NEGATIVE_INFINITY;
                for (int o = 0; o < c; o++) {
                    before = Math.max(before, row[o]);
                }
                float after = Float.NEGATIVE_INFINITY;
                for (int o = c + 1; o < classes; o++) {
                    after = Math.max(after, row[o]);
                }
                // right iff s > before && s >= after
                lo[relevant] = Math.max(before, Math.nextDown(after));
                hi[relevant] = Float.POSITIVE_INFINITY;
                rel[relevant++] = s;
            } else if (rightWithout(row, y, c, classes)) {
                // right iff c does not take the top: s < l_y when c < y (c wins ties), s <= l_y else
                lo[relevant] = Float.NEGATIVE_INFINITY;
                hi[relevant] = c < y ? row[y] : Math.nextUp(row[y]);
                rel[relevant++] = s;
            }
        }
        return relevant;
    }

    /** Whether y is the top class (lower index wins ties) among all classes but c. */
    private static boolean rightWithout(float[] row, int y, int c, int classes) {
        float ly = row[y];
        for (int o = 0; o < classes; o++) {
            if (o == c || o == y) {
                continue;
            }
            if (o < y ? row[o] >= ly : row[o] > ly) {
                return false;
            }
        }
        return true;
    }

    private static int countCorrect(float[][] logits, int[] labels, int classes) {
        int correct = 0;
        for (int s = 0; s < logits.length; s++) {
            float[] row = logits[s];
            int arg = 0;
            for (int c = 1; c < classes; c++) {
                if (row[c] > row[arg]) {
                    arg = c;
                }
            }
            if (arg == labels[s]) {
                correct++;
            }
        }
        return correct;
    }

    /** Settings of a {@link PromptSearch}; each is validated when set. */
    public static final class Builder {
        private int passes = 2;
        private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private long cacheBytes = 512L << 20;
        private SearchListener listener = SearchListener.NONE;

        private Builder() {
        }

        /**
         * @param value passes over the classes (default 2, as PointCLIP V2)
         * @return this builder
         */
        public Builder passes(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("passes must be at least 1, got " + value);
            }
            this.passes = value;
            return this;
        }

        /**
         * @param value threads for the GEMM and the counts (default: available processors)
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
         * @param value memory for candidate logits kept from the first pass (default 512 MiB; 0 disables)
         * @return this builder
         */
        public Builder cacheBytes(long value) {
            if (value < 0) {
                throw new IllegalArgumentException("cacheBytes must be ≥ 0, got " + value);
            }
            this.cacheBytes = value;
            return this;
        }

        /**
         * @param value progress listener, called after each class of each pass (default: none)
         * @return this builder
         */
        public Builder listener(SearchListener value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        /** @return the search */
        public PromptSearch build() {
            return new PromptSearch(this);
        }
    }
}
