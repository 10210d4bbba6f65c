package io.github.pointclip.adapter.linalg;

import java.util.Arrays;

/**
 * The portable kernels: loops that HotSpot's superword pass vectorises. C2 (JDK 17 to 25) will not vectorise
 * a loop over two arrays read at different offsets, since they might alias, so these kernels copy the rows
 * they stream into zero-offset scratch arrays (an O(size) copy against O(size · rows) multiply-adds) and run
 * {@code c[j] = fma(a3, b3[j], fma(a2, b2[j], fma(a1, b1[j], fma(a0, b0[j], c[j]))))}, four inner steps per
 * pass, which is the contract's ascending chain. Products are split by output columns (or rows for aᵀ·b).
 */
final class ScalarMatmul {
    private static final int BLOCK = 512;
    private static final int PANEL = 64;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private ScalarMatmul() {
    }

    static void multiply(float[] a, boolean transA, float[] b, boolean transB, float[] c, int m, int k, int n,
            boolean accumulate, FloatMatmul.Splitter splitter) {
        if (transA && transB) {
            float[] bt = SCRATCH.get().transposed(k * n);
            FloatMatmul.transpose(b, bt, n, k);
            multTransA(a, bt, c, k, m, n, accumulate, splitter);
        } else if (transA) {
            multTransA(a, b, c, k, m, n, accumulate, splitter);
        } else if (transB) {
            if (splitter != null && n >= 16) {
                int half = (n / 2 + 7) / 8 * 8;
                splitter.split(() -> multTransB(a, b, c, m, k, n, 0, half, accumulate),
                        () -> multTransB(a, b, c, m, k, n, half, n, accumulate));
            } else {
                multTransB(a, b, c, m, k, n, 0, n, accumulate);
            }
        } else if (splitter != null && n >= 16) {
            int half = (n / 2 + 7) / 8 * 8;
            splitter.split(() -> mult(a, k, b, n, c, n, 0, m, k, n, 0, half, accumulate),
                    () -> mult(a, k, b, n, c, n, 0, m, k, n, half, n, accumulate));
        } else {
            mult(a, k, b, n, c, n, 0, m, k, n, 0, n, accumulate);
        }
    }

    /** Rows [from, to) of c (+)= a·b, strided operands (see {@link FloatMatmul#multiplyRows}). */
    static void rows(float[] a, float[] b, int ldb, float[] c, int ldc, int from, int to, int k, int n,
            boolean accumulate) {
        mult(a, k, b, ldb, c, ldc, from, to, k, n, 0, n, accumulate);
    }

    /**
     * Rows [r0, r1) and columns [col0, col1) of c (+)= a·b: per block of output columns, four rows of b are
     * copied to scratch, then every output row takes its four-step update.
     */
    private static void mult(float[] a, int lda, float[] b, int ldb, float[] c, int ldc, int r0, int r1, int k,
            int n, int col0, int col1, boolean accumulate) {
        Scratch s = SCRATCH.get();
        int rows = r1 - r0;
        float[][] quad = s.quad(Math.min(BLOCK, col1 - col0));
        float[][] acc = s.rows(rows, Math.min(BLOCK, col1 - col0));
        for (int n0 = col0; n0 < col1; n0 += BLOCK) {
            int w = Math.min(BLOCK, col1 - n0);
            load(c, ldc, r0, r1, n0, w, acc, accumulate);
            int p = 0;
            for (; p + 3 < k; p += 4) {
                for (int q = 0; q < 4; q++) {
                    System.arraycopy(b, (p + q) * ldb + n0, quad[q], 0, w);
                }
                for (int i = r0; i < r1; i++) {
                    int ao = i * lda + p;
                    fma4(acc[i - r0], quad[0], quad[1], quad[2], quad[3], a[ao], a[ao + 1], a[ao + 2], a[ao + 3], w);
                }
            }
            for (; p < k; p++) {
                System.arraycopy(b, p * ldb + n0, quad[0], 0, w);
                for (int i = r0; i < r1; i++) {
                    fma1(acc[i - r0], quad[0], a[i * lda + p], w);
                }
            }
            store(acc, c, ldc, r0, r1, n0, w);
        }
    }

    /**
     * Columns [col0, col1) of c[m×n] (+)= a[m×k]·b[n×k]ᵀ without transposing b as a whole: per block of output
     * columns, b's rows are gathered 64 inner steps at a time into a small zero-offset panel (each cache line
     * of b read once), which feeds the same four-step update as {@link #mult}.
     */
    private static void multTransB(float[] a, float[] b, float[] c, int m, int k, int n, int col0, int col1,
            boolean accumulate) {
        Scratch s = SCRATCH.get();
        int width = Math.min(BLOCK, col1 - col0);
        float[][] panel = s.panel(PANEL, width);
        float[][] acc = s.rows(m, width);
        for (int n0 = col0; n0 < col1; n0 += BLOCK) {
            int w = Math.min(BLOCK, col1 - n0);
            load(c, n, 0, m, n0, w, acc, accumulate);
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
                        fma4(acc[i], panel[q], panel[q + 1], panel[q + 2], panel[q + 3], a[ao], a[ao + 1], a[ao + 2],
                                a[ao + 3], w);
                    }
                }
                for (; q < pw; q++) {
                    for (int i = 0; i < m; i++) {
                        fma1(acc[i], panel[q], a[i * k + p0 + q], w);
                    }
                }
            }
            store(acc, c, n, 0, m, n0, w);
        }
    }

    /** c[m×n] (+)= a[k×m]ᵀ·b[k×n]; one output row at a time, b's rows copied to scratch, split by rows. */
    private static void multTransA(float[] a, float[] b, float[] c, int k, int m, int n, boolean accumulate,
            FloatMatmul.Splitter splitter) {
        float[][] rows = SCRATCH.get().rows(k, n);
        for (int r = 0; r < k; r++) {
            System.arraycopy(b, r * n, rows[r], 0, n);
        }
        if (splitter != null && m >= 2) {
            splitter.split(() -> multTransA(a, rows, c, k, m, n, 0, m / 2, accumulate),
                    () -> multTransA(a, rows, c, k, m, n, m / 2, m, accumulate));
        } else {
            multTransA(a, rows, c, k, m, n, 0, m, accumulate);
        }
    }

    /** Output rows [o0, o1) of multTransA, b's rows already in {@code rows}. */
    private static void multTransA(float[] a, float[][] rows, float[] c, int k, int m, int n, int o0, int o1,
            boolean accumulate) {
        float[] acc = SCRATCH.get().accumulator(n);
        for (int o = o0; o < o1; o++) {
            if (accumulate) {
                System.arraycopy(c, o * n, acc, 0, n);
            } else {
                Arrays.fill(acc, 0, n, 0f);
            }
            int r = 0;
            for (; r + 3 < k; r += 4) {
                fma4(acc, rows[r], rows[r + 1], rows[r + 2], rows[r + 3],
                        a[r * m + o], a[(r + 1) * m + o], a[(r + 2) * m + o], a[(r + 3) * m + o], n);
            }
            for (; r < k; r++) {
                fma1(acc, rows[r], a[r * m + o], n);
            }
            System.arraycopy(acc, 0, c, o * n, n);
        }
    }

    private static void load(float[] c, int ldc, int r0, int r1, int n0, int w, float[][] acc, boolean accumulate) {
        for (int i = r0; i < r1; i++) {
            if (accumulate) {
                System.arraycopy(c, i * ldc + n0, acc[i - r0], 0, w);
            } else {
                Arrays.fill(acc[i - r0], 0, w, 0f);
            }
        }
    }

    private static void store(float[][] acc, float[] c, int ldc, int r0, int r1, int n0, int w) {
        for (int i = r0; i < r1; i++) {
            System.arraycopy(acc[i - r0], 0, c, i * ldc + n0, w);
        }
    }

    // Zero-offset loops: the only shape HotSpot's superword pass vectorises without alias checks.
    private static void fma1(float[] c, float[] b, float a, int w) {
        for (int j = 0; j < w; j++) {
            c[j] = Math.fma(a, b[j], c[j]);
        }
    }

    private static void fma4(float[] c, float[] b0, float[] b1, float[] b2, float[] b3,
            float a0, float a1, float a2, float a3, int w) {
        for (int j = 0; j < w; j++) {
            c[j] = Math.fma(a3, b3[j], Math.fma(a2, b2[j], Math.fma(a1, b1[j], Math.fma(a0, b0[j], c[j]))));
        }
    }

    /** Per-thread scratch arrays, grown on demand and kept. */
    private static final class Scratch {
        private float[][] rows = new float[0][];
        private final float[][] quad = new float[4][];
        private float[] accumulator = new float[0];
        private float[][] panel = new float[0][];
        private float[] transposed = new float[0];

        float[] transposed(int size) {
            if (transposed.length < size) {
                transposed = new float[size];
            }
            return transposed;
        }

        float[][] panel(int count, int width) {
            if (panel.length < count || panel[0].length < width) {
                panel = new float[Math.max(count, panel.length)][Math.max(width, panel.length > 0 ? panel[0].length : 0)];
            }
            return panel;
        }

        float[] accumulator(int width) {
            if (accumulator.length < width) {
                accumulator = new float[width];
            }
            return accumulator;
        }

        float[][] rows(int count, int width) {
            if (rows.length < count || (count > 0 && rows[0].length < width)) {
                int w = Math.max(width, rows.length > 0 ? rows[0].length : 0);
                float[][] grown = new float[Math.max(count, rows.length)][];
                for (int i = 0; i < grown.length; i++) {
                    grown[i] = new float[w];
                }
                rows = grown;
            }
            return rows;
        }

        float[][] quad(int width) {
            if (quad[0] == null || quad[0].length < width) {
                for (int i = 0; i < 4; i++) {
                    quad[i] = new float[width];
                }
            }
            return quad;
        }
    }
}
