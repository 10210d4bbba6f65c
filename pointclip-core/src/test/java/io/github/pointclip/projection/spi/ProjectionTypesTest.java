package io.github.pointclip.projection.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.pointclip.cloud.PointCloud;
import org.junit.jupiter.api.Test;

class ProjectionTypesTest {

    @Test
    void rotationAboutZByAQuarterTurnMapsXToY() {
        float[] out = new float[3];
        View.of(0, 0, Math.PI / 2, 0, 0, 0).transform(PointCloud.of(new float[] {1, 0, 0}), out);
        assertArrayEquals(new float[] {0, 1, 0}, out, 1e-6f);
    }

    @Test
    void eulerAnglesComposeAsRxRyRzAndTranslationIsSubtracted() {
        // Rx(π/2)·Rz(π/2)·(1,0,0): Rz gives (0,1,0), Rx turns y into z → (0,0,1); minus t
        float[] out = new float[3];
        View.of(Math.PI / 2, 0, Math.PI / 2, 1, 2, 3).transform(PointCloud.of(new float[] {1, 0, 0}), out);
        assertArrayEquals(new float[] {-1, -2, -2}, out, 1e-6f);
    }

    @Test
    void secondRotationIsAppliedAfterTheFirst() {
        float[] out = new float[3];
        // Rz(π/2) then Ry(π/2): (1,0,0) → (0,1,0) → (0,1,0); and (0,0,1) → (0,0,1) → (1,0,0)
        View view = View.of(0, 0, Math.PI / 2, 0, 0, 0).thenRotate(0, Math.PI / 2, 0);
        view.transform(PointCloud.of(new float[] {0, 0, 1}), out);
        assertArrayEquals(new float[] {1, 0, 0}, out, 1e-6f);
    }

    @Test
    void quarterTurnCosineIsTheFloat32Value() {
        float[] m = View.eulerToMatrix(0, 0, (float) (Math.PI / 2));
        assertEquals(-4.371139e-8f, m[0], 1e-13f, "cos((float) π/2) is not 0 in float32");
    }

    @Test
    void bilinearResizeReproducesLinearRampsAndKeepsCorners() {
        int h = 5, w = 7, oh = 9, ow = 13;
        float[] src = new float[h * w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                src[r * w + c] = 2f * r - 0.5f * c;
            }
        }
        float[] dst = new float[oh * ow];
        new BilinearResize(h, w, oh, ow).resize(src, 0, dst, 0);
        for (int r = 0; r < oh; r++) {
            for (int c = 0; c < ow; c++) {
                double sr = r * (h - 1) / (double) (oh - 1), sc = c * (w - 1) / (double) (ow - 1);
                assertEquals(2 * sr - 0.5 * sc, dst[r * ow + c], 1e-5, "(" + r + ", " + c + ")");
            }
        }
        assertEquals(src[0], dst[0]);
        assertEquals(src[h * w - 1], dst[oh * ow - 1]);
    }

    @Test
    void depthMapsResizeEveryViewAndValidateShape() {
        ViewRig rig = ViewRig.of(View.of(0, 0, 0, 0, 0, 0), View.of(1, 0, 0, 0, 0, 0));
        DepthMaps maps = DepthMaps.of(new float[] {1, 1, 1, 1, 3, 3, 3, 3}, rig, 2, 2);
        DepthMaps big = maps.resize(4);
        assertEquals(4, big.height());
        assertEquals(1f, big.get(0, 3, 3));
        assertEquals(3f, big.get(1, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> DepthMaps.of(new float[7], rig, 2, 2));
    }

    @Test
    void presetsHaveTheReferenceViewCounts() {
        assertEquals(6, ViewRig.pointClipV1().size());
        assertEquals(10, ViewRig.pointClipV1FewShot().size());
        assertEquals(10, ViewRig.pointClipV2().size());
        assertArrayEquals(new float[] {0, (float) (Math.PI / 15), 0}, ViewRig.pointClipV2().view(9).secondAngles());
    }
}
