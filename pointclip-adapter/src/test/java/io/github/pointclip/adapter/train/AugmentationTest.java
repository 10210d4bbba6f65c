package io.github.pointclip.adapter.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.cloud.PointCloud;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentationTest {

    @Test
    void scaleAndShiftAreUniformPerAxis() {
        // two points, the origin and (1, 1, 1): after augmentation the smaller is the shift, the difference the scale
        PointCloud unit = PointCloud.of(new float[] {0, 0, 0, 1, 1, 1});
        Augmentation aug = Augmentation.v1();
        SplittableRandom r = new SplittableRandom(5);
        int n = 20000;
        double[] scaleSum = new double[3];
        double[] shiftSum = new double[3];
        double[] scaleMin = {9, 9, 9};
        double[] scaleMax = {0, 0, 0};
        double[] shiftMax = {0, 0, 0};
        double crossSum = 0;
        for (int i = 0; i < n; i++) {
            PointCloud out = aug.apply(unit, r);
            double[] s = new double[3];
            for (int a = 0; a < 3; a++) {
                double p0 = coord(out, 0, a);
                double p1 = coord(out, 1, a);
                double t = Math.min(p0, p1);
                s[a] = Math.abs(p1 - p0);
                scaleSum[a] += s[a];
                shiftSum[a] += t;
                scaleMin[a] = Math.min(scaleMin[a], s[a]);
                scaleMax[a] = Math.max(scaleMax[a], s[a]);
                shiftMax[a] = Math.max(shiftMax[a], Math.abs(t));
            }
            crossSum += (s[0] - 13.0 / 12) * (s[1] - 13.0 / 12);
        }
        for (int a = 0; a < 3; a++) {
            assertEquals((2.0 / 3 + 1.5) / 2, scaleSum[a] / n, 0.01, "mean scale of axis " + a);
            assertEquals(0, shiftSum[a] / n, 0.005, "mean shift of axis " + a);
            assertTrue(scaleMin[a] >= 2.0 / 3 - 1e-6 && scaleMin[a] < 0.68, "min scale " + scaleMin[a]);
            assertTrue(scaleMax[a] <= 1.5 + 1e-6 && scaleMax[a] > 1.48, "max scale " + scaleMax[a]);
            assertTrue(shiftMax[a] <= 0.2 + 1e-6 && shiftMax[a] > 0.19, "max shift " + shiftMax[a]);
        }
        // variance of U(2/3, 3/2) is (5/6)²/12 ≈ 0.058; the axes are drawn independently
        assertEquals(0, crossSum / n, 0.005, "scales of x and y are independent");
    }

    @Test
    void keepsTheFirstPointsAndShufflesThem() {
        float[] xyz = new float[3 * 2000];
        for (int i = 0; i < 2000; i++) {
            xyz[3 * i] = i;
        }
        PointCloud cloud = PointCloud.of(xyz);
        PointCloud out = new Augmentation(1024, 1, 1, 0, true).apply(cloud, new SplittableRandom(1));
        assertEquals(1024, out.size());
        float[] x = new float[1024];
        for (int i = 0; i < 1024; i++) {
            x[i] = out.x(i);
        }
        float[] sorted = x.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 1024; i++) {
            assertEquals(i, sorted[i], "the first 1024 points, each once");
        }
        assertFalse(Arrays.equals(x, sorted), "shuffled");
        assertEquals(cloud.first(1024), Augmentation.none(1024).apply(cloud, new SplittableRandom(1)));
    }

    private static double coord(PointCloud c, int i, int axis) {
        return axis == 0 ? c.x(i) : axis == 1 ? c.y(i) : c.z(i);
    }
}
