package io.github.pointclip.prompts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.internal.Sha256;
import io.github.pointclip.prompt.PromptSet;
import io.github.pointclip.testing.FakeChatServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator end to end against a fake OpenAI-compatible server. */
class PromptGeneratorTest {

    private static final CommandLibrary TWO = CommandLibrary.of("Be brief.", Map.of(
        "caption-generation", List.of("Describe a depth map of a {}.")));
    private static final CommandLibrary COMMANDS = TWO.plus(CommandLibrary.of(null, Map.of(
        "question-answering", List.of("What does a point cloud of a {} look like?"))));
    private static final List<String> CLASSES = List.of("chair", "flower_pot");
    private static final List<String> NATURAL = List.of("chair", "flower pot");

    @TempDir
    Path dir;

    private OpenAiChatClient client(FakeChatServer server) {
        return OpenAiChatClient.builder(server.baseUrl(), "fake-model").retry(ChatClientTest.FAST).build();
    }

    private PromptGenerator.Builder generator(FakeChatServer server) {
        return PromptGenerator.builder().client(client(server)).commands(COMMANDS).completionsPerCommand(3)
            .cache(dir.resolve("cache"));
    }

    @Test
    void keysAreTheClassesAsGivenWhileTheModelAndThePromptsReadNaturally() throws Exception {
        try (FakeChatServer server = new FakeChatServer(FakeChatServer.describing(NATURAL))) {
            GenerationResult r = generator(server).build().generate(CLASSES);
            PromptSet p = r.prompts();
            assertEquals(CLASSES, p.classes());
            assertEquals(6, p.prompts(1).size(), "2 commands × 3 completions");
            p.prompts(1).forEach(t -> assertTrue(t.startsWith("A depth map of a flower pot, answer "), t));
            assertEquals(4, server.requests(), "2 classes × 2 commands, n = 3 each");
            List<String> sent = new ArrayList<>();
            for (FakeChatServer.Request q : server.log()) {
                assertEquals(3, q.n());
                assertEquals("Be brief.", q.json().get("messages").get(0).get("content").asText());
                sent.add(q.userMessage());
            }
            assertTrue(sent.containsAll(List.of("Describe a depth map of a flower pot.",
                "What does a point cloud of a flower pot look like?", "Describe a depth map of a chair.")), sent.toString());
            assertTrue(sent.stream().noneMatch(s -> s.contains("_")));
            assertEquals(4, r.report().requests());
            assertEquals(0, r.report().cacheHits());
            assertEquals(12, r.report().kept());
            assertEquals(4, generator(server).build().requestsPerClass() * 2);
        }
    }

    @Test
    void aServerThatIgnoresNIsAskedAgainWithTheNextSeed() throws Exception {
        try (FakeChatServer server = new FakeChatServer((ex, q, n) -> FakeChatServer.send(ex, 200,
            FakeChatServer.completion(List.of("A depth map of a thing, reply " + n + "."))))) {
            GenerationResult r = generator(server).seed(7L).concurrency(1).build().generate(List.of("chair"));
            assertEquals(6, server.requests(), "2 commands × 3 requests of one completion");
            assertEquals(6, r.prompts().prompts(0).size());
            List<FakeChatServer.Request> log = server.log();
            assertEquals(List.of(3, 2, 1), log.subList(0, 3).stream().map(FakeChatServer.Request::n).toList(),
                "each request asks for what is still missing");
            assertEquals(List.of(7L, 8L, 9L), log.subList(0, 3).stream().map(q -> q.json().get("seed").asLong()).toList());
        }
        try (FakeChatServer server = new FakeChatServer(FakeChatServer.describing(NATURAL))) {
            generator(server).choicesPerRequest(1).cache(null).build().generate(List.of("chair"));
            assertEquals(6, server.requests());
            assertTrue(server.log().stream().allMatch(q -> !q.json().has("n")), "no n for servers that refuse it");
        }
    }

    @Test
    void aRerunReadsEveryResponseFromTheCacheAndSendsNothing() throws Exception {
        GenerationResult first;
        try (FakeChatServer server = new FakeChatServer(FakeChatServer.describing(NATURAL))) {
            first = generator(server).build().generate(CLASSES);
            assertEquals(4, server.requests());
        }
        // a rerun must not send anything: a client for the same URL and model that fails the test on any request
        java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        java.net.URI url = java.net.URI.create(first.provenance().get("server").get("url").asText());
        ChatClient never = new ChatClient() {
            @Override
            public java.net.URI endpoint() {
                return url;
            }

            @Override
            public String model() {
                return "fake-model";
            }

            @Override
            public List<ChatChoice> complete(ChatRequest request) {
                sent.incrementAndGet();
                throw new AssertionError("a rerun sent a request: " + request);
            }
        };
        GenerationResult second = PromptGenerator.builder().client(never).commands(COMMANDS).completionsPerCommand(3)
            .cache(dir.resolve("cache")).build().generate(CLASSES);
        assertEquals(first.prompts(), second.prompts());
        assertEquals(0, second.report().requests());
        assertEquals(4, second.report().cacheHits());
        assertEquals(0, sent.get());
        // another parameter is another key
        try (FakeChatServer server = new FakeChatServer(FakeChatServer.describing(NATURAL))) {
            GenerationResult hot = generator(server).temperature(1.5).build().generate(CLASSES);
            assertEquals(4, server.requests());
            assertEquals(4, hot.report().requests());
        }
    }

    @Test
    void anInterruptedRunResumesWhereItStopped() throws Exception {
        try (FakeChatServer server = new FakeChatServer((ex, q, n) -> {
            if (n <= 3) {
                FakeChatServer.describing(NATURAL).answer(ex, q, n);
            } else {
                throw new IOException("the server dies");
            }
        })) {
            // responses of other runs in the shared cache folder are not this run's
            Files.createDirectories(dir.resolve("cache"));
            Files.writeString(dir.resolve("cache/0000-other-run.json"), "{}");
            ChatException e = assertThrows(ChatException.class,
                () -> generator(server).concurrency(1).build().generate(CLASSES));
            assertEquals(ChatException.Kind.CONNECTION, e.kind());
            assertTrue(e.getMessage().endsWith("; the 3 responses received in this run are cached in "
                + dir.resolve("cache") + ": a rerun resumes"), e.getMessage());
            Files.delete(dir.resolve("cache/0000-other-run.json"));
            assertEquals(6, server.requests(), "3 answered, then one try and two retries");
            try (Stream<Path> files = Files.list(dir.resolve("cache"))) {
                assertEquals(3, files.filter(f -> f.toString().endsWith(".json")).count(), "what arrived is cached");
            }
            server.behaviour(FakeChatServer.describing(NATURAL)); // back up, same URL
            GenerationResult r = generator(server).build().generate(CLASSES);
            assertEquals(7, server.requests(), "only the missing response is asked for");
            assertEquals(1, r.report().requests());
            assertEquals(3, r.report().cacheHits());
            assertEquals(12, r.report().kept());
        }
    }

    @Test
    void aRunInterruptedMidwayResumesFromWhatItReceived() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (FakeChatServer server = new FakeChatServer((ex, q, n) -> {
            if (n > 2) {
                try {
                    release.await(); // hangs until the test ends it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            FakeChatServer.describing(NATURAL).answer(ex, q, n);
        })) {
            Exception[] thrown = new Exception[1];
            Thread run = new Thread(() -> {
                try {
                    generator(server).concurrency(1).build().generate(CLASSES);
                } catch (Exception e) {
                    thrown[0] = e;
                }
            });
            run.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (server.requests() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            run.interrupt(); // Ctrl-C in the middle of the third request
            run.join(10_000);
            assertFalse(run.isAlive(), "the interrupt stopped the run");
            assertTrue(thrown[0] instanceof InterruptedException, String.valueOf(thrown[0]));
            release.countDown();
            server.behaviour(FakeChatServer.describing(NATURAL));
            int before = server.requests();
            GenerationResult r = generator(server).build().generate(CLASSES);
            assertEquals(2, r.report().cacheHits(), "the two answered requests");
            assertEquals(2, r.report().requests());
            assertEquals(before + 2, server.requests());
        }
    }

    @Test
    void theKeyNeverLeaksIntoAnyFileOrLogLine() throws Exception {
        String key = "sk-leak-" + java.util.UUID.randomUUID();
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream err = System.err;
        PrintStream stdout = System.out;
        // slf4j-simple writes to stderr, or to stdout with jHDF's simplelogger.properties on the class path
        PrintStream capture = new PrintStream(logs, true, StandardCharsets.UTF_8);
        System.setErr(capture);
        System.setOut(capture);
        Path out = dir.resolve("out/prompts.json");
        try (FakeChatServer server = new FakeChatServer((ex, q, n) -> {
            if (n % 2 == 1) {
                FakeChatServer.send(ex, 500, "{\"error\": {\"message\": \"backend failed for key " + key + "\"}}");
            } else {
                FakeChatServer.send(ex, 200, FakeChatServer.completion(List.of("A depth map of a "
                    + FakeChatServer.subject(q.userMessage(), NATURAL) + " (your key " + key + ") reply " + n + ".")));
            }
        })) {
            GenerationResult r = PromptGenerator.builder().client(OpenAiChatClient.builder(server.baseUrl(), "m")
                    .apiKey(key, "$TEST_KEY").retry(ChatClientTest.FAST).build())
                .commands(COMMANDS).completionsPerCommand(1).cache(dir.resolve("cache")).concurrency(1).build()
                .generate(CLASSES);
            r.write(out);
            assertTrue(server.log().stream().allMatch(q -> ("Bearer " + key).equals(q.authorization())), "the key was sent");
        } finally {
            System.setErr(err);
            System.setOut(stdout);
        }
        String logged = logs.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("retrying") && logged.contains("[REDACTED]"), "the logs were captured: " + logged);
        assertFalse(logged.contains(key), logged);
        List<Path> written;
        try (Stream<Path> files = Files.walk(dir)) {
            written = files.filter(Files::isRegularFile).toList();
        }
        assertTrue(written.size() >= 6, "4 cache entries, the library, its provenance: " + written);
        for (Path f : written) {
            assertFalse(Files.readString(f).contains(key), f + " holds the key");
        }
        assertTrue(Files.readString(out).contains("[REDACTED]"), "what the server echoed is redacted");
    }

    @Test
    void aClassLeftWithoutPromptsIsAnErrorNamingIt() throws Exception {
        try (FakeChatServer server = new FakeChatServer((ex, q, n) -> FakeChatServer.send(ex, 200,
            FakeChatServer.completion(List.of(q.userMessage().contains("flower pot") ? "I'm sorry, I can't help with that."
                : "A chair in depth " + n + "."))))) {
            PromptGenerationException e = assertThrows(PromptGenerationException.class,
                () -> generator(server).completionsPerCommand(1).build().generate(CLASSES));
            assertEquals("no prompt left for class flower_pot (flower_pot: 2 answers, 2 candidates, dropped: 2 refusals)",
                e.getMessage());
            assertEquals(2, e.report().classes().get(0).kept());
        }
    }

    @Test
    void writeGivesTheLibraryAndItsProvenance() throws Exception {
        try (FakeChatServer server = new FakeChatServer(FakeChatServer.describing(NATURAL))) {
            GenerationResult r = generator(server).seed(3L).maxPerClass(4).build().generate(CLASSES)
                .withProvenance("api_key_env", "OPENAI_API_KEY");
            Path out = dir.resolve("a/b/prompts.json");
            r.write(out);
            assertEquals(r.prompts(), PromptSet.fromJson(out), "PromptSet.fromJson reads it");
            Path provenance = dir.resolve("a/b/prompts.provenance.json");
            assertEquals(provenance, GenerationResult.provenanceFile(out));
            JsonNode p = new ObjectMapper().readTree(provenance.toFile());
            assertEquals(server.baseUrl() + "/chat/completions", p.get("server").get("url").asText());
            assertEquals("fake-model", p.get("server").get("model").asText());
            assertEquals(3, p.get("parameters").get("seed").asInt());
            assertEquals(4, p.get("parameters").get("max_per_class").asInt());
            assertEquals("OPENAI_API_KEY", p.get("api_key_env").asText());
            assertEquals("Describe a depth map of a {}.", p.get("commands").get("caption-generation").get(0).asText());
            JsonNode pot = p.get("classes").get("flower_pot");
            assertEquals(6, pot.get("answers").asInt());
            assertEquals(2, pot.get("dropped").get("over_cap").asInt());
            assertEquals(4, pot.get("kept").asInt());
            assertEquals(8, p.get("totals").get("kept").asInt());
            assertEquals(Sha256.of(out), p.get("output").get("sha256").asText());
            assertTrue(p.get("date").asText().startsWith("20"));
        }
    }

    @Test
    void unusableOutputAndCachePathsFailBeforeAnyRequestWithOneLine() throws Exception {
        Path file = Files.writeString(dir.resolve("plain.txt"), "x");
        try (FakeChatServer server = new FakeChatServer(FakeChatServer.describing(NATURAL))) {
            IOException e = assertThrows(IOException.class, () -> generator(server).cache(file).build().generate(CLASSES));
            assertEquals("cannot create the response cache folder " + file + ": " + file.toAbsolutePath()
                + " is a file, not a folder", e.getMessage());
            assertEquals(0, server.requests(), "nothing sent, nothing paid for");

            GenerationResult r = generator(server).build().generate(CLASSES);
            Path folder = Files.createDirectories(dir.resolve("out.json"));
            e = assertThrows(IOException.class, () -> r.write(folder));
            assertEquals("cannot write " + folder + ": it is a folder; give a file name such as "
                + folder.resolve("prompts.json"), e.getMessage());
            assertFalse(Files.exists(GenerationResult.provenanceFile(folder)), "no orphan provenance");
            Path under = file.resolve("p.json");
            e = assertThrows(IOException.class, () -> r.write(under));
            assertEquals("cannot write " + under + ": " + file.toAbsolutePath() + " is a file, not a folder",
                e.getMessage());
            // the provenance's place taken by a folder: the library is written, no provenance is claimed
            Path lib = dir.resolve("lib.json");
            Files.createDirectories(GenerationResult.provenanceFile(lib));
            e = assertThrows(IOException.class, () -> r.write(lib));
            assertTrue(e.getMessage().startsWith("cannot write " + GenerationResult.provenanceFile(lib) + ": it is a folder"),
                e.getMessage());
            assertFalse(Files.exists(lib), "checked before writing anything");
        }
    }

    @Test
    void badSettingsAreRefusedAtBuild() {
        OpenAiChatClient c = OpenAiChatClient.builder("http://127.0.0.1:9/v1", "m").build();
        assertThrows(IllegalStateException.class, () -> PromptGenerator.builder().build());
        assertThrows(IllegalArgumentException.class, () -> PromptGenerator.builder().client(c).temperature(3).build());
        assertThrows(IllegalArgumentException.class, () -> PromptGenerator.builder().client(c).completionsPerCommand(0).build());
        assertThrows(IllegalArgumentException.class, () -> PromptGenerator.builder().client(c).truncate(true).build());
        assertThrows(IllegalArgumentException.class, () -> PromptGenerator.builder().client(c).build()
            .generate(List.of("a", "a")));
        assertEquals(22, PromptGenerator.builder().client(c).build().requestsPerClass(), "22 commands, n = 5 per request");
        assertEquals(110, PromptGenerator.builder().client(c).choicesPerRequest(1).build().requestsPerClass());
    }
}
