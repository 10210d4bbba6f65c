package io.github.pointclip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.encoder.Backbone;
import io.github.pointclip.encoder.ClipModel;
import io.github.pointclip.encoder.ImageEncoder;
import io.github.pointclip.encoder.TextEncoder;
import io.github.pointclip.internal.PipelineStages;
import io.github.pointclip.projection.spi.Projector;
import io.github.pointclip.projection.spi.ViewRig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** close() under use, and the pipeline's points per cloud, with pure-Java fakes. */
class PointClipLifecycleTest {

    /** The fake model, with an image encoder that can be held inside {@code encode} and records its closing. */
    static final class HeldModel implements ClipModel {
        final PointClipFacadeTest.FakeModel fake = new PointClipFacadeTest.FakeModel();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        /** Holds the next call of {@code encode} only, so that later calls never wait. */
        final java.util.concurrent.atomic.AtomicBoolean holdNext = new java.util.concurrent.atomic.AtomicBoolean();
        volatile boolean closed;
        volatile boolean encodedAfterClose;

        @Override
        public String id() {
            return fake.id();
        }

        @Override
        public Backbone backbone() {
            return null;
        }

        @Override
        public ImageEncoder imageEncoder() {
            ImageEncoder inner = fake.imageEncoder();
            return new ImageEncoder() {
                @Override
                public int embeddingDim() {
                    return inner.embeddingDim();
                }

                @Override
                public int imageSize() {
                    return inner.imageSize();
                }

                @Override
                public float[] encode(float[] pixels, int count) {
                    if (holdNext.compareAndSet(true, false)) {
                        entered.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    if (closed) {
                        encodedAfterClose = true; // what would crash a native session
                    }
                    return inner.encode(pixels, count);
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public TextEncoder textEncoder() {
            return fake.textEncoder();
        }

        @Override
        public float logitScale() {
            return fake.logitScale();
        }

        @Override
        public String executionDevice() {
            return "cpu";
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /**
     * A model passed in stays the caller's, so the test closes it right after {@code clip.close()} returns, where
     * the facade closes a model it opened; the real sessions are exercised in pointclip-onnx's tests.
     */
    private static PointClip clip(HeldModel model, Path cache) {
        return PointClip.builder().model(model).pipeline(Pipeline.of("tiny", new PointClipFacadeTest.TinyProjector(),
            "a {}.")).classes(List.of("cat", "emu")).textCache(cache).build();
    }

    @Test
    @Timeout(120)
    void closeWaitsForTheCallInFlightAndRefusesNewOnes(@TempDir Path cache) throws Exception {
        HeldModel model = new HeldModel();
        PointCloud cloud = PointCloud.of(new float[] {0.1f, 0.2f, 0.3f});
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            PointClip clip = clip(model, cache);
            float[] serial = clip.classify(cloud).logits();
            model.holdNext.set(true);
            Future<float[]> inFlight = pool.submit(() -> clip.classify(cloud).logits());
            assertTrue(model.entered.await(10, TimeUnit.SECONDS));
            CountDownLatch closing = new CountDownLatch(1);
            Future<?> close = pool.submit(() -> {
                closing.countDown();
                clip.close();
                model.close(); // stands for the native sessions the facade would release now
            });
            closing.await();
            // close() has begun: new calls are refused, the one in flight is waited for
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try {
                    clip.classify(cloud);
                } catch (IllegalStateException e) {
                    assertEquals("PointClip is closed", e.getMessage());
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "close() never refused new calls");
            }
            Thread.sleep(50);
            assertFalse(close.isDone(), "close() returned while a call was in flight");
            assertFalse(model.closed);
            model.release.countDown();
            assertArrayEquals(serial, inFlight.get(10, TimeUnit.SECONDS), "the call in flight completes normally");
            close.get(10, TimeUnit.SECONDS);
            assertTrue(model.closed);
            assertFalse(model.encodedAfterClose);
            clip.close(); // idempotent
            assertThrows(IllegalStateException.class, () -> clip.embed(cloud));
            assertThrows(IllegalStateException.class, () -> PipelineStages.textFeatures(clip, clip.prompts()));
            assertThrows(IllegalStateException.class, () -> PipelineStages.encodeImages(clip, new float[0], 0));
        } finally {
            model.release.countDown();
            pool.shutdownNow();
        }
    }

    /** Depth maps that depend on every point of the cloud: the mean x, y, z and the count. */
    static final class MeanProjector implements Projector {
        final Projector shape = new PointClipFacadeTest.TinyProjector();

        @Override
        public String name() {
            return "mean";
        }

        @Override
        public ViewRig views() {
            return shape.views();
        }

        @Override
        public int height() {
            return 2;
        }

        @Override
        public int width() {
            return 2;
        }

        @Override
        public float[] projectInto(PointCloud cloud, float[] out) {
            if (out == null || out.length < outputLength()) {
                out = new float[outputLength()];
            }
            double[] mean = new double[3];
            for (int i = 0; i < cloud.size(); i++) {
                mean[0] += cloud.x(i) / cloud.size();
                mean[1] += cloud.y(i) / cloud.size();
                mean[2] += cloud.z(i) / cloud.size();
            }
            for (int v = 0; v < 2; v++) {
                out[4 * v] = (float) mean[0] + v;
                out[4 * v + 1] = (float) mean[1] + v;
                out[4 * v + 2] = (float) mean[2] + v;
                out[4 * v + 3] = cloud.size() / 1000f;
            }
            return out;
        }

        @Override
        public Map<String, String> parameters() {
            return Map.of();
        }
    }

    private static PointCloud cloud(int n) {
        float[] xyz = new float[3 * n];
        for (int i = 0; i < xyz.length; i++) {
            xyz[i] = (float) Math.sin(i * 0.37);
        }
        return PointCloud.of(xyz);
    }

    @Test
    void theFirst1024PointsAreUsedByDefaultAndZeroKeepsAll(@TempDir Path cache) {
        PointClipFacadeTest.FakeModel model = new PointClipFacadeTest.FakeModel();
        Pipeline pipeline = Pipeline.of("mean", new MeanProjector(), "a {}.");
        PointCloud big = cloud(2048);
        PointCloud small = cloud(500);
        try (PointClip byDefault = PointClip.builder().model(model).pipeline(pipeline).classes(List.of("cat", "emu"))
            .textCache(cache).build();
            PointClip all = PointClip.builder().model(model).pipeline(pipeline).pointsPerCloud(0)
                .classes(List.of("cat", "emu")).textCache(cache).build()) {
            assertEquals(1024, byDefault.pipeline().pointsPerCloud());
            assertEquals(0, all.pipeline().pointsPerCloud());
            float[] first = all.classify(big.first(1024)).logits();
            assertArrayEquals(first, byDefault.classify(big).logits(), "the first 1024 points, bit for bit");
            assertArrayEquals(first, byDefault.classifyAll(List.of(big)).get(0).logits());
            assertArrayEquals(first, byDefault.classify(big, List.of("cat", "emu")).logits());
            assertArrayEquals(all.embed(big.first(1024)).fused(), byDefault.embed(big).fused());
            assertFalse(java.util.Arrays.equals(first, all.classify(big).logits()), "0 keeps all 2048 points");
            assertArrayEquals(all.classify(small).logits(), byDefault.classify(small).logits(),
                "a cloud of fewer points is used whole");
        }
    }
}
