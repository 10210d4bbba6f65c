package io.github.pointclip.crosspoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The augmentation's parts, each checked alone against what it must preserve. */
class CloudAugmentationTest {
    private static float[] cloud() {
        SplittableRandom r = new SplittableRandom(1);
        float[] xyz = new float[3 * 50];
        for (int i = 0; i < xyz.length; i++) {
            xyz[i] = (float) r.nextDouble(-3, 5);
        }
        return xyz;
    }

    @Test
    void normaliseCentresAndPutsTheFarthestPointOnTheUnitSphere() {
        float[] xyz = cloud();
        CloudAugmentation.normalize(xyz, 50);
        double[] c = new double[3];
        double max = 0;
        for (int i = 0; i < 50; i++) {
            double r2 = 0;
            for (int a = 0; a < 3; a++) {
                c[a] += xyz[3 * i + a] / 50.0;
                r2 += xyz[3 * i + a] * xyz[3 * i + a];
            }
            max = Math.max(max, r2);
        }
        assertArrayEquals(new double[3], c, 1e-6);
        assertEquals(1.0, Math.sqrt(max), 1e-6);
    }

    @Test
    void rotationTurnsAboutTheVerticalAxisOnly() {
        CloudAugmentation rotateOnly = new CloudAugmentation(1, 1, true, 0, 0, 0, 0);
        float[] base = cloud();
        float[] normalised = base.clone();
        CloudAugmentation.normalize(normalised, 50);
        float[] out = rotateOnly.apply(base, 50, new SplittableRandom(7));
        assertFalse(Arrays.equals(normalised, out));
        for (int i = 0; i < 50; i++) {
            assertEquals(normalised[3 * i + 1], out[3 * i + 1], 1e-6, "y is kept");
            double before = Math.hypot(normalised[3 * i], normalised[3 * i + 2]);
            assertEquals(before, Math.hypot(out[3 * i], out[3 * i + 2]), 1e-5, "distance to the axis is kept");
        }
    }

    @Test
    void dropReplacesPointsByTheFirstAndKeepsTheCount() {
        CloudAugmentation dropOnly = new CloudAugmentation(1, 1, false, 0, 0, 0, 0.875);
        float[] base = cloud();
        int dropped = 0;
        for (int seed = 0; seed < 20; seed++) {
            float[] out = dropOnly.apply(base, 50, new SplittableRandom(seed));
            assertEquals(150, out.length);
            for (int i = 1; i < 50; i++) {
                if (out[3 * i] == out[0] && out[3 * i + 1] == out[1] && out[3 * i + 2] == out[2]) {
                    dropped++;
                }
            }
        }
        // the expected share is 0.875/2 ≈ 0.44 of 20·49 points
        assertTrue(dropped > 250 && dropped < 620, "dropped " + dropped);
    }

    @Test
    void theSameSeedGivesTheSameCopyAndScaleAndJitterStayInTheirRanges() {
        CloudAugmentation full = CloudAugmentation.crossPoint();
        float[] base = cloud();
        assertArrayEquals(full.apply(base, 50, new SplittableRandom(3)), full.apply(base, 50, new SplittableRandom(3)));
        assertFalse(Arrays.equals(full.apply(base, 50, new SplittableRandom(3)),
                full.apply(base, 50, new SplittableRandom(4))));
        CloudAugmentation jitterOnly = new CloudAugmentation(1, 1, false, 0, 0.01, 0.05, 0);
        float[] normalised = base.clone();
        CloudAugmentation.normalize(normalised, 50);
        float[] jittered = jitterOnly.apply(base, 50, new SplittableRandom(5));
        for (int i = 0; i < 150; i++) {
            assertTrue(Math.abs(jittered[i] - normalised[i]) <= 0.05 + 1e-6);
        }
        CloudAugmentation scaleOnly = new CloudAugmentation(0.5, 2, false, 0, 0, 0, 0);
        float[] scaled = scaleOnly.apply(base, 50, new SplittableRandom(6));
        double factor = scaled[0] / normalised[0];
        assertTrue(factor >= 0.5 && factor <= 2, "factor " + factor);
        for (int i = 0; i < 150; i++) {
            assertEquals(normalised[i] * factor, scaled[i], 1e-5);
        }
    }
}
