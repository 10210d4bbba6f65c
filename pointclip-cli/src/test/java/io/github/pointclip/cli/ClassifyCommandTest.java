package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.PointClip;
import io.github.pointclip.Prediction;
import io.github.pointclip.io.PointClouds;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import io.github.pointclip.onnx.tokenizer.ClipTokenizer;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifyCommandTest {

    private static Path tinyModel(Path dir) throws IOException {
        // the generator writes the same bytes as the committed models (a test in pointclip-onnx checks it)
        TinyClipModels.writeAll(dir, TinyClipModels.SEED);
        dir = dir.resolve("openai");
        Files.copy(SharedData.require("clip/bpe_simple_vocab_16e6.txt.gz"), dir.resolve("bpe_simple_vocab_16e6.txt.gz"));
        return dir;
    }

    @Test
    void jsonLinesHaveLabelsInTheGivenOrderAndTimings(@TempDir Path dir, @TempDir Path cache) throws IOException {
        Path model = tinyModel(dir.resolve("model"));
        String chair = SharedData.require("golden/projection/chair_1024.npy").toString();
        String lamp = SharedData.require("golden/projection/mn40_lamp_0127.npy").toString();
        System.setProperty("pointclip.cache", cache.toString());
        try {
            Object[] r = ProjectCommandTest.run("classify", "--model", model.toString(), "--input", chair, lamp,
                "--labels", "table,chair,lamp", "--pipeline", "v1", "--json", "--timings");
            assertEquals(0, r[0], (String) r[2]);
            List<String> lines = ((String) r[1]).strip().lines().toList();
            assertEquals(2, lines.size(), (String) r[1]);
            ObjectMapper mapper = new ObjectMapper();
            for (int i = 0; i < 2; i++) {
                JsonNode node = mapper.readTree(lines.get(i));
                assertEquals(i == 0 ? chair : lamp, node.get("input").asText());
                assertEquals(List.of("table", "chair", "lamp"),
                    List.of(node.get("labels").get(0).asText(), node.get("labels").get(1).asText(), node.get("labels").get(2).asText()));
                double sum = 0;
                for (JsonNode p : node.get("probabilities")) {
                    sum += p.asDouble();
                }
                assertEquals(1.0, sum, 1e-5);
                assertEquals(3, node.get("logits").size());
                JsonNode t = node.get("timings_ms");
                for (String stage : List.of("projection", "image_encoder", "text_encoder", "total")) {
                    assertTrue(t.get(stage).asDouble() >= 0, stage);
                }
                assertTrue(t.get("total").asDouble() >= t.get("image_encoder").asDouble());
            }
        } finally {
            System.clearProperty("pointclip.cache");
        }
    }

    @Test
    void theCommandAndTheBuildersDefaultsGiveTheSameAnswerOnAMesh(@TempDir Path dir, @TempDir Path cache)
        throws IOException {
        Path model = tinyModel(dir.resolve("model"));
        Path chair = Path.of("../examples/samples/chair.obj");
        System.setProperty("pointclip.cache", cache.toString());
        try {
            Object[] r = ProjectCommandTest.run("classify", "--model", model.toString(), "--input", chair.toString(),
                "--json");
            assertEquals(0, r[0], (String) r[2]);
            JsonNode node = new ObjectMapper().readTree(((String) r[1]).strip());
            // the one-liner's defaults: V2, ModelNet40's classes, the mesh sampled with 1024 points (seed 0)
            try (PointClip clip = PointClip.builder().model(model).build()) {
                assertEquals("v2", clip.pipeline().name());
                Prediction p = clip.classify(PointClouds.read(chair));
                assertEquals(p.labels().size(), node.get("labels").size());
                assertEquals(40, p.labels().size());
                float[] logits = p.logits();
                for (int c = 0; c < logits.length; c++) {
                    String label = node.get("labels").get(c).asText();
                    assertEquals(p.labels().get(c), label);
                    assertEquals(logits[c], node.get("logits").get(c).floatValue(), 0f, label);
                }
            }
        } finally {
            System.clearProperty("pointclip.cache");
        }
    }

    @Test
    void aDtypeForASplitExportIsRefusedNotIgnored(@TempDir Path dir) throws IOException {
        Path model = tinyModel(dir.resolve("model"));
        String chair = SharedData.require("golden/projection/chair_1024.npy").toString();
        Object[] r = ProjectCommandTest.run("classify", "--model", model.toString(), "--dtype", "fp16", "--input", chair,
            "--labels", "chair,lamp", "--offline");
        String err = (String) r[2];
        assertEquals(2, r[0], err);
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.contains(model.toAbsolutePath() + ": dtype fp16 asked for") && err.contains("OpenAI split export")
            && err.contains("dtypes apply only to Hugging Face-layout exports"), err);
        assertTrue(((String) r[1]).isEmpty(), (String) r[1]);
    }

    @Test
    void badModelAndBadLabelSourceExitWithTwo(@TempDir Path dir) throws IOException {
        String chair = SharedData.require("golden/projection/chair_1024.npy").toString();
        Object[] r = ProjectCommandTest.run("classify", "--model", dir.resolve("nothing").toString(), "--input", chair,
            "--offline");
        assertEquals(2, r[0], (String) r[2]);
        assertEquals(1, ((String) r[2]).strip().lines().count(), (String) r[2]);

        r = ProjectCommandTest.run("classify", "--model", dir.toString(), "--input", chair, "--classes", "shapenet");
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains("unknown class list 'shapenet'"), (String) r[2]);

        Path badJson = dir.resolve("prompts.json");
        Files.writeString(badJson, "{\"chair\": [\"a chair\", 3]}");
        r = ProjectCommandTest.run("classify", "--model", dir.toString(), "--input", chair, "--prompts", badJson.toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains("prompts.json:1"), (String) r[2]);

        r = ProjectCommandTest.run("classify", "--input", chair, "--labels", "a", "--classes", "modelnet40");
        assertEquals(2, r[0], "label sources are exclusive");
    }

    @Test
    void tokenizePrintsSeventySevenIdsPerText() throws IOException {
        Path vocab = SharedData.require("clip/bpe_simple_vocab_16e6.txt.gz");
        Object[] r = ProjectCommandTest.run("tokenize", "--vocab", vocab.toString(), "a chair", "point cloud of a lamp.");
        assertEquals(0, r[0], (String) r[2]);
        List<String> lines = ((String) r[1]).strip().lines().toList();
        assertEquals(2, lines.size());
        ClipTokenizer tokenizer = ClipTokenizer.fromBpeVocab(vocab);
        long[] want = tokenizer.tokenize("point cloud of a lamp.");
        String[] got = lines.get(1).split(" ");
        assertEquals(77, got.length);
        for (int i = 0; i < 77; i++) {
            assertEquals(want[i], Long.parseLong(got[i]));
        }
        String longText = "word ".repeat(100);
        r = ProjectCommandTest.run("tokenize", "--vocab", vocab.toString(), longText);
        assertEquals(2, r[0]);
        r = ProjectCommandTest.run("tokenize", "--vocab", vocab.toString(), "--truncate", longText);
        assertEquals(0, r[0]);
        assertTrue(((String) r[1]).strip().endsWith("49407"), "truncated text ends with end-of-text");
    }

    @Test
    void modelsVerifyChecksTheBundle(@TempDir Path dir) throws IOException {
        Path model = tinyModel(dir.resolve("m"));
        Object[] r = ProjectCommandTest.run("models", "verify", "--model", model.toString());
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[1]).contains("OK"), (String) r[1]);
        Files.delete(model.resolve("textual.onnx"));
        r = ProjectCommandTest.run("models", "verify", "--model", model.toString());
        assertEquals(2, r[0]);
        r = ProjectCommandTest.run("models", "list", "--cache", dir.resolve("empty").toString());
        assertEquals(0, r[0]);
        assertTrue(((String) r[1]).contains("no model bundles"), (String) r[1]);
    }
}
