package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.adapter.checkpoint.AdapterCheckpoint;
import io.github.pointclip.dataset.Datasets;
import io.github.pointclip.dataset.Split;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The modelnet40-mini dataset (87 test clouds, no train split) with every command that reads a
 * dataset: fewshot and search train and tune on its test split when told so.
 */
class MiniDatasetTest {

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
        return TinyClipModels.writeOpenAiBundle(dir.resolve("model"));
    }

    @Test
    void withoutATrainSplitFewshotAndSearchSayWhichOptionToUse() throws IOException {
        Path mini = SharedData.require("data/modelnet40-mini");
        for (String[] args : new String[][] {
            {"fewshot", "--out", dir.resolve("a.safetensors").toString()},
            {"search", "views", "--out", dir.resolve("w.json").toString()},
        }) {
            String[] full = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of(
                "--model", dir.resolve("none").toString(), "--offline", "--data", mini.toString(), "--dataset",
                "modelnet40")).toArray(String[]::new);
            Object[] r = ProjectCommandTest.run(full);
            assertEquals(2, r[0], (String) r[2]);
            assertEquals(1, ((String) r[2]).strip().lines().count(), (String) r[2]);
            assertTrue(((String) r[2]).contains("--train-split test --allow-test-split"), (String) r[2]);
        }
    }

    @Test
    void fewshotTrainsOnTheTestSplitAndEvalAndClassifyUseTheAdapter() throws IOException {
        Path mini = SharedData.require("data/modelnet40-mini");
        Path model = tinyModel();
        Path out = dir.resolve("mini.safetensors");
        Object[] r = ProjectCommandTest.run("fewshot", "--model", model.toString(), "--data", mini.toString(),
            "--dataset", "modelnet40", "--train-split", "test", "--allow-test-split", "--shots", "1", "--val-shots", "1",
            "--val-fraction", "0.3", "--epochs", "2", "--train-batch", "8", "--points", "512", "--out", out.toString());
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[2]).contains("warning: training on the test split"), (String) r[2]);
        assertTrue(((String) r[1]).contains("wrote " + out), (String) r[1]);
        AdapterCheckpoint checkpoint = AdapterCheckpoint.load(out);
        assertEquals(40, checkpoint.classNames().size());
        // the reference recipe, but with 512 points per cloud it is not the reference pipeline any more
        assertEquals("v1-fewshot+custom", checkpoint.pipeline(), "fewshot's default recipe with --points 512");
        assertEquals(2, checkpoint.epochs());

        r = ProjectCommandTest.run("eval", "--model", model.toString(), "--data", mini.toString(), "--dataset",
            "modelnet40", "--adapter", out.toString(), "--no-cache", "--limit", "12", "--examples", "0", "--json",
            "--report", dir.resolve("report").toString());
        assertEquals(0, r[0], (String) r[2]);
        assertEquals(12, new ObjectMapper().readTree((String) r[1]).get("samples").asInt());

        // an explicit --points that is not the adapter's is refused, even when it is the default value
        r = ProjectCommandTest.run("eval", "--model", model.toString(), "--data", mini.toString(), "--dataset",
            "modelnet40", "--adapter", out.toString(), "--points", "1024", "--no-cache", "--limit", "12",
            "--report", dir.resolve("report2").toString());
        assertEquals(2, r[0], (String) r[2]);
        assertTrue(((String) r[2]).contains("--points 1024 cannot be used with --adapter"), (String) r[2]);
    }

    @Test
    void searchHoldsOutOfTheTestSplitAndEvalReadsTheResult() throws IOException {
        Path mini = SharedData.require("data/modelnet40-mini");
        Path model = tinyModel();
        Path weights = dir.resolve("weights.json");
        Object[] r = ProjectCommandTest.run("search", "views", "--model", model.toString(), "--data", mini.toString(),
            "--dataset", "modelnet40", "--train-split", "test", "--allow-test-split", "--val-fraction", "0.5",
            "--pipeline", "v1", "--steps", "2", "--out", weights.toString());
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[2]).contains("warning: searching on the test split"), (String) r[2]);
        JsonNode node = new ObjectMapper().readTree(weights.toFile());
        // the hold-out: round(0.5·n) of each class's n test clouds, computed independently of the CLI
        int expected = Datasets.holdOut(Datasets.modelNet40(mini, Split.TEST), 0.5, 0).validation().size();
        assertEquals(expected, node.get("samples").asInt());
        assertEquals(64, node.get("trials").asInt());

        r = ProjectCommandTest.run("eval", "--model", model.toString(), "--data", mini.toString(), "--dataset",
            "modelnet40", "--pipeline", "v1", "--view-weights", weights.toString(), "--cache",
            dir.resolve("features").toString(), "--limit", "10", "--examples", "0", "--report",
            dir.resolve("report").toString());
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[1]).contains("10 samples, accuracy"), (String) r[1]);
    }
}
