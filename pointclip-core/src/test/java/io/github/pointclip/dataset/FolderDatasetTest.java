package io.github.pointclip.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.io.PointCloudFormatException;
import io.github.pointclip.io.ReadOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folder-per-class layouts with small .txt and .off files written here. */
class FolderDatasetTest {

    @TempDir
    Path root;

    /** A ModelNet resampled line: x,y,z,nx,ny,nz; the point is (k, k+0.5, -k). */
    private static String resampled(int... ks) {
        StringBuilder sb = new StringBuilder();
        for (int k : ks) {
            sb.append(k).append(',').append(k + 0.5).append(',').append(-k).append(",0.0,0.0,1.0\n");
        }
        return sb.toString();
    }

    /** A tetrahedron with vertices (0,0,0), (1,0,0), (0,1,0), (0,0,1), scaled by s. */
    private static String tetrahedron(int s) {
        return "OFF\n4 4 0\n0 0 0\n" + s + " 0 0\n0 " + s + " 0\n0 0 " + s + "\n"
            + "3 0 1 2\n3 0 1 3\n3 0 2 3\n3 1 2 3\n";
    }

    private void file(String relative, String content) throws IOException {
        H5Fixtures.text(root.resolve(relative), content);
    }

    @Test
    void splitFoldersAsInTheOriginalModelNet40() throws IOException {
        file("chair/train/chair_0002.txt", resampled(2, 3));
        file("chair/train/chair_0001.txt", resampled(1));
        file("chair/test/chair_0900.txt", resampled(9));
        file("airplane/train/airplane_0001.off", tetrahedron(2));
        file("airplane/test/airplane_0700.off", tetrahedron(3));
        file("airplane/train/README.md", "not a point file");
        file(".cache/junk/x.txt", resampled(0)); // hidden folders are not classes

        Dataset train = Datasets.folder(root, Split.TRAIN, ReadOptions.defaults());
        assertEquals(List.of("airplane", "chair"), train.classNames());
        assertEquals(3, train.size());
        assertEquals(List.of("airplane/train/airplane_0001.off", "chair/train/chair_0001.txt",
            "chair/train/chair_0002.txt"), ids(train));
        assertArrayEquals(new int[] {0, 1, 1}, train.labels());
        assertEquals(Split.TRAIN, train.split());

        Sample chair2 = train.get(2);
        assertEquals("chair", chair2.className());
        assertArrayEquals(new float[] {2, 2.5f, -2, 3, 3.5f, -3}, chair2.cloud().toArray());
        // a mesh is sampled on its surface with the default 1024 points (x, y, z >= 0 and a face of the tetrahedron)
        PointCloud mesh = train.get(0).cloud();
        assertEquals(ReadOptions.DEFAULT_MESH_POINTS, mesh.size());
        for (int i = 0; i < mesh.size(); i++) {
            float x = mesh.x(i);
            float y = mesh.y(i);
            float z = mesh.z(i);
            assertTrue(x >= 0 && y >= 0 && z >= 0 && (x == 0 || y == 0 || z == 0 || Math.abs(x + y + z - 2) < 1e-5),
                "point " + i + " is off the surface");
        }

        Dataset test = Datasets.folder(root, Split.TEST);
        assertEquals(List.of("airplane/test/airplane_0700.off", "chair/test/chair_0900.txt"), ids(test));
        List<Sample> streamed;
        try (Stream<Sample> samples = test.stream()) {
            streamed = samples.collect(Collectors.toList());
        }
        assertEquals(List.of(test.get(0), test.get(1)), streamed);
    }

    @Test
    void meshesCanBeSampledThroughReadOptions() throws IOException {
        file("cone/cone_0001.off", tetrahedron(1));
        Dataset dataset = Datasets.folder(root, Split.TEST, ReadOptions.builder().samplePoints(100).seed(1).build());
        float[] xyz = dataset.get(0).cloud().toArray();
        assertEquals(300, xyz.length);
        for (int i = 0; i < 100; i++) { // every sample lies on the tetrahedron's surface: inside and on a face
            float x = xyz[3 * i];
            float y = xyz[3 * i + 1];
            float z = xyz[3 * i + 2];
            assertTrue(x >= -1e-6 && y >= -1e-6 && z >= -1e-6 && x + y + z <= 1 + 1e-5);
            assertTrue(Math.min(Math.min(x, y), Math.min(z, 1 - x - y - z)) <= 1e-5);
        }
    }

    @Test
    void aFlatFolderIsItsTestSplitOnly() throws IOException {
        file("b/one.txt", resampled(1));
        file("a/two.txt", resampled(2));
        file("a/three.txt", resampled(3));
        Dataset dataset = Datasets.folder(root, Split.TEST);
        assertEquals(List.of("a/three.txt", "a/two.txt", "b/one.txt"), ids(dataset));
        assertArrayEquals(new int[] {0, 0, 1}, dataset.labels());
        assertEquals(Split.TEST, dataset.split());
        // serving the same files as train would let a few-shot run train on what eval scores
        for (Split other : new Split[] {Split.TRAIN, Split.VALIDATION}) {
            DatasetException e = assertThrows(DatasetException.class, () -> Datasets.folder(root, other));
            assertEquals(root, e.path());
            assertTrue(e.reason().contains("has no " + other.folderName() + "/ folder")
                && e.reason().contains("test split") && !e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void theResampledReleaseSelectsShapesThroughItsSplitLists() throws IOException {
        Path release = root.resolve("modelnet40_normal_resampled");
        H5Fixtures.text(release.resolve("airplane/airplane_0001.txt"), resampled(1));
        H5Fixtures.text(release.resolve("airplane/airplane_0627.txt"), resampled(627));
        H5Fixtures.text(release.resolve("bed/bed_0001.txt"), resampled(11));
        H5Fixtures.text(release.resolve("modelnet40_train.txt"), "bed_0001\nairplane_0001\n");
        H5Fixtures.text(release.resolve("modelnet40_test.txt"), "airplane_0627\n");
        H5Fixtures.text(release.resolve("modelnet10_train.txt"), "bed_0001\n");
        H5Fixtures.text(release.resolve("modelnet40_shape_names.txt"), "airplane\nbed\n");
        Dataset train = Datasets.folder(release, Split.TRAIN);
        assertEquals(List.of("bed/bed_0001.txt", "airplane/airplane_0001.txt"), ids(train));
        assertArrayEquals(new int[] {1, 0}, train.labels());
        Dataset test = Datasets.folder(release, Split.TEST);
        assertEquals(1, test.size());
        assertArrayEquals(new float[] {627, 627.5f, -627}, test.get(0).cloud().toArray());

        H5Fixtures.text(release.resolve("modelnet40_test.txt"), "airplane_0627\nairplane_9999\n");
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.folder(release, Split.TEST));
        assertEquals(release.resolve("modelnet40_test.txt"), e.path());
        assertTrue(e.reason().contains("line 2") && e.reason().contains("airplane_9999"), e.getMessage());
    }

    @Test
    void emptyAndMissingFolders() throws IOException {
        DatasetException noRoot = assertThrows(DatasetException.class,
            () -> Datasets.folder(root.resolve("absent"), Split.TRAIN));
        assertEquals(root.resolve("absent"), noRoot.path());

        assertEquals(root, assertThrows(DatasetException.class, () -> Datasets.folder(root, Split.TRAIN)).path());

        file("chair/chair_0001.txt", resampled(1));
        Files.createDirectories(root.resolve("sofa"));
        file("sofa/notes.md", "no points here");
        DatasetException empty = assertThrows(DatasetException.class, () -> Datasets.folder(root, Split.TRAIN));
        assertEquals(root.resolve("sofa"), empty.path());
        assertTrue(empty.reason().contains("no point or mesh files"), empty.getMessage());
    }

    @Test
    void aClassWithoutTheSplitFolder() throws IOException {
        file("chair/train/chair_0001.txt", resampled(1));
        file("chair/test/chair_0002.txt", resampled(2));
        file("sofa/train/sofa_0001.txt", resampled(3));
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.folder(root, Split.TEST));
        assertEquals(root.resolve("sofa/test"), e.path());
    }

    @Test
    void aMalformedOrVanishedFileIsReportedWhenRead() throws IOException {
        file("chair/chair_0001.txt", resampled(1));
        file("chair/chair_0002.txt", "1,2,3\n4,five,6\n");
        Dataset dataset = Datasets.folder(root, Split.TEST);
        PointCloudFormatException bad = assertThrows(PointCloudFormatException.class, () -> dataset.get(1));
        assertEquals(root.resolve("chair/chair_0002.txt"), bad.file());
        Files.delete(root.resolve("chair/chair_0001.txt"));
        DatasetException gone = assertThrows(DatasetException.class, () -> dataset.get(0));
        assertEquals(root.resolve("chair/chair_0001.txt"), gone.path());
    }

    private static List<String> ids(Dataset dataset) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < dataset.size(); i++) {
            ids.add(dataset.id(i));
        }
        return ids;
    }
}
