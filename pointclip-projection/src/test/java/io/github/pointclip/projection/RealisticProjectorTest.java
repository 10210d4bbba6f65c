package io.github.pointclip.projection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.projection.kernel.ExponentialKernel;
import io.github.pointclip.projection.kernel.SmoothingKernel;
import io.github.pointclip.projection.spi.DepthMaps;
import org.junit.jupiter.api.Test;

class RealisticProjectorTest {

    /** A 1×1 kernel of weight 1: no smoothing, so the image is the pooled grid. */
    private static final SmoothingKernel IDENTITY = new SmoothingKernel() {
        @Override
        public int size() {
            return 1;
        }

        @Override
        public float[] weights() {
            return new float[] {1f};
        }

        @Override
        public String description() {
            return "identity";
        }
    };

    @Test
    void singlePointWithoutSmoothingIsASevenBySevenBlockAtTheCentre() {
        RealisticProjector p = RealisticProjector.builder().kernel(IDENTITY).build();
        DepthMaps maps = p.project(PointCloud.of(new float[] {0.3f, -0.1f, 0.7f}));
        // a single point is its own box centre: x' = 0 → grid cell ceil(56) = 56, pooled outputs 52…58
        for (int v = 0; v < maps.viewCount(); v++) {
            for (int r = 0; r < 110; r++) {
                for (int c = 0; c < 110; c++) {
                    boolean inside = r >= 52 && r <= 58 && c >= 52 && c <= 58;
                    assertEquals(inside ? 0f : 1f, maps.get(v, r, c), "view " + v + " (" + r + ", " + c + ")");
                }
            }
        }
    }

    @Test
    void nearerSurfaceIsDarkerThanTheBackgroundAndFarthestIsZero() {
        // two points on the camera axis at different depths and different x: the one with the
        // larger depth value (farther in the grid's convention) becomes 0
        RealisticProjector p = RealisticProjector.builder().kernel(IDENTITY).build();
        DepthMaps maps = p.project(PointCloud.of(new float[] {0, 0, 0, 0.5f, 0.5f, 0.5f}));
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float f : maps.view(0)) {
            min = Math.min(min, f);
            max = Math.max(max, f);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
    }

    @Test
    void identicalPointsBehaveLikeOnePoint() {
        float[] xyz = new float[3 * 50];
        for (int i = 0; i < 50; i++) {
            xyz[3 * i] = -0.4f;
            xyz[3 * i + 1] = 0.2f;
            xyz[3 * i + 2] = 0.9f;
        }
        RealisticProjector p = RealisticProjector.pointClipV2();
        assertArrayEquals(p.project(PointCloud.of(new float[] {-0.4f, 0.2f, 0.9f})).toArray(),
            p.project(PointCloud.of(xyz)).toArray());
    }

    @Test
    void smoothingSpreadsTheBlockEdgeByTheKernel() {
        SmoothingKernel kernel = new ExponentialKernel(3, 1.0);
        RealisticProjector p = RealisticProjector.builder().kernel(kernel).build();
        DepthMaps maps = p.project(PointCloud.of(new float[] {0, 0, 0}));
        float[] w = kernel.weights();
        // block of value d at rows/cols 52…58; the pixel diagonally outside the corner (51, 51) sees only the
        // block corner (52, 52) through weight w[2][2]; the block interior sees the whole kernel, which sums to 1
        float interior = 1f; // normalised by the max, which is the interior value d·Σw = d
        float corner = w[8] / interior;
        assertEquals(1f - corner, maps.get(0, 51, 51), 1e-6f);
        assertEquals(0f, maps.get(0, 55, 55), 1e-6f);
        assertEquals(1f, maps.get(0, 50, 50), 0f);
    }

    @Test
    void concurrentProjectionsGiveTheSameMaps() throws Exception {
        RealisticProjector p = RealisticProjector.pointClipV2();
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        PointCloud[] clouds = new PointCloud[8];
        float[][] expected = new float[clouds.length][];
        for (int k = 0; k < clouds.length; k++) {
            float[] xyz = new float[3 * 500];
            for (int i = 0; i < xyz.length; i++) {
                xyz[i] = (float) random.nextDouble(-1, 1);
            }
            clouds[k] = PointCloud.of(xyz);
            expected[k] = p.project(clouds[k]).toArray();
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<float[]>> futures = new java.util.ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (PointCloud cloud : clouds) {
                    futures.add(pool.submit(() -> p.projectInto(cloud, null)));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertArrayEquals(expected[i % clouds.length], futures.get(i).get(), "task " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void steadyStateProjectionDoesNotAllocate() {
        RealisticProjector v2 = RealisticProjector.pointClipV2();
        SparsePerspectiveProjector v1 = SparsePerspectiveProjector.pointClipV1();
        float[] xyz = new float[3 * 1024];
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int i = 0; i < xyz.length; i++) {
            xyz[i] = (float) random.nextDouble(-1, 1);
        }
        PointCloud cloud = PointCloud.of(xyz);
        float[] out2 = new float[v2.outputLength()];
        float[] out1 = new float[v1.outputLength()];
        com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        v2.projectInto(cloud, out2);
        v1.projectInto(cloud, out1);
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 20; i++) {
            v2.projectInto(cloud, out2);
            v1.projectInto(cloud, out1);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // the measurement itself may allocate a few bytes; a per-call buffer would be ≥ 484 KB
        org.junit.jupiter.api.Assertions.assertTrue(allocated < 4096, "allocated " + allocated + " bytes");
    }

    @Test
    void invalidParametersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> RealisticProjector.builder().resolution(2).build());
        assertThrows(IllegalArgumentException.class, () -> RealisticProjector.builder().pooling(3, 2).build());
        assertThrows(IllegalArgumentException.class, () -> RealisticProjector.builder().objectRatio(0f).build());
        assertThrows(IllegalArgumentException.class, () -> new ExponentialKernel(2, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new ExponentialKernel(3, -1.0));
    }
}
