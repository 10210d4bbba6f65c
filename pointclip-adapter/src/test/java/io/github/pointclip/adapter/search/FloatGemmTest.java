package io.github.pointclip.adapter.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class FloatGemmTest {

    @Test
    void plainKernelAndFmaDotEqualStraightforwardLoopsBitForBit() {
        Random r = new Random(11);
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            for (int[] size : new int[][] {{1, 1, 1}, {3, 5, 7}, {67, 13, 600}, {70, 8, 1030}, {2, 515, 33}}) {
                int m = size[0];
                int k = size[1];
                int n = size[2];
                float[] a = new float[m * k];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) r.nextGaussian();
                }
                float[][] b = new float[k][n];
                for (float[] row : b) {
                    for (int j = 0; j < n; j++) {
                        row[j] = (float) r.nextGaussian();
                    }
                }
                for (int threads : new int[] {1, 2}) {
                    float[][] plain = new float[m][n + 3];
                    FloatGemm.multiply(a, m, k, b, n, plain, pool, threads);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            float s = 0f;
                            float f = 0f;
                            float[] column = new float[k];
                            for (int q = 0; q < k; q++) {
                                s += a[i * k + q] * b[q][j];
                                f = Math.fma(a[i * k + q], b[q][j], f);
                                column[q] = b[q][j];
                            }
                            assertEquals(Float.floatToIntBits(s), Float.floatToIntBits(plain[i][j]), "plain " + i + "," + j);
                            assertEquals(Float.floatToIntBits(f),
                                    Float.floatToIntBits(FloatGemm.dotFma(a, i * k, column, 0, k)), "fma " + i + "," + j);
                        }
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
