package io.github.pointclip.projection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.io.NpyArray;
import io.github.pointclip.projection.spi.SegmentationProjection;
import io.github.pointclip.projection.spi.SegmentationProjector;
import io.github.pointclip.segmentation.SegmentationLayout;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The segmentation projection against {@code shared/golden/segmentation} (its README §1 and §5):
 * cells and pixels exactly equal in both layouts, visibility flags equal except the listed knife
 * edges, the CLIP input within 1e-4 on 99.9 % of pixels, the kernel within one ulp.
 */
class GoldenSegmentationProjectionTest {

    private static final SegmentationProjectorV2 PROJECTOR = new SegmentationProjectorV2();

    static List<String> clouds() {
        return List.of("mn40_chair_0391", "mn40_airplane_0126", "mn40_table_0330", "synthetic_chair_2048",
            "single_point", "near_duplicates_512");
    }

    static Path dir() {
        return SharedData.require("golden/segmentation");
    }

    static PointCloud cloud(String name) throws IOException {
        return PointCloud.of(NpyArray.read(dir().resolve(name + ".npy")).data());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clouds")
    void cellsPixelsAndFlagsOfBothLayoutsAreExact(String name) throws IOException {
        PointCloud cloud = cloud(name);
        int n = cloud.size();
        float[] cells = NpyArray.read(dir().resolve(name + ".seg_cell.npy")).data();
        for (SegmentationLayout layout : SegmentationLayout.values()) {
            SegmentationProjection p = PROJECTOR.project(cloud, layout);
            assertEquals(10, p.viewCount());
            assertEquals(n, p.pointCount());
            assertArrayEquals(toInt(cells), p.cells(), name + " cells");
            float[] pixels = NpyArray.read(dir().resolve(name + "." + layout.id() + ".seg_pixel.npy")).data();
            assertArrayEquals(toInt(pixels), p.pixels(), name + " " + layout.id() + " pixels");
            float[] seen = NpyArray.read(dir().resolve(name + "." + layout.id() + ".seg_seen.npy")).data();
            Set<Integer> knifeEdges = knifeEdges(name, layout);
            boolean[] flags = p.seenFlags();
            int differences = 0;
            for (int i = 0; i < flags.length; i++) {
                if (flags[i] != (seen[i] != 0f) && !knifeEdges.contains(i)) {
                    differences++;
                }
            }
            assertEquals(0, differences, name + " " + layout.id() + ": visibility flags that differ outside knife edges");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clouds")
    void clipInputMatches(String name) throws IOException {
        Path file = dir().resolve(name + ".seg_clip.npy");
        if (!Files.exists(file)) {
            return; // mn40_table_0330 has per-point stages only
        }
        float[] want = NpyArray.read(file).data();
        for (SegmentationLayout layout : SegmentationLayout.values()) {
            float[] got = PROJECTOR.project(cloud(name), layout).images();
            assertEquals(want.length, got.length);
            int bad = 0;
            double worst = 0;
            for (int i = 0; i < want.length; i++) {
                double d = Math.abs(want[i] - got[i]);
                worst = Math.max(worst, d);
                if (d > 1e-4) {
                    bad++;
                }
            }
            assertTrue(bad <= want.length / 1000, name + ": " + bad + " pixels off by more than 1e-4, worst " + worst);
            // the spec allows 1e-4; this port is within ~5e-7 everywhere (separable float32 smoothing), so guard that
            assertTrue(worst < 1e-5, name + ": worst pixel off by " + worst);
        }
    }

    @Test
    void kernelIsTheReferenceKernel() throws IOException {
        float[] want = NpyArray.read(dir().resolve("seg_kernel.npy")).data();
        float[] got = SegmentationProjectorV2.kernel();
        for (int i = 0; i < want.length; i++) {
            assertTrue(Math.abs(want[i] - got[i]) <= Math.ulp(want[i]), "kernel entry " + i + ": " + got[i] + " vs " + want[i]);
        }
    }

    @Test
    void singlePointLandsInTheCentreCellOfEveryView() throws IOException {
        SegmentationProjection p = PROJECTOR.project(cloud("single_point"), SegmentationLayout.FIXED);
        for (int v = 0; v < 10; v++) {
            assertEquals(112, p.cell(v, 0, 0));
            assertEquals(112, p.cell(v, 0, 1));
            assertEquals(68, p.cell(v, 0, 2));
            assertTrue(p.seen(v, 0), "a lone point is visible");
        }
    }

    @Test
    void isFoundByServiceLoader() {
        assertTrue(SegmentationProjector.load() instanceof SegmentationProjectorV2);
    }

    private static Set<Integer> knifeEdges(String name, SegmentationLayout layout) throws IOException {
        JsonNode index = new ObjectMapper().readTree(dir().resolve("index.json").toFile());
        Set<Integer> out = new HashSet<>();
        for (JsonNode c : index.get("clouds")) {
            if (c.get("name").asText().equals(name)) {
                int n = c.get("points").asInt();
                for (JsonNode pair : c.get("variants").get(layout.id()).get("knife_edge_pairs")) {
                    out.add(pair.get(0).asInt() * n + pair.get(1).asInt());
                }
            }
        }
        return out;
    }

    private static int[] toInt(float[] a) {
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (int) a[i];
        }
        return out;
    }
}
