package io.github.pointclip.adapter.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FloatCountsTest {

    @Test
    void countsValuesStrictlyInsideEachRowsInterval() {
        SplittableRandom r = new SplittableRandom(2);
        int rows = 40;
        int cols = 103;
        float[] values = new float[rows * cols + 5];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) r.nextInt(-3, 4); // many exact ties with the bounds
        }
        values[7] = Float.NaN;
        values[20] = Float.POSITIVE_INFINITY;
        values[21] = Float.NEGATIVE_INFINITY;
        float[][] bounds = {{Float.NEGATIVE_INFINITY, 1f}, {0f, Float.POSITIVE_INFINITY}, {-2f, 2f},
            {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}, {1f, 1f}};
        int[] expected = new int[cols];
        int[] counted = new int[cols];
        int[] portable = new int[cols];
        for (int i = 0; i < rows; i++) {
            float lo = bounds[i % bounds.length][0];
            float hi = bounds[i % bounds.length][1];
            int offset = i * cols + 3;
            for (int j = 5; j < 100; j++) {
                float v = values[offset + j];
                if (lo < v && v < hi) {
                    expected[j]++;
                }
            }
            FloatCounts.addInRange(values, offset, lo, hi, counted, 5, 100);
            FloatCounts.addInRangePortable(values, offset, lo, hi, portable, 5, 100);
        }
        assertArrayEquals(expected, counted);
        assertArrayEquals(expected, portable);
    }
}
