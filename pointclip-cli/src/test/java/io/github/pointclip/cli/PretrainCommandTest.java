package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.encoder.PointEncoder;
import io.github.pointclip.encoder.PointEncoderLoader;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pointclip pretrain} on modelnet40-mini with the tiny CLIP model, and its refusals. */
class PretrainCommandTest {
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

    private static String[] with(String[] base, String... more) {
        return Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new);
    }

    @Test
    void pretrainsAPointNetThatLoadsAsAPointEncoder() throws IOException {
        Path mini = SharedData.require("data/modelnet40-mini");
        Path out = dir.resolve("enc.safetensors");
        Object[] r = ProjectCommandTest.run("pretrain", "--model", tinyModel().toString(), "--data", mini.toString(),
            "--dataset", "modelnet40", "--train-split", "test", "--allow-test-split", "--encoder", "pointnet",
            "--epochs", "2", "--train-batch", "16", "--points", "64", "--seed", "1", "--out", out.toString());
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[2]).contains("warning: pre-training on the test split"), (String) r[2]);
        assertTrue(((String) r[1]).startsWith("wrote " + out + ": pointnet, 87 clouds × 64 points, 2 epochs"),
            (String) r[1]);
        assertFalse(Files.exists(dir.resolve("enc.safetensors.state")), "the state file is removed after success");
        try (PointEncoder encoder = PointEncoderLoader.loadAny(out)) {
            assertEquals(TinyClipModels.EMBED_DIM, encoder.embeddingDim());
            assertEquals(1024, encoder.featureDim());
            assertEquals("modelnet40/test", encoder.metadata().get("dataset"));
            assertTrue(encoder.metadata().get("pipeline").startsWith("v2"), encoder.metadata().toString());
            assertEquals("1", encoder.metadata().get("seed"));
            assertEquals("2", encoder.metadata().get("epochs_done"));
        }
    }

    @Test
    void refusesWhatCannotWork() throws IOException {
        Path mini = SharedData.require("data/modelnet40-mini");
        String[] base = {"pretrain", "--model", dir.resolve("none").toString(), "--offline", "--data", mini.toString(),
            "--dataset", "modelnet40", "--out", dir.resolve("x.safetensors").toString()};
        String[][] cases = {
            {"--train-split", "test", "refusing to pre-train on the test split"},
            {"--encoder", "pointnet++", "--encoder: unknown encoder 'pointnet++'"},
            {"--points", "0", "--points ≥ 2"},
            {"--epochs", "0", "--epochs ≥ 1"},
            {"--train-batch", "1", "--train-batch ≥ 2"},
            {"--temperature", "0", "--temperature must be > 0"},
            {"--imid-weight", "0", "--cmid-weight", "0", "not both 0"},
            {"--cmid-weight", "-1", "must be finite and ≥ 0"},
        };
        for (String[] c : cases) {
            String[] args = with(base, java.util.Arrays.copyOf(c, c.length - 1));
            Object[] r = ProjectCommandTest.run(args);
            assertEquals(2, r[0], String.join(" ", c) + ": " + r[2]);
            assertTrue(((String) r[2]).contains(c[c.length - 1]), (String) r[2]);
            assertEquals(1, ((String) r[2]).strip().lines().count(), (String) r[2]);
        }
        Object[] r = ProjectCommandTest.run(with(base, "--encoder", "dgcnn", "--points", "16", "--train-split", "test",
            "--allow-test-split"));
        assertEquals(2, r[0], (String) r[2]);
        assertTrue(((String) r[2]).contains("--points must be at least 20"), (String) r[2]);
    }
}
