package io.github.pointclip.adapter.search;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The searches' plain float GEMM and their thread chunking. {@link #multiply}, {@code C = A·B} with A
 * row-major [M, K] in one array, B given by its K rows (each of length ≥ N) and C by its M rows, sums every
 * element in float in ascending k from 0 like {@code s += a[k]·b[k]}, as {@code FeatureMath} does for the
 * zero-shot logits (the fused multiply-add form of the prompt search is
 * {@code FloatMatmul}). The inner loop runs over columns with the same
 * index in every array (the form HotSpot's C2 vectorises), four k at a time, in column blocks that keep
 * the panel of B in cache. Rows of C are split over the given executor's threads in chunks.
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

    /** A dot product in the fused multiply-add form of {@code FloatMatmul}. */
    static float dotFma(float[] a, int ao, float[] b, int bo, int k) {
        float s = 0f;
        for (int i = 0; i < k; i++) {
            s = Math.fma(a[ao + i], b[bo + i], s);
        }
        return s;
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
