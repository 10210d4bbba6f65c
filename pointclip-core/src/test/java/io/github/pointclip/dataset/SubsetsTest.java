package io.github.pointclip.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.cloud.PointCloud;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Hold-out, few-shot and index subsets over an in-memory dataset with known labels. */
class SubsetsTest {

    /** Class c has counts[c] samples; sample i's cloud is the single point (i, 0, 0). */
    static final class FakeDataset implements Dataset {
        final int[] labels;
        final List<String> classes;

        FakeDataset(int... counts) {
            List<Integer> labelList = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int round = 0, left = 1; left > 0; round++) { // interleave the classes
                left = 0;
                for (int c = 0; c < counts.length; c++) {
                    if (round < counts[c]) {
                        labelList.add(c);
                        left++;
                    }
                }
            }
            for (int c = 0; c < counts.length; c++) {
                names.add("class" + c);
            }
            this.labels = labelList.stream().mapToInt(Integer::intValue).toArray();
            this.classes = List.copyOf(names);
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public Split split() {
            return Split.TRAIN;
        }

        @Override
        public List<String> classNames() {
            return classes;
        }

        @Override
        public int size() {
            return labels.length;
        }

        @Override
        public int label(int index) {
            return labels[index];
        }

        @Override
        public String id(int index) {
            return "s" + index;
        }

        @Override
        public Sample get(int index) {
            return new Sample(index, labels[index], classes.get(labels[index]), id(index),
                PointCloud.of(new float[] {index, 0, 0}));
        }
    }

    private static Set<String> ids(Dataset dataset) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < dataset.size(); i++) {
            ids.add(dataset.id(i));
        }
        return ids;
    }

    private static int[] perClass(Dataset dataset) {
        int[] counts = new int[dataset.classNames().size()];
        for (int label : dataset.labels()) {
            counts[label]++;
        }
        return counts;
    }

    @Test
    void holdOutIsStratifiedDisjointAndComplete() {
        FakeDataset base = new FakeDataset(10, 7, 1, 0, 25);
        HoldOut parts = Datasets.holdOut(base, 0.2, 42);
        // round(0.2·n) per class: 2, 1 (1.4), 0 (0.2), 0, 5
        assertArrayEquals(new int[] {2, 1, 0, 0, 5}, perClass(parts.validation()));
        assertArrayEquals(new int[] {8, 6, 1, 0, 20}, perClass(parts.train()));
        Set<String> train = ids(parts.train());
        Set<String> validation = ids(parts.validation());
        assertEquals(43, train.size() + validation.size());
        train.retainAll(validation);
        assertTrue(train.isEmpty(), "parts overlap");
        assertEquals(Split.TRAIN, parts.train().split());
        assertEquals(Split.VALIDATION, parts.validation().split());
        assertEquals(base.classNames(), parts.validation().classNames());
    }

    @Test
    void holdOutIsDeterministicPerSeed() {
        FakeDataset base = new FakeDataset(30, 30, 30);
        Set<String> a = ids(Datasets.holdOut(base, 0.3, 7).validation());
        assertEquals(a, ids(Datasets.holdOut(new FakeDataset(30, 30, 30), 0.3, 7).validation()));
        assertNotEquals(a, ids(Datasets.holdOut(base, 0.3, 8).validation()));
    }

    @Test
    void oneClassDrawDoesNotDependOnTheOthers() {
        // the other classes shift class 0's dataset indices, so compare positions among class 0's own members
        List<Integer> first = heldPositions(new FakeDataset(20, 5), 0);
        List<Integer> second = heldPositions(new FakeDataset(20, 50, 3), 0);
        assertEquals(first, second);
    }

    private static List<Integer> heldPositions(FakeDataset base, int cls) {
        HoldOut parts = Datasets.holdOut(base, 0.25, 11);
        List<Integer> members = new ArrayList<>();
        for (int i = 0; i < base.size(); i++) {
            if (base.label(i) == cls) {
                members.add(i);
            }
        }
        Set<String> held = ids(parts.validation());
        List<Integer> positions = new ArrayList<>();
        for (int k = 0; k < members.size(); k++) {
            if (held.contains("s" + members.get(k))) {
                positions.add(k);
            }
        }
        return positions;
    }

    @Test
    void subsetSamplesAreReindexedButKeepTheirIdsAndClouds() throws IOException {
        FakeDataset base = new FakeDataset(4, 4);
        Dataset validation = Datasets.holdOut(base, 0.5, 1).validation();
        int previous = -1;
        for (int i = 0; i < validation.size(); i++) {
            Sample s = validation.get(i);
            assertEquals(i, s.index());
            int original = Integer.parseInt(s.id().substring(1));
            assertTrue(original > previous, "original order kept");
            previous = original;
            assertEquals(original, s.cloud().x(0), 0);
            assertEquals(base.label(original), s.label());
        }
        assertEquals(validation.stream().map(Sample::id).collect(Collectors.toList()),
            List.of(validation.id(0), validation.id(1), validation.id(2), validation.id(3)));
    }

    @Test
    void fewShotTakesKPerClassOrAllOfASmallClass() {
        FakeDataset base = new FakeDataset(20, 3, 16);
        Dataset shots = Datasets.fewShot(base, 16, 5);
        assertArrayEquals(new int[] {16, 3, 16}, perClass(shots));
        assertEquals(ids(shots), ids(Datasets.fewShot(base, 16, 5)));
        assertNotEquals(ids(Datasets.fewShot(base, 4, 5)), ids(Datasets.fewShot(base, 4, 6)));
        assertThrows(IllegalArgumentException.class, () -> Datasets.fewShot(base, 0, 5));
    }

    /** Draws 4 shots from 40 classes of which only class0 has 4 samples (run in a child JVM to see its log). */
    static final class FewShotWarningMain {
        public static void main(String[] args) {
            int[] counts = new int[40];
            java.util.Arrays.fill(counts, 2);
            counts[0] = 8;
            System.out.println("size\t" + Datasets.fewShot(new FakeDataset(counts), 4, 1).size());
        }
    }

    @Test
    void classesShortOfShotsAreOneWarningLineWithACappedList() throws Exception {
        // slf4j-simple picks its stream once, so the log is read from a child JVM
        List<String> command = List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), FewShotWarningMain.class.getName());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(child.waitFor(2, java.util.concurrent.TimeUnit.MINUTES), "child JVM did not finish");
        assertEquals(0, child.exitValue(), text);
        assertTrue(text.contains("size\t" + (4 + 39 * 2)), text);
        List<String> warnings = text.lines().filter(l -> l.contains("shots asked for")).collect(Collectors.toList());
        assertEquals(1, warnings.size(), text);
        String w = warnings.get(0);
        assertTrue(w.contains("WARN") && w.contains("39 of 40 classes") && w.contains("4 shots"), w);
        assertTrue(w.contains("'class1' (2), 'class2' (2)") && w.contains("'class10' (2) and 29 more"), w);
        assertTrue(!w.contains("'class0'") && !w.contains("'class11'"), w);
    }

    @Test
    void subsetByIndices() throws IOException {
        FakeDataset base = new FakeDataset(5, 5);
        Dataset subset = Datasets.subset(base, new int[] {7, 2, 7, 0});
        assertEquals(3, subset.size());
        assertEquals(List.of("s0", "s2", "s7"), List.of(subset.id(0), subset.id(1), subset.id(2)));
        assertEquals(7f, subset.get(2).cloud().x(0), 0);
        assertThrows(IndexOutOfBoundsException.class, () -> Datasets.subset(base, new int[] {10}));
        assertThrows(IndexOutOfBoundsException.class, () -> subset.get(3));
    }

    @Test
    void badFractions() {
        FakeDataset base = new FakeDataset(3);
        for (double f : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> Datasets.holdOut(base, f, 0), "fraction " + f);
        }
    }
}
