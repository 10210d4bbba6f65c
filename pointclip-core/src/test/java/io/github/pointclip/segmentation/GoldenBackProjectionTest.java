package io.github.pointclip.segmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.io.NpyArray;
import io.github.pointclip.projection.spi.SegmentationProjection;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dense stage against {@code shared/golden/segmentation} (README §2): given the golden tokens,
 * text, pixels and flags, the per-point logits and the interpolated features of the first 16 points
 * within 1e-6·max(1, |value|), the labels equal wherever the expected top-2 gap is at least 2e-3, for
 * g = 7 and 14 and both layouts; the interpolation matrices equal.
 */
class GoldenBackProjectionTest {

    private static final float[] ONES = filled(1f);
    private static final float[] AIRPLANE = {0.75f, 0.75f, 0.25f, 0.25f, 0.25f, 0.5f, 1f, 0.25f, 0.25f, 0.25f};
    private static final float[] MOTORBIKE = {0.75f, 0.75f, 0.25f, 0.25f, 0.5f, 0.75f, 0.25f, 0.75f, 1f, 0.25f};

    static Stream<Arguments> cases() {
        return Stream.of(
            Arguments.of("dense_g7_fixed", "mn40_chair_0391", 7, SegmentationLayout.FIXED, ONES),
            Arguments.of("dense_g7_official", "mn40_chair_0391", 7, SegmentationLayout.OFFICIAL, AIRPLANE),
            Arguments.of("dense_g14_fixed", "mn40_chair_0391", 14, SegmentationLayout.FIXED, MOTORBIKE),
            Arguments.of("dense_g14_official", "mn40_chair_0391", 14, SegmentationLayout.OFFICIAL, ONES),
            Arguments.of("dense_g14_fixed_synthetic_chair", "synthetic_chair_2048", 14, SegmentationLayout.FIXED, ONES));
    }

    static Path dir() {
        return SharedData.require("golden/segmentation");
    }

    static float[] read(String file) throws IOException {
        return NpyArray.read(dir().resolve(file)).data();
    }

    /** A projection made of the golden pixels and flags of a cloud (images and cells are not used here). */
    static SegmentationProjection projection(String cloud, SegmentationLayout layout) throws IOException {
        float[] pixels = read(cloud + "." + layout.id() + ".seg_pixel.npy");
        float[] seen = read(cloud + "." + layout.id() + ".seg_seen.npy");
        int n = seen.length / 10;
        int[] px = new int[pixels.length];
        for (int i = 0; i < px.length; i++) {
            px[i] = (int) pixels[i];
        }
        boolean[] flags = new boolean[seen.length];
        for (int i = 0; i < flags.length; i++) {
            flags[i] = seen[i] != 0f;
        }
        return SegmentationProjection.of(layout, 10, n, 224, new float[10 * 224 * 224], new int[10 * n * 3], px, flags);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void logitsLabelsAndFeaturesMatch(String name, String cloud, int g, SegmentationLayout layout, float[] weights)
            throws IOException {
        float[] tokens = read("dense.tokens_g" + g + ".npy");
        float[] text = read("dense.text.npy");
        SegmentationProjection projection = projection(cloud, layout);
        BackProjection back = new BackProjection(g, 224);
        double[] logits = back.pointLogits(tokens, 64, text, 4, projection, weights);
        float[] want = read(name + ".logits.npy");
        assertEquals(want.length, logits.length);
        for (int i = 0; i < want.length; i++) {
            // the golden float64 values arrive as float32 here: 6e-8 relative, well inside the bound
            assertEquals(want[i], logits[i], 1e-6 * Math.max(1, Math.abs(want[i])), name + " logit " + i);
        }
        float[] labels = read(name + ".labels.npy");
        int[] got = BackProjection.labels(logits, 4);
        int compared = 0;
        for (int i = 0; i < got.length; i++) {
            float[] row = Arrays.copyOfRange(want, 4 * i, 4 * i + 4);
            Arrays.sort(row);
            if (row[3] - row[2] >= 2e-3 || row[3] == 0f) {
                assertEquals((int) labels[i], got[i], name + " label of point " + i);
                compared++;
            }
        }
        assertTrue(compared > got.length * 9 / 10, name + ": labels compared at " + compared + " points");
        float[] features = read(name + ".features16.npy");
        for (int i = 0; i < 16; i++) {
            for (int v = 0; v < 10; v++) {
                double[] f = back.pointFeature(tokens, 64, projection, v, i);
                for (int d = 0; d < 64; d++) {
                    float e = features[(i * 10 + v) * 64 + d];
                    assertEquals(e, f[d], 1e-6 * Math.max(1, Math.abs(e)), name + " feature of point " + i + " view " + v);
                }
            }
        }
    }

    @Test
    void pointsSeenInNoViewGetZeroLogitsAndPartZero() throws IOException {
        SegmentationProjection projection = projection("mn40_chair_0391", SegmentationLayout.FIXED);
        double[] logits = new BackProjection(7, 224).pointLogits(read("dense.tokens_g7.npy"), 64,
            read("dense.text.npy"), 4, projection, ONES);
        int[] labels = BackProjection.labels(logits, 4);
        int unseen = 0;
        for (int i = 0; i < projection.pointCount(); i++) {
            boolean any = false;
            for (int v = 0; v < 10; v++) {
                any |= projection.seen(v, i);
            }
            if (!any) {
                unseen++;
                assertArrayEquals(new double[4], Arrays.copyOfRange(logits, 4 * i, 4 * i + 4));
                assertEquals(0, labels[i]);
            }
        }
        assertEquals(4, unseen, "the golden index lists 4 points seen in no view");
    }

    @ParameterizedTest(name = "g = {0}")
    @MethodSource("grids")
    void interpolationMatrixMatches(int g) throws IOException {
        float[] want = read("dense.interp_g" + g + ".npy");
        double[] got = BackProjection.interpolation(g, 224);
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-7, "R[" + i / g + "][" + i % g + "]");
        }
    }

    static Stream<Integer> grids() {
        return Stream.of(7, 14);
    }

    @Test
    void tiesGoToTheLowestPart() {
        assertArrayEquals(new int[] {0, 0, 1}, BackProjection.labels(new double[] {0, 0, 0, 2, 2, 1, -1, 3, 3}, 3));
    }

    private static float[] filled(float v) {
        float[] out = new float[10];
        Arrays.fill(out, v);
        return out;
    }
}
