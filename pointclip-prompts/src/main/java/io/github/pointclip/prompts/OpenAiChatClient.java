package io.github.pointclip.prompts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pointclip.Version;
import io.github.pointclip.internal.JsonMessages;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of the OpenAI Chat Completions API ({@code POST <base>/chat/completions}) on
 * {@link java.net.http.HttpClient}: hosted APIs and the local servers that copy it (llama.cpp's
 * {@code llama-server}, Ollama, vLLM, LM Studio). The API key, when one is set, goes in the
 * {@code Authorization: Bearer} header only, and never over plain {@code http://} to another machine unless
 * {@linkplain Builder#allowInsecureKey allowed}; it is replaced by {@code [REDACTED]} in every message this client
 * makes, including the text of error responses (a 401 body may quote it), and never logged (a key shorter than 8
 * characters, a placeholder, is not redacted, with a warning). Retries follow the
 * {@link RetryPolicy}; 401/403 and an unreachable server fail at once. Immutable and thread-safe.
 */
public final class OpenAiChatClient implements ChatClient {

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiChatClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REDACTED = "[REDACTED]";
    private static final int MAX_SERVER_TEXT = 200;

    private final URI endpoint;
    private final String model;
    private final String apiKey;
    private final String apiKeySource;
    private final Duration timeout;
    private final RetryPolicy retry;
    private final HttpClient http;

    private OpenAiChatClient(Builder b) {
        this.endpoint = b.endpoint;
        this.model = b.model;
        this.apiKey = b.apiKey;
        this.apiKeySource = b.apiKeySource;
        this.timeout = b.timeout;
        this.retry = b.retry;
        this.http = b.http != null ? b.http : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(b.connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * @param baseUrl the API's base URL, e.g. {@code https://api.openai.com/v1}, {@code http://localhost:8080/v1}
     *     (llama.cpp), {@code http://localhost:11434/v1} (Ollama); {@code /chat/completions} is appended unless it
     *     ends with it
     * @param model the model name the server knows
     * @return a builder
     * @throws IllegalArgumentException when the URL is not an http(s) URL with a host, or the model is blank
     */
    public static Builder builder(String baseUrl, String model) {
        return new Builder(baseUrl, model);
    }

    /** Keys shorter than this are not redacted: a placeholder such as {@code x} would mangle every answer. */
    static final int MIN_REDACTED_KEY = 8;

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public String model() {
        return model;
    }

    /** @return whether an API key is set (the key itself is never returned) */
    public boolean hasApiKey() {
        return apiKey != null;
    }

    @Override
    public List<ChatChoice> complete(ChatRequest request) throws IOException, InterruptedException {
        byte[] body = requestBody(request);
        ChatException last = null;
        Duration retryAfter = null;
        for (int attempt = 0; attempt <= retry.maxRetries(); attempt++) {
            if (attempt > 0) {
                Duration wait = retry.delay(attempt - 1, retryAfter, ThreadLocalRandom.current().nextDouble());
                LOG.warn("{}; retrying in {} ms (retry {} of {})", last.getMessage(), wait.toMillis(), attempt,
                    retry.maxRetries());
                Thread.sleep(wait.toMillis());
            }
            retryAfter = null;
            HttpResponse<byte[]> response;
            try {
                response = exchange(body);
            } catch (HttpConnectTimeoutException e) {
                throw new ChatException(ChatException.Kind.UNREACHABLE, 0, "cannot reach the chat server at "
                    + authority() + ": no connection within the connect timeout", e);
            } catch (HttpTimeoutException e) {
                last = new ChatException(ChatException.Kind.TIMEOUT, 0, "no response from " + authority() + " within "
                    + seconds(timeout), e);
                continue;
            } catch (ConnectException e) {
                throw new ChatException(ChatException.Kind.UNREACHABLE, 0, "cannot reach the chat server at "
                    + authority() + ": " + connectReason(e), e);
            } catch (IOException e) {
                last = new ChatException(ChatException.Kind.CONNECTION, 0, "the connection to " + authority()
                    + " broke: " + redact(oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())),
                    e);
                continue;
            }
            int status = response.statusCode();
            if (status == 200) {
                try {
                    return choices(response.body());
                } catch (ChatException e) {
                    last = e;
                    continue;
                }
            }
            String said = serverText(response.body());
            if (status == 401 || status == 403) {
                throw new ChatException(ChatException.Kind.UNAUTHORIZED, status, status + " from " + authority() + ": "
                    + (apiKey == null ? "no API key was sent (" + apiKeySource + " is not set)"
                        : "the server refused the API key in " + apiKeySource) + (said.isEmpty() ? "" : "; it says: " + said),
                    null);
            }
            if (status == 429 || status >= 500) {
                retryAfter = retryAfter(response.headers().firstValue("Retry-After").orElse(null));
                last = new ChatException(ChatException.Kind.HTTP_STATUS, status, status + " from " + authority()
                    + (said.isEmpty() ? "" : ": " + said), null);
                if (attempt < retry.maxRetries() && retry.refuses(retryAfter)) {
                    throw new ChatException(ChatException.Kind.HTTP_STATUS, status, last.getMessage()
                        + "; the server asks to wait " + seconds(retryAfter.withNanos(0)) + " before a retry, more than the "
                        + seconds(retry.maxRetryAfter()) + " waited at most: try again later", null);
                }
                continue;
            }
            if (status >= 300 && status < 400) {
                // not followed: the Authorization header must not travel to wherever a redirect points
                String location = response.headers().firstValue("Location").orElse("?");
                throw new ChatException(ChatException.Kind.HTTP_STATUS, status, status + " from " + where()
                    + ": the server redirects to " + redact(oneLine(location)) + "; give that URL's base as the URL", null);
            }
            String hint = status == 404 ? " (is the base URL right? OpenAI-compatible servers serve " + endpoint.getPath()
                + " under a base such as http://host:port/v1; is the model '" + model + "' known to the server?)" : "";
            throw new ChatException(ChatException.Kind.HTTP_STATUS, status, status + " from " + where()
                + (said.isEmpty() ? "" : ": " + said) + hint, null);
        }
        throw new ChatException(last.kind(), last.status(), last.getMessage() + " (gave up after " + (retry.maxRetries() + 1)
            + (retry.maxRetries() == 0 ? " try)" : " tries)"), last.getCause());
    }

    /**
     * One exchange, bounded as a whole by the timeout: {@link HttpRequest.Builder#timeout} only bounds the wait
     * for the headers, so a server that sends them and part of the body and then stalls would hang a plain
     * {@code send} for ever. On timeout the exchange is cancelled and an {@link HttpTimeoutException} thrown.
     */
    private HttpResponse<byte[]> exchange(byte[] body) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(httpRequest(body),
            HttpResponse.BodyHandlers.ofByteArray());
        try {
            return pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            HttpTimeoutException t = new HttpTimeoutException("the response did not end within " + seconds(timeout));
            t.initCause(e);
            throw t;
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
    }

    private String where() {
        return authority() + endpoint.getRawPath();
    }

    private HttpRequest httpRequest(byte[] body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(endpoint).timeout(timeout)
            .header("Content-Type", "application/json").header("Accept", "application/json")
            .header("User-Agent", "pointclip/" + Version.get())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (apiKey != null) {
            r.header("Authorization", "Bearer " + apiKey);
        }
        return r.build();
    }

    /** The request body: model, messages, temperature, max_tokens, and n and seed when they matter. */
    byte[] requestBody(ChatRequest request) throws JsonProcessingException {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", model);
        ArrayNode messages = root.putArray("messages");
        for (ChatMessage m : request.messages()) {
            messages.addObject().put("role", m.role()).put("content", m.content());
        }
        root.put("temperature", request.temperature());
        root.put("max_tokens", request.maxTokens());
        if (request.n() > 1) {
            root.put("n", request.n()); // some servers refuse n, even n = 1
        }
        if (request.seed() != null) {
            root.put("seed", request.seed());
        }
        return JSON.writeValueAsBytes(root);
    }

    /** The completions of a 200 response; a response without any text is as bad as a malformed one. */
    private List<ChatChoice> choices(byte[] body) throws ChatException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            // no cause: Jackson's message quotes the body (a stack trace would show what the redaction hides)
            throw bad("is not JSON (" + redact(JsonMessages.of(e)) + ")", null);
        } catch (IOException e) {
            throw bad("cannot be read (" + redact(oneLine(String.valueOf(e.getMessage()))) + ")", null);
        }
        if (root == null || !root.isObject()) {
            throw bad("is not a JSON object", null);
        }
        if (root.hasNonNull("error")) {
            throw bad("is an error: " + serverText(body), null);
        }
        JsonNode choices = root.get("choices");
        if (choices == null || !choices.isArray()) {
            throw bad("is not a Chat Completions response (it has no 'choices' array)", null);
        }
        List<ChatChoice> out = new ArrayList<>();
        boolean anyText = false;
        for (JsonNode c : choices) {
            JsonNode message = c.get("message");
            if (message == null || !message.isObject()) {
                throw bad("has a choice without a 'message' object", null);
            }
            String content = text(message.get("content"));
            if (content == null) {
                throw bad("has a choice whose 'content' is neither text nor null", null);
            }
            boolean refused = message.hasNonNull("refusal") && !message.get("refusal").asText().isBlank();
            JsonNode finish = c.get("finish_reason");
            anyText |= !content.isBlank() || refused;
            out.add(new ChatChoice(redact(content), refused, finish == null || finish.isNull() ? null : finish.asText()));
        }
        if (!anyText) {
            throw bad(out.isEmpty() ? "has no choice" : "holds no text (every choice is empty)", null);
        }
        return List.copyOf(out);
    }

    /** Content as text: a string, null (empty), or an array of {@code {"type": "text", "text": ...}} parts. */
    private static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : content) {
                if (part.hasNonNull("text")) {
                    sb.append(part.get("text").asText());
                }
            }
            return sb.toString();
        }
        return null;
    }

    private ChatException bad(String what, Throwable cause) {
        return new ChatException(ChatException.Kind.BAD_RESPONSE, 200, "the response from " + authority() + " " + what,
            cause);
    }

    /** What an error body says: its {@code error.message} (or {@code error}, {@code message}), else its text; short, one line, redacted. */
    private String serverText(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            JsonNode root = JSON.readTree(body);
            if (root != null && root.isObject()) {
                JsonNode error = root.get("error");
                if (error != null && error.isObject() && error.hasNonNull("message")) {
                    text = error.get("message").asText();
                } else if (error != null && error.isTextual()) {
                    text = error.asText();
                } else if (root.hasNonNull("message")) {
                    text = root.get("message").asText();
                } else {
                    text = ""; // JSON without a message says nothing a user can act on
                }
            }
        } catch (IOException e) {
            // not JSON: the text itself
        }
        String line = redact(oneLine(text));
        return line.length() > MAX_SERVER_TEXT ? line.substring(0, MAX_SERVER_TEXT) + "…" : line;
    }

    /** @return the text with every occurrence of the API key replaced */
    String redact(String text) {
        return apiKey == null || text == null || apiKey.length() < MIN_REDACTED_KEY ? text : text.replace(apiKey, REDACTED);
    }

    private static String oneLine(String s) {
        return JsonMessages.oneLine(s);
    }

    private static String connectReason(ConnectException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "unknown host";
            }
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? "connection refused" : oneLine(m).toLowerCase(Locale.ROOT);
    }

    /** @return host:port of the endpoint, with the scheme's default port when none is written */
    String authority() {
        int port = endpoint.getPort() >= 0 ? endpoint.getPort() : "https".equalsIgnoreCase(endpoint.getScheme()) ? 443 : 80;
        return endpoint.getHost() + ":" + port;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** A {@code Retry-After} header: delay-seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.strip();
        try {
            return Duration.ofMillis(Math.round(Double.parseDouble(h) * 1000));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Duration.between(ZonedDateTime.now(at.getZone()), at);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    @Override
    public String toString() {
        return "OpenAiChatClient[" + endpoint + ", model " + model + (apiKey == null ? "" : ", key from " + apiKeySource) + "]";
    }

    /** Settings of an {@link OpenAiChatClient}; each has a default except the URL and the model. */
    public static final class Builder {
        private final URI endpoint;
        private final String model;
        private String apiKey;
        private String apiKeySource = "the API key setting";
        private Duration timeout = Duration.ofSeconds(60);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private HttpClient http;
        private boolean allowInsecureKey;

        private Builder(String baseUrl, String model) {
            this.endpoint = endpoint(baseUrl);
            Objects.requireNonNull(model, "model");
            if (model.isBlank()) {
                throw new IllegalArgumentException("the chat model name is blank");
            }
            this.model = model.strip();
        }

        private static URI endpoint(String baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            URI uri;
            try {
                uri = new URI(baseUrl.strip());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a URL: '" + baseUrl + "' (" + e.getReason() + ")", e);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL with a host: '" + baseUrl
                    + "' (e.g. https://api.openai.com/v1 or http://localhost:8080/v1)");
            }
            if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("the chat server URL '" + uri.getScheme() + "://" + uri.getHost()
                    + "…' may not hold user info, a query or a fragment (pass the API key through its variable)");
            }
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            if (!path.endsWith("/chat/completions")) {
                path = path + "/chat/completions";
            }
            return URI.create(scheme + "://" + uri.getRawAuthority() + path);
        }

        /**
         * @param key the API key, sent as {@code Authorization: Bearer KEY}; null or blank for none (default:
         *     none, as local servers need)
         * @param source where it comes from, for messages (e.g. {@code $OPENAI_API_KEY}); never the key itself
         * @return this builder
         */
        public Builder apiKey(String key, String source) {
            this.apiKey = key == null || key.isBlank() ? null : key.strip();
            this.apiKeySource = Objects.requireNonNull(source, "source");
            if (apiKey != null && apiKey.length() >= MIN_REDACTED_KEY && source.contains(apiKey)) {
                throw new IllegalArgumentException("the key's source must describe where it comes from, not hold it");
            }
            return this;
        }

        /**
         * Reads the key from an environment variable (unset or blank: no key).
         *
         * @param variable the variable's name, e.g. {@code OPENAI_API_KEY}
         * @return this builder
         */
        public Builder apiKeyFromEnvironment(String variable) {
            return apiKey(System.getenv(variable), "$" + variable);
        }

        /**
         * @param requestTimeout how long one request may take, from sending to the last byte (default 60 s)
         * @return this builder
         */
        public Builder timeout(Duration requestTimeout) {
            if (requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + requestTimeout);
            }
            this.timeout = requestTimeout;
            return this;
        }

        /**
         * @param connect how long opening a connection may take (default 10 s); ignored with {@link #httpClient}
         * @return this builder
         */
        public Builder connectTimeout(Duration connect) {
            if (connect.isNegative() || connect.isZero()) {
                throw new IllegalArgumentException("connect timeout must be positive, got " + connect);
            }
            this.connectTimeout = connect;
            return this;
        }

        /**
         * @param policy when to retry (default {@link RetryPolicy#DEFAULT})
         * @return this builder
         */
        public Builder retry(RetryPolicy policy) {
            this.retry = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @param client the HTTP client to send with (default: a new HTTP/1.1 client that follows no redirect, so
         *     that the key is never sent elsewhere)
         * @return this builder
         */
        public Builder httpClient(HttpClient client) {
            this.http = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * @param allow send the API key even over plain {@code http://} to a host other than this machine, where
         *     anyone on the way can read it (default false: such a client is refused at {@link #build})
         * @return this builder
         */
        public Builder allowInsecureKey(boolean allow) {
            this.allowInsecureKey = allow;
            return this;
        }

        /**
         * @return the client
         * @throws IllegalArgumentException when an API key would go over plain {@code http://} to another machine
         *     without {@link #allowInsecureKey}
         */
        public OpenAiChatClient build() {
            if (apiKey != null && !allowInsecureKey && "http".equals(endpoint.getScheme()) && !isLoopback(endpoint.getHost())) {
                throw new IllegalArgumentException("refusing to send the API key in " + apiKeySource
                    + " unencrypted over http:// to " + endpoint.getHost() + ", which is not this machine: use https://, "
                    + "or allow it explicitly");
            }
            if (apiKey != null && apiKey.length() < MIN_REDACTED_KEY) {
                LOG.warn("the API key in {} is shorter than {} characters (a placeholder?): it is not redacted from "
                    + "messages and answers", apiKeySource, MIN_REDACTED_KEY);
            }
            return new OpenAiChatClient(this);
        }

        /** Loopback by its name or literal address (no lookup): localhost, *.localhost, 127.0.0.0/8, ::1. */
        static boolean isLoopback(String host) {
            String h = host.toLowerCase(Locale.ROOT);
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            return h.equals("localhost") || h.endsWith(".localhost") || h.matches("127(\\.\\d{1,3}){3}")
                || h.equals("::1") || h.matches("(0{1,4}:){7}0{0,3}1") || h.equals("::ffff:127.0.0.1");
        }
    }
}
