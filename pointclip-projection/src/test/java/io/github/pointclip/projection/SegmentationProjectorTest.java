package io.github.pointclip.projection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.io.NpyArray;
import io.github.pointclip.projection.spi.SegmentationProjection;
import io.github.pointclip.segmentation.SegmentationLayout;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Edge clouds, the rotation arithmetic that decides border cells, and concurrent use. */
class SegmentationProjectorTest {

    private static final SegmentationProjectorV2 PROJECTOR = new SegmentationProjectorV2();

    @Test
    void identicalPointsBehaveLikeOnePoint() {
        float[] xyz = new float[3 * 7];
        for (int i = 0; i < 7; i++) {
            xyz[3 * i] = 0.3f;
            xyz[3 * i + 1] = -0.2f;
            xyz[3 * i + 2] = 0.9f;
        }
        SegmentationProjection many = PROJECTOR.project(PointCloud.of(xyz), SegmentationLayout.FIXED);
        SegmentationProjection one = PROJECTOR.project(PointCloud.of(new float[] {5f, 5f, 5f}), SegmentationLayout.FIXED);
        assertArrayEquals(one.images(), many.images(), "zero extent: scale 1, the same image wherever the point is");
        for (int v = 0; v < 10; v++) {
            for (int i = 0; i < 7; i++) {
                assertEquals(112, many.cell(v, i, 0));
                assertEquals(112, many.cell(v, i, 1));
                assertEquals(68, many.cell(v, i, 2));
                assertTrue(many.seen(v, i));
                assertEquals(PointClipPixel.of(112), many.pixelRow(v, i));
            }
        }
    }

    @Test
    void coordinatesWhoseCentreOverflowsFloat32AreRefusedNamingTheView() {
        // max + min of 2e38 and 2.1e38 is 4.1e38 > Float.MAX_VALUE: the centre would be infinite and the cells garbage
        float[] xyz = {2e38f, 2e38f, 2e38f, 2.1e38f, 2.1e38f, 2.1e38f};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> PROJECTOR.project(PointCloud.of(xyz), SegmentationLayout.FIXED));
        assertTrue(e.getMessage().startsWith("view 0: "), e.getMessage());
        assertTrue(e.getMessage().contains("overflows float32"), e.getMessage());
        // large but safe: the same cloud scaled to 1e37 projects, with cells inside the grid
        float[] small = {2e37f, 2e37f, 2e37f, 2.1e37f, 2.1e37f, 2.1e37f, 2.05e37f, 2e37f, 2.1e37f};
        SegmentationProjection p = PROJECTOR.project(PointCloud.of(small), SegmentationLayout.OFFICIAL);
        for (int v = 0; v < 10; v++) {
            for (int i = 0; i < 3; i++) {
                assertTrue(p.cell(v, i, 0) >= 1 && p.cell(v, i, 0) <= 222);
                assertTrue(p.cell(v, i, 2) >= 0 && p.cell(v, i, 2) <= 112, "depth cell " + p.cell(v, i, 2));
            }
        }
    }

    @Test
    void aLargeCloudsScratchIsNotKeptByTheThread() {
        SegmentationProjectorV2 projector = new SegmentationProjectorV2();
        java.util.Random random = new java.util.Random(7);
        float[] small = new float[3 * 1000];
        for (int i = 0; i < small.length; i++) {
            small[i] = random.nextFloat();
        }
        SegmentationProjection before = projector.project(PointCloud.of(small), SegmentationLayout.FIXED);
        assertEquals(1000, projector.retainedScratchPoints(), "a small cloud's scratch is reused");
        int n = SegmentationProjectorV2.RETAINED_POINTS + 1;
        float[] large = new float[3 * n];
        for (int i = 0; i < large.length; i++) {
            large[i] = random.nextFloat();
        }
        SegmentationProjection big = projector.project(PointCloud.of(large), SegmentationLayout.FIXED);
        assertEquals(n, big.pointCount());
        assertEquals(0, projector.retainedScratchPoints(), "per-point scratch above the threshold is dropped");
        SegmentationProjection after = projector.project(PointCloud.of(small), SegmentationLayout.FIXED);
        assertArrayEquals(before.images(), after.images(), "the same answer after the large cloud");
    }

    @Test
    void pixelsFollowTheFloat32FormulaOfTheCropAndAreClampedToTheImage() {
        for (int c = 20; c <= 203; c++) {
            float f = (float) (c - 20) * 224f * (1f / 184f); // SEGMENTATION.md §2.11, float32
            assertEquals((int) Math.ceil(f), SegmentationProjectorV2.pixel(c), "P(" + c + ")");
        }
        assertEquals(18, SegmentationProjectorV2.pixel(34));
        assertEquals(0, SegmentationProjectorV2.pixel(1), "outside the crop: clamped to the image");
        assertEquals(223, SegmentationProjectorV2.pixel(222));
    }

    /**
     * The golden chair has a point on a cell border: accumulating the rotations in float32 moves it to the
     * next cell, the exact dot products of SEGMENTATION.md §2.1.1 (as the projector does) do not.
     */
    @Test
    void float32AccumulatedRotationsWouldMoveABorderCell() throws IOException {
        PointCloud chair = PointCloud.of(NpyArray.read(SharedData.require("golden/segmentation/mn40_chair_0391.npy")).data());
        float[] golden = NpyArray.read(SharedData.require("golden/segmentation/mn40_chair_0391.seg_cell.npy")).data();
        int[] exact = PROJECTOR.project(chair, SegmentationLayout.FIXED).cells();
        int[] accumulated = float32Cells(chair);
        int exactDiffers = 0, accumulatedDiffers = 0;
        for (int i = 0; i < golden.length; i++) {
            exactDiffers += exact[i] != (int) golden[i] ? 1 : 0;
            accumulatedDiffers += accumulated[i] != (int) golden[i] ? 1 : 0;
        }
        assertEquals(0, exactDiffers);
        assertTrue(accumulatedDiffers > 0, "the chair exercises a border cell");
    }

    @Test
    void concurrentProjectionsAreIdentical() throws Exception {
        PointCloud chair = PointCloud.of(NpyArray.read(
            SharedData.require("golden/segmentation/synthetic_chair_2048.npy")).data());
        SegmentationProjection one = PROJECTOR.project(chair, SegmentationLayout.OFFICIAL);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<SegmentationProjection>> all = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                all.add(pool.submit(() -> PROJECTOR.project(chair, SegmentationLayout.OFFICIAL)));
            }
            for (Future<SegmentationProjection> f : all) {
                SegmentationProjection p = f.get();
                assertArrayEquals(one.images(), p.images());
                assertArrayEquals(one.pixels(), p.pixels());
                assertArrayEquals(one.seenFlags(), p.seenFlags());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The cells with every 3×3 product accumulated in float32 (the deviation §2.1.1 warns about). */
    private static int[] float32Cells(PointCloud cloud) {
        int n = cloud.size();
        int[] out = new int[10 * n * 3];
        for (int v = 0; v < 10; v++) {
            float[][] rot = rotations(v);
            float[] cam = new float[3 * n];
            for (int i = 0; i < n; i++) {
                float[] p = {cloud.x(i), cloud.y(i), cloud.z(i)};
                for (float[] r : rot) {
                    float[] q = new float[3];
                    for (int k = 0; k < 3; k++) {
                        float acc = r[3 * k] * p[0];
                        acc += r[3 * k + 1] * p[1];
                        acc += r[3 * k + 2] * p[2];
                        q[k] = acc;
                    }
                    p = q;
                }
                cam[3 * i] = p[0] + 0.5f;
                cam[3 * i + 1] = p[1] + 0.5f;
                cam[3 * i + 2] = p[2] + 1.5f;
            }
            float[] lo = {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE};
            float[] hi = {-Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < 3; a++) {
                    lo[a] = Math.min(lo[a], cam[3 * i + a]);
                    hi[a] = Math.max(hi[a], cam[3 * i + a]);
                }
            }
            float s = Math.max(hi[0] - lo[0], Math.max(hi[1] - lo[1], hi[2] - lo[2]));
            for (int i = 0; i < n; i++) {
                float[] q = new float[3];
                for (int a = 0; a < 3; a++) {
                    q[a] = (cam[3 * i + a] - (hi[a] + lo[a]) * 0.5f) / s * 2f;
                }
                int k = 3 * (v * n + i);
                out[k] = Math.max(1, Math.min(222, (int) Math.ceil((q[0] * 0.7f + 1f) * 0.5f * 224f)));
                out[k + 1] = Math.max(1, Math.min(222, (int) Math.ceil((q[1] * 0.7f + 1f) * 0.5f * 224f)));
                out[k + 2] = (int) Math.ceil(((q[2] + 1f) * 0.5f + 0.3f) * (1f / 1.3f) * 110f);
            }
        }
        return out;
    }

    private static float[][] rotations(int v) {
        float halfPi = (float) (Math.PI / 2);
        if (v < 8) {
            return new float[][] {SegmentationProjectorV2.rotation((float) (v % 4 * Math.PI / 2), 0f, halfPi),
                v < 4 ? SegmentationProjectorV2.rotation((float) (Math.PI / 4), 0f, 0f)
                    : SegmentationProjectorV2.rotation(0f, 0f, 0f),
                SegmentationProjectorV2.rotation(0f, (float) (Math.PI / 9), 0f)};
        }
        return new float[][] {SegmentationProjectorV2.rotation(0f, v == 8 ? (float) (-Math.PI / 2) : halfPi, halfPi),
            SegmentationProjectorV2.rotation((float) (Math.PI / 15), 0f, 0f),
            SegmentationProjectorV2.rotation(0f, (float) (Math.PI / 15), 0f)};
    }

    /** The pixel of grid cell c, ⌈28·(c − 20)/23⌉. */
    private static final class PointClipPixel {
        static int of(int c) {
            return (int) Math.ceil(28.0 * (c - 20) / 23.0);
        }
    }
}
