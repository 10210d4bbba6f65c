package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pointclip probe} with a test encoder whose features are a cloud's centroid and extent. */
class ProbeCommandTest {

    /**
     * Three classes told apart by their shape's extent: chair flat in y, lamp tall in y, cup flat in z.
     * With {@code splits}, {@code root/<class>/train|test/}, else a flat folder.
     */
    static Path shapes(Path root, boolean splits, int train, int test, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        for (String c : List.of("chair", "cup", "lamp")) {
            for (String split : splits ? List.of("train", "test") : List.of("")) {
                Path dir = root.resolve(c).resolve(split);
                Files.createDirectories(dir);
                int n = split.equals("test") ? test : train;
                for (int k = 0; k < n; k++) {
                    StringBuilder s = new StringBuilder();
                    for (int p = 0; p < 64; p++) {
                        double y = (r.nextDouble() * 2 - 1) * (c.equals("lamp") ? 2 : c.equals("chair") ? 0.3 : 1);
                        double z = (r.nextDouble() * 2 - 1) * (c.equals("cup") ? 0.2 : 1);
                        s.append(String.format(Locale.ROOT, "%.4f %.4f %.4f%n", r.nextDouble() * 2 - 1, y, z));
                    }
                    Files.writeString(dir.resolve("s" + k + ".xyz"), s);
                }
            }
        }
        return root;
    }

    private static JsonNode json(Object[] r) throws IOException {
        assertEquals(0, r[0], (String) r[2]);
        String out = ((String) r[1]).strip();
        assertEquals(1, out.lines().count(), out);
        return new ObjectMapper().readTree(out);
    }

    @Test
    void theLinearProbeTrainsOnTrainAndMeasuresOnTest(@TempDir Path dir) throws IOException {
        Path data = shapes(dir.resolve("shapes"), true, 6, 3, 1);
        Path encoder = FakeEncoderLoader.write(dir.resolve("enc.fakeenc"), 8);
        JsonNode node = json(ProjectCommandTest.run("probe", "--encoder", encoder.toString(), "--data", data.toString(),
            "--dataset", "folder", "--json"));
        JsonNode l = node.get("linear_probe");
        assertEquals(18, l.get("train_samples").asInt());
        assertEquals(9, l.get("test_samples").asInt());
        assertEquals(3, l.get("classes").asInt());
        assertEquals(1.0, l.get("accuracy").asDouble());
        assertEquals(1.0, l.get("train_accuracy").asDouble());
        assertTrue(l.get("converged").asBoolean());
        assertEquals(6, node.get("dim").asInt());
        assertEquals("global", node.get("features").asText());
        assertEquals("fake-statistics", node.get("encoder_metadata").get("encoder").asText());

        Object[] text = ProjectCommandTest.run("probe", "--encoder", encoder.toString(), "--data", data.toString(),
            "--dataset", "folder", "--features", "clip");
        assertEquals(0, text[0], (String) text[2]);
        String line = ((String) text[1]).strip();
        assertTrue(line.startsWith("linear probe, 8-d clip features: trained on ") && line.contains("(18 samples)")
            && line.contains("accuracy 100.00%"), line);
    }

    @Test
    void episodesAreReproducibleForASeed(@TempDir Path dir) throws IOException {
        Path data = shapes(dir.resolve("shapes"), true, 6, 1, 2);
        Path encoder = FakeEncoderLoader.write(dir.resolve("enc.fakeenc"), 8);
        String[] args = {"probe", "--encoder", encoder.toString(), "--data", data.toString(), "--dataset", "folder",
            "--shots", "2", "--ways", "2", "--queries", "3", "--episodes", "4", "--seed", "7", "--json"};
        Object[] first = ProjectCommandTest.run(args);
        JsonNode f = json(first).get("few_shot");
        assertEquals(4, f.get("accuracies").size());
        assertEquals(2, f.get("ways").asInt());
        double sum = 0;
        for (JsonNode a : f.get("accuracies")) {
            sum += a.asDouble();
        }
        assertEquals(sum / 4, f.get("mean").asDouble(), 1e-12);
        // 2 shots standardised on 4 clouds: the noise dimensions weigh as much as the informative ones, yet
        // the classifier is better than chance (0.5)
        assertTrue(f.get("mean").asDouble() > 0.6, f.toString());
        assertEquals(first[1], ProjectCommandTest.run(args)[1]);
        // 3 classes, 5 samples needed of 6: more than one class has too few with 5 queries
        Object[] tooMany = ProjectCommandTest.run("probe", "--encoder", encoder.toString(), "--data", data.toString(),
            "--dataset", "folder", "--shots", "2", "--ways", "2", "--queries", "5");
        assertEquals(2, tooMany[0], (String) tooMany[2]);
        assertTrue(((String) tooMany[2]).contains("need 2 classes with at least 7 samples each, but none has"),
            (String) tooMany[2]);
    }

    @Test
    void aDatasetWithOnlyATestSplitNeedsAHoldOut(@TempDir Path dir) throws IOException {
        Path flat = shapes(dir.resolve("flat"), false, 6, 0, 3);
        Path encoder = FakeEncoderLoader.write(dir.resolve("enc.fakeenc"), 8);
        String[] base = {"probe", "--encoder", encoder.toString(), "--data", flat.toString(), "--dataset", "folder"};
        Object[] r = ProjectCommandTest.run(base);
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains("has no train") && ((String) r[2]).contains("is probed on its test split: "
            + "--train-split test, with --holdout F for the linear probe"), (String) r[2]);
        r = ProjectCommandTest.run(concat(base, "--train-split", "test"));
        assertEquals(2, r[0]);
        assertEquals("pointclip probe: --train-split test would test the linear probe on its own training samples: add "
            + "--holdout F to test on a held-out share of it", ((String) r[2]).strip());
        JsonNode node = json(ProjectCommandTest.run(concat(base, "--train-split", "test", "--holdout", "0.5", "--json")));
        JsonNode l = node.get("linear_probe");
        assertEquals(18, l.get("train_samples").asInt() + l.get("test_samples").asInt());
        assertEquals(1.0, l.get("accuracy").asDouble());
        r = ProjectCommandTest.run(concat(base, "--ways", "3"));
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains("give --shots K"), (String) r[2]);
        r = ProjectCommandTest.run("probe", "--encoder", dir.resolve("missing.fakeenc").toString(), "--data",
            flat.toString(), "--dataset", "folder", "--train-split", "test", "--holdout", "0.5");
        assertEquals(2, r[0]);
        assertEquals("pointclip probe: point encoder " + dir.resolve("missing.fakeenc") + ": file not found "
            + "(--encoder)", ((String) r[2]).strip());
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
