package io.github.pointclip.onnx.bundle;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP server on 127.0.0.1 with a free port, for download tests; nothing leaves the machine.
 * Each path has a scripted behaviour; every request is logged with its Range header.
 */
final class LoopbackServer implements AutoCloseable {

    /** Answers one request; {@code n} counts the requests to this path, from 1. */
    interface Behaviour {
        void answer(HttpExchange exchange, int n) throws IOException;
    }

    /** One logged request. */
    record Request(String path, String range, String method) {
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Behaviour> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final List<Request> log = new ArrayList<>();

    LoopbackServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        server.start();
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        synchronized (log) {
            log.add(new Request(path, exchange.getRequestHeaders().getFirst("Range"), exchange.getRequestMethod()));
        }
        int n = counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        Behaviour behaviour = routes.get(path);
        try {
            if (behaviour == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                behaviour.answer(exchange, n);
            }
        } finally {
            exchange.close();
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    void route(String path, Behaviour behaviour) {
        routes.put(path, behaviour);
    }

    Behaviour behaviour(String path) {
        return routes.get(path);
    }

    int count(String path) {
        AtomicInteger c = counts.get(path);
        return c == null ? 0 : c.get();
    }

    int totalRequests() {
        synchronized (log) {
            return log.size();
        }
    }

    List<Request> requests(String path) {
        synchronized (log) {
            return log.stream().filter(r -> r.path().equals(path)).toList();
        }
    }

    // ------------------------------------------------------------------ canned answers

    /** The whole body with 200, ignoring any Range header. */
    static void sendAll(HttpExchange exchange, byte[] body) throws IOException {
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Honours {@code Range: bytes=N-} with 206 and Content-Range; otherwise the whole body. */
    static void sendRange(HttpExchange exchange, byte[] body) throws IOException {
        String range = exchange.getRequestHeaders().getFirst("Range");
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (m == null || !m.matches()) {
            sendAll(exchange, body);
            return;
        }
        int start = Integer.parseInt(m.group(1));
        byte[] rest = Arrays.copyOfRange(body, start, body.length);
        exchange.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
        exchange.sendResponseHeaders(206, rest.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(rest);
        }
    }

    /**
     * Announces the whole length, sends only the first {@code cut} bytes, then drops the connection,
     * as a server that dies mid-transfer does.
     */
    static void sendTruncated(HttpExchange exchange, byte[] body, int cut) throws IOException {
        exchange.sendResponseHeaders(200, body.length);
        OutputStream out = exchange.getResponseBody();
        out.write(body, 0, cut);
        out.flush();
        // An exception out of the handler makes the JDK server close the connection at once; closing the
        // short stream instead would leave the connection open and the client waiting.
        throw new IOException("simulated connection drop after " + cut + " of " + body.length + " bytes");
    }

    static void sendStatus(HttpExchange exchange, int status) throws IOException {
        byte[] text = ("status " + status).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        exchange.sendResponseHeaders(status, text.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(text);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
