package io.github.pointclip.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.PointClip;
import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.Datasets;
import io.github.pointclip.dataset.Split;
import io.github.pointclip.eval.EvalFakes.FakeModel;
import io.github.pointclip.eval.EvalFakes.ToyDataset;
import io.github.pointclip.internal.FeatureKeys;
import io.github.pointclip.io.PointCloudFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation's feature cache is keyed by content, resumes from the finished part of a chunk, and skips bad files. */
class CacheIdentityTest {

    private static final int VIEWS = 2;

    /** A folder dataset {@code root/<class>/s<k>.xyz}, two shapes per class, clouds drawn from a seed. */
    private static Path folder(Path root, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        for (String c : EvalFakes.CLASSES) {
            Files.createDirectories(root.resolve(c));
            for (int k = 0; k < 2; k++) {
                writeCloud(root.resolve(c).resolve("s" + k + ".xyz"), r);
            }
        }
        return root;
    }

    private static void writeCloud(Path file, SplittableRandom r) throws IOException {
        StringBuilder s = new StringBuilder();
        for (int p = 0; p < 8; p++) {
            s.append(String.format(Locale.ROOT, "%.5f %.5f %.5f%n", r.nextDouble() * 2 - 1, r.nextDouble() * 2 - 1,
                r.nextDouble() * 2 - 1));
        }
        Files.writeString(file, s);
    }

    private static EvaluationResult evaluate(PointClip clip, Dataset data, Path cache, AtomicInteger cachedAtStart)
        throws IOException {
        return Evaluator.builder().clip(clip).dataset(data).chunkSize(4).cacheDirectory(cache)
            .listener(new EvaluationListener() {
                @Override
                public void started(int samples, int cached) {
                    cachedAtStart.set(cached);
                }
            }).build().evaluate();
    }

    private static void assertSameOutput(EvaluationResult expected, EvaluationResult actual) {
        assertArrayEquals(expected.predictions(), actual.predictions());
        for (int i = 0; i < expected.samples(); i++) {
            assertArrayEquals(expected.logits(i), actual.logits(i), 1e-6f, "logits of sample " + i);
        }
    }

    @Test
    void twoFoldersWithTheSameLeafNameNeverShareFeatures(@TempDir Path tmp) throws IOException {
        // the reported case: a/shapes and b/shapes, same class folders and file names, different clouds
        Dataset a = Datasets.folder(folder(tmp.resolve("a/shapes"), 1), Split.TEST);
        Dataset b = Datasets.folder(folder(tmp.resolve("b/shapes"), 2), Split.TEST);
        assertEquals(a.name(), b.name(), "the same name, which the old key used");
        assertEquals(a.id(0), b.id(0));
        Path cache = tmp.resolve("cache");
        try (PointClip clip = EvalFakes.clip(new FakeModel(), tmp.resolve("text"), 4)) {
            EvaluationResult bUncached = Evaluator.builder().clip(clip).dataset(b).build().evaluate();
            EvaluationResult aUncached = Evaluator.builder().clip(clip).dataset(a).build().evaluate();
            AtomicInteger cached = new AtomicInteger(-1);
            EvaluationResult aCached = evaluate(clip, a, cache, cached);
            assertEquals(0, cached.get());
            assertSameOutput(aUncached, aCached);

            EvaluationResult bCached = evaluate(clip, b, cache, cached);
            assertEquals(0, cached.get(), "b's samples are not a's");
            assertSameOutput(bUncached, bCached);
            assertNotEquals(aCached.provenance().datasetIdentity(), bCached.provenance().datasetIdentity());

            // each reads its own features back
            assertSameOutput(aUncached, evaluate(clip, Datasets.folder(tmp.resolve("a/shapes"), Split.TEST), cache,
                cached));
            assertEquals(6, cached.get());
            assertSameOutput(bUncached, evaluate(clip, b, cache, cached));
            assertEquals(6, cached.get());
        }
    }

    @Test
    void aRewrittenFileIsEncodedAgain(@TempDir Path tmp) throws IOException {
        Path root = folder(tmp.resolve("shapes"), 3);
        Path cache = tmp.resolve("cache");
        FakeModel model = new FakeModel();
        try (PointClip clip = EvalFakes.clip(model, tmp.resolve("text"), 4)) {
            AtomicInteger cached = new AtomicInteger(-1);
            evaluate(clip, Datasets.folder(root, Split.TEST), cache, cached);
            Path changed = root.resolve("dog/s1.xyz");
            FileTime before = Files.getLastModifiedTime(changed);
            writeCloud(changed, new SplittableRandom(99));
            Files.setLastModifiedTime(changed, FileTime.fromMillis(before.toMillis() + 2000));
            Dataset now = Datasets.folder(root, Split.TEST);
            EvaluationResult uncached = Evaluator.builder().clip(clip).dataset(now).build().evaluate();
            int images = model.imageEncoder.images.get();
            EvaluationResult again = evaluate(clip, now, cache, cached);
            assertEquals(0, cached.get(), "the dataset's content changed");
            assertEquals(6 * VIEWS, model.imageEncoder.images.get() - images);
            assertSameOutput(uncached, again);
        }
    }

    @Test
    void contentIdentityOfInMemoryDatasetsHashesThePoints(@TempDir Path tmp) throws IOException {
        ToyDataset one = new ToyDataset(5, 1);
        ToyDataset same = new ToyDataset(5, 1);
        ToyDataset other = new ToyDataset(5, 2);
        assertEquals(one.contentIdentity(3), same.contentIdentity(3));
        assertNotEquals(one.contentIdentity(3), other.contentIdentity(3));
        assertEquals(FeatureKeys.dataset(one), FeatureKeys.dataset(same));
        assertNotEquals(FeatureKeys.dataset(one), FeatureKeys.dataset(other));
        Path cache = tmp.resolve("cache");
        try (PointClip clip = EvalFakes.clip(new FakeModel(), tmp.resolve("text"), 4)) {
            AtomicInteger cached = new AtomicInteger(-1);
            evaluate(clip, one, cache, cached);
            EvaluationResult o = evaluate(clip, other, cache, cached);
            assertEquals(0, cached.get(), "same name and ids, other points");
            assertSameOutput(Evaluator.builder().clip(clip).dataset(other).build().evaluate(), o);
            evaluate(clip, same, cache, cached);
            assertEquals(5, cached.get());
        }
    }

    @Test
    void anInterruptionFlushesTheFinishedPartOfTheChunkAndSaysHowManyAreCached(@TempDir Path tmp) throws IOException {
        ToyDataset data = new ToyDataset(20, 7);
        Path cache = tmp.resolve("cache");
        FakeModel model = new FakeModel();
        try (PointClip clip = EvalFakes.clip(model, tmp.resolve("text"), 4)) { // 2 clouds per encoder run
            EvaluationResult full = Evaluator.builder().clip(clip).dataset(data).chunkSize(8).batchSize(4).build()
                .evaluate();
            Evaluator evaluator = Evaluator.builder().clip(clip).dataset(data).chunkSize(8).batchSize(4)
                .cacheDirectory(cache).build();
            for (int k : new int[] {5, 13}) { // Ctrl-C after 6 samples (inside chunk 0), then after 14 (inside chunk 1)
                EvaluationInterruptedException e = assertThrows(EvaluationInterruptedException.class,
                    () -> evaluator.toBuilder().listener(new EvaluationListener() {
                        @Override
                        public void progress(int done, int samples) {
                            if (done >= k) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    }).build().evaluate());
                assertTrue(Thread.interrupted(), "the interrupt stays set for the caller");
                assertEquals(k + 1, e.done());
                assertEquals(e.done(), e.cached(), "every finished sample is cached");
                assertEquals(20, e.samples());
                assertTrue(e.getMessage().contains(e.cached() + " of them are cached in "), e.getMessage());

                AtomicInteger cachedAtStart = new AtomicInteger(-1);
                int images = model.imageEncoder.images.get();
                EvaluationInterruptedException probe = assertThrows(EvaluationInterruptedException.class,
                    () -> evaluator.toBuilder().listener(new EvaluationListener() {
                        @Override
                        public void started(int samples, int cached) {
                            cachedAtStart.set(cached);
                            Thread.currentThread().interrupt(); // stop at once: only look at what is cached
                        }
                    }).build().evaluate());
                assertTrue(Thread.interrupted());
                assertEquals(e.cached(), cachedAtStart.get(), "what the message says is what the next run finds");
                assertEquals(e.cached(), probe.cached());
                assertEquals(images, model.imageEncoder.images.get());
            }
            assertTrue(Files.exists(chunk(cache, "chunk-0-8.f32")), "chunk 0 completed by the second run");
            assertTrue(Files.exists(chunk(cache, "chunk-8-6.f32")), "the finished part of chunk 1");

            int images = model.imageEncoder.images.get();
            EvaluationResult resumed = evaluator.evaluate();
            assertEquals((20 - 14) * VIEWS, model.imageEncoder.images.get() - images, "only the rest is encoded");
            assertEquals(14, resumed.timings().cachedSamples());
            assertSameOutput(full, resumed);
            assertEquals(List.of("chunk-0-8.f32", "chunk-16-4.f32", "chunk-8-8.f32"), chunkNames(cache),
                "partial chunks are replaced by whole ones");
        }
    }

    @Test
    void aCorruptFileStopsBeforeAnyEncodingOrIsSkippedAndListed(@TempDir Path tmp) throws IOException {
        Path root = folder(tmp.resolve("shapes"), 4);
        Path bad = root.resolve("dog/s0.xyz");
        FakeModel model = new FakeModel();
        try (PointClip clip = EvalFakes.clip(model, tmp.resolve("text"), 4)) {
            Files.delete(bad);
            EvaluationResult withoutIt = Evaluator.builder().clip(clip).dataset(Datasets.folder(root, Split.TEST))
                .build().evaluate();
            Files.writeString(bad, "0.1 0.2 0.3\n0.4 zero 0.6\n");
            Dataset data = Datasets.folder(root, Split.TEST);
            int images = model.imageEncoder.images.get();
            PointCloudFormatException e = assertThrows(PointCloudFormatException.class,
                () -> Evaluator.builder().clip(clip).dataset(data).chunkSize(2).cacheDirectory(tmp.resolve("cache"))
                    .build().evaluate());
            assertTrue(e.getMessage().contains("s0.xyz"), e.getMessage());
            assertEquals(images, model.imageEncoder.images.get(), "nothing encoded");
            assertEquals(List.of(), chunkNames(tmp.resolve("cache")), "nothing cached");

            EvaluationResult skipping = Evaluator.builder().clip(clip).dataset(data).chunkSize(2)
                .cacheDirectory(tmp.resolve("cache")).skipBad(true).build().evaluate();
            assertEquals(1, skipping.skipped().size());
            SkippedSample s = skipping.skipped().get(0);
            assertEquals(2, s.index());
            assertEquals("dog/s0.xyz", s.id());
            assertTrue(s.reason().contains("s0.xyz") && !s.reason().contains("\n"), s.reason());
            assertEquals(5, skipping.samples());
            assertFalse(skipping.ids().contains("dog/s0.xyz"));
            assertSameOutput(withoutIt, skipping);
            assertEquals(5, skipping.provenance().samples());
            assertEquals(6, skipping.provenance().datasetSize());
        }
    }

    private static Path chunk(Path cache, String name) throws IOException {
        try (Stream<Path> s = Files.walk(cache)) {
            return s.filter(p -> p.getFileName().toString().equals(name)).findFirst().orElse(cache.resolve(name));
        }
    }

    private static List<String> chunkNames(Path cache) throws IOException {
        if (!Files.exists(cache)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(cache)) {
            List<String> names = new ArrayList<>(s.map(p -> p.getFileName().toString())
                .filter(n -> n.startsWith("chunk-")).toList());
            names.sort(null);
            return names;
        }
    }
}
