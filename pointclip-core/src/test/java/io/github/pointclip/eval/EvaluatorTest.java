package io.github.pointclip.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.PointClip;
import io.github.pointclip.Prediction;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.eval.EvalFakes.FakeModel;
import io.github.pointclip.eval.EvalFakes.ToyDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluatorTest {

    private static final int VIEWS = 2;

    /** Stops the run after a number of freshly computed chunks, as a Ctrl-C between chunks would. */
    static final class Interrupt extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    private static int[] classifyAll(PointClip clip, ToyDataset data, int n, int first) {
        List<PointCloud> clouds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            PointCloud c = data.clouds.get(i);
            clouds.add(first > 0 ? c.first(first) : c);
        }
        List<Prediction> ps = clip.classifyAll(clouds);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = EvalFakes.CLASSES.indexOf(ps.get(i).top(1).get(0).label());
        }
        return out;
    }

    @Test
    void predictionsEqualClassifyAllAndMetricsFollowThem(@TempDir Path text) throws IOException {
        FakeModel model = new FakeModel();
        ToyDataset data = new ToyDataset(23, 7);
        try (PointClip clip = EvalFakes.clip(model, text, 6)) {
            EvaluationResult r = Evaluator.builder().clip(clip).dataset(data).batchSize(6).chunkSize(5).workers(3)
                .queueCapacity(1).build().evaluate();
            int[] want = classifyAll(clip, data, 23, 0);
            assertArrayEquals(want, r.predictions());
            assertArrayEquals(data.labels, r.labels());
            assertEquals(EvaluationResult.of(EvalFakes.CLASSES, data.labels, want).accuracy(), r.accuracy());
            assertTrue(r.wrong().size() > 0 && r.correct().size() > 0, "the fakes give a mix: " + r);
            assertEquals("toy#22", r.ids().get(22));
            assertEquals(3, r.logits(0).length);
            Timings t = r.timings();
            assertEquals(23, t.encodedSamples());
            assertEquals(0, t.cachedSamples());
            assertEquals(8, t.encoderRuns(), "3 clouds of 2 views per run");
            assertEquals(6, t.batchImages());
            assertTrue(t.encoderNanos() > 0 && t.encoderNanos() <= t.loopNanos() && t.loopNanos() <= t.wallNanos());
            double busy = t.encoderBusyFraction();
            assertTrue(busy > 0 && busy <= 1, "busy " + busy);
            Provenance p = r.provenance();
            assertEquals("fake-eval-model", p.modelId());
            assertEquals("ViT-B/16", p.backbone());
            assertEquals("tiny+custom", p.pipeline()); // names are derived: a pipeline that is no preset says so
            assertEquals("toy/test", p.dataset());
            assertEquals("test", p.split());
            assertEquals(23, p.samples());
            assertTrue(p.wholeDataset());
        }
    }

    @Test
    void firstPointsAndLimitAreApplied(@TempDir Path text) throws IOException {
        FakeModel model = new FakeModel();
        ToyDataset data = new ToyDataset(12, 3);
        try (PointClip clip = EvalFakes.clip(model, text, 32)) {
            EvaluationResult r = Evaluator.builder().clip(clip).dataset(data).firstPoints(3).limit(7).build()
                .evaluate();
            assertEquals(7, r.samples());
            assertArrayEquals(classifyAll(clip, data, 7, 3), r.predictions());
            assertFalse(r.provenance().wholeDataset());
            assertEquals(3, r.provenance().firstPoints());
        }
    }

    @Test
    void anInterruptedRunResumesAndEncodesOnlyTheMissingChunks(@TempDir Path text, @TempDir Path cache)
        throws IOException {
        ToyDataset data = new ToyDataset(20, 11);
        FakeModel reference = new FakeModel();
        EvaluationResult full;
        try (PointClip clip = EvalFakes.clip(reference, text, 4)) {
            full = Evaluator.builder().clip(clip).dataset(data).chunkSize(4).build().evaluate();
        }

        FakeModel model = new FakeModel();
        try (PointClip clip = EvalFakes.clip(model, text, 4)) {
            AtomicInteger fresh = new AtomicInteger();
            EvaluationListener stopAfterTwo = new EvaluationListener() {
                @Override
                public void chunkDone(int chunk, int chunks, boolean fromCache) {
                    if (!fromCache && fresh.incrementAndGet() == 2) {
                        throw new Interrupt();
                    }
                }
            };
            Evaluator evaluator = Evaluator.builder().clip(clip).dataset(data).chunkSize(4).batchSize(4)
                .cacheDirectory(cache).build();
            assertThrows(Interrupt.class, () -> evaluator.toBuilder().listener(stopAfterTwo).build().evaluate());
            assertEquals(2, chunkFiles(cache).size(), "two whole chunks written");
            assertTrue(tempFiles(cache).isEmpty());

            int imagesBefore = model.imageEncoder.images.get();
            AtomicInteger startedCached = new AtomicInteger(-1);
            List<Boolean> fromCache = new ArrayList<>();
            EvaluationResult resumed = evaluator.toBuilder().listener(new EvaluationListener() {
                @Override
                public void started(int samples, int cached) {
                    startedCached.set(cached);
                }

                @Override
                public void chunkDone(int chunk, int chunks, boolean cached) {
                    fromCache.add(cached);
                }
            }).build().evaluate();
            assertEquals(8, startedCached.get());
            assertEquals(List.of(true, true, false, false, false), fromCache);
            assertEquals((20 - 8) * VIEWS, model.imageEncoder.images.get() - imagesBefore, "only the 3 missing chunks encoded");
            assertArrayEquals(full.predictions(), resumed.predictions());
            for (int i = 0; i < 20; i++) {
                assertArrayEquals(full.logits(i), resumed.logits(i), 1e-6f);
            }
            assertEquals(8, resumed.timings().cachedSamples());
            assertEquals(12, resumed.timings().encodedSamples());
            assertEquals(5, chunkFiles(cache).size());

            // a third run encodes nothing
            int imagesAfter = model.imageEncoder.images.get();
            EvaluationResult again = evaluator.evaluate();
            assertEquals(imagesAfter, model.imageEncoder.images.get());
            assertArrayEquals(full.predictions(), again.predictions());
            assertTrue(Double.isNaN(again.timings().encoderBusyFraction()));
        }
    }

    @Test
    void aCorruptChunkIsComputedAgainAndTheKeySeparatesSettings(@TempDir Path text, @TempDir Path cache)
        throws IOException {
        ToyDataset data = new ToyDataset(9, 5);
        FakeModel model = new FakeModel();
        try (PointClip clip = EvalFakes.clip(model, text, 4)) {
            Evaluator evaluator = Evaluator.builder().clip(clip).dataset(data).chunkSize(4).cacheDirectory(cache)
                .build();
            EvaluationResult first = evaluator.evaluate();
            List<Path> chunks = chunkFiles(cache);
            assertEquals(3, chunks.size());
            Path victim = chunks.stream().filter(p -> p.getFileName().toString().equals("chunk-4-4.f32")).findFirst()
                .orElseThrow();
            byte[] bytes = Files.readAllBytes(victim);
            Files.write(victim, java.util.Arrays.copyOf(bytes, bytes.length - 3));
            int before = model.imageEncoder.images.get();
            EvaluationResult second = evaluator.evaluate();
            assertEquals(4 * VIEWS, model.imageEncoder.images.get() - before, "only the truncated chunk");
            assertArrayEquals(first.predictions(), second.predictions());

            before = model.imageEncoder.images.get();
            evaluator.toBuilder().firstPoints(4).build().evaluate();
            assertEquals(9 * VIEWS, model.imageEncoder.images.get() - before, "another first-N is another cache");
        }
    }

    @Test
    void workerFailuresSurfaceAndInterruptionStops(@TempDir Path text) throws Exception {
        ToyDataset data = new ToyDataset(10, 1) {
            @Override
            public io.github.pointclip.dataset.Sample get(int index) throws IOException {
                if (index == 6) {
                    throw new IOException("disk on fire at 6");
                }
                return super.get(index);
            }
        };
        FakeModel model = new FakeModel();
        try (PointClip clip = EvalFakes.clip(model, text, 2)) {
            IOException e = assertThrows(IOException.class,
                () -> Evaluator.builder().clip(clip).dataset(data).workers(2).build().evaluate());
            assertEquals("disk on fire at 6", e.getMessage());

            model.imageEncoder.delayMillis = 50;
            ToyDataset big = new ToyDataset(200, 2);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread runner = new Thread(() -> {
                try {
                    Evaluator.builder().clip(clip).dataset(big).batchSize(2).build().evaluate();
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            runner.start();
            Thread.sleep(300);
            runner.interrupt();
            runner.join(10_000);
            assertFalse(runner.isAlive());
            assertNotNull(thrown.get());
            assertSame(EvaluationInterruptedException.class, thrown.get().getClass(), String.valueOf(thrown.get()));
            assertEquals(0, ((EvaluationInterruptedException) thrown.get()).cached(), "no cache, nothing kept");
        }
    }

    @Test
    void builderValidates(@TempDir Path text) {
        ToyDataset data = new ToyDataset(3, 1);
        try (PointClip clip = EvalFakes.clip(new FakeModel(), text, 4)) {
            assertThrows(NullPointerException.class, () -> Evaluator.builder().dataset(data).build());
            assertThrows(IllegalArgumentException.class, () -> Evaluator.builder().clip(clip).dataset(data).batchSize(0).build());
            assertThrows(IllegalArgumentException.class, () -> Evaluator.builder().clip(clip).dataset(data).limit(-1).build());
            assertThrows(IllegalArgumentException.class, () -> Evaluator.builder().clip(clip).dataset(data)
                .prompts(io.github.pointclip.prompt.PromptSet.fromTemplate("a {}.", List.of("x"))).build());
            assertEquals(3, Evaluator.builder().clip(clip).dataset(data).limit(10).build().samples());
        }
    }

    private static List<Path> chunkFiles(Path cache) throws IOException {
        try (Stream<Path> s = Files.walk(cache)) {
            return s.filter(p -> p.getFileName().toString().startsWith("chunk-")).toList();
        }
    }

    private static List<Path> tempFiles(Path cache) throws IOException {
        try (Stream<Path> s = Files.walk(cache)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
