package io.github.pointclip.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.eval.EvaluationResult;
import io.github.pointclip.eval.Provenance;
import io.github.pointclip.eval.Timings;
import io.github.pointclip.projection.spi.DepthMaps;
import io.github.pointclip.projection.spi.View;
import io.github.pointclip.projection.spi.ViewRig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationReportTest {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final List<String> CLASSES = List.of("airplane", "<b>chair</b>", "lamp");

    private static EvaluationResult result(String backbone, int samples, int datasetSize) {
        int[] labels = {0, 0, 1, 1, 1};
        int[] predictions = {0, 1, 1, 1, 0};
        float[] logits = new float[5 * 3];
        for (int i = 0; i < 5; i++) {
            logits[i * 3 + predictions[i]] = 2f;
        }
        Provenance p = new Provenance("development", "abc123", backbone, "cpu", "v2", "v2", Map.of("k", "v"),
            List.of(1f, 0.5f), "0123456789abcdef", "modelnet40/test", "test", 1024, samples, datasetSize, null, 0, "identity");
        Timings t = new Timings(2_000_000_000L, 100_000_000L, 1_800_000_000L, 1_790_000_000L, 50_000_000L,
            10_000_000L, 5, 0, 2, 30, 1);
        return EvaluationResult.of(CLASSES, List.of("a0", "a1", "c0", "c1", "c2"), labels, predictions, logits, t, p);
    }

    private static DepthMaps maps() {
        float[] data = new float[2 * 4 * 4];
        for (int i = 0; i < data.length; i++) {
            data[i] = i % 7;
        }
        return DepthMaps.of(data, ViewRig.of(View.of(0, 0, 0, 0, 0, 0), View.of(1, 0, 0, 0, 0, 0)), 4, 4);
    }

    @Test
    void writesJsonChartsSheetsAndHtmlWithThePublishedFigureBesideTheMeasuredOne(@TempDir Path dir)
        throws IOException {
        EvaluationResult r = result("ViT-B/16", 5, 5);
        List<Example> examples = List.of(new Example(0, "a0", "airplane", "airplane", 0.7, maps()),
            new Example(1, "a1", "airplane", "<b>chair</b>", 0.6, maps()));
        EvaluationReport.write(r, dir, examples);

        JsonNode json = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertEquals(5, json.get("samples").asInt());
        assertEquals(0.6, json.get("accuracy").asDouble(), 1e-12);
        assertEquals((0.5 + 2 / 3.0) / 2, json.get("mean_class_accuracy").asDouble(), 1e-12);
        assertTrue(json.get("per_class").get("lamp").isNull(), "no lamp samples");
        assertEquals(0.6422, json.get("published").get("accuracy").asDouble(), 1e-12);
        assertFalse(json.get("published").get("comparable").asBoolean(), "5 samples are not the 2468 of the paper");
        assertEquals(0.6 - 0.6422, json.get("published").get("difference").asDouble(), 1e-12);
        assertEquals(1.79 / 1.8, json.get("timings").get("encoder_busy").asDouble(), 1e-9);
        assertEquals("[0,1,1,1,0]", json.get("predictions").toString());
        assertEquals("[[1,1,0],[1,2,0],[0,0,0]]", json.get("confusion").toString());
        assertEquals("examples/wrong-1.png", json.get("files").get("examples").get(1).get("file").asText());

        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("60.00%") && html.contains("64.22%"), "measured and published side by side");
        assertTrue(html.contains("Zhu et al."));
        assertTrue(html.contains("&lt;b&gt;chair&lt;/b&gt;") && !html.contains("<b>chair</b>"), "names are escaped");
        for (String f : List.of("confusion.png", "per-class.png", "examples/correct-1.png", "examples/wrong-1.png")) {
            assertTrue(html.contains("src=\"" + f + "\""), f);
            BufferedImage img = ImageIO.read(dir.resolve(f).toFile());
            assertTrue(img.getWidth() > 10 && img.getHeight() > 10, f);
        }
        try (Stream<Path> s = Files.walk(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void withoutAMatchingSettingThereIsNoPublishedFigure(@TempDir Path dir) throws IOException {
        EvaluationReport.write(result(null, 5, 5), dir, List.of());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertTrue(json.get("published").isNull());
        assertFalse(Files.readString(dir.resolve("index.html")).contains("published"));
    }
}
