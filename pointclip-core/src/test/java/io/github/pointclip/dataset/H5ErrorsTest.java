package io.github.pointclip.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.prompt.ClassNames;
import io.jhdf.api.DatasetCreationOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ModelNet40 h5 layout with written files: several parts, id lists, and every kind of broken input. */
class H5ErrorsTest {

    private static final int POINTS = 4;

    @TempDir
    Path dir;

    @BeforeEach
    void writeShapeNames() throws IOException {
        H5Fixtures.text(dir.resolve("shape_names.txt"), String.join("\n", ClassNames.MODELNET40) + "\n");
    }

    private Path h5(String name, Object data, Object label) throws IOException {
        return H5Fixtures.write(dir.resolve(name), data, label);
    }

    private void testList(String... lines) throws IOException {
        H5Fixtures.text(dir.resolve("test_files.txt"), String.join("\n", lines) + "\n");
    }

    private DatasetException openFails() {
        return assertThrows(DatasetException.class, () -> Datasets.modelNet40(dir, Split.TEST));
    }

    @Test
    void partsAreConcatenatedInListOrderWithTheirIdLists() throws IOException {
        h5("ply_data_test0.h5", H5Fixtures.clouds(1, 70, POINTS), H5Fixtures.cyclicLabels(70, 40));
        h5("ply_data_test1.h5", H5Fixtures.clouds(2, 3, POINTS), new int[][] {{39}, {7}, {0}});
        H5Fixtures.text(dir.resolve("ply_data_test_1_id2file.json"),
            "[\"xbox/xbox_0001.ply\", \"car/car_0002.ply\", \"airplane/airplane_0003.ply\"]");
        // the release lists paths relative to its parent folder
        testList("data/modelnet40_ply_hdf5_2048/ply_data_test0.h5", "", "data/modelnet40_ply_hdf5_2048/ply_data_test1.h5");
        Dataset dataset = Datasets.modelNet40(dir, Split.TEST);
        assertEquals(73, dataset.size());
        assertEquals("ply_data_test0.h5#69", dataset.id(69));
        assertEquals("xbox/xbox_0001.ply", dataset.id(70));
        assertEquals("airplane/airplane_0003.ply", dataset.id(72));
        assertEquals(69 % 40, dataset.label(69));
        assertEquals(39, dataset.label(70));
        Sample s = dataset.get(71);
        assertEquals("car", s.className());
        assertArrayEquals(H5Fixtures.expected(2, 1, POINTS), s.cloud().toArray());
        assertArrayEquals(H5Fixtures.expected(1, 65, POINTS), dataset.get(65).cloud().toArray());
        try (Stream<Sample> samples = dataset.stream()) {
            assertEquals(Arrays.asList(0, 1, 2), samples.skip(70).map(x -> x.index() - 70).collect(
                java.util.stream.Collectors.toList()));
        }
    }

    @Test
    void cloudsAreReadLazilyAndOneBlockIsCached() throws IOException {
        Path file = h5("ply_data_test0.h5", H5Fixtures.clouds(1, 100, POINTS), H5Fixtures.cyclicLabels(100, 40));
        testList("ply_data_test0.h5");
        Dataset dataset = Datasets.modelNet40(dir, Split.TEST);
        dataset.get(0); // reads samples 0..63
        Files.delete(file);
        assertArrayEquals(H5Fixtures.expected(1, 63, POINTS), dataset.get(63).cloud().toArray());
        assertEquals(100, dataset.size());
        assertEquals(99 % 40, dataset.label(99)); // labels were read when the dataset was opened
        DatasetException e = assertThrows(DatasetException.class, () -> dataset.get(64));
        assertEquals(file, e.path());
    }

    @Test
    void aMissingListedFileNamesTheList() throws IOException {
        testList("data/modelnet40_ply_hdf5_2048/ply_data_test7.h5");
        DatasetException e = openFails();
        assertEquals(dir.resolve("ply_data_test7.h5"), e.path());
        assertEquals(dir.resolve("test_files.txt"), e.namedBy().orElseThrow());
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void missingDirectoryAndClassList() throws IOException {
        DatasetException noDir = assertThrows(DatasetException.class,
            () -> Datasets.modelNet40(dir.resolve("nowhere"), Split.TEST));
        assertEquals(dir.resolve("nowhere"), noDir.path());
        Files.delete(dir.resolve("shape_names.txt"));
        testList("ply_data_test0.h5");
        assertEquals(dir.resolve("shape_names.txt"), openFails().path());
    }

    @Test
    void dataAndLabelOfDifferentLengths() throws IOException {
        Path file = h5("ply_data_test0.h5", H5Fixtures.clouds(1, 3, POINTS), new int[] {0, 1});
        testList("ply_data_test0.h5");
        DatasetException e = openFails();
        assertEquals(file, e.path());
        assertTrue(e.reason().contains("3 samples") && e.reason().contains("2"), e.getMessage());
    }

    @Test
    void labelsOutsideTheClassList() throws IOException {
        Path file = h5("ply_data_test0.h5", H5Fixtures.clouds(1, 3, POINTS), new int[] {0, 40, 1});
        testList("ply_data_test0.h5");
        DatasetException e = openFails();
        assertEquals(file, e.path());
        assertTrue(e.reason().contains("label 40 of sample 1"), e.getMessage());
        h5("ply_data_test0.h5", H5Fixtures.clouds(1, 2, POINTS), new byte[] {0, -1});
        assertTrue(openFails().reason().contains("label -1 of sample 1"));
    }

    @Test
    void dataThatIsNotNByPBy3() throws IOException {
        testList("ply_data_test0.h5");
        h5("ply_data_test0.h5", new float[][][] {{{1, 2}, {3, 4}}}, new int[] {0});
        assertTrue(openFails().reason().contains("[1, 2, 2]"));
        h5("ply_data_test0.h5", new float[][] {{1, 2, 3}}, new int[] {0});
        assertTrue(openFails().reason().contains("[1, 3]"));
        h5("ply_data_test0.h5", new int[][][] {{{1, 2, 3}}}, new int[] {0});
        assertTrue(openFails().reason().contains("int"));
        h5("ply_data_test0.h5", H5Fixtures.clouds(1, 2, POINTS), new int[][] {{0, 1}, {1, 0}});
        assertTrue(openFails().reason().contains("'label' has shape [2, 2]"));
    }

    @Test
    void aMissingLabelDataset() throws IOException {
        H5Fixtures.write(dir.resolve("ply_data_test0.h5"), Map.of("data", H5Fixtures.clouds(1, 2, POINTS)));
        testList("ply_data_test0.h5");
        assertTrue(openFails().reason().contains("no 'label' dataset"));
    }

    @Test
    void chunkedCompressedDataAndUint8LabelsAsInTheRelease() throws IOException {
        DatasetCreationOptions chunked = DatasetCreationOptions.builder().chunkDimensions(16, POINTS, 3).deflate().build();
        DatasetCreationOptions uint8 = DatasetCreationOptions.builder().unsigned().build();
        byte[] labels = new byte[70];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) (39 - i % 40);
        }
        H5Fixtures.write(dir.resolve("ply_data_test0.h5"), H5Fixtures.clouds(3, 70, POINTS), chunked,
            labels, uint8);
        testList("ply_data_test0.h5");
        Dataset dataset = Datasets.modelNet40(dir, Split.TEST);
        assertEquals(70, dataset.size());
        try (Stream<Sample> samples = dataset.stream()) {
            samples.forEach(s -> {
                assertArrayEquals(H5Fixtures.expected(3, s.index(), POINTS), s.cloud().toArray(), "sample " + s.index());
                assertEquals(39 - s.index() % 40, s.label());
            });
        }
        // 200 as uint8 is a label, not -56, and it is out of range
        H5Fixtures.write(dir.resolve("ply_data_test0.h5"), H5Fixtures.clouds(3, 2, POINTS),
            DatasetCreationOptions.DEFAULT, new byte[] {1, (byte) 200}, uint8);
        assertTrue(openFails().reason().contains("label 200 of sample 1"), "uint8 read as signed");
    }

    @Test
    void float64DataIsNarrowed() throws IOException {
        h5("ply_data_test0.h5", new double[][][] {{{0.5, -1.25, 3}, {1, 2, 4}}}, new int[] {8});
        testList("ply_data_test0.h5");
        Sample s = Datasets.modelNet40(dir, Split.TEST).get(0);
        assertArrayEquals(new float[] {0.5f, -1.25f, 3, 1, 2, 4}, s.cloud().toArray());
        assertEquals("chair", s.className());
    }

    @Test
    void aNonFiniteCoordinateNamesFileAndSample() throws IOException {
        float[][][] data = H5Fixtures.clouds(1, 3, POINTS);
        data[2][1][0] = Float.NaN;
        Path file = h5("ply_data_test0.h5", data, new int[] {0, 1, 2});
        testList("ply_data_test0.h5");
        Dataset dataset = Datasets.modelNet40(dir, Split.TEST);
        DatasetException e = assertThrows(DatasetException.class, () -> dataset.get(2));
        assertEquals(file, e.path());
        assertTrue(e.reason().contains("sample 2") && e.reason().contains("point 1"), e.getMessage());
        try (Stream<Sample> samples = dataset.stream()) {
            UncheckedIOException u = assertThrows(UncheckedIOException.class, () -> samples.forEach(x -> { }));
            assertTrue(u.getCause() instanceof DatasetException);
        }
    }

    @Test
    void anIdListOfTheWrongLength() throws IOException {
        h5("ply_data_test0.h5", H5Fixtures.clouds(1, 3, POINTS), new int[] {0, 1, 2});
        Path ids = H5Fixtures.text(dir.resolve("ply_data_test_0_id2file.txt"), "airplane_0001\nbathtub_0002\n");
        testList("ply_data_test0.h5");
        DatasetException e = openFails();
        assertEquals(ids, e.path());
        assertTrue(e.reason().contains("2 ids") && e.reason().contains("3 samples"), e.getMessage());
    }

    @Test
    void aMalformedJsonIdListIsOneLineWithLineAndColumn() throws IOException {
        h5("ply_data_test0.h5", H5Fixtures.clouds(1, 2, POINTS), new int[] {0, 1});
        Path ids = H5Fixtures.text(dir.resolve("ply_data_test_0_id2file.json"),
            "[\"airplane/airplane_0001.ply\",\n \"bathtub/bathtub_0002.ply\"\n");
        testList("ply_data_test0.h5");
        DatasetException e = openFails();
        assertEquals(ids, e.path());
        String m = e.getMessage();
        assertTrue(m.startsWith(ids + ": not a JSON array of names: line 3, column 1: "), m);
        assertTrue(m.contains("line 1, column 1"), m); // where the array that is not closed starts
        assertFalse(m.contains("\n") || m.contains("REDACTED") || m.contains("Source:"), m);
    }

    @Test
    void notAnHdf5File() throws IOException {
        Path file = H5Fixtures.text(dir.resolve("ply_data_test0.h5"), "this is not HDF5\n".repeat(100));
        testList("ply_data_test0.h5");
        DatasetException e = openFails();
        assertEquals(file, e.path());
        assertTrue(e.reason().startsWith("unreadable HDF5 file"), e.getMessage());
    }

    @Test
    void truncatedFilesFailWithTheFileName() throws IOException {
        Path file = h5("ply_data_test0.h5", H5Fixtures.clouds(1, 40, 64), H5Fixtures.cyclicLabels(40, 40));
        testList("ply_data_test0.h5");
        byte[] whole = Files.readAllBytes(file);
        for (int keep : new int[] {whole.length / 2, whole.length - 100, 1000, 100}) {
            Files.write(file, Arrays.copyOf(whole, keep));
            DatasetException e = assertThrows(DatasetException.class, () -> {
                Dataset dataset = Datasets.modelNet40(dir, Split.TEST);
                try (Stream<Sample> samples = dataset.stream()) {
                    samples.forEach(x -> { });
                } catch (UncheckedIOException u) {
                    throw u.getCause();
                }
            }, "truncated to " + keep + " bytes");
            assertEquals(file, e.path());
        }
    }

    /** Replaces every run of the little-endian 64-bit values {@code from} with {@code to}; returns how many. */
    private static int patchDims(Path file, long[] from, long[] to) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        java.nio.ByteBuffer pattern = java.nio.ByteBuffer.allocate(8 * from.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        java.nio.ByteBuffer replacement = java.nio.ByteBuffer.allocate(8 * to.length)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < from.length; i++) {
            pattern.putLong(from[i]);
            replacement.putLong(to[i]);
        }
        // jHDF writes version-2 object headers ("OHDR" ... checksum): find where each one's checksum is
        java.util.List<int[]> checksummed = new java.util.ArrayList<>();
        for (int start = 0; start + 4 <= bytes.length; start++) {
            if (bytes[start] == 'O' && bytes[start + 1] == 'H' && bytes[start + 2] == 'D' && bytes[start + 3] == 'R') {
                for (int end = start + 8; end + 4 <= bytes.length && end < start + 65536; end++) {
                    if (readIntLe(bytes, end) == checksum(bytes, start, end)) {
                        checksummed.add(new int[] {start, end});
                        break;
                    }
                }
            }
        }
        int found = 0;
        for (int at = 0; at + pattern.capacity() <= bytes.length; at++) {
            if (Arrays.equals(bytes, at, at + pattern.capacity(), pattern.array(), 0, pattern.capacity())) {
                System.arraycopy(replacement.array(), 0, bytes, at, replacement.capacity());
                found++;
            }
        }
        for (int[] range : checksummed) {
            int sum = checksum(bytes, range[0], range[1]);
            for (int k = 0; k < 4; k++) {
                bytes[range[1] + k] = (byte) (sum >>> 8 * k);
            }
        }
        Files.write(file, bytes);
        return found;
    }

    private static int readIntLe(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    private static int checksum(byte[] b, int from, int to) {
        return io.jhdf.checksum.ChecksumUtils.checksum(Arrays.copyOfRange(b, from, to));
    }

    @Test
    void declaredShapesLargerThanTheFileAreRejectedBeforeAnyAllocation() throws IOException {
        // chunked, compressed data whose header claims 10^8 points per cloud: 6 GB from a few KB
        DatasetCreationOptions chunked = DatasetCreationOptions.builder().chunkDimensions(5, 7, 3).deflate().build();
        Path file = H5Fixtures.write(dir.resolve("ply_data_test0.h5"), H5Fixtures.clouds(1, 5, 7), chunked,
            new int[] {0, 1, 2, 3, 4}, DatasetCreationOptions.DEFAULT);
        testList("ply_data_test0.h5");
        assertTrue(patchDims(file, new long[] {5, 7, 3}, new long[] {5, 100_000_000, 3}) > 0);
        DatasetException e = assertThrows(DatasetException.class, () -> {
            Dataset dataset = Datasets.modelNet40(dir, Split.TEST);
            dataset.get(0);
        });
        assertEquals(file, e.path());
        assertTrue(e.reason().contains("'data' declares shape [5, 100000000, 3]")
            && e.reason().contains("even compressed"), e.getMessage());

        // contiguous data and labels whose sample count is beyond any array
        h5("ply_data_test0.h5", H5Fixtures.clouds(1, 5, 7), new int[] {0, 1, 2, 3, 4});
        assertTrue(patchDims(file, new long[] {5, 7, 3}, new long[] {1L << 40, 7, 3}) > 0);
        e = assertThrows(DatasetException.class, () -> Datasets.modelNet40(dir, Split.TEST));
        assertTrue(e.reason().contains("negative or too large") || e.reason().startsWith("unreadable HDF5 file"),
            e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aCorruptObjectHeaderSizeIsAnErrorNotAnAllocation() throws Exception {
        // byte 73 of this file is inside the root group's object header size: jHDF read through a
        // file channel allocated a heap buffer of the corrupt size (the reader fuzzer found it)
        Path file = H5Fixtures.write(dir.resolve("ply_data_test0.h5"), H5Fixtures.clouds(1, 4, 16),
            DatasetCreationOptions.DEFAULT, new int[] {0, 7, 39, 2}, DatasetCreationOptions.DEFAULT);
        testList("ply_data_test0.h5");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
            H5CorruptionMain.class.getName(), dir.toString(), file.toString(), "73")
            .redirectErrorStream(true)
            .start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(2, TimeUnit.MINUTES), output);
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.lines().noneMatch(l -> l.contains("BAD")), output);
        long rejected = output.lines().filter(l -> l.endsWith("\trejected")).count();
        assertEquals(256, output.lines().filter(l -> l.matches("\\d+\t.*")).count(), output);
        assertTrue(rejected > 0, "no corrupt value was detected");
    }
}
