package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.PointClip;
import io.github.pointclip.internal.PipelineStages;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import io.github.pointclip.onnx.tokenizer.ClipTokenizer;
import io.github.pointclip.prompt.PromptSet;
import io.github.pointclip.prompts.CommandLibrary;
import io.github.pointclip.testing.FakeChatServer;
import io.github.pointclip.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pointclip prompts generate|stats|merge|commands} against a fake chat server on 127.0.0.1. */
class PromptsCommandTest {

    private static final List<String> CLASSES = List.of("chair", "lamp", "table");

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

    /** 3 classes of 5 small random clouds, each class a different shape scale (as SearchCommandTest). */
    private Path folderData() throws IOException {
        Path root = dir.resolve("data");
        Random r = new Random(5);
        for (int c = 0; c < CLASSES.size(); c++) {
            Path d = Files.createDirectories(root.resolve(CLASSES.get(c)));
            for (int i = 0; i < 5; i++) {
                StringBuilder sb = new StringBuilder();
                for (int p = 0; p < 64; p++) {
                    sb.append(String.format(Locale.ROOT, "%f %f %f%n", r.nextGaussian() * (c + 1), r.nextGaussian(),
                        r.nextGaussian() / (c + 1)));
                }
                Files.writeString(d.resolve(CLASSES.get(c) + "_" + i + ".xyz"), sb.toString());
            }
        }
        return root;
    }

    private static List<String> generate(FakeChatServer server, Object... more) {
        List<String> args = new ArrayList<>(List.of("prompts", "generate", "--llm-url", server.baseUrl(), "--llm-model",
            "fake-model", "--retries", "1"));
        for (Object o : more) {
            args.add(o.toString());
        }
        return args;
    }

    private static Object[] run(List<String> args) {
        return ProjectCommandTest.run(args.toArray(String[]::new));
    }

    /** The error lines of a run's stderr (the plan line and progress are not errors). */
    private static List<String> errors(Object[] r) {
        return ((String) r[2]).lines().filter(l -> l.startsWith("pointclip ")).toList();
    }

    @Test
    void generateSearchAndEvalEndToEndOnTheTinyModel() throws Exception {
        Path model = tinyModel();
        Path data = folderData();
        Path generated = dir.resolve("gen/generated.json");
        Path cache = dir.resolve("responses");
        PromptSet library;
        try (FakeChatServer server = new FakeChatServer(FakeChatServer.describing(CLASSES))) {
            List<String> args = generate(server, "--labels", "chair,lamp,table", "--model", model, "--per-command", 2,
                "--cache", cache, "--out", generated);
            Object[] r = run(args);
            assertEquals(0, r[0], (String) r[2]);
            int commands = CommandLibrary.pointClipV2().size();
            assertEquals(3 * commands, server.requests(), "one request of n = 2 per class and command");
            assertTrue(((String) r[2]).contains("prompts: 3 classes × " + commands + " commands, at least "
                + 3 * commands + " requests to " + server.baseUrl() + "/chat/completions"), (String) r[2]);
            assertTrue(((String) r[1]).contains("3 classes, " + 6 * commands + " prompts"), (String) r[1]);
            library = PromptSet.fromJson(generated);
            assertEquals(CLASSES, library.classes());
            assertEquals(2 * commands, library.prompts(1).size());
            JsonNode provenance = new ObjectMapper().readTree(dir.resolve("gen/generated.provenance.json").toFile());
            assertEquals("fake-model", provenance.get("server").get("model").asText());
            assertEquals("OPENAI_API_KEY", provenance.get("api_key_env").asText());
            assertTrue(((String) r[1]).contains("cleaning: numbering or bullets stripped from 0 answers, quotes from 0, "
                + "labels or lead-ins from 0; 0 answers split into 0 more sentences"), (String) r[1]);
            assertEquals(0, provenance.get("totals").get("cleaning").get("answers_split").asInt());
            assertTrue(provenance.get("tokenizer").asText().contains("bpe_simple_vocab_16e6.txt.gz"));

            // a rerun sends nothing
            r = run(args);
            assertEquals(0, r[0], (String) r[2]);
            assertEquals(3 * commands, server.requests());
            assertTrue(((String) r[1]).contains("0 requests, " + 3 * commands + " from the cache"), (String) r[1]);
            assertEquals(library, PromptSet.fromJson(generated));
        }

        // the prompt search picks among the generated candidates on a validation split
        Path chosen = dir.resolve("chosen.json");
        Object[] r = ProjectCommandTest.run("search", "prompts", "--model", model.toString(), "--data", data.toString(),
            "--dataset", "folder", "--train-split", "test", "--allow-test-split", "--val-fraction", "0.4",
            "--candidates", generated.toString(), "--pipeline", "v1", "--out", chosen.toString());
        assertEquals(0, r[0], (String) r[2]);
        PromptSet picked = PromptSet.fromJson(chosen);
        assertEquals(CLASSES, picked.classes());
        for (int c = 0; c < 3; c++) {
            String p = picked.prompts(c).get(0);
            assertTrue(p.equals("point cloud depth map of a " + CLASSES.get(c) + ".") || library.prompts(c).contains(p),
                "a generated candidate of its class, or the initial prompt: " + p);
        }
        Path report = dir.resolve("report");
        r = ProjectCommandTest.run("eval", "--model", model.toString(), "--data", data.toString(), "--dataset", "folder",
            "--pipeline", "v1", "--prompts", chosen.toString(), "--no-cache", "--report", report.toString(), "--json",
            "--examples", "0");
        assertEquals(0, r[0], (String) r[2]);

        // the no-search alternative: eval ensembles every generated prompt of a class (mean of normalised features)
        r = ProjectCommandTest.run("eval", "--model", model.toString(), "--data", data.toString(), "--dataset", "folder",
            "--pipeline", "v1", "--prompts", generated.toString(), "--no-cache", "--report", report.toString(), "--json",
            "--examples", "0");
        assertEquals(0, r[0], (String) r[2]);
        r = ProjectCommandTest.run("classify", "--model", model.toString(), "--input",
            data.resolve("lamp/lamp_0.xyz").toString(), "--prompts", generated.toString());
        assertEquals(0, r[0], (String) r[2]);
        // the ensemble, computed independently: the tiny model's reference embeddings of each prompt's tokens
        ClipTokenizer tokenizer = ClipTokenizer.fromBpeVocab(SharedData.require("clip/bpe_simple_vocab_16e6.txt.gz"));
        try (PointClip clip = PointClip.builder().model(model).classes(CLASSES).textCache(dir.resolve("text")).build()) {
            float[] facade = PipelineStages.textFeatures(clip, library);
            for (int c = 0; c < 3; c++) {
                List<String> prompts = library.prompts(c);
                long[][] ids = new long[prompts.size()][];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = tokenizer.tokenize(prompts.get(i));
                }
                float[][] e = TinyClipModels.expectedTextEmbeddings(ids, null, TinyClipModels.SEED);
                double[] mean = new double[TinyClipModels.EMBED_DIM];
                for (float[] row : e) {
                    double norm = 0;
                    for (float v : row) {
                        norm += v * v;
                    }
                    for (int d = 0; d < mean.length; d++) {
                        mean[d] += row[d] / Math.sqrt(norm);
                    }
                }
                double norm = 0;
                for (double v : mean) {
                    norm += v * v;
                }
                float[] want = new float[mean.length];
                for (int d = 0; d < mean.length; d++) {
                    want[d] = (float) (mean[d] / Math.sqrt(norm));
                }
                float[] got = java.util.Arrays.copyOfRange(facade, c * want.length, (c + 1) * want.length);
                assertArrayEquals(want, got, 1e-4f, "class " + CLASSES.get(c));
            }
        }
    }

    @Test
    void anUnreachableServerIsOneLineWithHostAndPortAndExitTwo() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path out = dir.resolve("p.json");
        Object[] r = ProjectCommandTest.run("prompts", "generate", "--labels", "chair", "--llm-url",
            "http://127.0.0.1:" + port + "/v1", "--llm-model", "m", "--no-token-check", "--out", out.toString());
        assertEquals(2, r[0], (String) r[2]);
        assertEquals(List.of("pointclip prompts generate: cannot reach the chat server at 127.0.0.1:" + port
            + ": connection refused"), errors(r).stream().map(l -> l.replaceAll(": connection refused.*", ": connection refused"))
            .toList());
        assertFalse(Files.exists(out));
    }

    @Test
    void unauthorizedNamesTheVariableAndTheKeyLeaksNowhere() throws Exception {
        String key = System.getenv("PATH"); // a variable every test JVM has, standing in for an API key
        org.junit.jupiter.api.Assumptions.assumeTrue(key != null && key.length() > 8);
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        Path out = dir.resolve("p.json");
        Object[] denied;
        Object[] served;
        try (FakeChatServer server = new FakeChatServer((ex, q, n) -> FakeChatServer.send(ex, 401,
            "{\"error\": {\"message\": \"Incorrect API key provided: " + key + "\"}}"))) {
            denied = run(generate(server, "--labels", "chair", "--api-key-env", "PATH", "--no-token-check",
                "--concurrency", 1, "--cache", dir.resolve("responses"), "--out", out));
            assertEquals(1, server.requests(), "401 is not retried");
            assertEquals("Bearer " + key, server.log().get(0).authorization());
            // a server that fails once with the key in its body, then answers, quoting the key
            server.behaviour((ex, q, n) -> {
                if (n % 2 == 0) {
                    FakeChatServer.send(ex, 500, "{\"error\": {\"message\": \"upstream rejected " + key + "\"}}");
                } else {
                    FakeChatServer.send(ex, 200, FakeChatServer.completion(List.of("A chair, said " + key + " in "
                        + n + ".")));
                }
            });
            served = run(generate(server, "--labels", "chair", "--api-key-env", "PATH", "--no-token-check",
                "--per-command", 1, "--concurrency", 1, "--cache", dir.resolve("responses"), "--out", out));
        } finally {
            System.setErr(err);
        }
        assertEquals(2, denied[0], (String) denied[2]);
        List<String> lines = errors(denied);
        assertEquals(1, lines.size(), (String) denied[2]);
        assertTrue(lines.get(0).startsWith("pointclip prompts generate: 401 from 127.0.0.1:"), lines.get(0));
        assertTrue(lines.get(0).contains("the server refused the API key in $PATH")
            && lines.get(0).contains("Incorrect API key provided: [REDACTED]"), lines.get(0));
        assertEquals(0, served[0], (String) served[2]);
        String logged = logs.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("retrying"), "the retries were logged: " + logged);
        List<String> texts = new ArrayList<>(List.of(logged, (String) denied[1], (String) denied[2], (String) served[1],
            (String) served[2]));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".json")).toList()) {
                texts.add(Files.readString(f));
            }
        }
        assertTrue(texts.size() >= 5 + 2 + CommandLibrary.pointClipV2().size(), "library, provenance, cache entries");
        for (String t : texts) {
            assertFalse(t.contains(key), "the key leaked into: " + t);
        }
        assertTrue(Files.readString(out).contains("[REDACTED]"));
    }

    @Test
    void aKeyGivenAsTheVariableNameIsRefusedWithoutEchoingIt() throws Exception {
        String key = "sk-proj-Abc123_secret-VALUE"; // what "--api-key-env $OPENAI_API_KEY" passes
        Path out = dir.resolve("p.json");
        try (FakeChatServer server = new FakeChatServer(FakeChatServer.describing(List.of("chair")))) {
            for (String bad : List.of(key, "1ABC", "A B", "", "X=y")) {
                Object[] r = run(generate(server, "--labels", "chair", "--api-key-env", bad, "--no-token-check",
                    "--cache", dir.resolve("responses"), "--out", out));
                assertEquals(2, r[0], (String) r[2]);
                assertEquals(1, errors(r).size(), (String) r[2]);
                assertTrue(errors(r).get(0).contains("--api-key-env takes the name of an environment variable"),
                    (String) r[2]);
                if (!bad.isEmpty()) {
                    assertFalse(((String) r[2]).contains(bad) || ((String) r[1]).contains(bad), "echoed: " + r[2]);
                }
            }
            assertEquals(0, server.requests(), "refused before any request");
        }
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(dir.resolve("p.provenance.json")));
        // a key (PATH stands in for one) is not sent over plain http to another machine without opt-in
        Object[] r = ProjectCommandTest.run("prompts", "generate", "--labels", "chair", "--llm-url",
            "http://llm.example.invalid:8000/v1", "--llm-model", "m", "--api-key-env", "PATH", "--no-token-check",
            "--out", out.toString());
        assertEquals(2, r[0], (String) r[2]);
        assertEquals(List.of("pointclip prompts generate: refusing to send the API key in $PATH unencrypted over http:// "
            + "to llm.example.invalid, which is not this machine: use https://, or allow it explicitly with "
            + "--allow-insecure-key (or unset $PATH if the server needs no key)"), errors(r));
    }

    @Test
    void unusableOutputAndCachePathsAreRefusedBeforeAnyRequest() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("existing"));
        Path file = Files.writeString(dir.resolve("plain.txt"), "x");
        try (FakeChatServer server = new FakeChatServer(FakeChatServer.describing(List.of("chair")))) {
            Object[] r = run(generate(server, "--labels", "chair", "--no-token-check", "--cache", dir.resolve("responses"),
                "--out", folder));
            assertEquals(2, r[0], (String) r[2]);
            assertEquals(List.of("pointclip prompts generate: cannot write " + folder + ": it is a folder; give a file name "
                + "such as " + folder.resolve("prompts.json")), errors(r));

            Path under = file.resolve("p.json");
            r = run(generate(server, "--labels", "chair", "--no-token-check", "--cache", dir.resolve("responses"),
                "--out", under));
            assertEquals(2, r[0], (String) r[2]);
            assertEquals(List.of("pointclip prompts generate: cannot write " + under + ": " + file.toAbsolutePath()
                + " is a file, not a folder"), errors(r));

            Path out = dir.resolve("ok/p.json");
            r = run(generate(server, "--labels", "chair", "--no-token-check", "--cache", file, "--out", out));
            assertEquals(2, r[0], (String) r[2]);
            assertEquals(List.of("pointclip prompts generate: cannot create the response cache folder " + file + ": "
                + file.toAbsolutePath() + " is a file, not a folder"), errors(r));
            assertFalse(Files.exists(out));
            assertEquals(0, server.requests(), "every path is checked before the first request is paid for");
        }
        try (Stream<Path> left = Files.list(folder)) {
            assertEquals(0, left.count(), "nothing written into the folder");
        }
        assertFalse(Files.exists(dir.resolve("existing.provenance.json")), "no orphan provenance");
    }

    @Test
    void classNamesFromAJsonObjectAreStrippedAndCheckedAndTinyTimeoutsRefused() throws Exception {
        Path out = dir.resolve("p.json");
        Path object = Files.writeString(dir.resolve("classes.json"), "{\" chair \": [], \"lamp\": []}");
        assertEquals(List.of("chair", "lamp"), PromptsGenerateCommand.readClassesFile(object));
        Path blank = Files.writeString(dir.resolve("blank.json"), "{\"chair\": [], \"  \": []}");
        Path twice = Files.writeString(dir.resolve("twice.json"), "{\"chair\": [], \"chair \": []}");
        try (FakeChatServer server = new FakeChatServer(FakeChatServer.describing(List.of("chair")))) {
            Object[] r = run(generate(server, "--classes-file", blank, "--no-token-check", "--out", out));
            assertEquals(2, r[0], (String) r[2]);
            assertEquals(List.of("pointclip prompts generate: class name 2 in " + blank + " is empty"), errors(r));
            r = run(generate(server, "--classes-file", twice, "--no-token-check", "--out", out));
            assertEquals(List.of("pointclip prompts generate: class 'chair' is given twice"), errors(r));
            r = run(generate(server, "--labels", "chair", "--timeout", "1e-9", "--no-token-check", "--out", out));
            assertEquals(2, r[0], (String) r[2]);
            assertEquals(List.of("pointclip prompts generate: --timeout must be at least 0.001 seconds (1 ms), got 1.0E-9"),
                errors(r));
            assertEquals(0, server.requests());
        }
        assertFalse(Files.exists(out));
    }

    @Test
    void malformedResponsesUnknownClassSourcesAndMissingModelsAreBadInput() throws Exception {
        Path out = dir.resolve("p.json");
        try (FakeChatServer server = new FakeChatServer((ex, q, n) -> FakeChatServer.send(ex, 200, "<html>oops</html>"))) {
            Object[] r = run(generate(server, "--labels", "chair", "--no-token-check", "--out", out));
            assertEquals(2, r[0], (String) r[2]);
            assertEquals(1, errors(r).size(), (String) r[2]);
            assertTrue(errors(r).get(0).contains("is not JSON") && errors(r).get(0).contains("(gave up after 2 tries)"),
                (String) r[2]);

            r = run(generate(server, "--classes", "shapenet", "--no-token-check", "--out", out));
            assertEquals(2, r[0], (String) r[2]);
            assertEquals(List.of("pointclip prompts generate: unknown class list 'shapenet'; known: modelnet40, scanobjectnn"),
                errors(r));
            r = run(generate(server, "--classes-file", dir.resolve("missing.txt"), "--no-token-check", "--out", out));
            assertEquals(2, r[0], (String) r[2]);
            assertTrue(errors(r).get(0).contains("missing.txt"), (String) r[2]);
            r = run(generate(server, "--no-token-check", "--out", out));
            assertEquals(2, r[0], (String) r[2]);
            r = run(generate(server, "--labels", "chair", "--classes", "modelnet40", "--no-token-check", "--out", out));
            assertEquals(2, r[0], (String) r[2]);

            r = run(generate(server, "--labels", "chair", "--vocab", SharedData.require("clip/bpe_simple_vocab_16e6.txt.gz"),
                "--device", "cpu", "--out", out));
            assertEquals(2, r[0], (String) r[2]);
            assertEquals(List.of("pointclip prompts generate: --device does nothing in 'prompts generate': only the model's "
                + "tokenizer is read, no encoder runs"), errors(r));

            r = run(generate(server, "--labels", "chair", "--no-token-check", "--model", dir, "--out", out));
            assertEquals(List.of("pointclip prompts generate: --model does nothing with --no-token-check (no tokenizer is "
                + "read)"), errors(r));

            int before = server.requests();
            r = run(generate(server, "--labels", "chair", "--out", out));
            assertEquals(2, r[0], (String) r[2]);
            assertEquals(List.of("pointclip prompts generate: no CLIP model to count tokens with: pass --model DIR or "
                + "--backbone NAME (the model you will run the prompts with) or --vocab FILE (its tokenizer vocabulary), "
                + "or --no-token-check to skip the 77-token check"), errors(r));
            assertEquals(before, server.requests(), "checked before any request");
        }
        assertFalse(Files.exists(out));
    }

    @Test
    void aClassLeftWithoutPromptsIsNamedAndNothingIsWritten() throws Exception {
        Path out = dir.resolve("p.json");
        try (FakeChatServer server = new FakeChatServer((ex, q, n) -> FakeChatServer.send(ex, 200,
            FakeChatServer.completion(List.of(q.userMessage().contains("night stand") ? "I'm sorry, I cannot do that."
                : "A chair seen in depth " + n + "."))))) {
            Object[] r = run(generate(server, "--labels", "chair,night_stand", "--no-token-check", "--per-command", 1,
                "--out", out));
            assertEquals(2, r[0], (String) r[2]);
            assertEquals(1, errors(r).size(), (String) r[2]);
            assertTrue(errors(r).get(0).startsWith("pointclip prompts generate: no prompt left for class night_stand ("),
                (String) r[2]);
            assertTrue(server.log().stream().anyMatch(q -> q.userMessage().contains("night stand")));
            assertTrue(server.log().stream().noneMatch(q -> q.userMessage().contains("night_stand")));
        }
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(dir.resolve("p.provenance.json")));
    }

    @Test
    void tooLongPromptsAreDroppedOrTruncatedWithTheModelsTokenizerWithoutNewRequests() throws Exception {
        Path model = tinyModel();
        Path commands = dir.resolve("one.json");
        Files.writeString(commands, "{\"captions\": [\"Describe a depth map of a {}.\"]}");
        String longOne = "A chair " + "that is very ".repeat(40) + "tall.";
        Path out = dir.resolve("p.json");
        try (FakeChatServer server = new FakeChatServer((ex, q, n) -> FakeChatServer.send(ex, 200,
            FakeChatServer.completion(List.of(longOne, "A short chair."))))) {
            Object[] r = run(generate(server, "--labels", "chair", "--model", model, "--commands", commands,
                "--per-command", 2, "--cache", dir.resolve("responses"), "--out", out));
            assertEquals(0, r[0], (String) r[2]);
            assertEquals(List.of("A short chair."), PromptSet.fromJson(out).prompts(0));
            JsonNode p = new ObjectMapper().readTree(dir.resolve("p.provenance.json").toFile());
            assertEquals(1, p.get("classes").get("chair").get("dropped").get("too_long").asInt());

            r = run(generate(server, "--labels", "chair", "--model", model, "--commands", commands, "--per-command", 2,
                "--cache", dir.resolve("responses"), "--truncate-prompts", "--out", out));
            assertEquals(0, r[0], (String) r[2]);
            assertEquals(1, server.requests(), "other post-processing, same responses: no request");
            List<String> prompts = PromptSet.fromJson(out).prompts(0);
            assertEquals(2, prompts.size());
            ClipTokenizer tokenizer = ClipTokenizer.fromBpeVocab(SharedData.require("clip/bpe_simple_vocab_16e6.txt.gz"));
            int tokens = tokenizer.encode(prompts.get(0)).length + 2;
            assertTrue(tokens <= 77 && tokens >= 74, "cut at a word boundary just inside the context: " + tokens);
            assertTrue(longOne.startsWith(prompts.get(0)));
            p = new ObjectMapper().readTree(dir.resolve("p.provenance.json").toFile());
            assertEquals(1, p.get("classes").get("chair").get("truncated").asInt());
        }
    }

    @Test
    void statsMergeAndCommands() throws Exception {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        String longOne = "a chair " + "that is very ".repeat(40) + "tall";
        Files.writeString(a, "{\"chair\": [\"a chair\", \"A  Chair\", \"" + longOne + "\"], \"lamp\": [\"a lamp\"]}");
        Files.writeString(b, "{\"lamp\": [\"a lamp\", \"a tall lamp\"], \"sofa\": [\"a sofa\"]}");
        Path vocab = SharedData.require("clip/bpe_simple_vocab_16e6.txt.gz");
        Object[] r = ProjectCommandTest.run("prompts", "stats", a.toString(), "--vocab", vocab.toString());
        assertEquals(0, r[0], (String) r[2]);
        String out = (String) r[1];
        assertTrue(out.contains("2 classes, 4 prompts"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("chair\\s+3\\s+1\\s+1\\s+4/4/\\d+")), out);
        assertTrue(out.contains("duplicates: 1"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("\\s+1-8\\s+3 #+")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("\\s+>77\\s+1 #+")), out);
        assertTrue(out.contains("too long for the context: 1"), out);

        r = ProjectCommandTest.run("prompts", "stats", a.toString());
        assertEquals(2, r[0], (String) r[2]);
        assertTrue(((String) r[2]).contains("--no-token-check to leave token lengths out"), (String) r[2]);
        r = ProjectCommandTest.run("prompts", "stats", a.toString(), "--no-token-check");
        assertEquals(0, r[0], (String) r[2]);
        assertFalse(((String) r[1]).contains("token lengths"));

        Path merged = dir.resolve("m/c.json");
        r = ProjectCommandTest.run("prompts", "merge", a.toString(), b.toString(), "--out", merged.toString());
        assertEquals(0, r[0], (String) r[2]);
        PromptSet m = PromptSet.fromJson(merged);
        assertEquals(List.of("chair", "lamp", "sofa"), m.classes());
        assertEquals(List.of("a chair", longOne), m.prompts(0));
        assertEquals(List.of("a lamp", "a tall lamp"), m.prompts(1));
        assertTrue(((String) r[1]).contains("3 classes, 5 prompts (2 repeated prompts of 7 left out)"), (String) r[1]);
        r = ProjectCommandTest.run("prompts", "merge", a.toString(), "--out", merged.toString());
        assertEquals(2, r[0], "merge needs two files");

        r = ProjectCommandTest.run("prompts", "commands");
        assertEquals(0, r[0], (String) r[2]);
        Path printed = dir.resolve("commands.json");
        Files.writeString(printed, (String) r[1]);
        assertEquals(CommandLibrary.pointClipV2(), CommandLibrary.fromJson(printed));

        r = ProjectCommandTest.run("prompts");
        assertEquals(2, r[0], "a subcommand is required");
    }
}
