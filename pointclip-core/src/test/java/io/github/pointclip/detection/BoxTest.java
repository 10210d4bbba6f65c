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
        // beyond the tolerance: one float ulp at 6 (4.8e-7) plus 1e-6 of the largest size (6e-6)
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
    void valuesBeyondTheFloatRangeAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Box.of(0, 5e38, 0, 1, 1, 1));
        assertTrue(e.getMessage().contains("float range"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Box.of(0, 0, 0, 1, 1, 1e39));
        // each value is a float, but a corner is not
        assertThrows(IllegalArgumentException.class, () -> Box.of(0, 0, 3.4e38, 1, 1, 1e38));
        Box.of(0, 0, 0, 1, 1, Float.MAX_VALUE); // corners at ±MAX/2
    }

    @Test
    void theToleranceOfAFarAwayBoxIsTheFloatSpacingThereNotMetres() {
        // georeferenced LiDAR: x, y ≈ 5·10⁶ m, where floats are 0.5 m apart; a 4 × 2 × 2 box turned by 0.3
        double cx = 5_000_000.25;
        double cy = 4_000_000.5;
        double h = 0.3;
        Box b = Box.of(cx, cy, 10, 4, 2, 2, h);
        assertEquals(0.5 + 4e-6, b.tolerance(), 1e-12, "one float ulp at 5e6 plus 1e-6 of the largest size");
        assertTrue(b.contains(cx, cy, 11), "on the top face");
        double c = Math.cos(h);
        double s = Math.sin(h);
        // along the box's first axis: 2 m is the face; 1.5 m beyond it, the old 1e-6 · (1 + |centre|) = 5 m
        // tolerance took the point in
        double u = 3.5;
        assertFalse(b.contains(cx + c * u, cy + s * u, 10), "1.5 m beyond the face");
        assertFalse(b.contains(cx, cy, 10 + 1.01 + 1e-5), "above the top by 1 cm");
        // points on the faces rounded to floats (0.5 m apart there) are still inside
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 200; i++) {
            double[] f = {random.nextBoolean() ? 2 : -2, random.nextDouble(-1, 1)};
            float x = (float) (cx + c * f[0] - s * f[1]);
            float y = (float) (cy + s * f[0] + c * f[1]);
            assertTrue(b.contains(x, y, 10), "on a face, as floats: " + x + " " + y);
        }
        // near the origin the tolerance stays below a micrometre
        assertTrue(Box.of(1, 2, 0.5, 0.6, 0.6, 1, 0.5).tolerance() < 1.5e-6);
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
