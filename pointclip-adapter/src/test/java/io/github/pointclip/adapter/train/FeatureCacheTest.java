package io.github.pointclip.adapter.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.Datasets;
import io.github.pointclip.dataset.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCacheTest {

    @Test
    void hitsAndMissesFollowTheKey(@TempDir Path dir) throws IOException {
        Dataset data = new InMemoryDataset("toy", 3, 4, 50, 1);
        FeatureCache cache = new FeatureCache(dir);
        CountingExtractor model = new CountingExtractor("model-a/v1/proj");
        FeatureSet first = cache.features(data, model, Augmentation.v1(), 2, 7, null);
        assertEquals(24, first.size());
        assertEquals(24, model.clouds);
        assertEquals(1, cache.misses());

        FeatureSet again = cache.features(data, model, Augmentation.v1(), 2, 7, null);
        assertEquals(1, cache.hits());
        assertEquals(24, model.clouds, "a hit encodes nothing");
        assertArrayEquals(first.features(), again.features());
        assertArrayEquals(first.labels(), again.labels());

        cache.features(data, model, Augmentation.v1(), 2, 8, null);
        cache.features(data, model, Augmentation.v1(), 1, 7, null);
        cache.features(data, new CountingExtractor("model-b/v1/proj"), Augmentation.v1(), 2, 7, null);
        cache.features(data, model, Augmentation.none(1024), 1, 7, null);
        cache.features(Datasets.subset(data, new int[] {0, 1, 2}), model, Augmentation.v1(), 2, 7, null);
        assertEquals(6, cache.misses(), "seed, copies, model, augmentation and samples are part of the key");
        assertEquals(1, cache.hits());

        cache.features(data, model, Augmentation.none(1024), 1, 99, null);
        assertEquals(2, cache.hits(), "without augmentation the seed does not matter");
    }

    @Test
    void twoFoldersWithTheSameLeafNameNeverShareFeatures(@TempDir Path tmp) throws IOException {
        // a/shapes and b/shapes: same dataset name, same class folders and sample ids, other clouds
        Dataset a = Datasets.folder(writeFolder(tmp.resolve("a/shapes"), 1), Split.TEST);
        Dataset b = Datasets.folder(writeFolder(tmp.resolve("b/shapes"), 2), Split.TEST);
        assertEquals(a.name(), b.name());
        assertEquals(a.id(1), b.id(1));
        FeatureCache cache = new FeatureCache(tmp.resolve("cache"));
        CountingExtractor model = new CountingExtractor("m");
        FeatureSet fa = cache.features(a, model, Augmentation.v1(), 1, 3, null);
        FeatureSet fb = cache.features(b, model, Augmentation.v1(), 1, 3, null);
        assertEquals(2, cache.misses(), "b is not served a's features");
        FeatureSet fresh = new FeatureCache(tmp.resolve("other")).features(b, new CountingExtractor("m"),
            Augmentation.v1(), 1, 3, null);
        assertArrayEquals(fresh.features(), fb.features());
        assertFalse(Arrays.equals(fa.features(), fb.features()));
        assertArrayEquals(fa.features(), cache.features(Datasets.folder(tmp.resolve("a/shapes"), Split.TEST), model,
            Augmentation.v1(), 1, 3, null).features());
        assertEquals(1, cache.hits());
    }

    @Test
    void aBadFileStopsBeforeAnyEncodingOrIsSkippedAndListed(@TempDir Path tmp) throws IOException {
        // 2 classes × 10 shapes, the last one corrupt: encoding in batches of 16 would reach it after a batch
        Path root = tmp.resolve("shapes");
        for (String c : List.of("chair", "lamp")) {
            Files.createDirectories(root.resolve(c));
            for (int k = 0; k < 10; k++) {
                Files.writeString(root.resolve(c).resolve("s" + k + ".xyz"), "0 0 0\n1 0 0\n0 1 " + k + "\n");
            }
        }
        Path bad = root.resolve("lamp/s9.xyz");
        Files.writeString(bad, "0 0 0\n1 zero 0\n");
        Dataset data = Datasets.folder(root, Split.TEST);
        FeatureCache cache = new FeatureCache(tmp.resolve("cache"));
        CountingExtractor model = new CountingExtractor("m");

        IOException e = assertThrows(IOException.class, () -> cache.features(data, model, Augmentation.none(3), 1, 0,
            null));
        assertTrue(e.getMessage().startsWith(bad.toString()) && !e.getMessage().contains("\n"), e.getMessage());
        assertEquals(0, model.clouds, "nothing is encoded before every sample was read");

        FeatureCache.CheckedFeatures f = cache.checkedFeatures(data, model, Augmentation.none(3), 1, 0, true, null);
        assertEquals(19, f.features().size());
        assertEquals(19, f.dataset().size());
        assertEquals(1, f.skipped().size());
        assertEquals(19, f.skipped().get(0).index());
        assertEquals(data.id(19), f.skipped().get(0).id());
        assertTrue(f.skipped().get(0).reason().startsWith(bad.toString()), f.skipped().get(0).reason());
        assertEquals(19, model.clouds);
        int[] labels = new int[19];
        for (int i = 0; i < 19; i++) {
            labels[i] = i < 10 ? 0 : 1;
        }
        assertArrayEquals(labels, f.features().labels());

        // a rerun checks again, finds the readable subset's entry and encodes nothing
        FeatureCache.CheckedFeatures again = cache.checkedFeatures(data, model, Augmentation.none(3), 1, 0, true, null);
        assertEquals(19, model.clouds);
        assertEquals(1, cache.hits());
        assertEquals(f.skipped().get(0).id(), again.skipped().get(0).id());
        assertArrayEquals(f.features().features(), again.features().features());
    }

    private static Path writeFolder(Path root, long seed) throws IOException {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (String c : List.of("chair", "lamp")) {
            Files.createDirectories(root.resolve(c));
            for (int k = 0; k < 2; k++) {
                StringBuilder s = new StringBuilder();
                for (int p = 0; p < 6; p++) {
                    s.append(String.format(java.util.Locale.ROOT, "%.4f %.4f %.4f%n", r.nextDouble(), r.nextDouble(),
                        r.nextDouble()));
                }
                Files.writeString(root.resolve(c).resolve("s" + k + ".xyz"), s);
            }
        }
        return root;
    }

    @Test
    void augmentedCopiesDifferAndLabelsRepeat(@TempDir Path dir) throws IOException {
        Dataset data = new InMemoryDataset("toy", 2, 3, 30, 2);
        FeatureSet f = new FeatureCache(dir).features(data, new CountingExtractor("m"), Augmentation.v1(), 3, 1, null);
        int[] labels = f.labels();
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(data.labels(), Arrays.copyOfRange(labels, c * 6, c * 6 + 6));
        }
        float[] row0 = new float[8];
        float[] row6 = new float[8];
        f.copyRow(0, row0, 0);
        f.copyRow(6, row6, 0);
        assertFalse(Arrays.equals(row0, row6), "copies of one sample are augmented differently");
    }

    @Test
    void aCorruptEntryIsRecomputed(@TempDir Path dir) throws IOException {
        Dataset data = new InMemoryDataset("toy", 2, 3, 30, 2);
        FeatureCache cache = new FeatureCache(dir);
        CountingExtractor model = new CountingExtractor("m");
        FeatureSet first = cache.features(data, model, Augmentation.v1(), 1, 1, null);
        Path entry;
        try (Stream<Path> files = Files.list(dir)) {
            entry = files.filter(p -> p.toString().endsWith(".features")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length - 10] ^= 0x55;
        Files.write(entry, bytes);
        FeatureSet second = cache.features(data, model, Augmentation.v1(), 1, 1, null);
        assertEquals(2, cache.misses());
        assertArrayEquals(first.features(), second.features());
        Files.write(entry, Arrays.copyOf(bytes, 40));
        cache.features(data, model, Augmentation.v1(), 1, 1, null);
        assertEquals(3, cache.misses(), "a truncated entry is a miss");
    }

    @Test
    void fewShotSamplingTakesKPerClassDeterministically() {
        Dataset data = new InMemoryDataset("toy", 5, 20, 10, 3);
        Dataset a = Datasets.fewShot(data, 4, 11);
        Dataset b = Datasets.fewShot(data, 4, 11);
        Dataset c = Datasets.fewShot(data, 4, 12);
        assertEquals(20, a.size());
        int[] perClass = new int[5];
        for (int l : a.labels()) {
            perClass[l]++;
        }
        assertArrayEquals(new int[] {4, 4, 4, 4, 4}, perClass);
        List<String> idsA = ids(a);
        assertEquals(idsA, ids(b));
        assertFalse(idsA.equals(ids(c)), "another seed draws other shapes");
    }

    private static List<String> ids(Dataset d) {
        return java.util.stream.IntStream.range(0, d.size()).mapToObj(d::id).toList();
    }
}
