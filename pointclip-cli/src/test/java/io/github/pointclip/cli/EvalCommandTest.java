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
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /** Runs the CLI with an error writer that interrupts the evaluating thread at the first progress line. */
    private static Object[] runInterruptedAtFirstProgress(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AtomicBoolean fired = new AtomicBoolean();
        Writer ctrlC = new Writer() {
            @Override
            public void write(char[] buf, int off, int len) {
                err.write(buf, off, len);
                if (err.toString().contains("eval modelnet40/test [") && fired.compareAndSet(false, true)) {
                    Thread.currentThread().interrupt(); // what the Ctrl-C hook does to the evaluating thread
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        picocli.CommandLine cli = PointClipCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(ctrlC));
        int code;
        try {
            code = cli.execute(args);
        } finally {
            Thread.interrupted(); // the flag stays set for the caller, as the JVM exits on a real Ctrl-C
        }
        return new Object[] {code, out.toString(), err.toString()};
    }

    @Test
    void ctrlCSaysHowManySamplesAreCachedAndTheRerunResumesFromThere(@TempDir Path dir) throws IOException {
        Path data = SharedData.require("data/modelnet40-mini");
        Path model = tinyModel(dir.resolve("model"));
        Path features = dir.resolve("features");
        System.setProperty("pointclip.cache", dir.resolve("cache").toString());
        try {
            String[] common = {"eval", "--model", model.toString(), "--data", data.toString(), "--dataset", "modelnet40",
                "--batch", "20", "--workers", "1", "--json"};
            Object[] r = runInterruptedAtFirstProgress(Stream.concat(Stream.of(common), Stream.of("--report",
                dir.resolve("r1").toString(), "--cache", features.toString())).toArray(String[]::new));
            assertEquals(EvalCommand.EXIT_INTERRUPTED, r[0], (String) r[2]);
            assertEquals("", r[1], "no result on stdout");
            Matcher m = Pattern.compile("eval interrupted after (\\d+) of (\\d+) samples; (\\d+) samples are cached in "
                + Pattern.quote(features.toString())).matcher((String) r[2]);
            assertTrue(m.find(), (String) r[2]);
            int done = Integer.parseInt(m.group(1));
            int cached = Integer.parseInt(m.group(3));
            int n = Integer.parseInt(m.group(2));
            assertEquals(2, done, "stopped after the first encoder run of 2 clouds (20 images of 10 views)");
            assertEquals(done, cached, "the finished part of the first chunk was written");
            assertTrue(n > 2);

            r = ProjectCommandTest.run(Stream.concat(Stream.of(common), Stream.of("--report", dir.resolve("r2").toString(),
                "--cache", features.toString())).toArray(String[]::new));
            assertEquals(0, r[0], (String) r[2]);
            JsonNode resumed = single((String) r[1]);
            assertEquals(cached, resumed.get("timings").get("cached_samples").asInt(), "what the message said");
            assertEquals(n - cached, resumed.get("timings").get("encoded_samples").asInt());

            r = ProjectCommandTest.run(Stream.concat(Stream.of(common), Stream.of("--report", dir.resolve("r3").toString(),
                "--no-cache")).toArray(String[]::new));
            assertEquals(0, r[0], (String) r[2]);
            JsonNode uninterrupted = single((String) r[1]);
            assertEquals(uninterrupted.get("predictions"), resumed.get("predictions"));
            assertEquals(uninterrupted.get("accuracy").asDouble(), resumed.get("accuracy").asDouble(), 0);
        } finally {
            System.clearProperty("pointclip.cache");
        }
    }

    /** {@code root/<class>/s<k>.xyz}: two classes, two shapes each, clouds drawn from a seed. */
    private static Path folder(Path root, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        for (String c : List.of("chair", "lamp")) {
            Files.createDirectories(root.resolve(c));
            for (int k = 0; k < 2; k++) {
                StringBuilder s = new StringBuilder();
                for (int p = 0; p < 256; p++) {
                    s.append(String.format(Locale.ROOT, "%.4f %.4f %.4f%n", r.nextDouble() * 2 - 1,
                        (r.nextDouble() * 2 - 1) * (c.equals("lamp") ? 2 : 0.3), r.nextDouble() * 2 - 1));
                }
                Files.writeString(root.resolve(c).resolve("s" + k + ".xyz"), s);
            }
        }
        return root;
    }

    @Test
    void twoFoldersWithTheSameLeafNameGetTheirOwnFeatures(@TempDir Path dir) throws IOException {
        // the reported case: the second eval said "4 of 4 samples cached" and predicted the first's classes
        Path a = folder(dir.resolve("a/shapes"), 1);
        Path b = folder(dir.resolve("b/shapes"), 2);
        Path model = tinyModel(dir.resolve("model"));
        Path features = dir.resolve("features");
        System.setProperty("pointclip.cache", dir.resolve("cache").toString());
        try {
            JsonNode[] cachedRuns = new JsonNode[2];
            JsonNode[] freshRuns = new JsonNode[2];
            Path[] roots = {a, b};
            for (int k = 0; k < 2; k++) {
                String[] args = {"eval", "--model", model.toString(), "--data", roots[k].toString(), "--dataset", "folder",
                    "--report", dir.resolve("r" + k).toString(), "--examples", "0", "--json"};
                Object[] r = ProjectCommandTest.run(Stream.concat(Stream.of(args), Stream.of("--cache",
                    features.toString())).toArray(String[]::new));
                assertEquals(0, r[0], (String) r[2]);
                cachedRuns[k] = single((String) r[1]);
                r = ProjectCommandTest.run(Stream.concat(Stream.of(args), Stream.of("--no-cache"))
                    .toArray(String[]::new));
                assertEquals(0, r[0], (String) r[2]);
                freshRuns[k] = single((String) r[1]);
            }
            assertEquals(cachedRuns[0].get("provenance").get("dataset"), cachedRuns[1].get("provenance").get("dataset"),
                "both are named shapes/test");
            assertEquals(0, cachedRuns[1].get("timings").get("cached_samples").asInt(), "b is not served a's features");
            assertEquals(freshRuns[1].get("predictions"), cachedRuns[1].get("predictions"));
            assertTrue(!cachedRuns[0].get("provenance").get("dataset_identity").equals(
                cachedRuns[1].get("provenance").get("dataset_identity")));
        } finally {
            System.clearProperty("pointclip.cache");
        }
    }

    @Test
    void aCorruptFileStopsBeforeEncodingOrIsSkippedWithSkipBad(@TempDir Path dir) throws IOException {
        Path root = folder(dir.resolve("shapes"), 3);
        Files.writeString(root.resolve("lamp/s0.xyz"), "0 0 0\n1 1\n");
        Path model = tinyModel(dir.resolve("model"));
        Path features = dir.resolve("features");
        Path report = dir.resolve("report");
        System.setProperty("pointclip.cache", dir.resolve("cache").toString());
        try {
            String[] args = {"eval", "--model", model.toString(), "--data", root.toString(), "--dataset", "folder",
                "--report", report.toString(), "--examples", "1", "--cache", features.toString(), "--json"};
            // a flat folder is its test split only: no shapes/train that is the test split again
            Object[] train = ProjectCommandTest.run(Stream.concat(Stream.of(args), Stream.of("--split", "train"))
                .toArray(String[]::new));
            assertEquals(2, train[0], (String) train[2]);
            assertTrue(((String) train[2]).strip().lines().count() == 1
                && ((String) train[2]).contains(root + ": has no train/ folder"), (String) train[2]);

            Object[] r = ProjectCommandTest.run(args);
            assertEquals(2, r[0], (String) r[2]);
            String stop = ((String) r[2]).strip();
            assertTrue(stop.contains("s0.xyz") && stop.contains("1 unreadable sample") && stop.contains("--skip-bad")
                && !stop.contains("\n"), stop);
            try (Stream<Path> s = Files.walk(features)) {
                assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("chunk-")), "nothing encoded");
            }

            r = ProjectCommandTest.run(Stream.concat(Stream.of(args), Stream.of("--skip-bad")).toArray(String[]::new));
            assertEquals(0, r[0], (String) r[2]);
            JsonNode json = single((String) r[1]);
            assertEquals(3, json.get("samples").asInt());
            assertEquals(1, json.get("skipped").size());
            assertEquals("lamp/s0.xyz", json.get("skipped").get(0).get("id").asText());
            assertEquals(2, json.get("skipped").get(0).get("index").asInt());
            assertTrue(json.get("skipped").get(0).get("reason").asText().contains("s0.xyz"));
            assertTrue(((String) r[2]).contains("skipped lamp/s0.xyz: "), (String) r[2]);
            assertEquals(1, ((String) r[2]).lines().filter(l -> l.contains("s0.xyz")).count(), "reported once: " + r[2]);
            assertTrue(((String) r[2]).contains(" 3/3 "), "the bar counts the 3 readable samples: " + r[2]);
            String html = Files.readString(report.resolve("index.html"));
            assertTrue(html.contains("Skipped samples") && html.contains("lamp/s0.xyz"));
        } finally {
            System.clearProperty("pointclip.cache");
        }
    }
}
