package io.github.pointclip.onnx.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelResolverTest {

    private static final byte[] VISUAL = TestFiles.bytes(40_000, 1);
    private static final byte[] TEXTUAL = TestFiles.bytes(30_000, 2);
    private static final byte[] VOCAB = TestFiles.bytes(5_000, 3);

    @TempDir
    Path dir;

    private LoopbackServer server;
    private final Map<String, String> props = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = new LoopbackServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ModelResolver.Builder resolver() {
        return ModelResolver.builder().systemProperties(props::get).environment(env::get)
            .downloader(Downloader.builder().maxRetries(0).readTimeout(Duration.ofSeconds(20)).build());
    }

    private Path mkdir(String name) throws IOException {
        return Files.createDirectories(dir.resolve(name)).toAbsolutePath();
    }

    /** Serves a PointCLIP bundle of four files under /models/ and its remote manifest. */
    private void serveBundle(String visualSha) throws IOException {
        ByteArrayOutputStream manifest = new ByteArrayOutputStream();
        ModelManifest.builder().backbone("ViT-B/16").embeddingDim(512)
            .tokenizer(TokenizerFormat.CLIP_BPE_GZ, List.of(ModelBundle.CLIP_BPE_FILE))
            .build().write(dir.resolve("served.json"));
        manifest.writeBytes(Files.readAllBytes(dir.resolve("served.json")));
        byte[] manifestBytes = manifest.toByteArray();
        server.route("/models/pointclip-model.json", (ex, n) -> LoopbackServer.sendAll(ex, manifestBytes));
        server.route("/models/visual.onnx", (ex, n) -> LoopbackServer.sendRange(ex, VISUAL));
        server.route("/blobs/textual", (ex, n) -> LoopbackServer.sendRange(ex, TEXTUAL));
        server.route("/models/" + ModelBundle.CLIP_BPE_FILE, (ex, n) -> LoopbackServer.sendRange(ex, VOCAB));
        String remote = """
            { "name": "ViT-B-16",
              "files": [
                { "path": "pointclip-model.json", "sha256": "%s", "size": %d },
                { "path": "visual.onnx", "sha256": "%s", "size": %d },
                { "path": "textual.onnx", "url": "../blobs/textual", "sha256": "%s" },
                { "path": "%s", "sha256": "%s", "size": %d } ] }
            """.formatted(TestFiles.sha256(manifestBytes), manifestBytes.length, visualSha, VISUAL.length,
            TestFiles.sha256(TEXTUAL), ModelBundle.CLIP_BPE_FILE, TestFiles.sha256(VOCAB), VOCAB.length);
        byte[] remoteBytes = remote.getBytes(StandardCharsets.UTF_8);
        server.route("/models/remote.json", (ex, n) -> LoopbackServer.sendAll(ex, remoteBytes));
    }

    @Test
    void resolutionOrder() throws IOException {
        Path explicit = mkdir("explicit");
        Path fromProperty = mkdir("property");
        Path fromEnv = mkdir("env");
        Path cache = mkdir("cache");
        Path cached = mkdir("cache/models/ViT-B-16");
        serveBundle(TestFiles.sha256(VISUAL));
        props.put(ModelResolver.MODEL_PROPERTY, fromProperty.toString());
        env.put(ModelResolver.MODEL_ENV, fromEnv.toString());

        ModelResolver.Builder all = resolver().modelPath(explicit).modelName("ViT-B/16").cacheDir(cache)
            .remoteManifest(server.uri("/models/remote.json"));
        assertEquals(new ResolvedModel(explicit, ModelSource.EXPLICIT), all.build().resolvePath());
        assertEquals(new ResolvedModel(fromProperty, ModelSource.SYSTEM_PROPERTY), all.modelPath(null).build().resolvePath());
        props.remove(ModelResolver.MODEL_PROPERTY);
        assertEquals(new ResolvedModel(fromEnv, ModelSource.ENVIRONMENT), all.build().resolvePath());
        env.remove(ModelResolver.MODEL_ENV);
        assertEquals(new ResolvedModel(cached, ModelSource.CACHE), all.build().resolvePath());
        Files.delete(cached);
        assertEquals(new ResolvedModel(cached, ModelSource.DOWNLOAD), all.build().resolvePath());
        assertEquals(1, server.count("/models/remote.json"), "only the last step used the network");
    }

    @Test
    void downloadsABundleIntoTheCacheThenUsesTheCache() throws IOException {
        serveBundle(TestFiles.sha256(VISUAL));
        Path cache = dir.resolve("cache");
        props.put(ModelResolver.CACHE_PROPERTY, cache.toString());
        env.put(ModelResolver.NAME_ENV, "ViT-B/16");
        env.put(ModelResolver.URL_ENV, server.uri("/models/remote.json").toString());

        ModelBundle bundle = resolver().build().resolve();
        Path entry = cache.resolve("models/ViT-B-16").toAbsolutePath();
        assertEquals(entry, bundle.root());
        assertEquals(BundleLayout.POINTCLIP, bundle.layout());
        assertArrayEquals(VISUAL, Files.readAllBytes(bundle.visualModel()));
        assertArrayEquals(TEXTUAL, Files.readAllBytes(bundle.textualModel()));
        assertArrayEquals(VOCAB, Files.readAllBytes(bundle.tokenizerFiles().get(0)));
        try (Stream<Path> files = Files.list(entry)) {
            assertEquals(4, files.count(), "exactly the listed files, no lock or part files");
        }
        try (Stream<Path> files = Files.list(cache)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".download")), "staging renamed away");
        }

        int requests = server.totalRequests();
        ResolvedModel again = resolver().build().resolvePath();
        assertEquals(ModelSource.CACHE, again.source());
        assertEquals(requests, server.totalRequests());
    }

    @Test
    void wrongChecksumLeavesNoCacheEntry() throws IOException {
        serveBundle(TestFiles.sha256(new byte[] {9}));
        Path cache = dir.resolve("cache");
        ModelResolver r = resolver().modelName("ViT-B/16").cacheDir(cache)
            .remoteManifest(server.uri("/models/remote.json")).build();
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, r::resolvePath);
        assertEquals(TestFiles.sha256(VISUAL), e.actual());
        assertFalse(Files.exists(cache.resolve("models/ViT-B-16")));
        assertThrows(ChecksumMismatchException.class, r::resolvePath, "and it is not mistaken for a cache hit later");
    }

    @Test
    void remoteManifestErrors() throws IOException {
        Path cache = dir.resolve("cache");
        ModelResolver.Builder b = resolver().modelName("m").cacheDir(cache);
        DownloadException notFound = assertThrows(DownloadException.class,
            () -> b.remoteManifest(server.uri("/nothing.json")).build().resolvePath());
        assertEquals(404, notFound.status());

        server.route("/bad.json", (ex, n) -> LoopbackServer.sendAll(ex,
            "{\"name\":\"m\",\"files\":[{\"path\":\"../../etc/passwd\",\"sha256\":\"00\"}]}".getBytes(StandardCharsets.UTF_8)));
        BundleException bad = assertThrows(BundleException.class,
            () -> b.remoteManifest(server.uri("/bad.json")).build().resolvePath());
        assertTrue(bad.getMessage().contains("field 'files[0].path'") && bad.getMessage().contains("'..'"),
            bad.getMessage());
        assertTrue(bad.getMessage().startsWith("remote manifest " + server.uri("/bad.json")), bad.getMessage());
    }

    @Test
    void offlineNeverTouchesTheNetwork() throws IOException {
        serveBundle(TestFiles.sha256(VISUAL));
        Path cache = dir.resolve("cache");
        ModelResolver.Builder b = resolver().modelName("ViT-B/16").cacheDir(cache)
            .remoteManifest(server.uri("/models/remote.json"));

        ModelNotFoundException byBuilder = assertThrows(ModelNotFoundException.class, () -> b.offline(true).build().resolve());
        assertTrue(byBuilder.getMessage().contains("download: skipped, offline mode (asked for by the caller)"),
            byBuilder.getMessage());

        ModelResolver.Builder unset = resolver().modelName("ViT-B/16").cacheDir(cache)
            .remoteManifest(server.uri("/models/remote.json"));
        props.put(ModelResolver.OFFLINE_PROPERTY, "true");
        assertTrue(assertThrows(ModelNotFoundException.class, () -> unset.build().resolve()).getMessage()
            .contains("offline mode (pointclip.offline=true)"));
        props.clear();
        env.put(ModelResolver.OFFLINE_ENV, "1");
        assertTrue(assertThrows(ModelNotFoundException.class, () -> unset.build().resolve()).getMessage()
            .contains("offline mode (POINTCLIP_OFFLINE=1)"));
        assertEquals(0, server.totalRequests());

        // The builder's explicit false wins over the environment.
        assertEquals(ModelSource.DOWNLOAD, unset.offline(false).build().resolvePath().source());
    }

    @Test
    void nothingConfiguredListsEveryStep() {
        props.put("user.home", dir.toString());
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class, () -> resolver().build().resolvePath());
        List<String> a = e.attempts();
        assertEquals(5, a.size(), a.toString());
        assertTrue(a.get(0).startsWith("explicit path: not set"), a.get(0));
        assertEquals("system property pointclip.model: not set", a.get(1));
        assertEquals("environment variable POINTCLIP_MODEL: not set", a.get(2));
        assertTrue(a.get(3).startsWith("cache " + dir.resolve(".cache/pointclip") + ": no model name set"), a.get(3));
        assertTrue(a.get(4).startsWith("download: no model name set"), a.get(4));
        assertFalse(e.getMessage().contains("Builder."), "hints name public options only: " + e.getMessage());
        assertTrue(e.getMessage().contains("--backbone") && e.getMessage().contains(".model(Path)")
            && e.getMessage().contains("models download") && e.getMessage().contains("docs/models.md"), e.getMessage());
    }

    @Test
    void configuredPathThatDoesNotExistIsAnErrorNotAFallThrough() throws IOException {
        mkdir("cache/m");
        props.put(ModelResolver.MODEL_PROPERTY, dir.resolve("typo").toString());
        BundleException e = assertThrows(BundleException.class,
            () -> resolver().modelName("m").cacheDir(dir.resolve("cache")).build().resolvePath());
        assertTrue(e.getMessage().contains("the system property pointclip.model names a directory that does not exist"),
            e.getMessage());
        assertThrows(BundleException.class, () -> resolver().modelPath(dir.resolve("typo")).build().resolvePath());
    }

    @Test
    void unsafeModelNamesAreRejected() {
        assertEquals("ViT-L-14@336px", ModelResolver.directoryName("ViT-L/14@336px"));
        assertThrows(IllegalArgumentException.class, () -> resolver().modelName("../x").build());
        assertThrows(IllegalArgumentException.class, () -> ModelResolver.directoryName("a b"));
    }

    @Test
    void concurrentResolutionsDownloadOnce() throws Exception {
        serveBundle(TestFiles.sha256(VISUAL));
        Path cache = dir.resolve("cache");
        ModelResolver r = resolver().modelName("ViT-B/16").cacheDir(cache)
            .remoteManifest(server.uri("/models/remote.json")).build();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<ResolvedModel>> results = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return r.resolvePath();
                }));
            }
            go.countDown();
            for (Future<ResolvedModel> f : results) {
                assertEquals(cache.resolve("models/ViT-B-16").toAbsolutePath(), f.get(20, TimeUnit.SECONDS).directory());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, server.count("/models/remote.json"));
        assertEquals(1, server.count("/models/visual.onnx"));
        assertEquals(1, server.count("/blobs/textual"));
        assertArrayEquals(VISUAL, Files.readAllBytes(cache.resolve("models/ViT-B-16/visual.onnx")));
    }
}
