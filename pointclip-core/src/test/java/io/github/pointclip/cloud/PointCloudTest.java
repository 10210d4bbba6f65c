package io.github.pointclip.cloud;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PointCloudTest {

    /** Point i is (i, 2i, 3i), so any point identifies its original index. */
    private static float[] indexed(int n) {
        float[] xyz = new float[3 * n];
        for (int i = 0; i < n; i++) {
            xyz[3 * i] = i;
            xyz[3 * i + 1] = 2 * i;
            xyz[3 * i + 2] = 3 * i;
        }
        return xyz;
    }

    private static PointCloud withIdAttribute(int n) {
        float[] id = new float[n];
        float[] pair = new float[2 * n];
        for (int i = 0; i < n; i++) {
            id[i] = i;
            pair[2 * i] = -i;
            pair[2 * i + 1] = 100 + i;
        }
        return PointCloud.builder().coordinates(indexed(n)).attribute("id", id).attribute("pair", pair).build();
    }

    @Test
    void emptyCloudIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PointCloud.of(new float[0]));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PointCloud.builder().coordinates(new float[0]).build());
        assertThrows(IllegalArgumentException.class, () -> PointCloud.builder().build());
    }

    @Test
    void lengthMustBeMultipleOfThree() {
        assertThrows(IllegalArgumentException.class, () -> PointCloud.of(new float[] {1, 2}));
    }

    @Test
    void firstNonFinitePointIsNamed() {
        float[] xyz = {0, 0, 0, 1, 1, 1, 2, Float.NaN, 2, 3, Float.POSITIVE_INFINITY, 3};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PointCloud.of(xyz));
        assertTrue(e.getMessage().contains("point 2"), e.getMessage());
        assertTrue(e.getMessage().contains(" y "), e.getMessage());
    }

    @Test
    void droppingNonFiniteKeepsOrderAndAttributeRows() {
        float[] xyz = {0, 0, 0, 1, Float.NaN, 1, 2, 2, 2, Float.NEGATIVE_INFINITY, 3, 3};
        PointCloud cloud = PointCloud.builder().coordinates(xyz).attribute("id", new float[] {10, 11, 12, 13})
            .dropNonFinite(true).build();
        assertArrayEquals(new float[] {0, 0, 0, 2, 2, 2}, cloud.toArray());
        assertArrayEquals(new float[] {10, 12}, cloud.attribute("id"));
        assertEquals(PointCloud.of(new float[] {0, 0, 0, 2, 2, 2}), PointCloud.ofDroppingNonFinite(xyz));
        assertThrows(IllegalArgumentException.class,
            () -> PointCloud.ofDroppingNonFinite(new float[] {Float.NaN, 0, 0}));
    }

    @Test
    void inputArraysAreCopied() {
        float[] xyz = {1, 2, 3};
        float[] attr = {7};
        PointCloud cloud = PointCloud.builder().coordinates(xyz).attribute("a", attr).build();
        xyz[0] = 99;
        attr[0] = 99;
        cloud.toArray()[1] = 99;
        cloud.attribute("a")[0] = 99;
        assertArrayEquals(new float[] {1, 2, 3}, cloud.toArray());
        assertArrayEquals(new float[] {7}, cloud.attribute("a"));
    }

    @Test
    void attributeLengthIsValidated() {
        assertThrows(IllegalArgumentException.class,
            () -> PointCloud.builder().coordinates(indexed(3)).attribute("bad", new float[4]).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> PointCloud.of(indexed(2)).attribute("missing"));
        assertTrue(e.getMessage().contains("missing"));
    }

    @Test
    void firstKeepsPrefixAndAttributes() {
        PointCloud cloud = withIdAttribute(10);
        PointCloud head = cloud.first(4);
        assertEquals(4, head.size());
        assertArrayEquals(java.util.Arrays.copyOf(indexed(10), 12), head.toArray());
        assertArrayEquals(new float[] {0, 1, 2, 3}, head.attribute("id"));
        assertArrayEquals(new float[] {0, 100, -1, 101, -2, 102, -3, 103}, head.attribute("pair"));
        assertEquals(2, head.attributeWidth("pair"));
        assertSame(cloud, cloud.first(10));
        assertSame(cloud, cloud.first(50));
        assertThrows(IllegalArgumentException.class, () -> cloud.first(0));
    }

    @Test
    void sampleIsDeterministicDistinctAndCarriesAttributes() {
        PointCloud cloud = withIdAttribute(1000);
        PointCloud a = cloud.sample(100, 42);
        PointCloud b = cloud.sample(100, 42);
        PointCloud c = cloud.sample(100, 43);
        assertEquals(a, b);
        assertFalse(java.util.Arrays.equals(a.toArray(), c.toArray()), "different seeds should give different samples");
        Set<Integer> seen = new HashSet<>();
        float[] ids = a.attribute("id");
        float[] pair = a.attribute("pair");
        for (int k = 0; k < a.size(); k++) {
            int i = (int) a.x(k);
            assertTrue(seen.add(i), "point " + i + " sampled twice");
            assertEquals(2f * i, a.y(k));
            assertEquals(3f * i, a.z(k));
            assertEquals(i, ids[k]);
            assertEquals(-i, pair[2 * k]);
            assertEquals(100 + i, pair[2 * k + 1]);
        }
        assertEquals(100, seen.size());
    }

    @Test
    void sampleOfAllPointsIsAPermutation() {
        PointCloud cloud = PointCloud.of(indexed(50));
        PointCloud all = cloud.sample(80, 1);
        assertEquals(50, all.size());
        Set<Float> xs = new HashSet<>();
        for (int k = 0; k < all.size(); k++) {
            xs.add(all.x(k));
        }
        assertEquals(50, xs.size());
        assertThrows(IllegalArgumentException.class, () -> cloud.sample(0, 1));
    }

    @Test
    void boundsAndEquality() {
        PointCloud cloud = PointCloud.of(new float[] {1, -2, 3, -4, 5, 0.5f});
        assertArrayEquals(new float[] {-4, -2, 0.5f, 1, 5, 3}, cloud.bounds());
        PointCloud same = PointCloud.of(new float[] {1, -2, 3, -4, 5, 0.5f});
        assertEquals(cloud, same);
        assertEquals(cloud.hashCode(), same.hashCode());
        PointCloud withAttr = PointCloud.builder().coordinates(cloud.toArray()).attribute("a", new float[2]).build();
        assertNotEquals(cloud, withAttr);
        float[] dst = new float[8];
        cloud.copyTo(dst, 1);
        assertArrayEquals(new float[] {0, 1, -2, 3, -4, 5, 0.5f, 0}, dst);
    }
}
