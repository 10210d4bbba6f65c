package io.github.pointclip.adapter.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both kernel families against the contract's scalar loop, {@code s = Math.fma(A(i,p), B(p,j), s)} in
 * ascending p, bit for bit: every transpose combination, overwrite and accumulate, shapes that leave tails
 * in every blocking dimension, and splits over two threads.
 */
class FloatMatmulTest {
    /** (m, k, n): tails of tiles, vectors, inner blocks (256) and column blocks; small and large outputs. */
    private static final int[][] SHAPES = {
        {1, 1, 1}, {3, 5, 7}, {8, 33, 32}, {9, 300, 47}, {32, 517, 70}, {70, 40, 33}, {33, 257, 1030},
        {64, 600, 100}, {100, 32, 260}, {17, 1030, 16}, {5, 0, 40}, {40, 0, 5},
    };
    private static ExecutorService pool;

    @BeforeAll
    static void startPool() {
        pool = Executors.newSingleThreadExecutor();
    }

    @AfterAll
    static void stopPool() {
        pool.shutdownNow();
    }

    /** Runs {@code theirs} on the pool's thread. */
    private static void split(Runnable mine, Runnable theirs) {
        Future<?> f = pool.submit(theirs);
        mine.run();
        try {
            f.get();
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    private static float[] random(int size, SplittableRandom r) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    /** The contract, written as plainly as possible. */
    private static float[] reference(float[] a, boolean transA, float[] b, boolean transB, float[] c0, int m, int k,
            int n, boolean accumulate) {
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = accumulate ? c0[i * n + j] : 0f;
                for (int p = 0; p < k; p++) {
                    float x = transA ? a[p * m + i] : a[i * k + p];
                    float y = transB ? b[j * k + p] : b[p * n + j];
                    s = Math.fma(x, y, s);
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    private interface Product {
        void run(float[] a, boolean transA, float[] b, boolean transB, float[] c, int m, int k, int n,
                boolean accumulate, FloatMatmul.Splitter splitter);
    }

    private static void checkAll(String name, Product product) {
        SplittableRandom r = new SplittableRandom(11);
        for (int[] s : SHAPES) {
            int m = s[0], k = s[1], n = s[2];
            float[] a = random(m * k, r);
            float[] b = random(k * n, r);
            float[] c0 = random(m * n, r);
            for (int t = 0; t < 4; t++) {
                boolean transA = (t & 1) != 0;
                boolean transB = (t & 2) != 0;
                for (boolean accumulate : new boolean[] {false, true}) {
                    float[] expected = reference(a, transA, b, transB, c0, m, k, n, accumulate);
                    for (boolean threads : new boolean[] {false, true}) {
                        float[] c = c0.clone();
                        product.run(a, transA, b, transB, c, m, k, n, accumulate,
                                threads ? FloatMatmulTest::split : null);
                        assertArrayEquals(expected, c, name + " " + Arrays.toString(s) + " transA " + transA
                                + " transB " + transB + " accumulate " + accumulate + " split " + threads);
                    }
                }
            }
        }
    }

    @Test
    void portableKernelsFollowTheContract() {
        checkAll("portable", ScalarMatmul::multiply);
    }

    @Test
    void simdKernelsFollowTheContract() {
        assumeTrue(vectorModulePresent(), "jdk.incubator.vector not resolved in this JVM");
        checkAll("simd", VectorMatmul::multiply);
    }

    @Test
    void facadeUsesTheSimdKernelsWhenTheModuleIsResolved() {
        if (System.getenv("CI") != null) {
            assertTrue(vectorModulePresent(), "CI must run the adapter tests with --add-modules jdk.incubator.vector");
        }
        assertTrue(FloatMatmul.vectorised() == vectorModulePresent());
        checkAll("facade", (a, ta, b, tb, c, m, k, n, acc, sp) -> FloatMatmul.multiply(a, ta, b, tb, c, m, k, n, acc, sp));
    }

    @Test
    void rowRangesOfStridedOperandsFollowTheContract() {
        SplittableRandom r = new SplittableRandom(5);
        int rows = 45, k = 300, n = 70, ldb = 83, ldc = 91;
        float[] a = random(rows * k, r);
        float[] b = random(k * ldb, r);
        float[] c0 = random(rows * ldc, r);
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] expected = c0.clone();
            for (int i = 10; i < 37; i++) {
                for (int j = 0; j < n; j++) {
                    float s = accumulate ? c0[i * ldc + j] : 0f;
                    for (int p = 0; p < k; p++) {
                        s = Math.fma(a[i * k + p], b[p * ldb + j], s);
                    }
                    expected[i * ldc + j] = s;
                }
            }
            float[] portable = c0.clone();
            ScalarMatmul.rows(a, b, ldb, portable, ldc, 10, 37, k, n, accumulate);
            assertArrayEquals(expected, portable, "portable, accumulate " + accumulate);
            float[] facade = c0.clone();
            FloatMatmul.multiplyRows(a, b, ldb, facade, ldc, 10, 37, k, n, accumulate);
            assertArrayEquals(expected, facade, "facade, accumulate " + accumulate);
        }
    }

    @Test
    void transposeSwapsRowsAndColumns() {
        SplittableRandom r = new SplittableRandom(3);
        int rows = 37, cols = 130;
        float[] s = random(rows * cols, r);
        float[] t = new float[rows * cols];
        FloatMatmul.transpose(s, t, rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                assertTrue(t[j * rows + i] == s[i * cols + j], "(" + i + ", " + j + ")");
            }
        }
    }

    private static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(FloatMatmul.VECTOR_MODULE).isPresent()
                && !"false".equalsIgnoreCase(System.getProperty("pointclip.vector"));
    }

    @Test
    void shapesThatDoNotFitTheArraysAreRejected() {
        float[] six = new float[6];
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> FloatMatmul.multiply(six, false, six, false, new float[4], 2, 3, 3, false, null));
        assertTrue(e.getMessage().contains("b holds 6 floats, the shape needs 9"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> FloatMatmul.multiply(six, false, six, false, six, -1, 3, 2, false, null));
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> FloatMatmul.multiplyRows(six, six, 2, six, 2, 0, 3, 2, 3, false));
        assertTrue(e.getMessage().contains("ldb 2"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> FloatCounts.addAbove(six, 4, 0f, new int[3], 0, 3));
    }
}
