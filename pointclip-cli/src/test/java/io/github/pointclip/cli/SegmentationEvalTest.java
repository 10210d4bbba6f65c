package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.PointClip;
import io.github.pointclip.dataset.PartDataset;
import io.github.pointclip.dataset.PartSample;
import io.github.pointclip.dataset.Split;
import io.github.pointclip.segmentation.PartPrompts;
import io.github.pointclip.segmentation.SegmentationLayout;
import io.github.pointclip.segmentation.SegmentationOptions;
import io.github.pointclip.segmentation.ShapeScore;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval --task segmentation} on shapenetpart-mini's 20 test shapes with the tiny model: stdout is exactly
 * the JSON object, its figures are the per-shape IoUs of the API's answers averaged as SEGMENTATION.md
 * §7 says (recomputed here shape by shape), the categories and their shape counts are the dataset README's, and
 * the report has its table and pictures.
 */
class SegmentationEvalTest {

    @Test
    void jsonFiguresReportAndCounts(@TempDir Path dir, @TempDir Path cache) throws IOException {
        Path model = SegmentCommandTest.tinyModel(dir.resolve("model"));
        Path data = SharedData.require("data/shapenetpart-mini");
        Path report = dir.resolve("report");
        System.setProperty("pointclip.cache", cache.toString());
        try {
            Object[] r = ProjectCommandTest.run("eval", "--task", "segmentation", "--dataset", "shapenetpart", "--data",
                data.toString(), "--model", model.toString(), "--layout", "official", "--report", report.toString(),
                "--json");
            assertEquals(0, r[0], (String) r[2]);
            JsonNode node = new ObjectMapper().readTree((String) r[1]);
            assertEquals(List.of("shapes", "class_miou", "instance_miou", "accuracy", "per_category"),
                fields(node.fieldNames()));
            assertEquals(20, node.get("shapes").asInt());
            JsonNode per = node.get("per_category");
            assertEquals(16, per.size(), "every category is in the test split");
            for (String twice : List.of("airplane", "chair", "lamp", "table")) {
                assertEquals(2, per.get(twice).get("shapes").asInt(), twice);
            }
            assertEquals(1, per.get("mug").get("shapes").asInt());
            assertEquals(List.of("miou", "accuracy", "shapes"), fields(per.get("chair").fieldNames()));

            // the same figures from the API, shape by shape
            double instance = 0, accuracy = 0;
            Map<String, double[]> byCategory = new HashMap<>();
            PartDataset ds = PartDataset.open(data, Split.TEST);
            try (PointClip clip = PointClip.builder().model(model).build()) {
                Iterator<PartSample> it = ds.partStream().iterator();
                while (it.hasNext()) {
                    PartSample s = it.next();
                    int[] labels = clip.segment(s.cloud(), PartPrompts.of(s.category().name(), s.category().partNames()),
                        SegmentationOptions.builder().layout(SegmentationLayout.OFFICIAL).build()).labels();
                    ShapeScore score = ShapeScore.of(s.category(), labels, s.parts());
                    instance += score.iou();
                    accuracy += score.accuracy();
                    byCategory.computeIfAbsent(s.category().name(), k -> new double[2])[0] += score.iou();
                    byCategory.get(s.category().name())[1]++;
                }
            }
            assertEquals(100 * instance / 20, node.get("instance_miou").asDouble(), 1e-9);
            assertEquals(100 * accuracy / 20, node.get("accuracy").asDouble(), 1e-9);
            double classMiou = 0;
            for (Map.Entry<String, double[]> e : byCategory.entrySet()) {
                double miou = 100 * e.getValue()[0] / e.getValue()[1];
                assertEquals(miou, per.get(e.getKey()).get("miou").asDouble(), 1e-9, e.getKey());
                classMiou += miou / byCategory.size();
            }
            assertEquals(classMiou, node.get("class_miou").asDouble(), 1e-9);

            assertTrue(Files.exists(report.resolve("report.json")));
            String html = Files.readString(report.resolve("index.html"));
            assertTrue(html.contains("<td>chair</td>"), html);
            assertTrue(Files.exists(report.resolve("shape-0-predicted.png")));
            assertTrue(Files.exists(report.resolve("shape-0-truth.png")));
            assertEquals("official", new ObjectMapper().readTree(report.resolve("report.json").toFile()).get("layout")
                .asText());
        } finally {
            System.clearProperty("pointclip.cache");
        }
    }

    @Test
    void wrongDatasetAndLayoutAreOneLine(@TempDir Path dir) {
        Path data = SharedData.require("data/shapenetpart-mini");
        Object[] r = ProjectCommandTest.run("eval", "--task", "segmentation", "--dataset", "modelnet40", "--data",
            data.toString(), "--model", dir.toString(), "--json");
        assertEquals(2, r[0], (String) r[2]);
        assertTrue(((String) r[2]).contains("--dataset shapenetpart"), (String) r[2]);
        assertEquals("", r[1]);
        r = ProjectCommandTest.run("eval", "--task", "segmentation", "--dataset", "shapenetpart", "--data",
            data.toString(), "--model", dir.toString(), "--layout", "sideways");
        assertEquals(2, r[0], (String) r[2]);
        assertTrue(((String) r[2]).contains("expected fixed or official"), (String) r[2]);
        r = ProjectCommandTest.run("eval", "--task", "segmentation", "--dataset", "shapenetpart", "--data",
            data.toString(), "--model", dir.toString(), "--template", "a {}");
        assertEquals(2, r[0], (String) r[2]);
        assertTrue(((String) r[2]).contains("--template does not apply to --task segmentation"), (String) r[2]);
        for (String[] fuse : new String[][] {{"--fuse", dir.resolve("other.npy").toString()}, {"--fuse-weight", "0.5"}}) {
            r = ProjectCommandTest.run("eval", "--task", "segmentation", "--dataset", "shapenetpart", "--data",
                data.toString(), "--model", dir.toString(), fuse[0], fuse[1]);
            assertEquals(2, r[0], (String) r[2]);
            assertTrue(((String) r[2]).contains(fuse[0] + " does not apply to --task segmentation"), (String) r[2]);
            assertEquals("", r[1]);
        }
        r = ProjectCommandTest.run("eval", "--dataset", "modelnet40", "--data", data.toString(), "--model",
            dir.toString(), "--layout", "fixed", "--report", dir.resolve("r").toString());
        assertEquals(2, r[0], (String) r[2]);
        assertTrue(((String) r[2]).contains("--layout applies to --task segmentation only"), (String) r[2]);
    }

    private static List<String> fields(Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
