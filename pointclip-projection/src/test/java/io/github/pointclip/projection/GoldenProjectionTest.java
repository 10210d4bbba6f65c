package io.github.pointclip.projection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.io.NpyArray;
import io.github.pointclip.projection.spi.DepthMaps;
import io.github.pointclip.projection.spi.Projector;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reproduces every reference depth map in {@code shared/golden/projection} within DESIGN §3's
 * tolerance: |Δ| ≤ 1e-4 on at least 99.9% of pixels.
 */
class GoldenProjectionTest {

    private static final double TOLERANCE = 1e-4;
    private static final double REQUIRED_SHARE = 0.999;

    static List<String> clouds() throws IOException {
        Path dir = SharedData.require("golden/projection");
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                .filter(n -> n.endsWith(".v1.npy"))
                .map(n -> n.substring(0, n.length() - ".v1.npy".length()))
                .sorted()
                .collect(Collectors.toList());
        }
    }

    @ParameterizedTest(name = "{0} V1")
    @MethodSource("clouds")
    void v1MatchesReference(String name) throws IOException {
        assertMatches(name, SparsePerspectiveProjector.pointClipV1(), "v1", 0);
    }

    @ParameterizedTest(name = "{0} V2")
    @MethodSource("clouds")
    void v2MatchesReference(String name) throws IOException {
        assertMatches(name, RealisticProjector.pointClipV2(), "v2", 0);
    }

    @Test
    void v1FewShotMatchesReference() throws IOException {
        assertMatches("chair_1024", SparsePerspectiveProjector.pointClipV1FewShot(), "v1fs", 0);
    }

    @Test
    void v1ResizedMatchesReference() throws IOException {
        assertMatches("chair_1024", SparsePerspectiveProjector.pointClipV1(), "v1_224", 224);
    }

    @Test
    void v2ResizedMatchesReference() throws IOException {
        assertMatches("chair_1024", RealisticProjector.pointClipV2(), "v2_224", 224);
    }

    static PointCloud load(String name) throws IOException {
        NpyArray points = NpyArray.read(SharedData.require("golden/projection/" + name + ".npy"));
        return PointCloud.of(points.data());
    }

    private static void assertMatches(String name, Projector projector, String suffix, int resize) throws IOException {
        NpyArray expected = NpyArray.read(SharedData.require("golden/projection/" + name + "." + suffix + ".npy"));
        DepthMaps maps = projector.project(load(name));
        if (resize > 0) {
            maps = maps.resize(resize);
        }
        assertArrayEquals(expected.shape(), new int[] {maps.viewCount(), maps.height(), maps.width()}, "shape");
        float[] want = expected.data();
        float[] got = maps.toArray();
        int bad = 0, exact = 0;
        double worst = 0;
        int worstIndex = -1;
        for (int i = 0; i < want.length; i++) {
            double diff = Math.abs((double) want[i] - got[i]);
            if (diff > TOLERANCE || Double.isNaN(diff)) {
                bad++;
            }
            if (want[i] == got[i]) {
                exact++;
            }
            if (diff > worst) {
                worst = diff;
                worstIndex = i;
            }
        }
        double share = 1.0 - (double) bad / want.length;
        String where = worstIndex < 0 ? "" : " worst |Δ| " + worst + " at [view " + worstIndex / (maps.height() * maps.width())
            + ", row " + worstIndex / maps.width() % maps.height() + ", col " + worstIndex % maps.width() + "] (want "
            + want[worstIndex] + ", got " + got[worstIndex] + ")";
        System.out.printf("%s.%s: %d/%d within 1e-4, %d exact;%s%n", name, suffix, want.length - bad, want.length, exact, where);
        assertTrue(share >= REQUIRED_SHARE, name + "." + suffix + ": only " + (want.length - bad) + " of " + want.length
            + " pixels within " + TOLERANCE + ";" + where);
    }
}
