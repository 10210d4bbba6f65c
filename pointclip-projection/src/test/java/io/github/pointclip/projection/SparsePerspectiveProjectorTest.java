package io.github.pointclip.projection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.projection.spi.DepthMaps;
import io.github.pointclip.projection.spi.View;
import io.github.pointclip.projection.spi.ViewRig;
import org.junit.jupiter.api.Test;

class SparsePerspectiveProjectorTest {

    /** A camera looking down +z from z = −2: camera coordinates are (x, y, z + 2). */
    private static SparsePerspectiveProjector straightCamera(int size) {
        return SparsePerspectiveProjector.builder().views(ViewRig.of(View.of(0, 0, 0, 0, 0, -2))).size(size).build();
    }

    @Test
    void pointAtOriginLandsInTheCentrePixelOfEveryViewWithItsDepth() {
        DepthMaps maps = SparsePerspectiveProjector.pointClipV1().project(PointCloud.of(new float[] {0, 0, 0}));
        for (int v = 0; v < 6; v++) {
            // u = 0 → fx = 64 → row = ceil(63.5) = 64; depth = 0 + 1.6
            assertEquals(1.6f, maps.get(v, 64, 64), 1e-6f, "view " + v);
            float sum = 0;
            for (float f : maps.view(v)) {
                sum += f;
            }
            assertEquals(maps.get(v, 64, 64), sum, 1e-6f, "only one pixel set in view " + v);
        }
    }

    @Test
    void pixelHoldsTheHarmonicMeanOfItsDepths() {
        // camera depths 2 and 6: points (0.2, 0.2, 0) and (0.6, 0.6, 4) both give u = v = 0.1
        PointCloud cloud = PointCloud.of(new float[] {0.2f, 0.2f, 0f, 0.6f, 0.6f, 4f});
        DepthMaps maps = straightCamera(100).project(cloud);
        // fx = (0.1 + 1)·50 = 55 → row = ceil(54.5) = 55
        assertEquals(2.0 / (1 / 2.0 + 1 / 6.0), maps.get(0, 55, 55), 1e-5);
    }

    @Test
    void halfPixelPositionsRoundDown() {
        // u = 0.01 → fx = (1.01)·50 = 50.5 → ceil(50.0) = 50, not 51
        PointCloud cloud = PointCloud.of(new float[] {0.02f, 0.02f, 0f});
        DepthMaps maps = straightCamera(100).project(cloud);
        assertEquals(2f, maps.get(0, 50, 50), 1e-6f);
    }

    @Test
    void pointsBehindTheCameraOrOutsideTheImageAreDropped() {
        PointCloud cloud = PointCloud.of(new float[] {0, 0, -3f, 5f, 0, 0, 0, 0, 0});
        float[] map = straightCamera(64).project(cloud).toArray();
        int set = 0;
        for (float f : map) {
            set += f != 0 ? 1 : 0;
        }
        assertEquals(1, set, "only the point in front of the camera and inside the image is drawn");
    }

    @Test
    void identicalPointsGiveTheSingleDepth() {
        float[] xyz = new float[300];
        for (int i = 0; i < 100; i++) {
            xyz[3 * i] = 0.1f;
            xyz[3 * i + 1] = -0.2f;
            xyz[3 * i + 2] = 0.3f;
        }
        SparsePerspectiveProjector p = SparsePerspectiveProjector.pointClipV1();
        float[] many = p.project(PointCloud.of(xyz)).toArray();
        float[] one = p.project(PointCloud.of(new float[] {0.1f, -0.2f, 0.3f})).toArray();
        // float32 sums over 100 equal terms, as in the reference, round to within a few ulps
        assertArrayEquals(one, many, 1e-5f);
    }

    @Test
    void projectIntoReusesTheCallersArrayAndOverwritesOldContent() {
        SparsePerspectiveProjector p = SparsePerspectiveProjector.pointClipV1();
        float[] out = new float[p.outputLength()];
        java.util.Arrays.fill(out, 42f);
        assertSame(out, p.projectInto(PointCloud.of(new float[] {0, 0, 0}), out));
        assertEquals(0f, out[0]);
        assertEquals(6 * 128 * 128, p.outputLength());
    }

    @Test
    void invalidSizesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> SparsePerspectiveProjector.builder().size(0).build());
    }
}
