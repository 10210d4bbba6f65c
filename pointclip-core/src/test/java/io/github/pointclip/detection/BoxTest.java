package io.github.pointclip.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.cloud.PointCloud;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BoxTest {

    @Test
    void axisAlignedBoxHoldsItsFacesEdgesAndCornersButNotTheNextFloatOutside() {
        Box b = Box.of(1, 2, 3, 2, 4, 6); // x in [0, 2], y in [0, 4], z in [0, 6]
        assertTrue(b.contains(1, 2, 3));
        assertTrue(b.contains(0, 2, 3), "on the -x face");
        assertTrue(b.contains(2, 4, 6), "on a corner");
        assertTrue(b.contains(2, 0, 0));
        assertFalse(b.contains(2.01, 2, 3));
        assertFalse(b.contains(1, -0.01, 3));
        assertFalse(b.contains(1, 2, 6.01));
        // beyond the tolerance of a millionth of the box's scale (here 1e-6 · 7)
        assertFalse(b.contains(2 + 1e-5, 2, 3));
    }

    @Test
    void headingTurnsTheFirstSizeOntoCosSin() {
        // a 4 × 1 box turned by 90°: its long side runs along y
        Box b = Box.of(0, 0, 0, 4, 1, 1, Math.PI / 2);
        assertTrue(b.contains(0, 1.9, 0));
        assertFalse(b.contains(1.9, 0, 0));
        // 30°: the long axis is (cos 30°, sin 30°)
        double h = Math.toRadians(30);
        Box r = Box.of(5, -2, 1, 4, 1, 2, h);
        assertTrue(r.contains(5 + 1.9 * Math.cos(h), -2 + 1.9 * Math.sin(h), 1));
        assertFalse(r.contains(5 + 1.9, -2, 1), "along x the box is only about 1.5 long from the centre");
        // a heading of 2π + h is the same box
        Box same = Box.of(5, -2, 1, 4, 1, 2, h + 2 * Math.PI);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 2000; i++) {
            double x = 5 + random.nextDouble(-3, 3);
            double y = -2 + random.nextDouble(-3, 3);
            double z = 1 + random.nextDouble(-1.5, 1.5);
            assertEquals(r.contains(x, y, z), same.contains(x, y, z));
        }
    }

    @Test
    void pointsOnTheFacesOfARotatedBoxAreInsideAndJustBeyondAreNot() {
        double h = 0.7;
        Box b = Box.of(10, 20, 1, 3, 2, 1.5, h);
        double c = Math.cos(h);
        double s = Math.sin(h);
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 500; i++) {
            // a point on each face in the box frame, turned into the scene, stored as float like scene points
            double u = random.nextDouble(-1.5, 1.5);
            double v = random.nextDouble(-1, 1);
            double w = random.nextDouble(-0.75, 0.75);
            double[][] faces = {{1.5, v, w}, {-1.5, v, w}, {u, 1, w}, {u, -1, w}, {u, v, 0.75}, {u, v, -0.75}};
            for (double[] f : faces) {
                float x = (float) (10 + c * f[0] - s * f[1]);
                float y = (float) (20 + s * f[0] + c * f[1]);
                float z = (float) (1 + f[2]);
                assertTrue(b.contains(x, y, z), "on a face: " + x + " " + y + " " + z);
                // 1 mm outside along the face's normal
                double[] out = {f[0] == 1.5 ? 1.501 : f[0] == -1.5 ? -1.501 : f[0],
                    f[1] == 1 ? 1.001 : f[1] == -1 ? -1.001 : f[1], f[2] == 0.75 ? 0.751 : f[2] == -0.75 ? -0.751 : f[2]};
                assertFalse(b.contains(10 + c * out[0] - s * out[1], 20 + s * out[0] + c * out[1], 1 + out[2]));
            }
        }
    }

    @Test
    void badBoxesAreRefusedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Box.of(0, 0, 0, 1, -1, 1));
        assertTrue(e.getMessage().contains("≥ 0") && e.getMessage().contains("-1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Box.of(Double.NaN, 0, 0, 1, 1, 1));
        assertTrue(e.getMessage().contains("center") && e.getMessage().contains("NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Box.of(0, 0, 0, 1, 1, 1, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Box.of(0, 0, 0, 1, 1, 1).withScore(Double.NaN));
        assertFalse(Box.of(0, 0, 0, 1, 1, 1).hasScore());
        assertEquals(0.5, Box.of(0, 0, 0, 1, 1, 1).withScore(0.5).score().getAsDouble());
    }

    @Test
    void footprintIsCounterClockwiseAndBoundsHoldIt() {
        Box b = Box.of(0, 0, 0, 2, 1, 1, Math.PI / 6);
        double[] f = b.footprint();
        double area = 0;
        for (int i = 0; i < 4; i++) {
            int j = (i + 1) % 4;
            area += f[2 * i] * f[2 * j + 1] - f[2 * j] * f[2 * i + 1];
        }
        assertEquals(2.0, area / 2, 1e-12, "positive signed area: counter-clockwise");
        double[] bounds = b.bounds();
        for (int i = 0; i < 4; i++) {
            assertTrue(f[2 * i] >= bounds[0] && f[2 * i] <= bounds[3] && f[2 * i + 1] >= bounds[1]
                && f[2 * i + 1] <= bounds[4]);
        }
        assertArrayEquals(new double[] {-1, -0.5, -0.5, 1, 0.5, 0.5}, Box.of(0, 0, 0, 2, 1, 1).bounds(), 1e-5);
    }

    @Test
    void cropOfTheScanEqualsContains() {
        float[] xyz = {0, 0, 0, 1, 1, 1, 2, 2, 2, 0.5f, 0.5f, 0.5f};
        PointCloud scene = PointCloud.of(xyz);
        assertArrayEquals(new int[] {0, 1, 3}, SceneIndex.scan(scene, Box.of(0.5, 0.5, 0.5, 1, 1, 1)));
    }
}
