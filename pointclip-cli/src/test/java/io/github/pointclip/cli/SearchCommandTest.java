package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import io.github.pointclip.prompt.PromptSet;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchCommandTest {

    @TempDir
    Path dir;

    @BeforeEach
    void cache() {
        System.setProperty("pointclip.cache", dir.resolve("cache").toString());
    }

    @AfterEach
    void clearCache() {
        System.clearProperty("pointclip.cache");
    }

    private Path tinyModel() throws IOException {
        Path m = dir.resolve("model");
        TinyClipModels.writeAll(m, TinyClipModels.SEED);
        m = m.resolve("openai");
        Files.copy(SharedData.require("clip/bpe_simple_vocab_16e6.txt.gz"), m.resolve("bpe_simple_vocab_16e6.txt.gz"));
        return m;
    }

    /** A folder dataset: 3 classes of 5 small random clouds, each class a different shape scale. */
    private Path folderData() throws IOException {
        Path root = dir.resolve("data");
        Random r = new Random(5);
        String[] classes = {"chair", "lamp", "table"};
        for (int c = 0; c < classes.length; c++) {
            Path d = Files.createDirectories(root.resolve(classes[c]));
            for (int i = 0; i < 5; i++) {
                StringBuilder sb = new StringBuilder();
                for (int p = 0; p < 64; p++) {
                    sb.append(String.format(Locale.ROOT, "%f %f %f%n", r.nextGaussian() * (c + 1), r.nextGaussian(),
                        r.nextGaussian() / (c + 1)));
                }
                Files.writeString(d.resolve(classes[c] + "_" + i + ".xyz"), sb.toString());
            }
        }
        return root;
    }

    @Test
    void viewSearchWritesWeightsOnTheHoldOut() throws IOException {
        Path model = tinyModel();
        Path out = dir.resolve("weights.json");
        Object[] r = ProjectCommandTest.run("search", "views", "--model", model.toString(), "--data", folderData().toString(),
            "--dataset", "folder", "--split", "val", "--val-fraction", "0.4", "--seed", "3", "--pipeline", "v1",
            "--steps", "2", "--out", out.toString());
        assertEquals(0, r[0], (String) r[2]);
        JsonNode node = new ObjectMapper().readTree(out.toFile());
        assertEquals(6, node.get("view_weights").size());
        for (JsonNode w : node.get("view_weights")) {
            assertTrue(w.asDouble() == 0.5 || w.asDouble() == 1.0, node.toString());
        }
        assertEquals(6, node.get("samples").asInt(), "2 of 5 per class held out");
        assertEquals(64, node.get("trials").asInt());
        assertTrue(((String) r[1]).contains("view weights"), (String) r[1]);
        assertTrue(((String) r[2]).contains("search"), "progress bar on stderr: " + r[2]);
    }

    @Test
    void promptSearchWritesALibraryThatClassifyReads() throws IOException {
        Path model = tinyModel();
        Path data = folderData();
        Path candidates = dir.resolve("candidates.json");
        Files.writeString(candidates, "{\"lamp\": [\"a lamp\", \"a depth map of a lamp\", \"a lamp\"],"
            + " \"chair\": [\"a chair\", \"a small chair\"], \"sofa\": [\"a sofa\"]}");
        Path out = dir.resolve("chosen.json");
        Object[] r = ProjectCommandTest.run("search", "prompts", "--model", model.toString(), "--data", data.toString(),
            "--dataset", "folder", "--val-fraction", "0.4", "--candidates", candidates.toString(), "--out", out.toString());
        assertEquals(0, r[0], (String) r[2]);
        PromptSet chosen = PromptSet.fromJson(out);
        assertEquals(List.of("chair", "lamp", "table"), chosen.classes());
        assertEquals(List.of("point cloud depth map of a table."), chosen.prompts(2), "no candidates: kept");
        assertTrue(((String) r[2]).contains("'sofa'"), (String) r[2]);
        assertTrue(((String) r[1]).contains("trials"), (String) r[1]);

        r = ProjectCommandTest.run("classify", "--model", model.toString(), "--input",
            data.resolve("lamp/lamp_0.xyz").toString(), "--prompts", out.toString());
        assertEquals(0, r[0], (String) r[2]);
    }

    @Test
    void testSplitIsRefusedUnlessAllowedAndBadInputExitsWithTwo() throws IOException {
        Path model = tinyModel();
        Path data = folderData();
        Path out = dir.resolve("w.json");
        Object[] r = ProjectCommandTest.run("search", "views", "--model", model.toString(), "--data", data.toString(),
            "--dataset", "folder", "--split", "test", "--out", out.toString());
        assertEquals(2, r[0], (String) r[2]);
        assertEquals(1, ((String) r[2]).strip().lines().count(), (String) r[2]);
        assertTrue(((String) r[2]).contains("--allow-test-split"), (String) r[2]);
        assertFalse(Files.exists(out));

        r = ProjectCommandTest.run("search", "views", "--model", model.toString(), "--data", data.toString(),
            "--dataset", "folder", "--split", "test", "--allow-test-split", "--steps", "1", "--out", out.toString());
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[2]).contains("warning: searching on the test split"), (String) r[2]);
        assertEquals(15, new ObjectMapper().readTree(out.toFile()).get("samples").asInt());

        r = ProjectCommandTest.run("search", "prompts", "--model", model.toString(), "--data", data.toString(),
            "--dataset", "folder", "--out", out.toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains("--candidates"), (String) r[2]);

        r = ProjectCommandTest.run("search", "views", "--model", model.toString(), "--data", data.toString(),
            "--dataset", "shapenet", "--out", out.toString());
        assertEquals(2, r[0]);
        assertEquals(1, ((String) r[2]).strip().lines().count(), (String) r[2]);

        r = ProjectCommandTest.run("search", "views", "--model", model.toString(), "--data", dir.resolve("none").toString(),
            "--dataset", "folder", "--out", out.toString());
        assertEquals(2, r[0], (String) r[2]);
    }
}
