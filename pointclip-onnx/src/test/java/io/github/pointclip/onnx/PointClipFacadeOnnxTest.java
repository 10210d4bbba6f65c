package io.github.pointclip.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.Pipeline;
import io.github.pointclip.PointClip;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.encoder.Backbone;
import io.github.pointclip.encoder.ModelDownloadException;
import io.github.pointclip.encoder.ModelLoadException;
import io.github.pointclip.encoder.ModelNotFoundException;
import io.github.pointclip.onnx.bundle.BundleException;
import io.github.pointclip.onnx.bundle.HuggingFaceHub;
import io.github.pointclip.onnx.bundle.ModelResolver;
import io.github.pointclip.onnx.bundle.NetworkException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The facade over real ONNX Runtime sessions (the tiny CLIP-shaped models): defaults, close() under load, errors. */
class PointClipFacadeOnnxTest {

    private static final List<String> LABELS = List.of("chair", "table", "lamp");

    private static PointCloud cloud(int points, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] xyz = new float[3 * points];
        for (int i = 0; i < xyz.length; i++) {
            xyz[i] = (float) random.nextDouble(-1, 1);
        }
        return PointCloud.of(xyz);
    }

    @Test
    void theDefaultsAreV2WithTheFirst1024Points(@TempDir Path dir, @TempDir Path cache) throws Exception {
        Path bundle = ZeroShotEndToEndTest.huggingFaceBundle(dir);
        PointCloud big = cloud(2048, 1);
        try (PointClip byDefault = PointClip.builder().model(bundle).classes(LABELS).textCache(cache).threads(1).build();
            PointClip explicit = PointClip.builder().model(bundle).pipeline(Pipeline.v2().withPointsPerCloud(0))
                .classes(LABELS).textCache(cache).threads(1).build()) {
            assertEquals(Pipeline.v2(), byDefault.pipeline());
            assertEquals("v2", byDefault.pipeline().name());
            assertEquals(1024, byDefault.pipeline().pointsPerCloud());
            float[] first1024 = explicit.classify(big.first(1024)).logits();
            assertArrayEquals(first1024, byDefault.classify(big).logits(), "what `pointclip classify` computes");
            assertFalse(java.util.Arrays.equals(first1024, explicit.classify(big).logits()), "all 2048 points differ");
        }
    }

    /**
     * Closing while other threads classify used to release the native sessions under {@code OrtSession.run} and
     * crash the JVM. Now every call either returns the serial result bit for bit or fails with
     * IllegalStateException, and the JVM survives.
     */
    @Test
    @Timeout(120)
    void closeUnderLoadNeverCrashesAndCallsFinishOrFailCleanly(@TempDir Path dir, @TempDir Path cache)
        throws Exception {
        Path bundle = ZeroShotEndToEndTest.huggingFaceBundle(dir);
        List<PointCloud> clouds = List.of(cloud(300, 2), cloud(400, 3), cloud(200, 4));
        Pipeline pipeline = Pipeline.v1();
        List<float[]> serial = new ArrayList<>();
        try (PointClip clip = PointClip.builder().model(bundle).pipeline(pipeline).classes(LABELS).textCache(cache)
            .threads(1).build()) {
            for (PointCloud c : clouds) {
                serial.add(clip.classify(c).logits());
            }
        }
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        int rounds = 0;
        try {
            for (; rounds < 60 && (rounds < 10 || System.nanoTime() < deadline); rounds++) {
                PointClip clip = PointClip.builder().model(bundle).pipeline(pipeline).classes(LABELS).textCache(cache)
                    .threads(1).build();
                CountDownLatch started = new CountDownLatch(threads);
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int offset = t;
                    workers.add(pool.submit(() -> {
                        started.countDown();
                        for (int i = 0; ; i++) {
                            int k = (i + offset) % clouds.size();
                            float[] logits;
                            try {
                                logits = clip.classify(clouds.get(k)).logits();
                            } catch (IllegalStateException e) {
                                assertEquals("PointClip is closed", e.getMessage());
                                refused.incrementAndGet();
                                return null;
                            }
                            assertArrayEquals(serial.get(k), logits, "cloud " + k);
                            completed.incrementAndGet();
                        }
                    }));
                }
                started.await();
                Thread.sleep(rounds % 4); // close at different points of the calls in flight
                Future<?> closer = pool.submit(clip::close);
                closer.get(30, TimeUnit.SECONDS);
                for (Future<?> w : workers) {
                    w.get(30, TimeUnit.SECONDS); // rethrows a wrong result or an unexpected exception
                }
                assertThrows(IllegalStateException.class, () -> clip.classify(clouds.get(0)));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(rounds * threads, refused.get(), "every worker ends on a refused call");
        assertTrue(completed.get() > 0, "calls completed while closing");
    }

    @Test
    void aHubThatCannotBeReachedIsAModelDownloadException(@TempDir Path cacheRoot) throws IOException {
        Assumptions.assumeTrue(System.getenv(ModelResolver.MODEL_ENV) == null
            && System.getProperty(ModelResolver.MODEL_PROPERTY) == null, "a model is configured in this environment");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: connecting to it is refused
        }
        String hub = "http://127.0.0.1:" + port;
        String beforeCache = System.getProperty(ModelResolver.CACHE_PROPERTY);
        String beforeHub = System.getProperty(HuggingFaceHub.URL_PROPERTY);
        System.setProperty(ModelResolver.CACHE_PROPERTY, cacheRoot.toString());
        System.setProperty(HuggingFaceHub.URL_PROPERTY, hub);
        try {
            ModelDownloadException e = assertThrows(ModelDownloadException.class,
                () -> PointClip.builder().backbone(Backbone.VIT_B16).textDiskCache(false).build());
            assertTrue(e.getMessage().startsWith("cannot download the CLIP model: connection refused to " + hub + "/"),
                e.getMessage());
            assertTrue(e.getCause() instanceof NetworkException, String.valueOf(e.getCause()));
            assertTrue(e instanceof ModelLoadException, "callers that catch ModelLoadException still catch it");
        } finally {
            restore(ModelResolver.CACHE_PROPERTY, beforeCache);
            restore(HuggingFaceHub.URL_PROPERTY, beforeHub);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void aModelThatIsNotFoundOrCannotBeOpenedIsATypedError(@TempDir Path dir, @TempDir Path cacheRoot) {
        // a directory that does not exist: not found (not "cannot be loaded"), naming the path
        Path missing = dir.resolve("no-such-model");
        ModelNotFoundException gone = assertThrows(ModelNotFoundException.class,
            () -> PointClip.builder().model(missing).textDiskCache(false).build());
        assertEquals("no CLIP model at " + missing + ": no such file or directory", gone.getMessage());

        // a directory that exists but holds no model: found, but it cannot be loaded
        ModelLoadException load = assertThrows(ModelLoadException.class,
            () -> PointClip.builder().model(dir).textDiskCache(false).build());
        assertFalse(load instanceof ModelDownloadException, load.toString());
        assertTrue(load.getCause() instanceof BundleException, load.toString());
        assertTrue(load.getMessage().startsWith("cannot open the CLIP model at " + dir + ": "), load.getMessage());

        // nothing given, nothing configured, an empty cache, offline: not found, passed on unwrapped
        Assumptions.assumeTrue(System.getenv(ModelResolver.MODEL_ENV) == null
            && System.getProperty(ModelResolver.MODEL_PROPERTY) == null, "a model is configured in this environment");
        String before = System.getProperty(ModelResolver.CACHE_PROPERTY);
        System.setProperty(ModelResolver.CACHE_PROPERTY, cacheRoot.toString());
        try {
            ModelNotFoundException notFound = assertThrows(ModelNotFoundException.class,
                () -> PointClip.builder().backbone(Backbone.VIT_B16).offline(true).textDiskCache(false).build());
            assertSame(io.github.pointclip.onnx.bundle.ModelNotFoundException.class, notFound.getClass());
            assertTrue(notFound.getCause() == null, "not a wrapper");
            assertTrue(notFound.attempts().stream().anyMatch(a -> a.contains("offline")), notFound.attempts().toString());
        } finally {
            if (before == null) {
                System.clearProperty(ModelResolver.CACHE_PROPERTY);
            } else {
                System.setProperty(ModelResolver.CACHE_PROPERTY, before);
            }
        }
    }
}
