package io.github.pointclip.adapter.linalg;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dense float products {@code C (+)= op(A)·op(B)} on row-major arrays under the package's contract: each
 * element of C is {@code s = init; for p ascending: s = fma(op(A)[i][p], op(B)[p][j], s)}, with
 * {@code init} zero or C's old value. With the JDK's incubating Vector API module resolved
 * ({@code --add-modules jdk.incubator.vector}), register-blocked SIMD kernels run the products, about 2 to
 * 3× faster than the portable kernels on AVX-512; without it, loops that HotSpot auto-vectorises do. The
 * system property {@code pointclip.vector=false} forces the portable kernels. Results are the same bits
 * either way. Thread-safe: scratch arrays are per thread.
 */
public final class FloatMatmul {
    private static final Logger LOG = LoggerFactory.getLogger(FloatMatmul.class);
    /** Module that provides the SIMD kernels. */
    public static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final boolean VECTORISED = detect();

    /** Products with fewer multiply-adds than this are never split over threads. */
    public static final long SPLIT_MACS = 1L << 22;

    private FloatMatmul() {
    }

    /** Runs two halves of a product, {@code mine} on the calling thread and {@code theirs} possibly on another. */
    @FunctionalInterface
    public interface Splitter {
        /**
         * @param mine the half for the calling thread
         * @param theirs the other half
         */
        void split(Runnable mine, Runnable theirs);
    }

    private static boolean detect() {
        if ("false".equalsIgnoreCase(System.getProperty("pointclip.vector"))) {
            LOG.debug("SIMD kernels disabled by -Dpointclip.vector=false");
            return false;
        }
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            LOG.info("few-shot training and prompt search run 1.5–2× faster with the JVM option --add-modules {}"
                    + " (same results, bit for bit)", VECTOR_MODULE);
            return false;
        }
        try {
            VectorMatmul.warmUp();
            LOG.debug("SIMD product kernels on ({})", VECTOR_MODULE);
            return true;
        } catch (LinkageError | RuntimeException e) {
            LOG.warn("{} is present but unusable ({}); using the portable kernels", VECTOR_MODULE, e.toString());
            return false;
        }
    }

    /**
     * @return whether the SIMD kernels run the products (the {@value #VECTOR_MODULE} module is resolved and
     *     not disabled)
     */
    public static boolean vectorised() {
        return VECTORISED;
    }

    /**
     * c (+)= op(a)·op(b), where op(a) is [m×k] and op(b) is [k×n]; all arrays row-major from index 0.
     *
     * @param a a, stored [m×k], or [k×m] if {@code transA}
     * @param transA whether a is stored transposed
     * @param b b, stored [k×n], or [n×k] if {@code transB}
     * @param transB whether b is stored transposed
     * @param c the output [m×n]
     * @param m rows of the output
     * @param k inner dimension
     * @param n columns of the output
     * @param accumulate add to c's values (true) or overwrite them (false)
     * @param splitter runs the two halves of a large product in parallel, or null for the calling thread alone
     * @throws IllegalArgumentException if a dimension is negative or an array is shorter than its shape
     */
    public static void multiply(float[] a, boolean transA, float[] b, boolean transB, float[] c, int m, int k, int n,
            boolean accumulate, Splitter splitter) {
        if (m < 0 || k < 0 || n < 0) {
            throw new IllegalArgumentException("negative shape: m " + m + ", k " + k + ", n " + n);
        }
        requireLength("a", a, (long) m * k);
        requireLength("b", b, (long) k * n);
        requireLength("c", c, (long) m * n);
        if (m == 0 || n == 0) {
            return;
        }
        Splitter split = splitter != null && (long) m * k * n >= SPLIT_MACS ? splitter : null;
        if (VECTORISED) {
            VectorMatmul.multiply(a, transA, b, transB, c, m, k, n, accumulate, split);
        } else {
            ScalarMatmul.multiply(a, transA, b, transB, c, m, k, n, accumulate, split);
        }
    }

    /**
     * Rows [from, to) of c (+)= a·b with a row-major [·×k] (row i at {@code i·k}), b row-major [k×n] with row
     * stride {@code ldb}, c with row stride {@code ldc}; for callers that split rows over threads themselves.
     *
     * @param a left operand, rows of length k
     * @param b right operand, k rows
     * @param ldb row stride of b, ≥ n
     * @param c output rows
     * @param ldc row stride of c, ≥ n
     * @param from first output row
     * @param to one past the last output row
     * @param k inner dimension
     * @param n columns of the output
     * @param accumulate add to c's values (true) or overwrite them (false)
     * @throws IllegalArgumentException if the range, a dimension or a stride is out of bounds, or an array is
     *     shorter than the rows it must hold
     */
    public static void multiplyRows(float[] a, float[] b, int ldb, float[] c, int ldc, int from, int to, int k,
            int n, boolean accumulate) {
        if (from < 0 || to < from || k < 0 || n < 0 || ldb < n || ldc < n) {
            throw new IllegalArgumentException("bad rows [" + from + ", " + to + ") with k " + k + ", n " + n
                + ", ldb " + ldb + ", ldc " + ldc);
        }
        if (from == to || n == 0) {
            return;
        }
        requireLength("a", a, (long) to * k);
        requireLength("b", b, k == 0 ? 0 : (long) (k - 1) * ldb + n);
        requireLength("c", c, (long) (to - 1) * ldc + n);
        if (VECTORISED) {
            VectorMatmul.kernel(a, k, 1, b, ldb, c, ldc, from, to, k, n, accumulate);
        } else {
            ScalarMatmul.rows(a, b, ldb, c, ldc, from, to, k, n, accumulate);
        }
    }

    private static void requireLength(String name, float[] array, long needed) {
        if (array.length < needed) {
            throw new IllegalArgumentException(name + " holds " + array.length + " floats, the shape needs " + needed);
        }
    }

    /**
     * t[cols×rows] = s[rows×cols]ᵀ, in cache-friendly strips.
     *
     * @param s source, row-major [rows×cols]
     * @param t target, row-major [cols×rows]
     * @param rows rows of s
     * @param cols columns of s
     */
    public static void transpose(float[] s, float[] t, int rows, int cols) {
        transpose(s, t, rows, cols, 0, cols);
    }

    /**
     * Source columns [from, until) of {@link #transpose(float[], float[], int, int)}: for a strip of 64 source
     * columns, eight source rows at a time, so each output row is written in runs of eight and the eight
     * source lines stay cached. Square 32×32 tiles are 2× slower here: with power-of-two strides their rows
     * collide in the same cache sets.
     *
     * @param s source, row-major [rows×cols]
     * @param t target, row-major [cols×rows]
     * @param rows rows of s
     * @param cols columns of s
     * @param from first source column
     * @param until one past the last source column
     */
    public static void transpose(float[] s, float[] t, int rows, int cols, int from, int until) {
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
}
