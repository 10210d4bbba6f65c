package io.github.pointclip.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake OpenAI-compatible Chat Completions server on 127.0.0.1 with a free port, for tests; nothing leaves the
 * machine. Every request to {@code /v1/chat/completions} is logged (body, Authorization header, arrival time)
 * and answered by the current {@link Behaviour}; other paths get 404.
 */
public final class FakeChatServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The path the fake serves. */
    public static final String PATH = "/v1/chat/completions";

    /** Answers one request; {@code n} counts the requests, from 1. */
    @FunctionalInterface
    public interface Behaviour {
        /**
         * @param exchange the exchange to answer
         * @param request the parsed request
         * @param n the request's number, from 1
         * @throws IOException to drop the connection
         */
        void answer(HttpExchange exchange, Request request, int n) throws IOException;
    }

    /**
     * One logged request.
     *
     * @param body the JSON body as sent
     * @param authorization the Authorization header, or null
     * @param nanos when it arrived ({@link System#nanoTime()})
     */
    public record Request(String body, String authorization, long nanos) {

        /** @return the body parsed */
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("the client sent invalid JSON: " + body, e);
            }
        }

        /** @return the request's {@code n}, 1 when absent */
        public int n() {
            return json().path("n").asInt(1);
        }

        /** @return the content of the last user message */
        public String userMessage() {
            String last = null;
            for (JsonNode m : json().path("messages")) {
                if (m.path("role").asText().equals("user")) {
                    last = m.path("content").asText();
                }
            }
            return last;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicInteger count = new AtomicInteger();
    private final List<Request> log = new ArrayList<>();
    private volatile Behaviour behaviour;

    /**
     * @param behaviour how to answer
     * @throws IOException when the server cannot start
     */
    public FakeChatServer(Behaviour behaviour) throws IOException {
        this.behaviour = behaviour;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        server.start();
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!exchange.getRequestURI().getPath().equals(PATH) || !exchange.getRequestMethod().equals("POST")) {
                send(exchange, 404, "{\"error\": {\"message\": \"not found\"}}");
                return;
            }
            Request r = new Request(new String(body, StandardCharsets.UTF_8),
                exchange.getRequestHeaders().getFirst("Authorization"), System.nanoTime());
            synchronized (log) {
                log.add(r);
            }
            behaviour.answer(exchange, r, count.incrementAndGet());
        } finally {
            exchange.close();
        }
    }

    /** @return the base URL to give the client, {@code http://127.0.0.1:PORT/v1} */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** @return the port */
    public int port() {
        return server.getAddress().getPort();
    }

    /** @param b the new behaviour for the following requests */
    public void behaviour(Behaviour b) {
        this.behaviour = b;
    }

    /** @return requests received so far */
    public int requests() {
        synchronized (log) {
            return log.size();
        }
    }

    /** @return the requests received so far, in order of arrival */
    public List<Request> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    // ------------------------------------------------------------------ canned answers

    /**
     * A Chat Completions response body.
     *
     * @param contents one text per choice (null for JSON null)
     * @return the JSON text
     */
    public static String completion(List<String> contents) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-fake").put("object", "chat.completion").put("model", "fake");
        ArrayNode choices = root.putArray("choices");
        for (int i = 0; i < contents.size(); i++) {
            ObjectNode c = choices.addObject();
            c.put("index", i);
            ObjectNode m = c.putObject("message");
            m.put("role", "assistant");
            if (contents.get(i) == null) {
                m.putNull("content");
            } else {
                m.put("content", contents.get(i));
            }
            c.put("finish_reason", "stop");
        }
        return root.toString();
    }

    /**
     * Sends a JSON body.
     *
     * @param exchange the exchange
     * @param status the status
     * @param json the body
     * @param headers name, value, name, value…
     * @throws IOException when sending fails
     */
    public static void send(HttpExchange exchange, int status, String json, String... headers) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            exchange.getResponseHeaders().set(headers[i], headers[i + 1]);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Sends the headers of a 200 response and the first half of its body, then stalls for {@code stallMillis}
     * (a server that hangs mid-body); the rest of the body follows only if the client is still there.
     *
     * @param exchange the exchange
     * @param json the whole body
     * @param stallMillis how long to stall after the first half
     * @throws IOException when sending fails
     */
    public static void sendStalling(HttpExchange exchange, String json, long stallMillis) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        OutputStream out = exchange.getResponseBody();
        out.write(bytes, 0, bytes.length / 2);
        out.flush();
        try {
            Thread.sleep(stallMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
        out.close();
    }

    /**
     * A behaviour that answers every request with {@code n} distinct sentences about the class it asks about,
     * e.g. {@code "A depth map of a flower pot, answer 2 to request 7."}.
     *
     * @param names the classes as the commands write them ({@code flower pot}); the longest one found in the
     *     user message is the subject
     * @return the behaviour
     */
    public static Behaviour describing(List<String> names) {
        return (exchange, request, n) -> {
            List<String> contents = new ArrayList<>();
            for (int i = 0; i < request.n(); i++) {
                contents.add("A depth map of a " + subject(request.userMessage(), names) + ", answer " + i
                    + " to request " + n + ".");
            }
            send(exchange, 200, completion(contents));
        };
    }

    /**
     * @param message a command
     * @param names candidate class names
     * @return the longest name the message holds
     * @throws IllegalStateException when it holds none
     */
    public static String subject(String message, List<String> names) {
        String best = null;
        for (String name : names) {
            if (message.contains(name) && (best == null || name.length() > best.length())) {
                best = name;
            }
        }
        if (best == null) {
            throw new IllegalStateException("no class of " + names + " in '" + message + "'");
        }
        return best;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
