package io.github.pointclip.adapter.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD kernels (loaded only when {@code jdk.incubator.vector} is resolved). The kernel keeps a tile of
 * C, MR rows × two vectors, in registers over the whole inner dimension: per step it loads two vectors of a
 * row of B, broadcasts MR values of A and issues 2·MR fused multiply-adds, so each element's chain runs in
 * ascending p as the contract requires. B must be row-contiguous over the output columns; A is read through
 * a row and a column stride, so a transposed A costs nothing. When the output has few rows (a batch of 32
 * against a weight of 512 × 5120), the product is computed transposed, Cᵀ = op(B)ᵀ·op(A)ᵀ, so that the long
 * dimension runs over tile rows and the batch over the vector lanes; only the small operand and the small
 * output are transposed.
 */
final class VectorMatmul {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Int lanes matching {@link #S}, for counts. */
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
    /** Tile rows: 16 accumulators fit AVX-512's 32 registers; narrower units get 8. */
    private static final int MR = L >= 16 ? 8 : 4;
    /** Floats of B per column block, about half of a 2 MB L2 cache. */
    private static final int BLOCK_FLOATS = 1 << 18;
    /** Inner steps per block. */
    private static final int DEPTH = 256;
    /** Rows of A kept in L2 while the strips of B pass over them. */
    private static final int ROW_CHUNK = 64;
    /** Outputs with at most this many rows are computed transposed. */
    private static final int FEW_ROWS = 64;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][0]);

    private VectorMatmul() {
    }

    /** Compiles nothing, but links the vector classes, so that a broken module fails at detection. */
    static void warmUp() {
        float[] a = new float[2 * MR];
        float[] b = new float[2 * 2 * L];
        float[] c = new float[MR * 2 * L];
        kernel(a, 2, 1, b, 2 * L, c, 2 * L, 0, MR, 2, 2 * L, false);
    }

    static void multiply(float[] a, boolean transA, float[] b, boolean transB, float[] c, int m, int k, int n,
            boolean accumulate, FloatMatmul.Splitter splitter) {
        float[][] scratch = SCRATCH.get();
        if (m <= FEW_ROWS && n > m) {
            // Cᵀ[n×m] = op(B)ᵀ·op(A)ᵀ: A' rows are op(B) columns, B' = op(A)ᵀ must be row-contiguous
            int ars = transB ? k : 1;
            int aps = transB ? 1 : n;
            float[] bt;
            if (transA) {
                bt = a;
            } else {
                bt = grow(scratch, 0, k * m);
                FloatMatmul.transpose(a, bt, m, k);
            }
            float[] ct = grow(scratch, 1, n * m);
            if (accumulate) {
                FloatMatmul.transpose(c, ct, m, n);
            }
            run(b, ars, aps, bt, m, ct, m, n, k, m, accumulate, splitter);
            FloatMatmul.transpose(ct, c, n, m);
        } else {
            float[] bb = b;
            if (transB) {
                bb = grow(scratch, 0, k * n);
                FloatMatmul.transpose(b, bb, n, k);
            }
            int ars = transA ? 1 : k;
            int aps = transA ? m : 1;
            run(a, ars, aps, bb, n, c, n, m, k, n, accumulate, splitter);
        }
    }

    private static void run(float[] a, int ars, int aps, float[] b, int ldb, float[] c, int ldc, int rows, int k,
            int n, boolean accumulate, FloatMatmul.Splitter splitter) {
        if (splitter != null && rows >= 2 * MR) {
            int half = rows / 2 / MR * MR;
            splitter.split(() -> kernel(a, ars, aps, b, ldb, c, ldc, 0, half, k, n, accumulate),
                    () -> kernel(a, ars, aps, b, ldb, c, ldc, half, rows, k, n, accumulate));
        } else {
            kernel(a, ars, aps, b, ldb, c, ldc, 0, rows, k, n, accumulate);
        }
    }

    private static float[] grow(float[][] scratch, int slot, int size) {
        if (scratch[slot].length < size) {
            scratch[slot] = new float[size];
        }
        return scratch[slot];
    }

    /**
     * Rows [r0, r1) of C (+)= A·B with A(i, p) = a[i·ars + p·aps], B(p, j) = b[p·ldb + j] and
     * C(i, j) = c[i·ldc + j], for j &lt; n.
     */
    static void kernel(float[] a, int ars, int aps, float[] b, int ldb, float[] c, int ldc, int r0, int r1, int k,
            int n, boolean accumulate) {
        if (k == 0) { // an empty sum: zero, or the old value
            for (int i = r0; i < r1 && !accumulate; i++) {
                java.util.Arrays.fill(c, i * ldc, i * ldc + n, 0f);
            }
            return;
        }
        float[][] scratch = SCRATCH.get();
        int width = 2 * L;
        // blocks of the inner dimension keep the rows of B they touch in L2; C is stored between blocks,
        // which leaves each element's chain unchanged
        for (int p0 = 0; p0 < k; p0 += DEPTH) {
            int kc = Math.min(DEPTH, k - p0);
            boolean acc = accumulate || p0 > 0;
            int aOff = p0 * aps;
            int bOff = p0 * ldb;
            int nc = Math.max(width, Math.min(n, BLOCK_FLOATS / kc / width * width));
            for (int j0 = 0; j0 < n; j0 += nc) {
                int j1 = Math.min(n, j0 + nc);
                int full = j0 + (j1 - j0) / width * width;
                int tail = j1 - full;
                // the last columns run through the same tile on a zero-padded copy of B's panel, so a width
                // that is not a multiple of the tile (1000 candidates) costs one more tile, not scalar chains
                float[] panel = null;
                float[] tile = null;
                if (tail > 0) {
                    panel = grow(scratch, 2, kc * width);
                    tile = grow(scratch, 3, MR * width);
                    for (int p = 0; p < kc; p++) {
                        System.arraycopy(b, bOff + p * ldb + full, panel, p * width, tail);
                        java.util.Arrays.fill(panel, p * width + tail, (p + 1) * width, 0f);
                    }
                }
                // rows in chunks of ROW_CHUNK: a chunk's rows of A stay in L2 while each strip of B, read from
                // L1, serves all of the chunk's tiles
                int tiled = r0 + (r1 - r0) / MR * MR;
                for (int c0 = r0; c0 < tiled; c0 += ROW_CHUNK) {
                    int c1 = Math.min(tiled, c0 + ROW_CHUNK);
                    for (int j = j0; j < full; j += width) {
                        for (int i = c0; i < c1; i += MR) {
                            tile(a, aOff + i * ars, ars, aps, b, ldb, bOff + j, c, i * ldc + j, ldc, kc, acc);
                        }
                    }
                    for (int i = c0; i < c1 && tail > 0; i += MR) {
                        for (int r = 0; r < MR; r++) {
                            if (acc) {
                                System.arraycopy(c, (i + r) * ldc + full, tile, r * width, tail);
                            }
                        }
                        tile(a, aOff + i * ars, ars, aps, panel, width, 0, tile, 0, width, kc, acc);
                        for (int r = 0; r < MR; r++) {
                            System.arraycopy(tile, r * width, c, (i + r) * ldc + full, tail);
                        }
                    }
                }
                int i = tiled;
                for (; i < r1; i++) {
                    row(a, aOff, ars, aps, b, bOff, ldb, c, ldc, i, j0, j1, kc, acc);
                }
            }
        }
    }

    private static void tile(float[] a, int a0, int ars, int aps, float[] b, int ldb, int bStart, float[] c, int c0,
            int ldc, int k, boolean accumulate) {
        if (MR == 8) {
            tile8(a, a0, ars, aps, b, ldb, bStart, c, c0, ldc, k, accumulate);
        } else {
            tile4(a, a0, ars, aps, b, ldb, bStart, c, c0, ldc, k, accumulate);
        }
    }

    /**
     * {@link FloatCounts#addAbove} and {@link FloatCounts#addBelow}: a lane-wise compare, the mask added as ones.
     * Each comparison is spelled out as a constant: the Vector API compiles an operator it cannot see as a
     * constant into a slow generic loop.
     */
    static void addCompared(float[] values, int offset, float threshold, boolean above, int[] counts, int from,
            int to) {
        IntVector one = IntVector.broadcast(I, 1);
        int j = from;
        if (above) {
            for (; j + L <= to; j += L) {
                VectorMask<Float> hit = FloatVector.fromArray(S, values, offset + j)
                        .compare(VectorOperators.GT, threshold);
                IntVector.fromArray(I, counts, j).add(one, hit.cast(I)).intoArray(counts, j);
            }
        } else {
            for (; j + L <= to; j += L) {
                VectorMask<Float> hit = FloatVector.fromArray(S, values, offset + j)
                        .compare(VectorOperators.LT, threshold);
                IntVector.fromArray(I, counts, j).add(one, hit.cast(I)).intoArray(counts, j);
            }
        }
        FloatCounts.addComparedPortable(values, offset, threshold, above, counts, j, to);
    }

    /** Columns [j, j1) of one row of C (rows that do not fill a tile): one vector at a time, then scalars. */
    private static void row(float[] a, int aOff, int ars, int aps, float[] b, int bOff, int ldb, float[] c, int ldc,
            int i, int j, int j1, int k, boolean accumulate) {
        int a0 = aOff + i * ars;
        int co = i * ldc;
        for (; j + L <= j1; j += L) {
            FloatVector s = accumulate ? FloatVector.fromArray(S, c, co + j) : FloatVector.zero(S);
            for (int p = 0, ap = a0, bo = bOff + j; p < k; p++, ap += aps, bo += ldb) {
                s = FloatVector.broadcast(S, a[ap]).fma(FloatVector.fromArray(S, b, bo), s);
            }
            s.intoArray(c, co + j);
        }
        for (; j < j1; j++) {
            float s = accumulate ? c[co + j] : 0f;
            for (int p = 0, ap = a0, bo = bOff + j; p < k; p++, ap += aps, bo += ldb) {
                s = Math.fma(a[ap], b[bo], s);
            }
            c[co + j] = s;
        }
    }

    /** An 8-row × 2-vector tile of C at c0 (row stride ldc): A's rows from a0, B's columns from bStart. */
    private static void tile8(float[] a, int a0, int ars, int aps, float[] b, int ldb, int bStart, float[] c, int c0,
            int ldc, int k, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00;
        FloatVector c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, c0 + 0 * ldc);
            c01 = FloatVector.fromArray(S, c, c0 + 0 * ldc + L);
            c10 = FloatVector.fromArray(S, c, c0 + 1 * ldc);
            c11 = FloatVector.fromArray(S, c, c0 + 1 * ldc + L);
            c20 = FloatVector.fromArray(S, c, c0 + 2 * ldc);
            c21 = FloatVector.fromArray(S, c, c0 + 2 * ldc + L);
            c30 = FloatVector.fromArray(S, c, c0 + 3 * ldc);
            c31 = FloatVector.fromArray(S, c, c0 + 3 * ldc + L);
            c40 = FloatVector.fromArray(S, c, c0 + 4 * ldc);
            c41 = FloatVector.fromArray(S, c, c0 + 4 * ldc + L);
            c50 = FloatVector.fromArray(S, c, c0 + 5 * ldc);
            c51 = FloatVector.fromArray(S, c, c0 + 5 * ldc + L);
            c60 = FloatVector.fromArray(S, c, c0 + 6 * ldc);
            c61 = FloatVector.fromArray(S, c, c0 + 6 * ldc + L);
            c70 = FloatVector.fromArray(S, c, c0 + 7 * ldc);
            c71 = FloatVector.fromArray(S, c, c0 + 7 * ldc + L);
        }
        for (int p = 0, ap = a0, bo = bStart; p < k; p++, ap += aps, bo += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector x0 = FloatVector.broadcast(S, a[ap]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            FloatVector x1 = FloatVector.broadcast(S, a[ap + ars]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            FloatVector x2 = FloatVector.broadcast(S, a[ap + 2 * ars]);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            FloatVector x3 = FloatVector.broadcast(S, a[ap + 3 * ars]);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
            FloatVector x4 = FloatVector.broadcast(S, a[ap + 4 * ars]);
            c40 = x4.fma(b0, c40);
            c41 = x4.fma(b1, c41);
            FloatVector x5 = FloatVector.broadcast(S, a[ap + 5 * ars]);
            c50 = x5.fma(b0, c50);
            c51 = x5.fma(b1, c51);
            FloatVector x6 = FloatVector.broadcast(S, a[ap + 6 * ars]);
            c60 = x6.fma(b0, c60);
            c61 = x6.fma(b1, c61);
            FloatVector x7 = FloatVector.broadcast(S, a[ap + 7 * ars]);
            c70 = x7.fma(b0, c70);
            c71 = x7.fma(b1, c71);
        }
        c00.intoArray(c, c0 + 0 * ldc);
        c01.intoArray(c, c0 + 0 * ldc + L);
        c10.intoArray(c, c0 + 1 * ldc);
        c11.intoArray(c, c0 + 1 * ldc + L);
        c20.intoArray(c, c0 + 2 * ldc);
        c21.intoArray(c, c0 + 2 * ldc + L);
        c30.intoArray(c, c0 + 3 * ldc);
        c31.intoArray(c, c0 + 3 * ldc + L);
        c40.intoArray(c, c0 + 4 * ldc);
        c41.intoArray(c, c0 + 4 * ldc + L);
        c50.intoArray(c, c0 + 5 * ldc);
        c51.intoArray(c, c0 + 5 * ldc + L);
        c60.intoArray(c, c0 + 6 * ldc);
        c61.intoArray(c, c0 + 6 * ldc + L);
        c70.intoArray(c, c0 + 7 * ldc);
        c71.intoArray(c, c0 + 7 * ldc + L);
    }

    /** A 4-row × 2-vector tile of C at c0 (row stride ldc): A's rows from a0, B's columns from bStart. */
    private static void tile4(float[] a, int a0, int ars, int aps, float[] b, int ldb, int bStart, float[] c, int c0,
            int ldc, int k, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, c0 + 0 * ldc);
            c01 = FloatVector.fromArray(S, c, c0 + 0 * ldc + L);
            c10 = FloatVector.fromArray(S, c, c0 + 1 * ldc);
            c11 = FloatVector.fromArray(S, c, c0 + 1 * ldc + L);
            c20 = FloatVector.fromArray(S, c, c0 + 2 * ldc);
            c21 = FloatVector.fromArray(S, c, c0 + 2 * ldc + L);
            c30 = FloatVector.fromArray(S, c, c0 + 3 * ldc);
            c31 = FloatVector.fromArray(S, c, c0 + 3 * ldc + L);
        }
        for (int p = 0, ap = a0, bo = bStart; p < k; p++, ap += aps, bo += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector x0 = FloatVector.broadcast(S, a[ap]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            FloatVector x1 = FloatVector.broadcast(S, a[ap + ars]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            FloatVector x2 = FloatVector.broadcast(S, a[ap + 2 * ars]);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            FloatVector x3 = FloatVector.broadcast(S, a[ap + 3 * ars]);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
        }
        c00.intoArray(c, c0 + 0 * ldc);
        c01.intoArray(c, c0 + 0 * ldc + L);
        c10.intoArray(c, c0 + 1 * ldc);
        c11.intoArray(c, c0 + 1 * ldc + L);
        c20.intoArray(c, c0 + 2 * ldc);
        c21.intoArray(c, c0 + 2 * ldc + L);
        c30.intoArray(c, c0 + 3 * ldc);
        c31.intoArray(c, c0 + 3 * ldc + L);
    }
}
