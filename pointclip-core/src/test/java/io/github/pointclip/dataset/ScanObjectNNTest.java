package io.github.pointclip.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.prompt.ClassNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three ScanObjectNN variants in the release's {@code h5_files} layout, written with jHDF. */
class ScanObjectNNTest {

    private static final int POINTS = 5;

    @TempDir
    Path root;

    /** Each file gets its own tag and size, so reading the wrong file cannot go unnoticed. */
    @BeforeEach
    void writeRelease() throws IOException {
        write("main_split_nobg/training_objectdataset.h5", 1, 7);
        write("main_split_nobg/test_objectdataset.h5", 2, 3);
        write("main_split/training_objectdataset.h5", 3, 8);
        write("main_split/test_objectdataset.h5", 4, 4);
        write("main_split/training_objectdataset_augmentedrot_scale75.h5", 5, 130);
        write("main_split/test_objectdataset_augmentedrot_scale75.h5", 6, 6);
    }

    private void write(String relative, int tag, int count) throws IOException {
        // the release stores label as [N]; ScanObjectNN has 15 classes
        H5Fixtures.write(root.resolve(relative), H5Fixtures.clouds(tag, count, POINTS),
            H5Fixtures.cyclicLabels(count, 15));
    }

    @Test
    void eachVariantAndSplitReadsItsOwnFile() throws IOException {
        Object[][] cases = {
            {ScanObjectNNVariant.OBJ_ONLY, Split.TRAIN, 1, 7}, {ScanObjectNNVariant.OBJ_ONLY, Split.TEST, 2, 3},
            {ScanObjectNNVariant.OBJ_BG, Split.TRAIN, 3, 8}, {ScanObjectNNVariant.OBJ_BG, Split.TEST, 4, 4},
            {ScanObjectNNVariant.PB_T50_RS, Split.TRAIN, 5, 130}, {ScanObjectNNVariant.PB_T50_RS, Split.TEST, 6, 6},
        };
        for (Object[] c : cases) {
            ScanObjectNNVariant variant = (ScanObjectNNVariant) c[0];
            Split split = (Split) c[1];
            int tag = (int) c[2];
            int count = (int) c[3];
            Dataset dataset = Datasets.scanObjectNN(root, variant, split);
            assertEquals(count, dataset.size(), variant + " " + split);
            assertEquals(ClassNames.SCANOBJECTNN, dataset.classNames());
            assertEquals(split, dataset.split());
            Sample last = dataset.get(count - 1);
            assertArrayEquals(H5Fixtures.expected(tag, count - 1, POINTS), last.cloud().toArray(), variant + " " + split);
            assertEquals((count - 1) % 15, last.label());
            assertEquals(ClassNames.SCANOBJECTNN.get((count - 1) % 15), last.className());
        }
    }

    @Test
    void everySampleOfAMultiBlockFileRoundTrips() throws IOException {
        Dataset dataset = Datasets.scanObjectNN(root, ScanObjectNNVariant.PB_T50_RS, Split.TRAIN);
        List<Sample> streamed;
        try (Stream<Sample> samples = dataset.stream()) {
            streamed = samples.collect(Collectors.toList());
        }
        assertEquals(130, streamed.size());
        for (int i = 0; i < 130; i++) {
            Sample s = streamed.get(i);
            assertEquals(i, s.index());
            assertEquals(i % 15, s.label());
            assertEquals("training_objectdataset_augmentedrot_scale75.h5#" + i, s.id());
            assertArrayEquals(H5Fixtures.expected(5, i, POINTS), s.cloud().toArray(), "sample " + i);
        }
        for (int i : new int[] {129, 0, 64, 63, 128, 127, 1}) { // across the 64-sample blocks, out of order
            assertEquals(streamed.get(i), dataset.get(i));
        }
    }

    @Test
    void theVariantFolderItselfMayBeGiven() throws IOException {
        Dataset dataset = Datasets.scanObjectNN(root.resolve("main_split_nobg"), ScanObjectNNVariant.OBJ_ONLY, Split.TEST);
        assertEquals(3, dataset.size());
        assertArrayEquals(H5Fixtures.expected(2, 0, POINTS), dataset.get(0).cloud().toArray());
    }

    @Test
    void theFolderOfAnotherVariantIsRefused() {
        // OBJ_ONLY and OBJ_BG share file names; reading main_split for OBJ_ONLY would silently use OBJ_BG
        DatasetException e = assertThrows(DatasetException.class,
            () -> Datasets.scanObjectNN(root.resolve("main_split"), ScanObjectNNVariant.OBJ_ONLY, Split.TEST));
        assertTrue(e.reason().contains("main_split_nobg"), e.getMessage());
    }

    @Test
    void aMissingFileIsNamed() throws IOException {
        Files.delete(root.resolve("main_split/test_objectdataset_augmentedrot_scale75.h5"));
        DatasetException e = assertThrows(DatasetException.class,
            () -> Datasets.scanObjectNN(root, ScanObjectNNVariant.PB_T50_RS, Split.TEST));
        assertEquals(root.resolve("main_split/test_objectdataset_augmentedrot_scale75.h5"), e.path());
    }

    @Test
    void thereIsNoValidationSplit() {
        assertThrows(IllegalArgumentException.class,
            () -> Datasets.scanObjectNN(root, ScanObjectNNVariant.OBJ_BG, Split.VALIDATION));
    }

    @Test
    void labelsAsBytesAndAsColumnAreAccepted() throws IOException {
        Path dir = root.resolve("other");
        H5Fixtures.write(dir.resolve("test_objectdataset.h5"), H5Fixtures.clouds(9, 3, POINTS), new byte[] {14, 0, 7});
        Dataset bytes = Datasets.scanObjectNN(dir, ScanObjectNNVariant.OBJ_BG, Split.TEST);
        assertArrayEquals(new int[] {14, 0, 7}, bytes.labels());
        H5Fixtures.write(dir.resolve("training_objectdataset.h5"), H5Fixtures.clouds(9, 2, POINTS),
            new int[][] {{3}, {11}});
        assertArrayEquals(new int[] {3, 11}, Datasets.scanObjectNN(dir, ScanObjectNNVariant.OBJ_BG, Split.TRAIN).labels());
    }
}
