package io.github.pointclip.segmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built-in ShapeNetPart table against the release's own files and the PointCLIP V2 prompt candidates. */
class ShapeNetPartTest {

    /** SEGMENTATION.md §4: the candidate index the release chose for each part, in part order. */
    private static final Map<String, int[]> OFFICIAL_INDICES = Map.ofEntries(
        Map.entry("airplane", new int[] {50, 225, 172, 409}), Map.entry("bag", new int[] {489, 614}),
        Map.entry("cap", new int[] {26, 563}), Map.entry("car", new int[] {484, 177, 51, 45}),
        Map.entry("chair", new int[] {561, 178, 317, 339}), Map.entry("earphone", new int[] {519, 521, 495}),
        Map.entry("guitar", new int[] {404, 593, 227}), Map.entry("knife", new int[] {115, 317}),
        Map.entry("lamp", new int[] {288, 299}), Map.entry("laptop", new int[] {138, 162}),
        Map.entry("motorbike", new int[] {96, 274, 443, 262, 282, 58}), Map.entry("mug", new int[] {414, 461}),
        Map.entry("pistol", new int[] {701, 230, 557}), Map.entry("rocket", new int[] {635, 313, 317}),
        Map.entry("skateboard", new int[] {389, 624, 577}), Map.entry("table", new int[] {635, 94, 81}));

    @Test
    void officialPromptsAreTheReleasesChosenCandidates() throws IOException {
        JsonNode candidates = new ObjectMapper().readTree(
            SharedData.require("prompts/pointclip-v2-shapenetpart-candidates.json").toFile());
        List<String> categories = new ArrayList<>();
        candidates.fieldNames().forEachRemaining(categories::add);
        assertEquals(ShapeNetPart.names(), categories, "category order");
        for (PartCategory c : ShapeNetPart.categories()) {
            JsonNode parts = candidates.get(c.name());
            List<String> names = new ArrayList<>();
            parts.fieldNames().forEachRemaining(names::add);
            assertEquals(names, c.partNames(), c.name() + " part names and order");
            int[] chosen = OFFICIAL_INDICES.get(c.name());
            for (int p = 0; p < names.size(); p++) {
                assertEquals(parts.get(names.get(p)).get(chosen[p]).asText(), c.officialPrompts().get(p),
                    c.name() + " part " + p);
            }
        }
        PartCategory table = ShapeNetPart.category("table");
        assertEquals(table.officialPrompts().get(1), table.officialPrompts().get(2), "D2: table parts 1 and 2 tie");
    }

    @Test
    void partTableMatchesTheReleaseFilesAndTheMetricCode() throws IOException {
        var mini = SharedData.require("data/shapenetpart-mini");
        List<String> lines = Files.readAllLines(mini.resolve("all_object_categories.txt"), StandardCharsets.UTF_8);
        JsonNode overall = new ObjectMapper().readTree(mini.resolve("overallid_to_catid_partid.json").toFile());
        JsonNode segNum = new ObjectMapper().readTree(
            SharedData.require("golden/segmentation/metrics.json").toFile()).get("definitions").get("seg_num");
        assertEquals(ShapeNetPart.CATEGORY_COUNT, lines.size());
        assertEquals(ShapeNetPart.PART_COUNT, overall.size());
        for (int k = 0; k < lines.size(); k++) {
            PartCategory c = ShapeNetPart.category(k);
            String[] fields = lines.get(k).split("\t");
            assertEquals(fields[0], ShapeNetPart.category(fields[0]).name().substring(0, 1).toUpperCase()
                + c.name().substring(1));
            assertEquals(k, c.index());
            assertEquals(fields[1], c.synset());
            assertEquals(segNum.get(c.name()).asInt(), c.partCount(), c.name());
        }
        for (int id = 0; id < overall.size(); id++) {
            PartCategory c = ShapeNetPart.categoryOfPart(id);
            assertEquals(overall.get(id).get(0).asText(), c.synset(), "part " + id);
            assertEquals(overall.get(id).get(1).asInt() - 1, c.localPart(id), "part " + id);
            assertEquals(id, c.globalPart(c.localPart(id)));
        }
    }

    @Test
    void lampCountsFourPartsButPromptsTwo() {
        PartCategory lamp = ShapeNetPart.category("Lamp");
        assertEquals(4, lamp.partCount());
        assertEquals(List.of("leg or wire", "lampshade"), lamp.partNames());
        assertEquals(2, lamp.officialPrompts().size());
        for (PartCategory c : ShapeNetPart.categories()) {
            if (c != lamp) {
                assertEquals(c.partCount(), c.partNames().size(), c.name());
            }
        }
    }

    @Test
    void officialViewWeights() {
        assertArrayEquals(new float[] {0.75f, 0.75f, 0.25f, 0.25f, 0.5f, 0.75f, 0.25f, 0.75f, 1f, 0.25f},
            ShapeNetPart.category("motorbike").officialViewWeights());
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, ShapeNetPart.category("chair").officialViewWeights());
        float[] w = ShapeNetPart.category("airplane").officialViewWeights();
        w[0] = 9;
        assertEquals(0.75f, ShapeNetPart.category("airplane").officialViewWeights()[0], "a copy");
    }

    @Test
    void unknownNamesAndPartsAreRefused() {
        assertTrue(ShapeNetPart.find("sofa").isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShapeNetPart.category("sofa"));
        assertTrue(e.getMessage().startsWith("'sofa' is not a ShapeNetPart category; the categories are [airplane, bag"),
            e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> ShapeNetPart.categoryOfPart(50));
        IllegalArgumentException part = assertThrows(IllegalArgumentException.class,
            () -> ShapeNetPart.category("chair").localPart(16));
        assertEquals("part 16 is not a part of chair (its parts are 12..15)", part.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> ShapeNetPart.category("chair").globalPart(4));
    }
}
