package io.github.pointclip.onnx.bundle;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Imitates the Hugging Face hub's answers on loopback, as {@code huggingface_hub} documents and reads them:
 * {@code /{repo}/resolve/{revision}/{path}}; a file stored with LFS answers {@code HEAD} and {@code GET} with a
 * 302 redirect to a second server (the "CDN", another port) and the headers {@code X-Linked-Etag} (its SHA-256,
 * quoted), {@code X-Linked-Size}, {@code ETag} and {@code X-Repo-Commit}; the CDN honours {@code Range}. A small
 * file is served directly with a git-blob {@code ETag} (not a SHA-256) and its {@code Content-Length}.
 */
public final class FakeHub implements AutoCloseable {

    /** The commit every answer names in {@code X-Repo-Commit}. */
    public static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    final LoopbackServer hub;
    final LoopbackServer cdn;
    private final Map<String, String> linkedEtagOverride = new ConcurrentHashMap<>();

    /**
     * Starts the hub and the CDN on loopback.
     *
     * @throws IOException when a server cannot start
     */
    public FakeHub() throws IOException {
        hub = new LoopbackServer();
        cdn = new LoopbackServer();
    }

    /** @return the hub's base URL, for {@code pointclip.hub.url} */
    public URI base() {
        return hub.uri("");
    }

    static String path(String repo, String file) {
        return "/" + repo + "/resolve/main/" + file;
    }

    /** Serves an LFS file: metadata and redirect on the hub, bytes (with ranges) on the CDN. */
    public void lfs(String repo, String file, byte[] body) {
        lfs(repo, file, body, (exchange, n) -> LoopbackServer.sendRange(exchange, body));
    }

    /** Serves an LFS file whose CDN side behaves as {@code cdnBehaviour}. */
    void lfs(String repo, String file, byte[] body, LoopbackServer.Behaviour cdnBehaviour) {
        String sha = sha256(body);
        String cdnPath = "/lfs/" + sha;
        cdn.route(cdnPath, cdnBehaviour);
        String key = path(repo, file);
        hub.route(key, (exchange, n) -> {
            var h = exchange.getResponseHeaders();
            h.set("X-Linked-Etag", "\"" + linkedEtagOverride.getOrDefault(key, sha) + "\"");
            h.set("X-Linked-Size", Long.toString(body.length));
            h.set("ETag", "W/\"" + sha.substring(0, 40) + "\"");
            h.set("X-Repo-Commit", COMMIT);
            h.set("Location", cdn.uri(cdnPath).toString());
            exchange.sendResponseHeaders(302, -1);
        });
    }

    /** Makes the hub report another SHA-256 for a file than the bytes it serves. */
    void reportWrongDigest(String repo, String file) {
        linkedEtagOverride.put(path(repo, file), "f".repeat(64));
    }

    /** Makes the hub answer the first request for a file with {@code status}, later ones as before. */
    void failFirst(String repo, String file, int status) {
        String key = path(repo, file);
        LoopbackServer.Behaviour normal = hub.behaviour(key);
        hub.route(key, (exchange, n) -> {
            if (n == 1) {
                LoopbackServer.sendStatus(exchange, status);
            } else {
                normal.answer(exchange, n);
            }
        });
    }

    /** Serves a small (git, not LFS) file directly. */
    void small(String repo, String file, byte[] body) {
        hub.route(path(repo, file), (exchange, n) -> {
            var h = exchange.getResponseHeaders();
            h.set("ETag", "\"" + gitBlobId(body) + "\"");
            h.set("X-Repo-Commit", COMMIT);
            if ("HEAD".equals(exchange.getRequestMethod())) {
                h.set("Content-Length", Long.toString(body.length));
                exchange.sendResponseHeaders(200, -1);
            } else {
                LoopbackServer.sendAll(exchange, body);
            }
        });
    }

    /** Serves the support files of a catalogue entry (config, vocabulary, merges). */
    public void supportFiles(String repo, byte[] config, byte[] vocab, byte[] merges) {
        small(repo, "config.json", config);
        small(repo, "vocab.json", vocab);
        small(repo, "merges.txt", merges);
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** git's blob id: SHA-1 of {@code "blob <size>\0" + content}, as the hub's ETag of a small file. */
    static String gitBlobId(byte[] body) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + body.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha1.digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isHead(HttpExchange exchange) {
        return "HEAD".equals(exchange.getRequestMethod());
    }

    /** @return the requests both servers received */
    public int requestCount() {
        return hub.totalRequests() + cdn.totalRequests();
    }

    @Override
    public void close() {
        hub.close();
        cdn.close();
    }
}
