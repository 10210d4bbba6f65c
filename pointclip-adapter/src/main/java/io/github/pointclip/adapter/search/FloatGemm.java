package io.github.pointclip.adapter.search;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small blocked float GEMM, {@code C = A·B}, for the searches: A is row-major [M, K] in one array,
 * B is given by its K rows (each of length ≥ N) and C by its M rows. Every element of C is summed in
 * float in ascending k from 0, in one of two ways that a straightforward loop reproduces bit for bit:
 * {@link #multiply} like {@code s += a[k]·b[k]} (as {@code FeatureMath} does), {@link #multiplyFma}
 * like {@code s = Math.fma(a[k], b[k], s)}. The inner loop runs over columns with the same index in
 * every array (the form HotSpot's C2 vectorises), four k at a time, in column blocks that keep the
 * panel of B in cache; the FMA kernel also takes two rows of C per pass over B, which halves the
 * traffic from B and is about 1.5× faster (C2 does not vectorise that form without FMA). Rows of C are
 * split over the given executor's threads in chunks.
 */
final class FloatGemm {

    /** Columns per block: 512 floats × K rows of B stay in L2, one C row block in L1. */
    private static final int COLUMN_BLOCK = 512;
    /** Rows of C per task. */
    private static final int ROW_CHUNK = 32;

    private FloatGemm() {
    }

    /**
     * Computes {@code C[i][j] = Σ_k A[i·K + k]·B[k][j]} for i &lt; m, j &lt; n (C overwritten).
     *
     * @param a A, row-major [m, k]
     * @param m rows of A and C
     * @param k columns of A, rows of B
     * @param b rows of B, each of length ≥ n
     * @param n columns of B and C
     * @param c rows of C, each of length ≥ n (modified)
     * @param executor threads to use, or null for the calling thread only
     * @param threads number of tasks to submit to {@code executor}
     */
    static void multiply(float[] a, int m, int k, float[][] b, int n, float[][] c, ExecutorService executor,
                         int threads) {
        parallel(m, ROW_CHUNK, executor, threads, (from, to) -> rows(a, from, to, k, b, n, c));
    }

    /** A body run over a range [from, to). */
    @FunctionalInterface
    interface RangeTask {
        void run(int from, int to);
    }

    /**
     * Runs {@code task} over [0, count) in chunks, on the calling thread and {@code threads − 1} tasks of
     * {@code executor}; returns when all chunks are done.
     */
    static void parallel(int count, int chunk, ExecutorService executor, int threads, RangeTask task) {
        if (executor == null || threads <= 1 || count <= chunk) {
            task.run(0, count);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            int start;
            while ((start = next.getAndAdd(chunk)) < count) {
                task.run(start, Math.min(count, start + chunk));
            }
        };
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 1; t < threads; t++) {
            futures.add(executor.submit(worker));
        }
        worker.run();
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("search task failed", e.getCause());
            }
        }
    }

    /**
     * As {@link #multiply} but each element summed as {@code s = Math.fma(a[k], b[k], s)}.
     *
     * @param a A, row-major [m, k]
     * @param m rows of A and C
     * @param k columns of A, rows of B
     * @param b rows of B, each of length ≥ n
     * @param n columns of B and C
     * @param c rows of C, each of length ≥ n (modified)
     * @param executor threads to use, or null for the calling thread only
     * @param threads number of tasks to submit to {@code executor}
     */
    static void multiplyFma(float[] a, int m, int k, float[][] b, int n, float[][] c, ExecutorService executor,
                            int threads) {
        parallel(m, ROW_CHUNK, executor, threads, (from, to) -> fmaRows(a, from, to, k, b, n, c));
    }

    /** The FMA form of a dot product, as {@link #multiplyFma} sums it. */
    static float dotFma(float[] a, int ao, float[] b, int bo, int k) {
        float s = 0f;
        for (int i = 0; i < k; i++) {
            s = Math.fma(a[ao + i], b[bo + i], s);
        }
        return s;
    }

    /** Rows [m0, m1) of C, FMA form: two rows and four k per pass over a column block. */
    static void fmaRows(float[] a, int m0, int m1, int k, float[][] b, int n, float[][] c) {
        for (int i = m0; i < m1; i++) {
            java.util.Arrays.fill(c[i], 0, n, 0f);
        }
        for (int j0 = 0; j0 < n; j0 += COLUMN_BLOCK) {
            int j1 = Math.min(n, j0 + COLUMN_BLOCK);
            int i = m0;
            for (; i + 2 <= m1; i += 2) {
                fmaTwoRows(a, i * k, (i + 1) * k, k, b, c[i], c[i + 1], j0, j1);
            }
            if (i < m1) {
                fmaOneRow(a, i * k, k, b, c[i], j0, j1);
            }
        }
    }

    /** Adds rows p and q of A times B into c0 and c1, columns [j0, j1). */
    private static void fmaTwoRows(float[] a, int p, int q, int k, float[][] b, float[] c0, float[] c1, int j0,
                                   int j1) {
        int kk = 0;
        for (; kk + 4 <= k; kk += 4) {
            float a0 = a[p + kk];
            float a1 = a[p + kk + 1];
            float a2 = a[p + kk + 2];
            float a3 = a[p + kk + 3];
            float e0 = a[q + kk];
            float e1 = a[q + kk + 1];
            float e2 = a[q + kk + 2];
            float e3 = a[q + kk + 3];
            float[] b0 = b[kk];
            float[] b1 = b[kk + 1];
            float[] b2 = b[kk + 2];
            float[] b3 = b[kk + 3];
            for (int j = j0; j < j1; j++) {
                float x0 = b0[j];
                float x1 = b1[j];
                float x2 = b2[j];
                float x3 = b3[j];
                c0[j] = Math.fma(a3, x3, Math.fma(a2, x2, Math.fma(a1, x1, Math.fma(a0, x0, c0[j]))));
                c1[j] = Math.fma(e3, x3, Math.fma(e2, x2, Math.fma(e1, x1, Math.fma(e0, x0, c1[j]))));
            }
        }
        for (; kk < k; kk++) {
            float a0 = a[p + kk];
            float e0 = a[q + kk];
            float[] b0 = b[kk];
            for (int j = j0; j < j1; j++) {
                c0[j] = Math.fma(a0, b0[j], c0[j]);
                c1[j] = Math.fma(e0, b0[j], c1[j]);
            }
        }
    }

    /** Adds row p of A times B into c0, columns [j0, j1). */
    private static void fmaOneRow(float[] a, int p, int k, float[][] b, float[] c0, int j0, int j1) {
        for (int kk = 0; kk < k; kk++) {
            float a0 = a[p + kk];
            float[] b0 = b[kk];
            for (int j = j0; j < j1; j++) {
                c0[j] = Math.fma(a0, b0[j], c0[j]);
            }
        }
    }

    /** Rows [m0, m1) of C, plain form. */
    static void rows(float[] a, int m0, int m1, int k, float[][] b, int n, float[][] c) {
        for (int i = m0; i < m1; i++) {
            java.util.Arrays.fill(c[i], 0, n, 0f);
        }
        for (int j0 = 0; j0 < n; j0 += COLUMN_BLOCK) {
            int j1 = Math.min(n, j0 + COLUMN_BLOCK);
            for (int i = m0; i < m1; i++) {
                plainRow(a, i * k, k, b, c[i], j0, j1);
            }
        }
    }

    /** Adds row p of A times B into ci, columns [j0, j1), as {@code s += a·b}. */
    private static void plainRow(float[] a, int p, int k, float[][] b, float[] ci, int j0, int j1) {
        int kk = 0;
        for (; kk + 4 <= k; kk += 4) {
            float a0 = a[p + kk];
            float a1 = a[p + kk + 1];
            float a2 = a[p + kk + 2];
            float a3 = a[p + kk + 3];
            float[] b0 = b[kk];
            float[] b1 = b[kk + 1];
            float[] b2 = b[kk + 2];
            float[] b3 = b[kk + 3];
            for (int j = j0; j < j1; j++) {
                ci[j] = (((ci[j] + a0 * b0[j]) + a1 * b1[j]) + a2 * b2[j]) + a3 * b3[j];
            }
        }
        for (; kk < k; kk++) {
            float a0 = a[p + kk];
            float[] b0 = b[kk];
            for (int j = j0; j < j1; j++) {
                ci[j] += a0 * b0[j];
            }
        }
    }
}
