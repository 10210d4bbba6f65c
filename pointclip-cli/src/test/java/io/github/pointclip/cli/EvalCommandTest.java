package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.Pipeline;
import io.github.pointclip.PointClip;
import io.github.pointclip.Prediction;
import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.Datasets;
import io.github.pointclip.dataset.Split;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import io.github.pointclip.testing.SharedData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {

    private static Path tinyModel(Path dir) throws IOException {
        TinyClipModels.writeAll(dir, TinyClipModels.SEED);
        dir = dir.resolve("openai");
        Files.copy(SharedData.require("clip/bpe_simple_vocab_16e6.txt.gz"), dir.resolve("bpe_simple_vocab_16e6.txt.gz"));
        return dir;
    }

    private static JsonNode single(String stdout) throws IOException {
        assertEquals(1, stdout.strip().lines().count(), "one line on stdout: " + stdout);
        return new ObjectMapper().readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .readValue(stdout);
    }

    @Test
    void evalOnModelNet40MiniWritesTheReportAndItsPredictionsEqualClassify(@TempDir Path dir) throws IOException {
        Path data = SharedData.require("data/modelnet40-mini");
        Path model = tinyModel(dir.resolve("model"));
        Path report = dir.resolve("report");
        Path features = dir.resolve("features");
        System.setProperty("pointclip.cache", dir.resolve("cache").toString());
        try {
            Object[] r = ProjectCommandTest.run("eval", "--model", model.toString(), "--data", data.toString(),
                "--dataset", "modelnet40", "--report", report.toString(), "--cache", features.toString(),
                "--batch", "20", "--json");
            assertEquals(0, r[0], (String) r[2]);
            JsonNode json = single((String) r[1]);
            Dataset ds = Datasets.modelNet40(data, Split.TEST);
            int n = ds.size();
            assertEquals(n, json.get("samples").asInt());
            assertEquals(n, json.get("predictions").size());
            assertEquals(40, json.get("per_class").size());
            assertTrue(json.get("per_class").get("door").isNull() || ds.classNames().contains("door"));
            double accuracy = json.get("accuracy").asDouble();
            assertTrue(json.get("mean_class_accuracy").isNumber());
            assertTrue(json.get("published").isNull(), "the tiny model has no published figure");
            JsonNode timings = json.get("timings");
            assertEquals(n, timings.get("encoded_samples").asInt());
            double busy = timings.get("encoder_busy").asDouble();
            assertTrue(busy > 0 && busy <= 1, "encoder busy " + busy);

            // the same predictions as PointClip.classify on the first 1024 points of each cloud
            int[] got = new int[n];
            int correct = 0;
            for (int i = 0; i < n; i++) {
                got[i] = json.get("predictions").get(i).asInt();
                correct += got[i] == ds.label(i) ? 1 : 0;
            }
            assertEquals((double) correct / n, accuracy, 1e-12);
            int[] want = new int[n];
            try (PointClip clip = PointClip.builder().model(model).pipeline(Pipeline.v2()).classes(ds.classNames())
                .textCache(dir.resolve("text")).build()) {
                for (int i = 0; i < n; i++) {
                    Prediction p = clip.classify(ds.get(i).cloud().first(1024));
                    want[i] = p.top(1).get(0).index();
                }
            }
            assertArrayEquals(want, got);

            for (String f : List.of("report.json", "index.html", "confusion.png", "per-class.png")) {
                assertTrue(Files.size(report.resolve(f)) > 0, f);
            }
            BufferedImage confusion = ImageIO.read(report.resolve("confusion.png").toFile());
            assertTrue(confusion.getWidth() > 400 && confusion.getHeight() > 400);
            JsonNode written = new ObjectMapper().readTree(report.resolve("report.json").toFile());
            assertEquals(json.get("predictions"), written.get("predictions"));
            String html = Files.readString(report.resolve("index.html"));
            assertTrue(html.contains("confusion.png") && html.contains("per-class.png"), html);
            List<Path> sheets;
            try (Stream<Path> s = Files.list(report.resolve("examples"))) {
                sheets = s.toList();
            }
            assertTrue(sheets.size() >= 4, sheets.toString());
            for (Path sheet : sheets) {
                assertTrue(html.contains("examples/" + sheet.getFileName()), sheet.toString());
                assertEquals(5 * 110 + 6 * 4, ImageIO.read(sheet.toFile()).getWidth(), "V2 sheet of 10 views");
            }
            try (Stream<Path> s = Files.walk(dir)) {
                assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
            }

            // a second run reads every feature from the cache and gives the same answer
            r = ProjectCommandTest.run("eval", "--model", model.toString(), "--data", data.toString(),
                "--dataset", "modelnet40", "--report", report.toString(), "--cache", features.toString(),
                "--limit", "30", "--json");
            assertEquals(0, r[0], (String) r[2]);
            JsonNode again = single((String) r[1]);
            assertEquals(30, again.get("samples").asInt());
            for (int i = 0; i < 30; i++) {
                assertEquals(got[i], again.get("predictions").get(i).asInt());
            }
            assertEquals(30, again.get("timings").get("cached_samples").asInt() + again.get("timings")
                .get("encoded_samples").asInt());
            assertTrue(again.get("timings").get("cached_samples").asInt() > 0, "whole chunks came from the cache");

            // without --json: a summary on stdout
            r = ProjectCommandTest.run("eval", "--model", model.toString(), "--data", data.toString(),
                "--dataset", "modelnet40", "--report", report.toString(), "--cache", features.toString(),
                "--pipeline", "v1", "--limit", "10", "--examples", "1");
            assertEquals(0, r[0], (String) r[2]);
            assertTrue(((String) r[1]).contains("10 samples, accuracy"), (String) r[1]);
        } finally {
            System.clearProperty("pointclip.cache");
        }
    }

    @Test
    void badInputExitsWithTwoAndOneLine(@TempDir Path dir) throws IOException {
        Path data = SharedData.require("data/modelnet40-mini");
        String[][] cases = {
            {"--dataset", "shapenet", "--data", data.toString()},
            {"--dataset", "modelnet40", "--data", dir.resolve("missing").toString()},
            {"--dataset", "modelnet40", "--data", data.toString(), "--variant", "obj_bg"},
            {"--dataset", "modelnet40", "--data", data.toString(), "--split", "dev"},
            {"--dataset", "modelnet40", "--data", data.toString(), "--limit", "0"},
            {"--dataset", "scanobjectnn", "--data", data.toString(), "--variant", "nope"},
            {"--dataset", "modelnet40", "--data", data.toString(), "--pipeline", "v3"},
        };
        for (String[] c : cases) {
            String[] args = Stream.concat(Stream.of("eval", "--model", dir.resolve("no-model").toString(), "--offline",
                "--report", dir.resolve("r").toString()), Stream.of(c)).toArray(String[]::new);
            Object[] r = ProjectCommandTest.run(args);
            assertEquals(2, r[0], String.join(" ", c) + ": " + r[2]);
            assertEquals(1, ((String) r[2]).strip().lines().count(), (String) r[2]);
            assertEquals("", r[1], "nothing on stdout");
        }
    }
}
