package io.github.pointclip.onnx.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloaderTest {

    private static final byte[] BODY = TestFiles.bytes(100_000, 42);
    private static final String SHA = TestFiles.sha256(BODY);

    @TempDir
    Path dir;

    private LoopbackServer server;

    @BeforeEach
    void start() throws IOException {
        server = new LoopbackServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Downloader downloader(int retries) {
        return Downloader.builder().maxRetries(retries).backoff(Duration.ZERO, Duration.ofMillis(1))
            .readTimeout(Duration.ofSeconds(20)).build();
    }

    private Path part(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    @Test
    void downloadsVerifiesAndReportsProgress() throws IOException {
        server.route("/m.onnx", (ex, n) -> LoopbackServer.sendAll(ex, BODY));
        Path target = dir.resolve("sub/m.onnx");
        AtomicLong lastDone = new AtomicLong(-1);
        AtomicLong lastTotal = new AtomicLong(-2);
        downloader(0).download(server.uri("/m.onnx"), target, SHA, BODY.length, (uri, done, total) -> {
            assertTrue(done >= lastDone.get(), "progress never goes back");
            lastDone.set(done);
            lastTotal.set(total);
        });
        assertArrayEquals(BODY, Files.readAllBytes(target));
        assertFalse(Files.exists(part(target)));
        assertEquals(BODY.length, lastDone.get());
        assertEquals(BODY.length, lastTotal.get());
        assertNull(server.requests("/m.onnx").get(0).range(), "a fresh download asks for the whole file");

        // A complete, matching target is not fetched again.
        downloader(0).download(server.uri("/m.onnx"), target, SHA, BODY.length);
        assertEquals(1, server.count("/m.onnx"));
    }

    @Test
    void resumesAfterTruncatedTransferWithRange() throws IOException {
        int cut = BODY.length / 2;
        server.route("/m.onnx", (ex, n) -> {
            if (n == 1) {
                LoopbackServer.sendTruncated(ex, BODY, cut);
            } else {
                LoopbackServer.sendRange(ex, BODY);
            }
        });
        Path target = dir.resolve("m.onnx");
        List<Integer> retries = new ArrayList<>();
        downloader(2).download(server.uri("/m.onnx"), target, SHA, BODY.length, new DownloadListener() {
            @Override
            public void onProgress(URI uri, long done, long total) {
            }

            @Override
            public void onRetry(URI uri, int attempt, IOException cause) {
                retries.add(attempt);
            }
        });
        assertArrayEquals(BODY, Files.readAllBytes(target));
        List<LoopbackServer.Request> requests = server.requests("/m.onnx");
        assertEquals(2, requests.size());
        assertEquals("bytes=" + cut + "-", requests.get(1).range(), "the retry asks only for the missing bytes");
        assertEquals(List.of(1), retries);
    }

    @Test
    void truncatedTransferKeepsPartFileAndALaterCallResumes() throws IOException {
        int cut = 30_000;
        server.route("/m.onnx", (ex, n) -> {
            if (n == 1) {
                LoopbackServer.sendTruncated(ex, BODY, cut);
            } else {
                LoopbackServer.sendRange(ex, BODY);
            }
        });
        Path target = dir.resolve("m.onnx");
        DownloadException e = assertThrows(DownloadException.class,
            () -> downloader(0).download(server.uri("/m.onnx"), target, SHA, BODY.length));
        assertTrue(e.getMessage().contains(server.uri("/m.onnx").toString()), e.getMessage());
        assertFalse(Files.exists(target), "no half-written target");
        assertArrayEquals(Arrays.copyOf(BODY, cut), Files.readAllBytes(part(target)));

        downloader(0).download(server.uri("/m.onnx"), target, SHA, BODY.length);
        assertArrayEquals(BODY, Files.readAllBytes(target));
        assertEquals("bytes=" + cut + "-", server.requests("/m.onnx").get(1).range());
    }

    @Test
    void serverIgnoringRangeRestartsTheFile() throws IOException {
        Path target = dir.resolve("m.onnx");
        // A stale part file whose bytes do not belong to the file: only a full restart gives the right digest.
        Files.write(part(target), TestFiles.bytes(1000, 7));
        server.route("/m.onnx", (ex, n) -> LoopbackServer.sendAll(ex, BODY));
        downloader(0).download(server.uri("/m.onnx"), target, SHA, BODY.length);
        assertArrayEquals(BODY, Files.readAllBytes(target));
        assertEquals("bytes=1000-", server.requests("/m.onnx").get(0).range());
    }

    @Test
    void unknownSizeAndDigestStillDownloads() throws IOException {
        server.route("/m.onnx", (ex, n) -> LoopbackServer.sendRange(ex, BODY));
        Path target = dir.resolve("m.onnx");
        downloader(0).download(server.uri("/m.onnx"), target, null, -1);
        assertArrayEquals(BODY, Files.readAllBytes(target));
    }

    @Test
    void wrongChecksumDeletesPartAndNamesBothDigests() {
        server.route("/m.onnx", (ex, n) -> LoopbackServer.sendAll(ex, BODY));
        Path target = dir.resolve("m.onnx");
        String wrong = TestFiles.sha256(new byte[] {1, 2, 3});
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class,
            () -> downloader(3).download(server.uri("/m.onnx"), target, wrong, BODY.length));
        assertEquals(wrong, e.expected());
        assertEquals(SHA, e.actual());
        assertTrue(e.getMessage().contains(wrong) && e.getMessage().contains(SHA), e.getMessage());
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(part(target)));
        assertEquals(1, server.count("/m.onnx"), "a checksum mismatch is not retried");
    }

    @Test
    void serverErrorIsRetriedThenReportedWithUrlAndStatus() {
        server.route("/m.onnx", (ex, n) -> LoopbackServer.sendStatus(ex, 500));
        Path target = dir.resolve("m.onnx");
        DownloadException e = assertThrows(DownloadException.class,
            () -> downloader(2).download(server.uri("/m.onnx"), target, SHA, BODY.length));
        assertEquals(500, e.status());
        assertTrue(e.getMessage().contains(server.uri("/m.onnx").toString()) && e.getMessage().contains("500"),
            e.getMessage());
        assertEquals(3, server.count("/m.onnx"), "first attempt and two retries");
        assertFalse(Files.exists(target));
    }

    @Test
    void serverErrorThenSuccess() throws IOException {
        server.route("/m.onnx", (ex, n) -> {
            if (n == 1) {
                LoopbackServer.sendStatus(ex, 503);
            } else {
                LoopbackServer.sendAll(ex, BODY);
            }
        });
        Path target = dir.resolve("m.onnx");
        downloader(1).download(server.uri("/m.onnx"), target, SHA, BODY.length);
        assertArrayEquals(BODY, Files.readAllBytes(target));
    }

    @Test
    void notFoundFailsAtOnce() {
        Path target = dir.resolve("m.onnx");
        DownloadException e = assertThrows(DownloadException.class,
            () -> downloader(3).download(server.uri("/missing.onnx"), target, SHA, BODY.length));
        assertEquals(404, e.status());
        assertEquals(server.uri("/missing.onnx"), e.uri());
        assertEquals(1, server.count("/missing.onnx"), "404 is not retried");
    }

    @Test
    void sizeLargerThanDeclaredFails() {
        server.route("/m.onnx", (ex, n) -> LoopbackServer.sendAll(ex, BODY));
        Path target = dir.resolve("m.onnx");
        DownloadException e = assertThrows(DownloadException.class,
            () -> downloader(0).download(server.uri("/m.onnx"), target, null, BODY.length - 10));
        assertTrue(e.getMessage().contains("expected " + (BODY.length - 10) + " bytes"), e.getMessage());
        assertFalse(Files.exists(target));
    }

    @Test
    void existingTargetWithWrongContentIsReplaced() throws IOException {
        Path target = dir.resolve("m.onnx");
        Files.write(target, TestFiles.bytes(BODY.length, 99));
        server.route("/m.onnx", (ex, n) -> LoopbackServer.sendAll(ex, BODY));
        downloader(0).download(server.uri("/m.onnx"), target, SHA, BODY.length);
        assertArrayEquals(BODY, Files.readAllBytes(target));
    }

    @Test
    void stalledTransferTimesOutAndIsRetried() throws IOException {
        CountDownLatch release = new CountDownLatch(1);
        server.route("/m.onnx", (ex, n) -> {
            if (n == 1) {
                ex.sendResponseHeaders(200, BODY.length);
                ex.getResponseBody().write(BODY, 0, 1000);
                ex.getResponseBody().flush();
                try {
                    release.await(10, TimeUnit.SECONDS); // stall until the test ends
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                LoopbackServer.sendRange(ex, BODY);
            }
        });
        Path target = dir.resolve("m.onnx");
        try {
            Downloader.builder().maxRetries(1).backoff(Duration.ZERO, Duration.ZERO)
                .readTimeout(Duration.ofMillis(300)).build()
                .download(server.uri("/m.onnx"), target, SHA, BODY.length);
        } finally {
            release.countDown();
        }
        assertArrayEquals(BODY, Files.readAllBytes(target));
        assertEquals("bytes=1000-", server.requests("/m.onnx").get(1).range());
    }

    @Test
    void concurrentDownloadsInOneJvmFetchOnce() throws Exception {
        server.route("/m.onnx", (ex, n) -> LoopbackServer.sendAll(ex, BODY));
        Path target = dir.resolve("m.onnx");
        Downloader downloader = downloader(0);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return downloader.download(server.uri("/m.onnx"), target, SHA, BODY.length);
                }));
            }
            go.countDown();
            for (Future<Path> f : results) {
                assertEquals(target.toAbsolutePath(), f.get(20, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, server.count("/m.onnx"));
        assertArrayEquals(BODY, Files.readAllBytes(target));
        assertFalse(Files.exists(part(target)));
    }

    @Test
    void concurrentDownloadsFromTwoJvmsFetchOnce() throws Exception {
        CountDownLatch childStarted = new CountDownLatch(1);
        server.route("/m.onnx", (ex, n) -> {
            // Hold the first transfer until the other JVM is contending, so that the lock is really exercised.
            try {
                childStarted.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LoopbackServer.sendAll(ex, BODY);
        });
        Path target = dir.resolve("m.onnx");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
            DownloadChild.class.getName(), server.uri("/m.onnx").toString(), target.toString(), SHA,
            Long.toString(BODY.length))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            Future<Path> mine = pool.submit(() -> downloader(0).download(server.uri("/m.onnx"), target, SHA, BODY.length));
            assertEquals("starting", out.readLine());
            childStarted.countDown();
            assertEquals(target.toAbsolutePath(), mine.get(30, TimeUnit.SECONDS));
            assertEquals("done", out.readLine());
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, child.exitValue());
        } finally {
            childStarted.countDown();
            child.destroy();
            pool.shutdownNow();
        }
        assertEquals(1, server.count("/m.onnx"), "the JVM that waited found the finished file");
        assertArrayEquals(BODY, Files.readAllBytes(target));
    }
}
