package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import io.github.pointclip.prompt.PromptSet;
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
        return TinyClipModels.writeOpenAiBundle(dir.resolve("model"));
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
            "--dataset", "folder", "--train-split", "test", "--allow-test-split", "--split", "val", "--val-fraction",
            "0.4", "--seed", "3", "--pipeline", "v1", "--steps", "2", "--out", out.toString());
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
        // the file and the console give the accuracy in the same unit (percent, 2 decimals)
        int correct = node.get("correct").asInt();
        assertEquals(Math.round(10000.0 * correct / 6) / 100.0, node.get("accuracy_percent").asDouble(), 1e-9);
        assertTrue(((String) r[1]).contains(String.format(Locale.ROOT, "%d/6 = %.2f%%", correct,
            node.get("accuracy_percent").asDouble())), (String) r[1]);
        assertTrue(correct > 0, "a selected grid point classified at least one sample");
    }

    @Test
    void aBadSampleStopsTheSearchBeforeEncodingOrIsSkippedAndCounted() throws IOException {
        Path model = tinyModel();
        Path data = folderData();
        Path bad = data.resolve("lamp/lamp_3.xyz");
        Files.writeString(bad, "1 2 3\n4 5\n");
        Path out = dir.resolve("weights.json");
        List<String> args = List.of("search", "views", "--model", model.toString(), "--data", data.toString(),
            "--dataset", "folder", "--split", "test", "--allow-test-split", "--pipeline", "v1", "--steps", "2",
            "--out", out.toString());
        Object[] r = ProjectCommandTest.run(args.toArray(String[]::new));
        String err = (String) r[2];
        assertEquals(2, r[0], err);
        List<String> lines = err.strip().lines().toList();
        assertTrue(lines.get(lines.size() - 1).startsWith("pointclip search: " + bad + ":2: "), err);
        assertEquals(1, lines.stream().filter(l -> l.contains(bad.toString())).count(), err);
        assertTrue(!Files.exists(out));

        List<String> skip = new java.util.ArrayList<>(args);
        skip.add("--skip-bad");
        r = ProjectCommandTest.run(skip.toArray(String[]::new));
        err = (String) r[2];
        assertEquals(0, r[0], err);
        assertTrue(err.contains("skipped " + Path.of("lamp", "lamp_3.xyz") + ": " + bad + ":2: "), err);
        JsonNode node = new ObjectMapper().readTree(out.toFile());
        assertEquals(1, node.get("skipped_samples").asInt());
        assertEquals(14, node.get("samples").asInt());
        assertTrue(((String) r[1]).contains("/14 = ") && ((String) r[1]).contains("(1 unreadable samples skipped)"),
            (String) r[1]);
    }

    @Test
    void searchResultsRoundTripIntoEvalAndClassify() throws IOException {
        Path model = tinyModel();
        Path data = folderData();
        Path weights = dir.resolve("weights.json");
        Object[] r = ProjectCommandTest.run("search", "views", "--model", model.toString(), "--data", data.toString(),
            "--dataset", "folder", "--train-split", "test", "--allow-test-split", "--val-fraction", "0.4", "--pipeline", "v1", "--steps", "2", "--out", weights.toString());
        assertEquals(0, r[0], (String) r[2]);
        JsonNode node = new ObjectMapper().readTree(weights.toFile());
        float[] w = new float[node.get("view_weights").size()];
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            w[i] = node.get("view_weights").get(i).floatValue();
            list.append(i == 0 ? "" : ",").append(w[i]);
        }

        // eval reads the search's file with --view-weights; its predictions are those of the pipeline with the
        // weights, computed independently through the facade
        Path report = dir.resolve("report");
        r = ProjectCommandTest.run("eval", "--model", model.toString(), "--data", data.toString(), "--dataset", "folder",
            "--pipeline", "v1", "--view-weights", weights.toString(), "--no-cache", "--report", report.toString(),
            "--json", "--examples", "0");
        assertEquals(0, r[0], (String) r[2]);
        JsonNode fromFile = new ObjectMapper().readTree((String) r[1]);
        io.github.pointclip.dataset.Dataset ds = io.github.pointclip.dataset.Datasets.folder(data,
            io.github.pointclip.dataset.Split.TEST);
        try (io.github.pointclip.PointClip clip = io.github.pointclip.PointClip.builder().model(model)
            .pipeline(io.github.pointclip.Pipeline.v1().withViewWeights(w)).classes(ds.classNames())
            .textCache(dir.resolve("text")).build()) {
            for (int i = 0; i < ds.size(); i++) {
                assertEquals(clip.classify(ds.get(i).cloud()).top(1).get(0).index(),
                    fromFile.get("predictions").get(i).asInt(), "sample " + i);
            }
        }
        // the same weights as a list give the same report
        r = ProjectCommandTest.run("eval", "--model", model.toString(), "--data", data.toString(), "--dataset", "folder",
            "--pipeline", "v1", "--view-weights", list.toString(), "--no-cache", "--report", report.toString(),
            "--json", "--examples", "0");
        assertEquals(0, r[0], (String) r[2]);
        assertEquals(fromFile.get("predictions"), new ObjectMapper().readTree((String) r[1]).get("predictions"));

        // the prompt search's library goes to eval --prompts and search --prompts
        Path candidates = dir.resolve("candidates.json");
        Files.writeString(candidates, "{\"lamp\": [\"a lamp\", \"a tall lamp\"], \"chair\": [\"a chair\"]}");
        Path chosen = dir.resolve("chosen.json");
        r = ProjectCommandTest.run("search", "prompts", "--model", model.toString(), "--data", data.toString(),
            "--dataset", "folder", "--train-split", "test", "--allow-test-split", "--val-fraction", "0.4", "--candidates", candidates.toString(),
            "--view-weights", weights.toString(), "--pipeline", "v1", "--out", chosen.toString());
        assertEquals(0, r[0], (String) r[2]);
        r = ProjectCommandTest.run("eval", "--model", model.toString(), "--data", data.toString(), "--dataset", "folder",
            "--pipeline", "v1", "--view-weights", weights.toString(), "--prompts", chosen.toString(), "--no-cache",
            "--report", report.toString(), "--json", "--examples", "0");
        assertEquals(0, r[0], (String) r[2]);
        r = ProjectCommandTest.run("search", "views", "--model", model.toString(), "--data", data.toString(),
            "--dataset", "folder", "--train-split", "test", "--allow-test-split", "--val-fraction", "0.4", "--prompts", chosen.toString(), "--steps", "1",
            "--out", dir.resolve("w2.json").toString());
        assertEquals(0, r[0], (String) r[2]);

        // a library that misses a class of the dataset is refused, naming it
        Path partial = dir.resolve("partial.json");
        Files.writeString(partial, "{\"lamp\": [\"a lamp\"], \"chair\": [\"a chair\"]}");
        r = ProjectCommandTest.run("eval", "--model", model.toString(), "--data", data.toString(), "--dataset", "folder",
            "--prompts", partial.toString(), "--report", report.toString());
        assertEquals(2, r[0], (String) r[2]);
        assertTrue(((String) r[2]).contains("missing: [table]"), (String) r[2]);
    }

    @Test
    void viewSearchWhereEveryTrialScoresZeroSelectsNothingAndWritesNothing() throws IOException {
        // class 'a' has one sample (none held out), 'b' five (two held out); both classes have the same prompt, so
        // every logit ties, the first class wins, and no held-out 'b' sample is ever right
        Path root = dir.resolve("ties");
        Random r0 = new Random(2);
        for (String c : new String[] {"a", "b"}) {
            Path d = Files.createDirectories(root.resolve(c));
            for (int i = 0; i < (c.equals("a") ? 1 : 5); i++) {
                StringBuilder sb = new StringBuilder();
                for (int p = 0; p < 32; p++) {
                    sb.append(String.format(Locale.ROOT, "%f %f %f%n", r0.nextGaussian(), r0.nextGaussian(),
                        r0.nextGaussian()));
                }
                Files.writeString(d.resolve(c + i + ".xyz"), sb.toString());
            }
        }
        Path prompts = dir.resolve("same.json");
        Files.writeString(prompts, "{\"a\": [\"a shape\"], \"b\": [\"a shape\"]}");
        Path out = dir.resolve("none.json");
        Object[] r = ProjectCommandTest.run("search", "views", "--model", tinyModel().toString(), "--data",
            root.toString(), "--dataset", "folder", "--train-split", "test", "--allow-test-split", "--val-fraction",
            "0.4", "--prompts", prompts.toString(),
            "--pipeline", "v1", "--steps", "2", "--out", out.toString());
        assertEquals(PointClipCli.EXIT_NOTHING_SELECTED, r[0], (String) r[2]);
        assertEquals(4, r[0], "the README's exit code");
        String err = (String) r[2];
        assertEquals(1, err.strip().lines().filter(l -> l.startsWith("pointclip")).count(), err);
        assertTrue(err.contains("no view weights selected: every one of the 64 trials classified 0 of 2 samples"), err);
        assertTrue(err.contains("0.00%"), err);
        assertFalse(Files.exists(out), "nothing written");
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
            "--dataset", "folder", "--train-split", "test", "--allow-test-split", "--val-fraction", "0.4", "--candidates", candidates.toString(), "--out", out.toString());
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
