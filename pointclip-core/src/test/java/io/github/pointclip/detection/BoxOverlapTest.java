package io.github.pointclip.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BoxOverlapTest {

    @Test
    void axisAlignedCasesByHand() {
        Box a = Box.of(0, 0, 0, 2, 2, 2);
        assertEquals(1.0, BoxOverlap.iou(a, a), 1e-12);
        // shifted by 1 along x: overlap 1·2·2 = 4, union 8 + 8 − 4 = 12
        assertEquals(4.0 / 12, BoxOverlap.iou(a, Box.of(1, 0, 0, 2, 2, 2)), 1e-12);
        // shifted along x and z: overlap 1·2·1 = 2, union 14
        assertEquals(2.0 / 14, BoxOverlap.iou(a, Box.of(1, 0, 1, 2, 2, 2)), 1e-12);
        // touching faces share no volume
        assertEquals(0.0, BoxOverlap.iou(a, Box.of(2, 0, 0, 2, 2, 2)), 0);
        // nested: the small one's volume over the big one's
        assertEquals(1.0 / 8, BoxOverlap.iou(a, Box.of(0.5, 0.5, 0.5, 1, 1, 1)), 1e-12);
        assertEquals(0.0, BoxOverlap.iou(Box.of(0, 0, 0, 0, 0, 0), Box.of(0, 0, 0, 0, 0, 0)), 0);
    }

    @Test
    void rotatedCasesByHand() {
        Box a = Box.of(0, 0, 0, 2, 2, 1);
        // the same square turned by 45°: the intersection is a regular octagon of inradius 1,
        // area 8·tan(22.5°); IoU = A / (8 − A)
        double octagon = 8 * Math.tan(Math.PI / 8);
        assertEquals(octagon / (8 - octagon), BoxOverlap.iou(a, Box.of(0, 0, 0, 2, 2, 1, Math.PI / 4)), 1e-9);
        // a turn by 90° or 180° of a rectangle about its centre changes nothing for a square, and swaps sides otherwise
        assertEquals(1.0, BoxOverlap.iou(a, Box.of(0, 0, 0, 2, 2, 1, Math.PI / 2)), 1e-9);
        Box long1 = Box.of(0, 0, 0, 4, 1, 1);
        assertEquals(1.0, BoxOverlap.iou(long1, Box.of(0, 0, 0, 1, 4, 1, Math.PI / 2)), 1e-9);
        assertEquals(1.0, BoxOverlap.iou(long1, Box.of(0, 0, 0, 4, 1, 1, Math.PI)), 1e-9);
        // a cross: 4×1 and its 90° turn share a 1×1 square; union 4 + 4 − 1
        assertEquals(1.0 / 7, BoxOverlap.iou(long1, Box.of(0, 0, 0, 4, 1, 1, Math.PI / 2)), 1e-9);
    }

    @Test
    void rotatedIntersectionMatchesMonteCarlo() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 5; trial++) {
            Box a = Box.of(random.nextDouble(-0.5, 0.5), random.nextDouble(-0.5, 0.5), 0, random.nextDouble(0.5, 2),
                random.nextDouble(0.5, 2), 1, random.nextDouble(-3, 3));
            Box b = Box.of(random.nextDouble(-0.5, 0.5), random.nextDouble(-0.5, 0.5), 0.2, random.nextDouble(0.5, 2),
                random.nextDouble(0.5, 2), 1, random.nextDouble(-3, 3));
            int both = 0;
            int n = 400_000;
            for (int i = 0; i < n; i++) {
                double x = random.nextDouble(-2, 2);
                double y = random.nextDouble(-2, 2);
                double z = random.nextDouble(-1, 1);
                if (a.contains(x, y, z) && b.contains(x, y, z)) {
                    both++;
                }
            }
            double expected = 32.0 * both / n;
            assertEquals(expected, BoxOverlap.intersection(a, b), 0.03, "trial " + trial);
        }
    }
}
