package io.github.pointclip.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.segmentation.ShapeNetPart;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ShapeNetPart's HDF5 layout, read from the synthetic shapenetpart-mini and from hand-made files. */
class PartDatasetTest {

    private static Path mini() {
        return SharedData.require("data/shapenetpart-mini");
    }

    /** shapes.json: what the generator put in each file, in order (category and points per local part). */
    private static List<JsonNode> described(String file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(mini().resolve("shapes.json").toFile());
        List<JsonNode> shapes = new ArrayList<>();
        root.get("files").get(file).forEach(shapes::add);
        return shapes;
    }

    private static void assertMatchesDescription(PartDataset dataset, String... files) throws IOException {
        List<JsonNode> expected = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (String f : files) {
            List<JsonNode> shapes = described(f);
            for (int i = 0; i < shapes.size(); i++) {
                expected.add(shapes.get(i));
                ids.add(f + "#" + i);
            }
        }
        assertEquals(expected.size(), dataset.size());
        for (int i = 0; i < dataset.size(); i++) {
            JsonNode want = expected.get(i);
            PartSample s = dataset.getParts(i);
            assertEquals(i, s.index());
            assertEquals(want.get("category").asText(), s.category().name(), "shape " + i);
            assertEquals(want.get("label").asInt(), dataset.label(i));
            assertEquals(ids.get(i), s.id());
            assertEquals(2048, s.cloud().size(), "every point is kept");
            int[] counts = new int[s.category().partCount()];
            for (int p : s.parts()) {
                counts[p]++;
            }
            int[] wantCounts = new int[want.get("local_part_counts").size()];
            for (int p = 0; p < wantCounts.length; p++) {
                wantCounts[p] = want.get("local_part_counts").get(p).asInt();
            }
            assertArrayEquals(wantCounts, counts, "points per local part of shape " + i + " (" + ids.get(i) + ")");
            int[] global = s.globalParts();
            for (int n = 0; n < global.length; n++) {
                assertEquals(s.category().firstPart() + s.part(n), global[n]);
            }
        }
    }

    @Test
    void testSplitIsTheListedFilesInOrder() throws IOException {
        PartDataset test = Datasets.shapeNetPart(mini(), Split.TEST);
        assertEquals("shapenetpart/test", test.name());
        assertEquals(ShapeNetPart.names(), test.classNames());
        assertMatchesDescription(test, "ply_data_test0.h5", "ply_data_test1.h5");
        assertEquals("lamp", test.category(17).name());
        // the classification view of the same shapes
        Sample s = test.get(4);
        assertEquals("chair", s.className());
        assertEquals(4, s.label());
        assertArrayEquals(test.getParts(4).cloud().toArray(), s.cloud().toArray());
    }

    @Test
    void trainAndValidationAreTheirOwnFiles() throws IOException {
        assertMatchesDescription(PartDataset.open(mini(), Split.TRAIN), "ply_data_train0.h5");
        assertMatchesDescription(PartDataset.open(mini(), Split.VALIDATION), "ply_data_val0.h5");
    }

    @Test
    void streamGivesWhatRandomAccessGives() throws IOException {
        PartDataset test = PartDataset.open(mini(), Split.TEST);
        List<PartSample> streamed;
        try (Stream<PartSample> s = test.partStream()) {
            streamed = s.collect(Collectors.toList());
        }
        assertEquals(test.size(), streamed.size());
        for (int i = test.size() - 1; i >= 0; i--) { // backwards: every get() crosses blocks and files
            PartSample direct = test.getParts(i);
            assertEquals(direct.id(), streamed.get(i).id());
            assertArrayEquals(direct.parts(), streamed.get(i).parts());
            assertArrayEquals(direct.cloud().toArray(), streamed.get(i).cloud().toArray());
        }
        assertEquals(test.size(), test.stream().count());
    }

    private static Path copyOfMini(Path dir, String... leaveOut) throws IOException {
        List<String> skip = List.of(leaveOut);
        try (Stream<Path> files = Files.list(mini())) {
            for (Path f : files.toList()) {
                if (!skip.contains(f.getFileName().toString())) {
                    Files.copy(f, dir.resolve(f.getFileName().toString()));
                }
            }
        }
        return dir;
    }

    @Test
    void withoutTheListTheSplitsFilesAreTakenByName(@TempDir Path dir) throws IOException {
        copyOfMini(dir, "test_hdf5_file_list.txt", "all_object_categories.txt", "catid_partid_to_overallid.json");
        assertMatchesDescription(PartDataset.open(dir, Split.TEST), "ply_data_test0.h5", "ply_data_test1.h5");
    }

    @Test
    void aCategoryTableThatDisagreesIsRefused(@TempDir Path dir) throws IOException {
        copyOfMini(dir);
        Path categories = dir.resolve("all_object_categories.txt");
        List<String> lines = Files.readAllLines(categories, StandardCharsets.UTF_8);
        String second = lines.get(1);
        lines.set(1, lines.get(2));
        lines.set(2, second);
        Files.write(categories, lines, StandardCharsets.UTF_8);
        DatasetException e = assertThrows(DatasetException.class, () -> PartDataset.open(dir, Split.TEST));
        assertEquals(categories + ": line 2: 'Cap\t02954340', expected category 1 to be bag (02773838)", e.getMessage());

        Path other = copyOfMini(Files.createDirectories(dir.resolve("other")));
        Path ids = other.resolve("catid_partid_to_overallid.json");
        String json = Files.readString(ids);
        assertTrue(json.contains("\"02954340_2\": 7"), "the release's id of cap part 2");
        Files.writeString(ids, json.replace("\"02954340_2\": 7", "\"02954340_2\": 8"));
        e = assertThrows(DatasetException.class, () -> PartDataset.open(other, Split.TEST));
        assertTrue(e.getMessage().endsWith("'02954340_2' is 8, expected 7 (cap part 1)"), e.getMessage());
    }

    @Test
    void aListedFileThatIsMissingIsNamedWithItsList(@TempDir Path dir) throws IOException {
        copyOfMini(dir, "ply_data_test1.h5");
        DatasetException e = assertThrows(DatasetException.class, () -> PartDataset.open(dir, Split.TEST));
        assertTrue(e.getMessage().startsWith(dir.resolve("ply_data_test1.h5") + ": h5 file not found"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(named in " + dir.resolve("test_hdf5_file_list.txt") + ")"), e.getMessage());
    }

    private static Path writePartFile(Path file, int[][] pid) throws IOException {
        Map<String, Object> datasets = new LinkedHashMap<>();
        datasets.put("data", H5Fixtures.clouds(1, 2, 4));
        datasets.put("label", new int[][] {{4}, {15}}); // chair (parts 12..15), table (47..49)
        datasets.put("pid", pid);
        return H5Fixtures.write(file, datasets);
    }

    @Test
    void partIdsAreCheckedAgainstTheShapesCategory(@TempDir Path dir) throws IOException {
        writePartFile(dir.resolve("ply_data_test0.h5"), new int[][] {{12, 13, 14, 15}, {47, 48, 12, 49}});
        PartDataset dataset = PartDataset.open(dir, Split.TEST);
        assertArrayEquals(new int[] {0, 1, 2, 3}, dataset.getParts(0).parts());
        assertArrayEquals(H5Fixtures.expected(1, 0, 4), dataset.getParts(0).cloud().toArray());
        DatasetException e = assertThrows(DatasetException.class, () -> dataset.getParts(1));
        assertEquals(dir.resolve("ply_data_test0.h5") + ": sample 1 (table): point 2 has part id 12, not one of table's "
            + "parts 47..49", e.getMessage());
        UncheckedIOException streamed = assertThrows(UncheckedIOException.class,
            () -> dataset.partStream().forEach(s -> { }));
        assertTrue(streamed.getCause() instanceof DatasetException);
    }

    @Test
    void partIdsOfTheWrongShapeAreRefusedOnOpening(@TempDir Path dir) throws IOException {
        Path file = writePartFile(dir.resolve("ply_data_test0.h5"), new int[][] {{12, 13, 14}, {47, 48, 49}});
        DatasetException e = assertThrows(DatasetException.class, () -> PartDataset.open(dir, Split.TEST));
        assertEquals(file + ": 'pid' has shape [2, 3], expected [2, 4] (one label per point of 'data')", e.getMessage());
        Map<String, Object> noPid = new LinkedHashMap<>();
        noPid.put("data", H5Fixtures.clouds(1, 2, 4));
        noPid.put("label", new int[][] {{4}, {15}});
        H5Fixtures.write(file, noPid);
        e = assertThrows(DatasetException.class, () -> PartDataset.open(dir, Split.TEST));
        assertTrue(e.getMessage().startsWith(file + ": no 'pid' dataset at the root"), e.getMessage());
    }

    @Test
    void aDirectoryWithoutTheSplitSaysWhatWasLookedFor(@TempDir Path dir) {
        DatasetException e = assertThrows(DatasetException.class, () -> PartDataset.open(dir, Split.TEST));
        assertEquals(dir + ": no test_hdf5_file_list.txt and no ply_data_test*.h5 in the ShapeNetPart directory",
            e.getMessage());
    }
}
