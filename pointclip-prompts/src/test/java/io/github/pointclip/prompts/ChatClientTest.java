package io.github.pointclip.prompts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.testing.FakeChatServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Chat Completions client against a fake OpenAI-compatible server on 127.0.0.1. */
class ChatClientTest {

    static final RetryPolicy FAST = new RetryPolicy(2, Duration.ofMillis(5), Duration.ofSeconds(3));
    static final String KEY = "sk-test-" + java.util.UUID.randomUUID();

    private static ChatRequest request(int n) {
        return new ChatRequest(List.of(ChatMessage.system("be brief"), ChatMessage.user("Describe a chair.")), n, 0.7,
            42L, 50);
    }

    private static OpenAiChatClient client(FakeChatServer server) {
        return OpenAiChatClient.builder(server.baseUrl(), "fake-model").apiKey(KEY, "$OPENAI_API_KEY").retry(FAST)
            .timeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void severalChoicesPerRequestAndTheRequestAsTheApiDefinesIt() throws Exception {
        try (FakeChatServer server = new FakeChatServer((ex, r, n) -> FakeChatServer.send(ex, 200,
            FakeChatServer.completion(List.of("A chair.", "A stool-like chair.", "A seat with a back."))))) {
            List<ChatChoice> got = client(server).complete(request(3));
            assertEquals(List.of("A chair.", "A stool-like chair.", "A seat with a back."),
                got.stream().map(ChatChoice::content).toList());
            assertEquals("stop", got.get(0).finishReason());
            FakeChatServer.Request sent = server.log().get(0);
            assertEquals("Bearer " + KEY, sent.authorization());
            assertEquals("fake-model", sent.json().get("model").asText());
            assertEquals(3, sent.json().get("n").asInt());
            assertEquals(42, sent.json().get("seed").asLong());
            assertEquals(50, sent.json().get("max_tokens").asInt());
            assertEquals(0.7, sent.json().get("temperature").asDouble(), 0);
            assertEquals("system", sent.json().get("messages").get(0).get("role").asText());
            assertEquals("Describe a chair.", sent.userMessage());
        }
    }

    @Test
    void nAndSeedAreLeftOutWhenTheyDoNotMatterAndNoKeyMeansNoAuthorization() throws Exception {
        try (FakeChatServer server = new FakeChatServer((ex, r, n) -> FakeChatServer.send(ex, 200,
            FakeChatServer.completion(List.of("A chair."))))) {
            OpenAiChatClient local = OpenAiChatClient.builder(server.baseUrl() + "/", "m").apiKey(null, "$NONE").build();
            local.complete(new ChatRequest(List.of(ChatMessage.user("x")), 1, 1.0, null, 10));
            FakeChatServer.Request sent = server.log().get(0);
            assertNull(sent.authorization());
            assertFalse(sent.json().has("n"), "some servers refuse n");
            assertFalse(sent.json().has("seed"));
            assertEquals(server.baseUrl() + "/chat/completions", local.endpoint().toString(), "a trailing / is fine");
        }
    }

    @Test
    void retryAfterOn429IsHonoured() throws Exception {
        try (FakeChatServer server = new FakeChatServer((ex, r, n) -> {
            if (n == 1) {
                FakeChatServer.send(ex, 429, "{\"error\": {\"message\": \"rate limited\"}}", "Retry-After", "1");
            } else {
                FakeChatServer.send(ex, 200, FakeChatServer.completion(List.of("A chair.")));
            }
        })) {
            List<ChatChoice> got = client(server).complete(request(1));
            assertEquals("A chair.", got.get(0).content());
            List<FakeChatServer.Request> log = server.log();
            assertEquals(2, log.size());
            long waited = log.get(1).nanos() - log.get(0).nanos();
            assertTrue(waited >= 950_000_000L, "waited " + waited / 1e6 + " ms, the server asked for 1 s (backoff is 5 ms)");
        }
    }

    @Test
    void retryAfterBeyondTheBackoffCapIsHonouredAndBeyondItsOwnCapFailsAtOnce() throws Exception {
        RetryPolicy shortBackoff = new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(100), Duration.ofSeconds(60));
        try (FakeChatServer server = new FakeChatServer((ex, r, n) -> {
            if (n == 1) {
                FakeChatServer.send(ex, 503, "{\"error\": {\"message\": \"busy\"}}", "Retry-After", "1");
            } else {
                FakeChatServer.send(ex, 200, FakeChatServer.completion(List.of("A chair.")));
            }
        })) {
            OpenAiChatClient c = OpenAiChatClient.builder(server.baseUrl(), "m").retry(shortBackoff).build();
            assertEquals("A chair.", c.complete(request(1)).get(0).content());
            long waited = server.log().get(1).nanos() - server.log().get(0).nanos();
            assertTrue(waited >= 950_000_000L, "waited " + waited / 1e6 + " ms; the server asked for 1 s, the backoff "
                + "cap is 100 ms");
        }
        try (FakeChatServer server = new FakeChatServer((ex, r, n) -> FakeChatServer.send(ex, 429,
            "{\"error\": {\"message\": \"quota\"}}", "Retry-After", "900"))) {
            OpenAiChatClient c = OpenAiChatClient.builder(server.baseUrl(), "m").retry(shortBackoff).build();
            long t0 = System.nanoTime();
            ChatException e = assertThrows(ChatException.class, () -> c.complete(request(1)));
            assertEquals(1, server.requests(), "no retry that would come too early");
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
            assertEquals("429 from 127.0.0.1:" + server.port() + ": quota; the server asks to wait 900 s before a retry, "
                + "more than the 60 s waited at most: try again later", e.getMessage());
        }
    }

    @Test
    void serverErrorThenSuccess() throws Exception {
        try (FakeChatServer server = new FakeChatServer((ex, r, n) -> {
            if (n == 1) {
                FakeChatServer.send(ex, 500, "{\"error\": {\"message\": \"overloaded\"}}");
            } else {
                FakeChatServer.send(ex, 200, FakeChatServer.completion(List.of("A chair.")));
            }
        })) {
            assertEquals("A chair.", client(server).complete(request(1)).get(0).content());
            assertEquals(2, server.requests());
        }
    }

    @Test
    void persistentServerErrorGivesUpAfterTheRetries() throws Exception {
        try (FakeChatServer server = new FakeChatServer((ex, r, n) -> FakeChatServer.send(ex, 503, "busy"))) {
            ChatException e = assertThrows(ChatException.class, () -> client(server).complete(request(1)));
            assertEquals(3, server.requests(), "one try and two retries");
            assertEquals(ChatException.Kind.HTTP_STATUS, e.kind());
            assertEquals(503, e.status());
            assertEquals("503 from 127.0.0.1:" + server.port() + ": busy (gave up after 3 tries)", e.getMessage());
        }
    }

    @Test
    void malformedJsonIsRetriedThenReported() throws Exception {
        try (FakeChatServer server = new FakeChatServer((ex, r, n) -> FakeChatServer.send(ex, 200, "{\"choices\": [")) ) {
            ChatException e = assertThrows(ChatException.class, () -> client(server).complete(request(1)));
            assertEquals(ChatException.Kind.BAD_RESPONSE, e.kind());
            assertEquals(3, server.requests());
            assertTrue(e.getMessage().startsWith("the response from 127.0.0.1:" + server.port() + " is not JSON"),
                e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
        try (FakeChatServer server = new FakeChatServer((ex, r, n) -> FakeChatServer.send(ex, 200, "{\"id\": 1}"))) {
            ChatException e = assertThrows(ChatException.class, () -> client(server).complete(request(1)));
            assertTrue(e.getMessage().contains("no 'choices' array"), e.getMessage());
        }
    }

    @Test
    void emptyContentIsRetriedThenReportedButOneEmptyChoiceAmongOthersIsKept() throws Exception {
        try (FakeChatServer server = new FakeChatServer((ex, r, n) -> FakeChatServer.send(ex, 200,
            FakeChatServer.completion(java.util.Arrays.asList("", null, "  "))))) {
            ChatException e = assertThrows(ChatException.class, () -> client(server).complete(request(3)));
            assertEquals(ChatException.Kind.BAD_RESPONSE, e.kind());
            assertTrue(e.getMessage().contains("holds no text"), e.getMessage());
            assertEquals(3, server.requests());
        }
        try (FakeChatServer server = new FakeChatServer((ex, r, n) -> FakeChatServer.send(ex, 200,
            FakeChatServer.completion(java.util.Arrays.asList("", "A chair."))))) {
            assertEquals(List.of("", "A chair."), client(server).complete(request(2)).stream().map(ChatChoice::content)
                .toList(), "post-processing counts the empty one");
        }
    }

    @Test
    void aRefusalIsMarked() throws Exception {
        String body = "{\"choices\": [{\"index\": 0, \"message\": {\"role\": \"assistant\", \"content\": null, "
            + "\"refusal\": \"I can't help with that.\"}, \"finish_reason\": \"stop\"}]}";
        try (FakeChatServer server = new FakeChatServer((ex, r, n) -> FakeChatServer.send(ex, 200, body))) {
            ChatChoice c = client(server).complete(request(1)).get(0);
            assertTrue(c.refused());
            assertEquals("", c.content());
            assertEquals(1, server.requests(), "a refusal is an answer, not a failure");
        }
    }

    @Test
    void aResponseSlowerThanTheTimeoutIsRetriedThenReported() throws Exception {
        try (FakeChatServer server = new FakeChatServer((ex, r, n) -> {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            FakeChatServer.send(ex, 200, FakeChatServer.completion(List.of("late")));
        })) {
            OpenAiChatClient c = OpenAiChatClient.builder(server.baseUrl(), "m").timeout(Duration.ofMillis(200))
                .retry(new RetryPolicy(1, Duration.ofMillis(5), Duration.ofMillis(10))).build();
            long t0 = System.nanoTime();
            ChatException e = assertThrows(ChatException.class, () -> c.complete(request(1)));
            assertEquals(ChatException.Kind.TIMEOUT, e.kind());
            assertEquals("no response from 127.0.0.1:" + server.port() + " within 200 ms (gave up after 2 tries)",
                e.getMessage());
            assertTrue(System.nanoTime() - t0 < 1_900_000_000L, "did not wait for the slow server");
        }
    }

    @Test
    void aBodyThatStallsAfterTheHeadersTimesOutAndIsRetried() throws Exception {
        try (FakeChatServer server = new FakeChatServer((ex, r, n) -> {
            if (n == 1) {
                FakeChatServer.sendStalling(ex, FakeChatServer.completion(List.of("A stalled chair.")), 30_000);
            } else {
                FakeChatServer.send(ex, 200, FakeChatServer.completion(List.of("A chair.")));
            }
        })) {
            OpenAiChatClient c = OpenAiChatClient.builder(server.baseUrl(), "m").timeout(Duration.ofMillis(300))
                .retry(new RetryPolicy(1, Duration.ofMillis(5), Duration.ofMillis(10))).build();
            long t0 = System.nanoTime();
            assertEquals("A chair.", c.complete(request(1)).get(0).content(), "the retry gets the whole answer");
            assertEquals(2, server.requests());
            assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "did not wait for the stalled body");
        }
        try (FakeChatServer server = new FakeChatServer((ex, r, n) ->
            FakeChatServer.sendStalling(ex, FakeChatServer.completion(List.of("A stalled chair.")), 30_000))) {
            OpenAiChatClient c = OpenAiChatClient.builder(server.baseUrl(), "m").timeout(Duration.ofMillis(300))
                .retry(RetryPolicy.NONE).build();
            long t0 = System.nanoTime();
            ChatException e = assertThrows(ChatException.class, () -> c.complete(request(1)));
            assertEquals(ChatException.Kind.TIMEOUT, e.kind());
            assertEquals("no response from 127.0.0.1:" + server.port() + " within 300 ms (gave up after 1 try)",
                e.getMessage());
            assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "did not wait for the stalled body");
        }
    }

    @Test
    void aServerThatClosesTheConnectionIsRetriedThenReported() throws Exception {
        try (FakeChatServer server = new FakeChatServer((ex, r, n) -> {
            if (n <= 2) {
                throw new IOException("drop"); // the JDK server then closes the connection without a response
            }
            FakeChatServer.send(ex, 200, FakeChatServer.completion(List.of("A chair.")));
        })) {
            assertEquals("A chair.", client(server).complete(request(1)).get(0).content(), "the third try works");
            assertEquals(3, server.requests());
        }
        try (FakeChatServer server = new FakeChatServer((ex, r, n) -> {
            throw new IOException("drop");
        })) {
            ChatException e = assertThrows(ChatException.class, () -> client(server).complete(request(1)));
            assertEquals(ChatException.Kind.CONNECTION, e.kind());
            assertTrue(e.getMessage().startsWith("the connection to 127.0.0.1:" + server.port() + " broke"), e.getMessage());
        }
    }

    @Test
    void unauthorizedNamesTheVariableAndNeverTheKeyEvenWhenTheServerQuotesIt() throws Exception {
        String body = "{\"error\": {\"message\": \"Incorrect API key provided: " + KEY + ". Find yours at example.org.\"}}";
        try (FakeChatServer server = new FakeChatServer((ex, r, n) -> FakeChatServer.send(ex, 401, body))) {
            ChatException e = assertThrows(ChatException.class, () -> client(server).complete(request(1)));
            assertEquals(ChatException.Kind.UNAUTHORIZED, e.kind());
            assertEquals(1, server.requests(), "401 is not retried");
            assertFalse(e.getMessage().contains(KEY), e.getMessage());
            assertEquals("401 from 127.0.0.1:" + server.port() + ": the server refused the API key in $OPENAI_API_KEY; "
                + "it says: Incorrect API key provided: [REDACTED]. Find yours at example.org.", e.getMessage());
        }
        try (FakeChatServer server = new FakeChatServer((ex, r, n) -> FakeChatServer.send(ex, 403, "{}"))) {
            OpenAiChatClient noKey = OpenAiChatClient.builder(server.baseUrl(), "m").apiKey("", "$MY_KEY").build();
            ChatException e = assertThrows(ChatException.class, () -> noKey.complete(request(1)));
            assertEquals("403 from 127.0.0.1:" + server.port() + ": no API key was sent ($MY_KEY is not set)", e.getMessage());
        }
    }

    @Test
    void anUnreachableServerFailsAtOnceNamingHostAndPort() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        OpenAiChatClient c = OpenAiChatClient.builder("http://127.0.0.1:" + port + "/v1", "m").retry(FAST).build();
        ChatException e = assertThrows(ChatException.class, () -> c.complete(request(1)));
        assertEquals(ChatException.Kind.UNREACHABLE, e.kind());
        assertTrue(e.getMessage().startsWith("cannot reach the chat server at 127.0.0.1:" + port + ": "), e.getMessage());
    }

    @Test
    void aWrongPathGets404WithAHint() throws Exception {
        try (FakeChatServer server = new FakeChatServer((ex, r, n) -> FakeChatServer.send(ex, 200, "{}"))) {
            OpenAiChatClient c = OpenAiChatClient.builder("http://127.0.0.1:" + server.port(), "m").build();
            ChatException e = assertThrows(ChatException.class, () -> c.complete(request(1)));
            assertEquals(404, e.status());
            assertTrue(e.getMessage().contains("is the base URL right?") && e.getMessage().contains("/chat/completions"),
                e.getMessage());
        }
    }

    @Test
    void aRedirectIsNotFollowedSoTheKeyStaysWithTheServerNamed() throws Exception {
        try (FakeChatServer server = new FakeChatServer((ex, r, n) -> FakeChatServer.send(ex, 307, "{}", "Location",
            "http://127.0.0.1:9/elsewhere/chat/completions"))) {
            ChatException e = assertThrows(ChatException.class, () -> client(server).complete(request(1)));
            assertEquals(307, e.status());
            assertEquals(1, server.requests());
            assertEquals("307 from 127.0.0.1:" + server.port() + "/v1/chat/completions: the server redirects to "
                + "http://127.0.0.1:9/elsewhere/chat/completions; give that URL's base as the URL", e.getMessage());
        }
    }

    @Test
    void badUrlsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> OpenAiChatClient.builder("localhost:8080", "m"));
        assertThrows(IllegalArgumentException.class, () -> OpenAiChatClient.builder("ftp://host/v1", "m"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> OpenAiChatClient.builder("https://host/v1?key=" + KEY, "m"));
        assertFalse(e.getMessage().contains(KEY), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OpenAiChatClient.builder("http://host/v1", " "));
        assertEquals("https://api.openai.com/v1/chat/completions",
            ChatClient.openAiCompatible("https://api.openai.com/v1", "gpt").endpoint().toString());
        assertEquals("http://h:1/v1/chat/completions",
            ChatClient.openAiCompatible("http://h:1/v1/chat/completions", "gpt").endpoint().toString());
    }

    @Test
    void aKeyIsNotSentOverPlainHttpToAnotherMachineWithoutOptIn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpenAiChatClient.builder(
            "http://llm.example.com:8000/v1", "m").apiKey(KEY, "$OPENAI_API_KEY").build());
        assertEquals("refusing to send the API key in $OPENAI_API_KEY unencrypted over http:// to llm.example.com, which "
            + "is not this machine: use https://, or allow it explicitly", e.getMessage());
        assertTrue(OpenAiChatClient.builder("http://llm.example.com:8000/v1", "m").apiKey(KEY, "$K").allowInsecureKey(true)
            .build().hasApiKey());
        assertFalse(OpenAiChatClient.builder("http://llm.example.com:8000/v1", "m").apiKey(null, "$K").build().hasApiKey(),
            "no key, nothing to protect");
        for (String ok : List.of("https://api.openai.com/v1", "http://localhost:8080/v1", "http://127.0.0.1:1/v1",
            "http://127.1.2.3/v1", "http://[::1]:11434/v1", "http://llm.localhost/v1")) {
            assertTrue(OpenAiChatClient.builder(ok, "m").apiKey(KEY, "$K").build().hasApiKey(), ok);
        }
        assertThrows(IllegalArgumentException.class, () -> OpenAiChatClient.builder("http://127.0.0.1.example.com/v1", "m")
            .apiKey(KEY, "$K").build());
    }

    @Test
    void aPlaceholderKeyShorterThan8CharactersIsNotRedacted() throws Exception {
        try (FakeChatServer server = new FakeChatServer((ex, r, n) -> FakeChatServer.send(ex, 200,
            FakeChatServer.completion(List.of("A box next to a chair."))))) {
            OpenAiChatClient c = OpenAiChatClient.builder(server.baseUrl(), "m").apiKey("x", "$OPENAI_API_KEY").build();
            assertEquals("A box next to a chair.", c.complete(request(1)).get(0).content(), "the 'x' in 'box' stays");
            assertEquals("Bearer x", server.log().get(0).authorization());
            OpenAiChatClient real = OpenAiChatClient.builder(server.baseUrl(), "m").apiKey("chair-key", "$K").build();
            assertEquals("a [REDACTED]", real.redact("a chair-key"), "8 characters and more are redacted");
        }
    }

    @Test
    void retryAfterHeaderForms() {
        assertEquals(Duration.ofSeconds(2), OpenAiChatClient.retryAfter("2"));
        assertEquals(Duration.ofMillis(1500), OpenAiChatClient.retryAfter(" 1.5 "));
        assertNull(OpenAiChatClient.retryAfter("soon"));
        String date = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
            .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(30));
        Duration d = OpenAiChatClient.retryAfter(date);
        assertTrue(d.getSeconds() >= 28 && d.getSeconds() <= 30, d.toString());
        RetryPolicy p = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertEquals(Duration.ofSeconds(100), p.delay(0, Duration.ofSeconds(100), 0.3),
            "Retry-After is honoured beyond the backoff cap");
        assertEquals(Duration.ofMinutes(10), p.maxRetryAfter());
        assertTrue(p.refuses(Duration.ofSeconds(601)));
        assertFalse(p.refuses(Duration.ofSeconds(600)));
        assertEquals(2000, p.delay(1, null, 0.999999999).toMillis(), 1, "2^1 s at the top of the jitter");
        assertEquals(Duration.ofMillis(1000), p.delay(1, null, 0), "half of it at the bottom");
        assertEquals(10_000, p.delay(30, null, 0.999999999).toMillis(), 1, "capped");
    }
}
