package io.github.pointclip.adapter.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FloatCountsTest {

    @Test
    void countsValuesAboveOrBelowEachRowsThreshold() {
        SplittableRandom r = new SplittableRandom(2);
        int rows = 40;
        int cols = 103;
        float[] values = new float[rows * cols + 5];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) r.nextInt(-3, 4); // many exact ties with the thresholds
        }
        for (int i = 0; i < values.length; i += 37) {
            values[i] = Float.NaN;
            values[i + 1] = Float.POSITIVE_INFINITY;
            values[i + 2] = Float.NEGATIVE_INFINITY;
        }
        float[] thresholds = {Float.NEGATIVE_INFINITY, -1f, 0f, 2f, Float.POSITIVE_INFINITY};
        for (boolean above : new boolean[] {true, false}) {
            int[] expected = new int[cols];
            int[] counted = new int[cols];
            int[] portable = new int[cols];
            for (int i = 0; i < rows; i++) {
                float t = thresholds[i % thresholds.length];
                int offset = i * cols + 3;
                for (int j = 5; j < 100; j++) {
                    float v = values[offset + j];
                    if (above ? v > t : v < t) {
                        expected[j]++;
                    }
                }
                if (above) {
                    FloatCounts.addAbove(values, offset, t, counted, 5, 100);
                } else {
                    FloatCounts.addBelow(values, offset, t, counted, 5, 100);
                }
                FloatCounts.addComparedPortable(values, offset, t, above, portable, 5, 100);
            }
            assertArrayEquals(expected, counted, above ? "above" : "below");
            assertArrayEquals(expected, portable, above ? "above, portable" : "below, portable");
        }
    }
}
