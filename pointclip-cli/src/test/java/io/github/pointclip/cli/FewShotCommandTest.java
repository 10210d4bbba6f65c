package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.Pipeline;
import io.github.pointclip.PointClip;
import io.github.pointclip.Prediction;
import io.github.pointclip.encoder.AdapterLoadException;
import io.github.pointclip.adapter.checkpoint.AdapterCheckpoint;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FewShotCommandTest {
    private static final List<String> CLASSES = List.of("bowl", "cone", "cube");

    private static Path tinyModel(Path dir) throws IOException {
        TinyClipModels.writeAll(dir, TinyClipModels.SEED);
        dir = dir.resolve("openai");
        Files.copy(SharedData.require("clip/bpe_simple_vocab_16e6.txt.gz"), dir.resolve("bpe_simple_vocab_16e6.txt.gz"));
        return dir;
    }

    /** Three classes of six small random shapes each, one .xyz file per shape. */
    private static Path folderDataset(Path root) throws IOException {
        Random r = new Random(1);
        for (int c = 0; c < CLASSES.size(); c++) {
            Path dir = Files.createDirectories(root.resolve(CLASSES.get(c)));
            for (int s = 0; s < 6; s++) {
                StringBuilder b = new StringBuilder();
                for (int p = 0; p < 200; p++) {
                    double x = r.nextGaussian() * (c + 1) * 0.2;
                    double y = r.nextGaussian() * 0.3;
                    double z = c == 2 ? r.nextDouble() - 0.5 : r.nextGaussian() * 0.1 * (c + 1);
                    b.append(String.format(Locale.ROOT, "%.4f %.4f %.4f%n", x, y, z));
                }
                Files.writeString(dir.resolve(CLASSES.get(c) + "_" + s + ".xyz"), b);
            }
        }
        return root;
    }

    @Test
    void trainsAndWritesACheckpointThatPointClipLoads(@TempDir Path dir) throws IOException {
        Path model = tinyModel(dir.resolve("model"));
        Path data = folderDataset(dir.resolve("data"));
        Path out = dir.resolve("out/adapter.safetensors");
        System.setProperty("pointclip.cache", dir.resolve("cache").toString());
        try {
            // a flat folder is its test split: training on it is asked for, never done silently
            Object[] refused = ProjectCommandTest.run("fewshot", "--model", model.toString(), "--data",
                data.toString(), "--dataset", "folder", "--shots", "2", "--out", out.toString());
            assertEquals(2, refused[0], (String) refused[2]);
            assertEquals(1, ((String) refused[2]).strip().lines().count(), (String) refused[2]);
            assertTrue(((String) refused[2]).contains("test split only")
                && ((String) refused[2]).contains("--train-split test --allow-test-split"), (String) refused[2]);

            Object[] r = ProjectCommandTest.run("fewshot", "--model", model.toString(), "--data", data.toString(),
                "--dataset", "folder", "--train-split", "test", "--allow-test-split",
                "--shots", "2", "--val-shots", "1", "--epochs", "3", "--train-batch", "4",
                "--copies", "2", "--seed", "5", "--cache", dir.resolve("features").toString(), "--out", out.toString());
            assertEquals(0, r[0], (String) r[2]);
            assertTrue(((String) r[1]).contains("wrote " + out), (String) r[1]);
            assertTrue(((String) r[2]).contains("training"), "progress bar on stderr: " + r[2]);

            AdapterCheckpoint checkpoint = AdapterCheckpoint.load(out);
            assertEquals(CLASSES, checkpoint.classNames());
            assertEquals(10, checkpoint.views(), "PointCLIP's few-shot projector by default");
            assertEquals(8, checkpoint.embeddingDim());
            assertEquals("v1-fewshot", checkpoint.pipeline());
            assertEquals(3, checkpoint.epochs());

            PointCloud cloud = PointCloud.of(new float[] {0, 0, 0, 0.1f, 0.2f, 0.3f, -0.2f, 0.1f, 0.05f, 0.3f, -0.1f, 0});
            // the adapter brings its pipeline
            try (PointClip clip = PointClip.builder().model(model).classes(CLASSES).adapter(out).build()) {
                assertEquals("v1-fewshot", clip.pipeline().name());
                Prediction p = clip.classify(cloud);
                assertEquals(3, p.labels().size());
                double sum = 0;
                for (float f : p.probabilities()) {
                    sum += f;
                }
                assertEquals(1.0, sum, 1e-5);
            }
            AdapterLoadException e = assertThrows(AdapterLoadException.class,
                () -> PointClip.builder().model(model).pipeline(Pipeline.v1()).classes(CLASSES).adapter(out).build());
            assertTrue(e.getMessage().startsWith("adapter " + out + ": ") && e.getMessage().contains("v1-fewshot")
                && e.getMessage().contains(" v1"), e.getMessage());

            // classify takes the adapter's pipeline, classes and prompts
            Path cloudFile = dir.resolve("cloud.xyz");
            Files.writeString(cloudFile, "0 0 0\n0.1 0.2 0.3\n-0.2 0.1 0.05\n0.3 -0.1 0\n");
            r = ProjectCommandTest.run("classify", "--model", model.toString(), "--adapter", out.toString(), "--json",
                "--input", cloudFile.toString());
            assertEquals(0, r[0], (String) r[2]);
            com.fasterxml.jackson.databind.JsonNode line = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree((String) r[1]);
            assertEquals(CLASSES.size(), line.get("labels").size());
            for (int c = 0; c < CLASSES.size(); c++) {
                assertEquals(CLASSES.get(c), line.get("labels").get(c).asText());
            }

            // options that would do nothing, or not what they say, with an adapter are refused
            r = ProjectCommandTest.run("classify", "--model", model.toString(), "--adapter", out.toString(),
                "--view-weights", "1,1,1,1,1,1,1,1,1,1", "--input", cloudFile.toString());
            assertEquals(2, r[0], (String) r[2]);
            assertTrue(((String) r[2]).contains("--view-weights does nothing with --adapter"), (String) r[2]);
            r = ProjectCommandTest.run("eval", "--model", model.toString(), "--data", data.toString(),
                "--dataset", "folder", "--adapter", out.toString(), "--pipeline", "v2", "--kernel", "mish",
                "--report", dir.resolve("report").toString());
            assertEquals(2, r[0], (String) r[2]);
            assertTrue(((String) r[2]).contains("--kernel cannot be used with --adapter"), (String) r[2]);

            // eval takes the adapter's pipeline too
            r = ProjectCommandTest.run("eval", "--model", model.toString(), "--data", data.toString(),
                "--dataset", "folder", "--adapter", out.toString(), "--no-cache", "--json",
                "--report", dir.resolve("report").toString());
            assertEquals(0, r[0], (String) r[2]);
            assertTrue(((String) r[1]).contains("\"samples\""), (String) r[1]);
            assertTrue(Files.isRegularFile(dir.resolve("report/index.html")));

            // same seed: the features come from the cache and the weights are identical
            Path again = dir.resolve("again.safetensors");
            r = ProjectCommandTest.run("fewshot", "--model", model.toString(), "--data", data.toString(),
                "--dataset", "folder", "--train-split", "test", "--allow-test-split",
                "--shots", "2", "--val-shots", "1", "--epochs", "3", "--train-batch", "4",
                "--copies", "2", "--seed", "5", "--cache", dir.resolve("features").toString(), "--out", again.toString());
            assertEquals(0, r[0], (String) r[2]);
            assertEquals(checkpoint.state(), AdapterCheckpoint.load(again).state());
        } finally {
            System.clearProperty("pointclip.cache");
        }
    }

    @Test
    void aBadShapeStopsTheRunBeforeEncodingOrIsSkippedAndCounted(@TempDir Path dir) throws IOException {
        Path model = tinyModel(dir.resolve("model"));
        Path data = folderDataset(dir.resolve("data"));
        Path bad = data.resolve("cube/cube_5.xyz");
        Files.writeString(bad, "0 0 0\n0.1 nan? 0\n");
        Path out = dir.resolve("adapter.safetensors");
        List<String> args = List.of("fewshot", "--model", model.toString(), "--data", data.toString(), "--dataset",
            "folder", "--train-split", "test", "--allow-test-split", "--shots", "6", "--val-shots", "0", "--epochs", "2",
            "--train-batch", "4", "--cache", dir.resolve("features").toString(), "--out", out.toString());

        Object[] r = ProjectCommandTest.run(args.toArray(String[]::new));
        String err = (String) r[2];
        assertEquals(2, r[0], err);
        // the test-split warning, then the stop: one line
        assertEquals(1, err.strip().lines().filter(l -> !l.startsWith("warning: training on the test split")).count(),
            err);
        assertTrue(err.contains("\npointclip fewshot: " + bad + ":2: "), err);
        assertTrue(!Files.exists(out));
        try (var files = Files.list(dir.resolve("features"))) {
            assertEquals(0, files.count(), "nothing was cached");
        } catch (java.nio.file.NoSuchFileException e) {
            // nothing was written at all
        }

        List<String> skip = new java.util.ArrayList<>(args);
        skip.add("--skip-bad");
        r = ProjectCommandTest.run(skip.toArray(String[]::new));
        err = (String) r[2];
        assertEquals(0, r[0], err);
        assertTrue(err.contains("skipped " + Path.of("cube", "cube_5.xyz") + ": " + bad), err);
        assertTrue(((String) r[1]).contains("1 unreadable shapes skipped"), (String) r[1]);
        assertEquals("1", io.github.pointclip.adapter.checkpoint.SafeTensors.read(out).metadata()
            .get(FewShotCommand.SKIPPED_SAMPLES));
        assertEquals(CLASSES, AdapterCheckpoint.load(out).classNames());
    }

    @Test
    void badInputExitsWithTwoAndOneLine(@TempDir Path dir) throws IOException {
        Object[] r = ProjectCommandTest.run("fewshot", "--data", dir.toString(), "--dataset", "shapenet", "--out",
            dir.resolve("a.safetensors").toString());
        assertEquals(2, r[0], (String) r[2]);
        assertEquals(1, ((String) r[2]).strip().lines().count(), (String) r[2]);
        assertTrue(((String) r[2]).contains("unknown --dataset 'shapenet'"), (String) r[2]);

        r = ProjectCommandTest.run("fewshot", "--data", dir.resolve("missing").toString(), "--dataset", "folder",
            "--out", dir.resolve("a.safetensors").toString());
        assertEquals(2, r[0], (String) r[2]);
        assertEquals(1, ((String) r[2]).strip().lines().count(), (String) r[2]);

        r = ProjectCommandTest.run("fewshot", "--data", dir.toString(), "--dataset", "folder", "--shots", "0",
            "--out", dir.resolve("a.safetensors").toString());
        assertEquals(2, r[0], (String) r[2]);
    }
}
