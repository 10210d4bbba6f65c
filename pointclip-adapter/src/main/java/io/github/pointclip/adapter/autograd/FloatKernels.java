package io.github.pointclip.adapter.autograd;

import java.util.Arrays;

/**
 * Float matrix products for the large layers. EJML's row-major kernels run at about 2.7 GMAC/s on our
 * machine because HotSpot (JDK 17 to 25) will not vectorise an inner loop over two arrays read at different
 * offsets, since they might alias. These kernels copy the rows they stream into zero-offset scratch arrays
 * (an O(size) copy against O(size · batch) multiply-adds), so the inner loop {@code c[j] += a0*b0[j] + ...}
 * is vectorised; they reach 10 to 13 GMAC/s on the same machine.
 */
final class FloatKernels {
    /** Below this many multiply-adds, the EJML kernels are used. */
    static final long THRESHOLD_MACS = 1L << 18;
    private static final int BLOCK = 512;

    private FloatKernels() {
    }

    /** c[m×n] (+)= a[m×k] · b[k×n]; split by output columns when a {@link ComputeThreads} is active. */
    static void mult(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate, Workspace ws) {
        ComputeThreads threads = ComputeThreads.active();
        if (threads != null && (long) m * k * n >= ComputeThreads.PARALLEL_MACS && n >= 16) {
            int half = (n / 2 + 7) / 8 * 8;
            Workspace other = ws.helper();
            threads.split(() -> mult(a, b, c, m, k, n, 0, half, accumulate, ws),
                    () -> mult(a, b, c, m, k, n, half, n, accumulate, other));
        } else {
            mult(a, b, c, m, k, n, 0, n, accumulate, ws);
        }
    }

    /** Columns [col0, col1) of c[m×n] (+)= a[m×k] · b[k×n]. */
    private static void mult(float[] a, float[] b, float[] c, int m, int k, int n, int col0, int col1,
            boolean accumulate, Workspace ws) {
        float[][] quad = ws.quad(Math.min(BLOCK, col1 - col0));
        float[][] acc = ws.rows(m, Math.min(BLOCK, col1 - col0));
        for (int n0 = col0; n0 < col1; n0 += BLOCK) {
            int w = Math.min(BLOCK, col1 - n0);
            for (int i = 0; i < m; i++) {
                if (accumulate) {
                    System.arraycopy(c, i * n + n0, acc[i], 0, w);
                } else {
                    Arrays.fill(acc[i], 0, w, 0f);
                }
            }
            int p = 0;
            for (; p + 3 < k; p += 4) {
                for (int q = 0; q < 4; q++) {
                    System.arraycopy(b, (p + q) * n + n0, quad[q], 0, w);
                }
                for (int i = 0; i < m; i++) {
                    int ao = i * k + p;
                    axpy4(acc[i], quad[0], quad[1], quad[2], quad[3], a[ao], a[ao + 1], a[ao + 2], a[ao + 3], w);
                }
            }
            for (; p < k; p++) {
                System.arraycopy(b, p * n + n0, quad[0], 0, w);
                for (int i = 0; i < m; i++) {
                    axpy(acc[i], quad[0], a[i * k + p], w);
                }
            }
            for (int i = 0; i < m; i++) {
                System.arraycopy(acc[i], 0, c, i * n + n0, w);
            }
        }
    }

    /**
     * c[m×n] (+)= a[m×k] · b[n×k]ᵀ without transposing b as a whole: for each block of output columns, b's
     * rows are gathered sixteen columns at a time into a small zero-offset panel (each cache line of b read
     * once, the panel stays in L1), which then feeds the same four-row update as {@link #mult}. Split by output
     * columns when a {@link ComputeThreads} is active. Each element sums in the same order as {@link #mult} on
     * the transposed b.
     */
    static void multTransB(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate, Workspace ws) {
        ComputeThreads threads = ComputeThreads.active();
        if (threads != null && (long) m * k * n >= ComputeThreads.PARALLEL_MACS && n >= 16) {
            int half = (n / 2 + 7) / 8 * 8;
            Workspace other = ws.helper();
            threads.split(() -> multTransB(a, b, c, m, k, n, 0, half, accumulate, ws),
                    () -> multTransB(a, b, c, m, k, n, half, n, accumulate, other));
        } else {
            multTransB(a, b, c, m, k, n, 0, n, accumulate, ws);
        }
    }

    private static final int PANEL = 64;

    private static void multTransB(float[] a, float[] b, float[] c, int m, int k, int n, int col0, int col1,
            boolean accumulate, Workspace ws) {
        int width = Math.min(BLOCK, col1 - col0);
        float[][] panel = ws.panel(PANEL, width);
        float[][] acc = ws.rows(m, width);
        for (int n0 = col0; n0 < col1; n0 += BLOCK) {
            int w = Math.min(BLOCK, col1 - n0);
            for (int i = 0; i < m; i++) {
                if (accumulate) {
                    System.arraycopy(c, i * n + n0, acc[i], 0, w);
                } else {
                    Arrays.fill(acc[i], 0, w, 0f);
                }
            }
            for (int p0 = 0; p0 < k; p0 += PANEL) {
                int pw = Math.min(PANEL, k - p0);
                for (int j = 0; j < w; j++) {
                    int base = (n0 + j) * k + p0;
                    for (int q = 0; q < pw; q++) {
                        panel[q][j] = b[base + q];
                    }
                }
                int q = 0;
                for (; q + 3 < pw; q += 4) {
                    int p = p0 + q;
                    for (int i = 0; i < m; i++) {
                        int ao = i * k + p;
                        axpy4(acc[i], panel[q], panel[q + 1], panel[q + 2], panel[q + 3], a[ao], a[ao + 1], a[ao + 2],
                                a[ao + 3], w);
                    }
                }
                for (; q < pw; q++) {
                    for (int i = 0; i < m; i++) {
                        axpy(acc[i], panel[q], a[i * k + p0 + q], w);
                    }
                }
            }
            for (int i = 0; i < m; i++) {
                System.arraycopy(acc[i], 0, c, i * n + n0, w);
            }
        }
    }

    /** c[m×n] (+)= a[k×m]ᵀ · b[k×n]; one output row at a time, b's rows copied to zero-offset scratch. */
    static void multTransA(float[] a, float[] b, float[] c, int k, int m, int n, boolean accumulate, Workspace ws) {
        float[][] rows = ws.rows(k + 1, n);
        for (int r = 0; r < k; r++) {
            System.arraycopy(b, r * n, rows[r], 0, n);
        }
        ComputeThreads threads = ComputeThreads.active();
        if (threads != null && (long) m * k * n >= ComputeThreads.PARALLEL_MACS && m >= 2) {
            float[] otherAcc = ws.helper().accumulator(n);
            threads.split(() -> multTransA(a, rows, rows[k], c, k, m, n, 0, m / 2, accumulate),
                    () -> multTransA(a, rows, otherAcc, c, k, m, n, m / 2, m, accumulate));
        } else {
            multTransA(a, rows, rows[k], c, k, m, n, 0, m, accumulate);
        }
    }

    /** Output rows [o0, o1) of multTransA, b's rows already in {@code rows}. */
    private static void multTransA(float[] a, float[][] rows, float[] acc, float[] c, int k, int m, int n, int o0,
            int o1, boolean accumulate) {
        for (int o = o0; o < o1; o++) {
            if (accumulate) {
                System.arraycopy(c, o * n, acc, 0, n);
            } else {
                Arrays.fill(acc, 0, n, 0f);
            }
            int r = 0;
            for (; r + 3 < k; r += 4) {
                axpy4(acc, rows[r], rows[r + 1], rows[r + 2], rows[r + 3],
                        a[r * m + o], a[(r + 1) * m + o], a[(r + 2) * m + o], a[(r + 3) * m + o], n);
            }
            for (; r < k; r++) {
                axpy(acc, rows[r], a[r * m + o], n);
            }
            System.arraycopy(acc, 0, c, o * n, n);
        }
    }

    /**
     * t[cols×rows] = s[rows×cols]ᵀ: for a strip of 64 source columns, eight source rows at a time, so each
     * output row is written in runs of eight and the eight source lines stay cached. Square 32×32 tiles are
     * 2× slower here: with power-of-two strides their rows collide in the same cache sets.
     */
    static void transpose(float[] s, float[] t, int rows, int cols) {
        transpose(s, t, rows, cols, 0, cols);
    }

    /** Source columns [from, until) of {@link #transpose(float[], float[], int, int)}. */
    static void transpose(float[] s, float[] t, int rows, int cols, int from, int until) {
        final int strip = 64;
        for (int c0 = from; c0 < until; c0 += strip) {
            int c1 = Math.min(until, c0 + strip);
            for (int r0 = 0; r0 < rows; r0 += 8) {
                int r1 = Math.min(rows, r0 + 8);
                for (int col = c0; col < c1; col++) {
                    int to = col * rows;
                    for (int r = r0; r < r1; r++) {
                        t[to + r] = s[r * cols + col];
                    }
                }
            }
        }
    }

    // Zero-offset loops: the only shape HotSpot's superword pass vectorises without alias checks.
    private static void axpy(float[] c, float[] b, float a, int w) {
        for (int j = 0; j < w; j++) {
            c[j] += a * b[j];
        }
    }

    private static void axpy4(float[] c, float[] b0, float[] b1, float[] b2, float[] b3,
            float a0, float a1, float a2, float a3, int w) {
        for (int j = 0; j < w; j++) {
            c[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
        }
    }
}
