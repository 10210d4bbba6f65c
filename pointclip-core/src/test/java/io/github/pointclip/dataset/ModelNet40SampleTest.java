package io.github.pointclip.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.io.NpyArray;
import io.github.pointclip.prompt.ClassNames;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real 87-shape ModelNet40 sample in the {@code modelnet40_ply_hdf5_2048} layout, read in place. */
class ModelNet40SampleTest {

    private static Path dir;
    private static Dataset test;

    @BeforeAll
    static void open() throws IOException {
        dir = SharedData.require("data/modelnet40-mini");
        test = Datasets.modelNet40(dir, Split.TEST);
    }

    @Test
    void sizeClassesAndNameAreKnownWithoutReadingClouds() {
        assertEquals(87, test.size());
        assertEquals(ClassNames.MODELNET40, test.classNames());
        assertEquals(Split.TEST, test.split());
        assertEquals("modelnet40/test", test.name());
    }

    @Test
    void idsAndLabelsAgreeWithTheId2FileNames() throws IOException {
        List<String> names = Files.readAllLines(dir.resolve("ply_data_test_0_id2file.txt"), StandardCharsets.UTF_8)
            .stream().map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toList());
        assertEquals(87, names.size());
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            assertEquals(name, test.id(i));
            // airplane_0126 belongs to class airplane: the label must point at the name's prefix
            String classOfName = name.replaceFirst("_\\d+$", "");
            assertEquals(classOfName, test.classNames().get(test.label(i)), "sample " + i);
        }
        Sample first = test.get(0);
        assertEquals(0, first.label());
        assertEquals("airplane", first.className());
        assertEquals("airplane_0126", first.id());
    }

    @Test
    void everySampleHas2048FinitePointsAndALabelInRange() {
        int[] perClass = new int[40];
        try (Stream<Sample> samples = test.stream()) {
            samples.forEach(s -> {
                assertEquals(2048, s.cloud().size(), s.id());
                assertTrue(s.label() >= 0 && s.label() < 40);
                perClass[s.label()]++;
                for (float v : s.cloud().bounds()) {
                    assertTrue(Math.abs(v) <= 1.0001f, s.id() + " lies outside the unit sphere");
                }
            });
        }
        assertEquals(87, java.util.Arrays.stream(perClass).sum());
        assertEquals(0, perClass[ClassNames.MODELNET40.indexOf("door")], "the sample has no door");
        assertEquals(6, perClass[ClassNames.MODELNET40.indexOf("sofa")]);
    }

    @Test
    void randomAccessEqualsStreaming() throws IOException {
        List<Sample> streamed;
        try (Stream<Sample> samples = test.stream()) {
            streamed = samples.collect(Collectors.toList());
        }
        assertEquals(87, streamed.size());
        // out of order and across the 64-sample block boundary
        int[] order = {86, 0, 64, 63, 65, 1, 40, 86, 12};
        for (int i : order) {
            assertEquals(streamed.get(i), test.get(i), "sample " + i);
        }
        List<Sample> iterated = new ArrayList<>();
        test.forEach(iterated::add);
        assertEquals(streamed, iterated);
    }

    /** The golden projection inputs are the first 1024 points of eight of these shapes, saved separately. */
    @Test
    void cloudsEqualTheGoldenFirst1024Points() throws IOException {
        String[] shapes = {"airplane_0126", "bench_0011", "chair_0391", "dresser_0122", "lamp_0127",
            "monitor_0489", "sofa_0034", "table_0330"};
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            ids.add(test.id(i));
        }
        for (String shape : shapes) {
            NpyArray golden = NpyArray.read(SharedData.require("golden/projection/mn40_" + shape + ".npy"));
            int index = ids.indexOf(shape);
            assertTrue(index >= 0, shape);
            PointCloud first = test.get(index).cloud().first(1024);
            assertArrayEquals(golden.data(), first.toArray(), shape);
        }
    }

    @Test
    void theTrainListIsMissingFromTheSample() {
        DatasetException e = org.junit.jupiter.api.Assertions.assertThrows(DatasetException.class,
            () -> Datasets.modelNet40(dir, Split.TRAIN));
        assertEquals(dir.resolve("train_files.txt"), e.path());
        assertTrue(e.getMessage().contains("train_files.txt"), e.getMessage());
    }

    @Test
    void holdOutOfTheRealSampleIsStratified() {
        HoldOut parts = Datasets.holdOut(test, 0.5, 3);
        int sofa = ClassNames.MODELNET40.indexOf("sofa");
        int vase = ClassNames.MODELNET40.indexOf("vase");
        // 6 sofas → 3 held out; 6 vases → 3; a single bathtub rounds to 0 or 1 (round(0.5) = 1)
        assertEquals(3, count(parts.validation(), sofa));
        assertEquals(3, count(parts.validation(), vase));
        assertEquals(3, count(parts.train(), sofa));
        assertEquals(87, parts.train().size() + parts.validation().size());
    }

    private static int count(Dataset dataset, int label) {
        int n = 0;
        for (int l : dataset.labels()) {
            n += l == label ? 1 : 0;
        }
        return n;
    }
}
