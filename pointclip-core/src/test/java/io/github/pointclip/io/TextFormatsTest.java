package io.github.pointclip.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.cloud.PointCloud;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text formats read from hand-written files with known coordinates. */
class TextFormatsTest {

    @TempDir
    Path dir;

    private static final float[] SQUARE = {0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0};

    @Test
    void xyzWithWhitespaceCommasCommentsAndCrlf() throws IOException {
        Path file = TestFiles.text(dir, "a.XYZ", "# a comment line\r\n"
            + "1.5 -2 3e-1\r\n"
            + "\r\n"
            + "  4,\t5 , 6   # trailing comment\r\n"
            + "+7.25E+1 .5 -0.\r\n");
        PointCloud cloud = PointClouds.read(file);
        assertArrayEquals(new float[] {1.5f, -2f, 0.3f, 4, 5, 6, 72.5f, 0.5f, -0f}, cloud.toArray());
        assertTrue(cloud.attributeNames().isEmpty());
    }

    @Test
    void xyzExtraColumnsBecomeTheExtraAttribute() throws IOException {
        Path file = TestFiles.text(dir, "a.txt", "0 0 0 10 20\n1 1 1 11 21\n");
        PointCloud cloud = PointClouds.read(file);
        assertArrayEquals(new float[] {0, 0, 0, 1, 1, 1}, cloud.toArray());
        assertEquals(Set.of("extra"), cloud.attributeNames());
        assertArrayEquals(new float[] {10, 20, 11, 21}, cloud.attribute("extra"));
        PointCloud bare = PointClouds.read(file, ReadOptions.builder().keepAttributes(false).build());
        assertTrue(bare.attributeNames().isEmpty());
        assertArrayEquals(cloud.toArray(), bare.toArray());
    }

    @Test
    void raggedOrWordyExtraColumnsAreIgnoredNotFatal() throws IOException {
        Path file = TestFiles.text(dir, "a.txt", "0 0 0 10 chair\n1 1 1\n2 2 2 12 table\n");
        PointCloud cloud = PointClouds.read(file);
        assertArrayEquals(new float[] {0, 0, 0, 1, 1, 1, 2, 2, 2}, cloud.toArray());
        assertTrue(cloud.attributeNames().isEmpty());
    }

    @Test
    void csvHeaderNamesColumns() throws IOException {
        Path file = TestFiles.text(dir, "a.csv", "intensity,\"X\",\"Y\",\"Z\",nx,ny,nz\n"
            + "0.5,1,2,3,0,0,1\n"
            + "0.7,4,5,6,1,0,0\n");
        PointCloud cloud = PointClouds.read(file);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, cloud.toArray());
        assertEquals(List.of("normal", "intensity"), List.copyOf(cloud.attributeNames()));
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0}, cloud.attribute("normal"));
        assertArrayEquals(new float[] {0.5f, 0.7f}, cloud.attribute("intensity"));
    }

    @Test
    void ptsCountLineIsSkipped() throws IOException {
        Path file = TestFiles.text(dir, "scan.pts", "2\n1 2 3 -1200 10 20 30\n4 5 6 -1100 40 50 60\n");
        PointCloud cloud = PointClouds.read(file);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, cloud.toArray());
        assertArrayEquals(new float[] {-1200, 10, 20, 30, -1100, 40, 50, 60}, cloud.attribute("extra"));
    }

    @Test
    void offWithCommentsAndPolygons() throws IOException {
        Path file = TestFiles.text(dir, "sq.off", "OFF\n# a unit square\n4 1 0\n\n"
            + "0 0 0\n1 0 0 # corner\n1 1 0\n0 1 0\n"
            + "4 0 1 2 3\n");
        assertArrayEquals(SQUARE, PointClouds.read(file, TestFiles.VERTICES).toArray());
    }

    @Test
    void offCountsOnTheKeywordLine() throws IOException {
        String body = "0 0 0\n1 0 0\n1 1 0\n0 1 0\n3 0 1 2\n3 0 2 3\n";
        assertArrayEquals(SQUARE, PointClouds.read(TestFiles.text(dir, "a.off", "OFF 4 2 0\n" + body),
            TestFiles.VERTICES).toArray());
        // ModelNet40's run-together form
        assertArrayEquals(SQUARE, PointClouds.read(TestFiles.text(dir, "b.off", "OFF4 2 0\n" + body),
            TestFiles.VERTICES).toArray());
        assertArrayEquals(SQUARE, PointClouds.read(TestFiles.text(dir, "c.off", "COFF\n4 2 0\n"
            + "0 0 0 255 0 0 255\n1 0 0 255 0 0 255\n1 1 0 255 0 0 255\n0 1 0 255 0 0 255\n3 0 1 2\n3 0 2 3\n"),
            TestFiles.VERTICES)
            .toArray());
    }

    @Test
    void objVerticesWithAllFaceSyntaxes() throws IOException {
        Path file = TestFiles.text(dir, "m.obj", "# square\nmtllib m.mtl\no square\n"
            + "v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\n"
            + "vt 0 0\nvn 0 0 1\n"
            + "f 1/1/1 2/1/1 3/1/1\n"
            + "f -4//1 -2//1 -1//1\n"
            + "usemtl red\n");
        assertArrayEquals(SQUARE, PointClouds.read(file, TestFiles.VERTICES).toArray());
        // sampling resolves the relative indices: both triangles together cover the square
        PointCloud sampled = PointClouds.read(file, ReadOptions.builder().samplePoints(4000).seed(3).build());
        int upperLeft = 0;
        for (int i = 0; i < sampled.size(); i++) {
            assertTrue(sampled.x(i) >= 0 && sampled.x(i) <= 1 && sampled.y(i) >= 0 && sampled.y(i) <= 1);
            assertEquals(0f, sampled.z(i));
            upperLeft += sampled.y(i) > sampled.x(i) ? 1 : 0;
        }
        assertEquals(0.5, upperLeft / 4000.0, 0.04);
    }

    @Test
    void asciiStlVerticesAreDistinctCorners() throws IOException {
        Path file = TestFiles.text(dir, "sq.stl", "solid square\n"
            + "  facet normal 0 0 1\n    outer loop\n      vertex 0 0 0\n      vertex 1 0 0\n      vertex 1 1 0\n"
            + "    endloop\n  endfacet\n"
            + "  facet normal 0 0 1\n    outer loop\n      vertex 0 0 0\n      vertex 1 1 0\n      vertex 0 1 0\n"
            + "    endloop\n  endfacet\nendsolid square\n");
        assertArrayEquals(SQUARE, PointClouds.read(file, TestFiles.VERTICES).toArray());
    }

    @Test
    void asciiPcdWithPackedRgbAndPadding() throws IOException {
        int rgb = 10 << 16 | 20 << 8 | 30;
        Path file = TestFiles.text(dir, "a.pcd", "# .PCD v0.7 - Point Cloud Data file format\n"
            + "VERSION 0.7\nFIELDS x y z rgb _ intensity\nSIZE 4 4 4 4 1 4\nTYPE F F F U U F\nCOUNT 1 1 1 1 1 1\n"
            + "WIDTH 2\nHEIGHT 1\nVIEWPOINT 0 0 0 1 0 0 0\nPOINTS 2\nDATA ascii\n"
            + "1 2 3 " + rgb + " 0 0.25\n4 5 6 0 0 0.5\n");
        PointCloud cloud = PointClouds.read(file);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, cloud.toArray());
        assertArrayEquals(new float[] {10, 20, 30, 0, 0, 0}, cloud.attribute("color"));
        assertArrayEquals(new float[] {0.25f, 0.5f}, cloud.attribute("intensity"));
    }

    @Test
    void asciiPlyWithFacesAndExtraElements() throws IOException {
        Path file = TestFiles.text(dir, "sq.ply", "ply\nformat ascii 1.0\ncomment made by hand\n"
            + "element camera 1\nproperty float fov\n"
            + "element vertex 4\nproperty float x\nproperty float y\nproperty float z\n"
            + "property uchar red\nproperty uchar green\nproperty uchar blue\n"
            + "element face 2\nproperty list uchar int vertex_indices\n"
            + "end_header\n"
            + "60\n"
            + "0 0 0 255 0 0\n1 0 0 0 255 0\n1 1 0 0 0 255\n0 1 0 1 2 3\n"
            + "3 0 1 2\n3 0 2 3\n");
        PointCloud cloud = PointClouds.read(file, TestFiles.VERTICES);
        assertArrayEquals(SQUARE, cloud.toArray());
        assertArrayEquals(new float[] {255, 0, 0, 0, 255, 0, 0, 0, 255, 1, 2, 3}, cloud.attribute("color"));
        PointCloud sampled = PointClouds.read(file, ReadOptions.builder().samplePoints(100).build());
        assertEquals(100, sampled.size());
        assertTrue(sampled.attributeNames().isEmpty());
    }

    @Test
    void formatOverrideReadsUnknownExtension() throws IOException {
        Path file = TestFiles.text(dir, "points.dat", "1 2 3\n");
        PointCloudFormatException e = org.junit.jupiter.api.Assertions.assertThrows(PointCloudFormatException.class,
            () -> PointClouds.read(file));
        assertTrue(e.getMessage().contains(".xyz"), e.getMessage());
        PointCloud cloud = PointClouds.read(file, ReadOptions.builder().format(PointCloudFormat.XYZ).build());
        assertArrayEquals(new float[] {1, 2, 3}, cloud.toArray());
    }
}
