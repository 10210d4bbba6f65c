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

    /** c[m×n] (+)= a[m×k] · b[k×n]. */
    static void mult(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate, Workspace ws) {
        float[][] quad = ws.quad(Math.min(BLOCK, n));
        float[][] acc = ws.rows(m, Math.min(BLOCK, n));
        for (int n0 = 0; n0 < n; n0 += BLOCK) {
            int w = Math.min(BLOCK, n - n0);
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

    /** c[m×n] (+)= a[m×k] · b[n×k]ᵀ, through a blocked transpose of b into the workspace. */
    static void multTransB(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate, Workspace ws) {
        float[] bt = ws.transposed(k * n);
        transpose(b, bt, n, k);
        mult(a, bt, c, m, k, n, accumulate, ws);
    }

    /** c[m×n] (+)= a[k×m]ᵀ · b[k×n]; one output row at a time, b's rows copied to zero-offset scratch. */
    static void multTransA(float[] a, float[] b, float[] c, int k, int m, int n, boolean accumulate, Workspace ws) {
        float[][] rows = ws.rows(k + 1, n);
        for (int r = 0; r < k; r++) {
            System.arraycopy(b, r * n, rows[r], 0, n);
        }
        float[] acc = rows[k];
        for (int o = 0; o < m; o++) {
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
        final int strip = 64;
        for (int c0 = 0; c0 < cols; c0 += strip) {
            int c1 = Math.min(cols, c0 + strip);
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
