package io.github.pointclip.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.pointclip.encoder.Device;
import io.github.pointclip.encoder.ModelRequest;
import io.github.pointclip.onnx.bundle.ModelBundle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing a model while other threads are inside {@code OrtSession.run}: close waits for them,
 * later calls fail with {@link IllegalStateException}, and the JVM survives (a session freed under
 * a running call is a use-after-free in native code). Uses the tiny Hugging Face models and the
 * small vocabulary, so it needs no shared data.
 */
class CloseUnderLoadTest {

    private static final int ROUNDS = 20;
    private static final int THREADS = 4;

    @Test
    void closingWhileThreadsEncodeNeverCrashesAndRefusesLaterCalls(@TempDir Path dir) throws Exception {
        ModelBundle bundle = ModelBundle.detect(ZeroShotEndToEndTest.huggingFaceBundle(dir));
        ModelRequest request = ModelRequest.builder().device(Device.CPU).threads(1).batchSize(4).build();
        float[] pixels = new float[4 * 3 * 224 * 224];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (i % 97) / 97f;
        }
        List<String> texts = List.of("low", "new", "lower", "newer low");
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        for (int round = 0; round < ROUNDS; round++) {
            OnnxClipModel model = OnnxClipModel.open(bundle, request);
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            CountDownLatch running = new CountDownLatch(THREADS);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                boolean image = t % 2 == 0;
                Thread thread = new Thread(() -> {
                    running.countDown();
                    while (true) {
                        try {
                            if (image) {
                                assertEquals(4 * 8, model.imageEncoder().encode(pixels, 4).length);
                            } else {
                                assertEquals(4 * 8, model.textEncoder().encode(texts).length);
                            }
                            completed.incrementAndGet();
                        } catch (IllegalStateException e) {
                            if (e.getMessage().contains("is closed")) {
                                refused.incrementAndGet();
                                return;
                            }
                            unexpected.compareAndSet(null, e);
                            return;
                        } catch (Throwable e) {
                            unexpected.compareAndSet(null, e);
                            return;
                        }
                    }
                }, "encode-" + round + "-" + t);
                threads.add(thread);
                thread.start();
            }
            assertTrue(running.await(10, TimeUnit.SECONDS));
            Thread.sleep(round % 5); // close at different points of the calls in flight
            model.close();
            for (Thread thread : threads) {
                thread.join(10_000);
                assertTrue(!thread.isAlive(), thread.getName() + " still running after close");
            }
            if (unexpected.get() != null) {
                fail("round " + round + ": unexpected failure while closing", unexpected.get());
            }
            model.close(); // idempotent
            IllegalStateException after = assertThrows(IllegalStateException.class,
                () -> model.textEncoder().encode(texts));
            assertTrue(after.getMessage().contains("text encoder is closed"), after.getMessage());
            assertThrows(IllegalStateException.class, () -> model.imageEncoder().encode(pixels, 1));
        }
        assertEquals(ROUNDS * THREADS, refused.get(), "every thread ends on the closed model");
        assertTrue(completed.get() > 0, "some calls ran before the close");
    }

    @Test
    void closeWaitsForTheCallInFlight(@TempDir Path dir) throws Exception {
        ModelBundle bundle = ModelBundle.detect(ZeroShotEndToEndTest.huggingFaceBundle(dir));
        OnnxClipModel model = OnnxClipModel.open(bundle, ModelRequest.builder().device(Device.CPU).threads(1).build());
        SessionFactory.Opened opened = sessionOf(model.textEncoder());
        opened.enter("text encoder"); // a call in flight
        Thread closer = new Thread(model::close);
        closer.start();
        closer.join(300);
        assertTrue(closer.isAlive(), "close must wait for the call in flight");
        // new calls are refused while close waits
        assertThrows(IllegalStateException.class, () -> model.textEncoder().encode(List.of("low")));
        opened.exit();
        closer.join(10_000);
        assertTrue(!closer.isAlive(), "close returns once the call has left");
    }

    private static SessionFactory.Opened sessionOf(OnnxTextEncoder encoder) throws ReflectiveOperationException {
        java.lang.reflect.Field f = OnnxTextEncoder.class.getDeclaredField("opened");
        f.setAccessible(true);
        return (SessionFactory.Opened) f.get(encoder);
    }
}
