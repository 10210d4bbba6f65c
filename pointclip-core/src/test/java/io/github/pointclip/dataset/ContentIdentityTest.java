package io.github.pointclip.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.io.ReadOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Dataset#contentIdentity(int)}: by place and content, never by name. */
class ContentIdentityTest {

    private static final int POINTS = 16;

    private static Path scanObjectNN(Path root, int tag) throws IOException {
        H5Fixtures.write(root.resolve("main_split/test_objectdataset_augmentedrot_scale75.h5"),
            H5Fixtures.clouds(tag, 5, POINTS), H5Fixtures.cyclicLabels(5, 15));
        return root;
    }

    @Test
    void h5SamplesAreIdentifiedByFileAndRow(@TempDir Path tmp) throws IOException {
        Dataset a = Datasets.scanObjectNN(scanObjectNN(tmp.resolve("a/h5_files"), 1), ScanObjectNNVariant.PB_T50_RS,
            Split.TEST);
        Dataset b = Datasets.scanObjectNN(scanObjectNN(tmp.resolve("b/h5_files"), 1), ScanObjectNNVariant.PB_T50_RS,
            Split.TEST);
        assertEquals(a.name(), b.name());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < a.size(); i++) {
            assertTrue(seen.add(a.contentIdentity(i)), "rows of one file differ");
            assertTrue(seen.add(b.contentIdentity(i)), "the same bytes in another place are another identity");
            assertTrue(a.contentIdentity(i).endsWith("|/data|row=" + i), a.contentIdentity(i));
        }
        Dataset again = Datasets.scanObjectNN(tmp.resolve("a/h5_files"), ScanObjectNNVariant.PB_T50_RS, Split.TEST);
        assertEquals(a.contentIdentity(3), again.contentIdentity(3), "stable while the file is unchanged");

        String beforeRewrite = a.contentIdentity(3);
        Path file = tmp.resolve("a/h5_files/main_split/test_objectdataset_augmentedrot_scale75.h5");
        FileTime before = Files.getLastModifiedTime(file);
        scanObjectNN(tmp.resolve("a/h5_files"), 2); // rewritten in place, same size
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 5000));
        assertNotEquals(beforeRewrite, a.contentIdentity(3), "a rewritten file is another identity");
    }

    @Test
    void folderSamplesAreIdentifiedByFileAndReadOptionsAndSubsetsKeepThem(@TempDir Path tmp) throws IOException {
        for (String root : new String[] {"a/shapes", "b/shapes"}) {
            for (String c : new String[] {"cup", "mug"}) {
                Files.createDirectories(tmp.resolve(root).resolve(c));
                Files.writeString(tmp.resolve(root).resolve(c).resolve("s.xyz"), "0 0 0\n1 1 1\n");
            }
        }
        Dataset a = Datasets.folder(tmp.resolve("a/shapes"), Split.TEST);
        Dataset b = Datasets.folder(tmp.resolve("b/shapes"), Split.TEST);
        assertEquals(a.id(1), b.id(1));
        assertNotEquals(a.contentIdentity(1), b.contentIdentity(1), "same name and id, other file");
        assertNotEquals(a.contentIdentity(0), a.contentIdentity(1));
        Dataset sampled = Datasets.folder(tmp.resolve("a/shapes"), Split.TEST,
            ReadOptions.builder().samplePoints(64).seed(3).build());
        assertNotEquals(a.contentIdentity(1), sampled.contentIdentity(1), "mesh sampling settings change the cloud");
        assertEquals(a.contentIdentity(1), Datasets.subset(a, new int[] {1}).contentIdentity(0));
        Dataset shots = Datasets.fewShot(a, 1, 1);
        assertEquals(a.contentIdentity(0), shots.contentIdentity(0));
        assertEquals(a.contentIdentity(1), shots.contentIdentity(1));

        Files.delete(tmp.resolve("a/shapes/mug/s.xyz"));
        DatasetException e = assertThrows(DatasetException.class, () -> a.contentIdentity(1));
        assertTrue(e.getMessage().contains("s.xyz"), e.getMessage());
    }
}
