package io.github.pointclip.onnx.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Catalogue downloads from a loopback server that answers as the Hugging Face hub does. */
class HubDownloadTest {

    private static final String REPO = "Xenova/clip-vit-base-patch32";
    private static final byte[] VISION = TestFiles.bytes(120_000, 11);
    private static final byte[] TEXT = TestFiles.bytes(90_000, 12);
    private static final byte[] VISION_FP16 = TestFiles.bytes(60_000, 13);
    private static final byte[] TEXT_FP16 = TestFiles.bytes(45_000, 14);
    private static final byte[] CONFIG = "{\"projection_dim\": 512}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VOCAB = "{\"a</w>\": 0}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] MERGES = "#version: 0.2\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private FakeHub fake;
    private final Map<String, String> props = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void start() throws IOException {
        fake = new FakeHub();
        fake.lfs(REPO, "onnx/vision_model.onnx", VISION);
        fake.lfs(REPO, "onnx/text_model.onnx", TEXT);
        fake.lfs(REPO, "onnx/vision_model_fp16.onnx", VISION_FP16);
        fake.lfs(REPO, "onnx/text_model_fp16.onnx", TEXT_FP16);
        fake.supportFiles(REPO, CONFIG, VOCAB, MERGES);
        props.put(HuggingFaceHub.URL_PROPERTY, fake.base().toString());
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private ModelResolver.Builder resolver() {
        return ModelResolver.builder().systemProperties(props::get).environment(env::get).cacheDir(dir.resolve("cache"))
            .downloader(Downloader.builder().maxRetries(0).readTimeout(Duration.ofSeconds(20)).build());
    }

    private Path entry(String name) {
        return dir.resolve("cache/models").resolve(name);
    }

    @Test
    void downloadsThroughRedirectsVerifiesAndRecordsEveryFile() throws IOException {
        List<Long> progress = new CopyOnWriteArrayList<>();
        ResolvedModel resolved = resolver().modelName("ViT-B/32")
            .listener((uri, done, total) -> progress.add(done)).build().resolvePath();

        assertEquals(ModelSource.DOWNLOAD, resolved.source());
        Path e = entry("ViT-B-32");
        assertEquals(e, resolved.directory());
        assertArrayEquals(VISION, Files.readAllBytes(e.resolve("onnx/vision_model.onnx")));
        assertArrayEquals(TEXT, Files.readAllBytes(e.resolve("onnx/text_model.onnx")));
        assertArrayEquals(CONFIG, Files.readAllBytes(e.resolve("config.json")));
        assertFalse(Files.exists(e.resolve("onnx/vision_model_fp16.onnx")), "only the fp32 variant is fetched");
        assertTrue(progress.contains((long) VISION.length), "progress reaches the file size");

        // metadata by HEAD on the hub only (the CDN redirect is not followed for it); bytes by GET from the CDN
        String vision = FakeHub.path(REPO, "onnx/vision_model.onnx");
        assertEquals(List.of("HEAD", "GET"), fake.hub.requests(vision).stream().map(LoopbackServer.Request::method).toList());
        assertEquals(List.of("GET"), fake.cdn.requests("/lfs/" + FakeHub.sha256(VISION)).stream()
            .map(LoopbackServer.Request::method).toList());

        DownloadRecord record = DownloadRecord.read(e).orElseThrow();
        assertEquals(REPO, record.repository());
        assertEquals(FakeHub.COMMIT, record.commit());
        assertEquals("fp32", record.dtype());
        Map<String, DownloadRecord.RecordedFile> files = new HashMap<>();
        record.files().forEach(f -> files.put(f.path(), f));
        assertEquals(FakeHub.sha256(VISION), files.get("onnx/vision_model.onnx").sha256());
        assertEquals("hub", files.get("onnx/vision_model.onnx").checkedBy());
        assertEquals(VISION.length, files.get("onnx/vision_model.onnx").size());
        // a small file's ETag is a git blob id, not a SHA-256: its digest is computed and recorded
        assertEquals(FakeHub.sha256(CONFIG), files.get("config.json").sha256());
        assertEquals("first-download", files.get("config.json").checkedBy());
        assertEquals(5, files.size());
        try (Stream<Path> s = Files.list(dir.resolve("cache/models"))) {
            assertEquals(List.of("ViT-B-32"), s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList(),
                "no staging folder is left");
        }

        int before = fake.hub.totalRequests() + fake.cdn.totalRequests();
        ResolvedModel again = resolver().modelName("VIT_B32").build().resolvePath();
        assertEquals(ModelSource.CACHE, again.source());
        assertEquals(before, fake.hub.totalRequests() + fake.cdn.totalRequests());
    }

    @Test
    void dtypeSelectsTheVariantFilesAndItsOwnCacheEntry() throws IOException {
        ResolvedModel r = resolver().modelName("ViT-B/32").dtype(ModelVariant.FP16).build().resolvePath();
        Path e = entry("ViT-B-32-fp16");
        assertEquals(e, r.directory());
        assertArrayEquals(VISION_FP16, Files.readAllBytes(e.resolve("onnx/vision_model_fp16.onnx")));
        assertArrayEquals(TEXT_FP16, Files.readAllBytes(e.resolve("onnx/text_model_fp16.onnx")));
        assertFalse(Files.exists(e.resolve("onnx/vision_model.onnx")));
        assertEquals("fp16", DownloadRecord.read(e).orElseThrow().dtype());
    }

    @Test
    void wrongChecksumIsRefusedAndNothingStaysInTheCache() throws IOException {
        fake.reportWrongDigest(REPO, "onnx/vision_model.onnx");
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class,
            () -> resolver().modelName("ViT-B/32").build().resolvePath());
        assertEquals("f".repeat(64), e.expected());
        assertEquals(FakeHub.sha256(VISION), e.actual());
        assertFalse(Files.exists(entry("ViT-B-32")));
        try (Stream<Path> s = Files.walk(dir.resolve("cache/models"))) {
            List<Path> left = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".lock")).toList();
            assertEquals(List.of(), left);
        }
    }

    @Test
    void interruptedDownloadIsResumedWithARangeRequest() throws IOException {
        int cut = 50_000;
        fake.lfs(REPO, "onnx/vision_model.onnx", VISION, (exchange, n) -> {
            if (n == 1) {
                LoopbackServer.sendTruncated(exchange, VISION, cut);
            } else {
                LoopbackServer.sendRange(exchange, VISION);
            }
        });
        NetworkException first = assertThrows(NetworkException.class,
            () -> resolver().modelName("ViT-B/32").build().resolvePath());
        assertTrue(first.getMessage().contains("connection lost after"), first.getMessage());
        assertFalse(Files.exists(entry("ViT-B-32")));
        Path part = dir.resolve("cache/models/.ViT-B-32.download/onnx/vision_model.onnx.part");
        long kept = Files.size(part);
        assertTrue(kept > 0 && kept < VISION.length, "the bytes received are kept in the staging folder: " + kept);

        ResolvedModel r = resolver().modelName("ViT-B/32").build().resolvePath();
        assertEquals(ModelSource.DOWNLOAD, r.source());
        assertArrayEquals(VISION, Files.readAllBytes(r.directory().resolve("onnx/vision_model.onnx")));
        List<LoopbackServer.Request> cdn = fake.cdn.requests("/lfs/" + FakeHub.sha256(VISION));
        assertEquals(2, cdn.size());
        assertNull(cdn.get(0).range());
        assertEquals("bytes=" + kept + "-", cdn.get(1).range());
    }

    @Test
    void offlineModeUsesTheCacheAndNeverConnects() throws IOException {
        ModelNotFoundException missing = assertThrows(ModelNotFoundException.class,
            () -> resolver().modelName("ViT-B/32").offline(true).build().resolvePath());
        assertTrue(missing.getMessage().contains("offline mode"), missing.getMessage());
        assertEquals(0, fake.hub.totalRequests());

        resolver().modelName("ViT-B/32").build().resolvePath();
        int before = fake.hub.totalRequests();
        env.put(ModelResolver.OFFLINE_ENV, "1");
        fake.close(); // nothing answers any more
        ResolvedModel r = resolver().modelName("ViT-B/32").build().resolvePath();
        assertEquals(ModelSource.CACHE, r.source());
        assertEquals(before, fake.hub.totalRequests());
    }

    @Test
    void aCachedFileChangedAfterDownloadIsDetected() throws IOException {
        Path e = resolver().modelName("ViT-B/32").build().resolvePath().directory();
        Path config = e.resolve("config.json");
        byte[] tampered = CONFIG.clone();
        tampered[2] ^= 1;
        Files.write(config, tampered);
        Files.setLastModifiedTime(config, FileTime.fromMillis(Files.getLastModifiedTime(config).toMillis() + 5_000));
        ChecksumMismatchException ex = assertThrows(ChecksumMismatchException.class,
            () -> resolver().modelName("ViT-B/32").offline(true).build().resolvePath());
        assertEquals(FakeHub.sha256(CONFIG), ex.expected());

        Files.write(config, CONFIG); // restored content, new time: accepted after re-hashing, and the time recorded
        assertEquals(ModelSource.CACHE, resolver().modelName("ViT-B/32").offline(true).build().resolvePath().source());
        long recorded = DownloadRecord.read(e).orElseThrow().files().stream().filter(f -> f.path().equals("config.json"))
            .findFirst().orElseThrow().modified();
        assertEquals(Files.getLastModifiedTime(config).toMillis(), recorded);

        Files.write(e.resolve("vocab.json"), new byte[] {1});
        BundleException truncated = assertThrows(BundleException.class,
            () -> resolver().modelName("ViT-B/32").offline(true).build().resolvePath());
        assertTrue(truncated.getMessage().contains("were downloaded and verified"), truncated.getMessage());
    }

    @Test
    void connectionRefusedIsANetworkErrorNamingTheAddress() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI dead = URI.create("http://127.0.0.1:" + port);
        NetworkException e = assertThrows(NetworkException.class,
            () -> resolver().modelName("ViT-B/16").hubUrl(dead).build().resolvePath());
        assertTrue(e.getMessage().startsWith("connection refused to " + dead + "/Xenova/clip-vit-base-patch16/resolve/main/"),
            e.getMessage());
    }

    @Test
    void anUnknownHostIsReportedAsSuchNotAsARefusedConnection() {
        // .invalid never resolves (RFC 6761), without asking the network; the JDK client reports it as
        // ConnectException -> ConnectException -> UnresolvedAddressException
        URI nowhere = URI.create("http://nonexistent.invalid");
        long start = System.nanoTime();
        NetworkException e = assertThrows(NetworkException.class,
            () -> resolver().modelName("ViT-B/16").hubUrl(nowhere).build().resolvePath());
        assertTrue(e.getMessage().startsWith("unknown host nonexistent.invalid (" + nowhere
            + "/Xenova/clip-vit-base-patch16/resolve/main/"), e.getMessage());
        assertFalse(e.getMessage().contains("refused"), e.getMessage());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "an unknown host must fail at once, not be retried");
    }

    @Test
    void aTransientHubErrorOnTheMetadataIsRetried() throws IOException {
        fake.failFirst(REPO, "onnx/text_model.onnx", 503);
        ModelResolver.Builder patient = resolver().modelName("ViT-B/32").downloader(Downloader.builder().maxRetries(1)
            .backoff(Duration.ZERO, Duration.ZERO).build());
        assertEquals(ModelSource.DOWNLOAD, patient.build().resolvePath().source());
        assertEquals(List.of("HEAD", "HEAD", "GET"), fake.hub.requests(FakeHub.path(REPO, "onnx/text_model.onnx")).stream()
            .map(LoopbackServer.Request::method).toList());

        fake.failFirst(REPO, "onnx/vision_model_fp16.onnx", 503);
        DownloadException e = assertThrows(DownloadException.class,
            () -> resolver().modelName("ViT-B/32").dtype(ModelVariant.FP16).build().resolvePath());
        assertEquals(503, e.status(), "without retries the error is reported as the hub's answer");
    }

    @Test
    void aDtypeTheRepositoryLacksIsA404NamingTheFile() {
        DownloadException e = assertThrows(DownloadException.class,
            () -> resolver().modelName("ViT-B/32").dtype(ModelVariant.Q4).build().resolvePath());
        assertEquals(404, e.status());
        assertTrue(e.getMessage().contains("onnx/vision_model_q4.onnx"), e.getMessage());
        assertFalse(e instanceof NetworkException);
    }

    @Test
    void aNameOutsideTheCatalogueSaysHowToGetAModel() {
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
            () -> resolver().modelName("ViT-H/14").build().resolvePath());
        String m = e.getMessage();
        assertTrue(m.contains("'ViT-H/14' is not in the model catalogue (ViT-B/32, ViT-B/16)"), m);
        for (String hint : List.of(".model(Path)", "--model", "--backbone", "models download", "docs/models.md")) {
            assertTrue(m.contains(hint), hint + " in " + m);
        }
        assertFalse(m.contains("Builder."), "no internal builder names: " + m);
        assertEquals(0, fake.hub.totalRequests());
    }
}
