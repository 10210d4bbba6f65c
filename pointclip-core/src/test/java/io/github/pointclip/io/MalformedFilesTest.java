package io.github.pointclip.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.cloud.PointCloud;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every malformed input gives a PointCloudFormatException with the file, the right line or offset and the reason. */
class MalformedFilesTest {

    @TempDir
    Path dir;

    private static final ReadOptions DROP = ReadOptions.builder().dropNonFinite(true).build();

    private static PointCloudFormatException fails(Path file) {
        return fails(file, ReadOptions.defaults());
    }

    private static PointCloudFormatException fails(Path file, ReadOptions options) {
        PointCloudFormatException e = assertThrows(PointCloudFormatException.class,
            () -> PointClouds.read(file, options));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        return e;
    }

    private static void atLine(PointCloudFormatException e, long line, String reasonPart) {
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(-1, e.byteOffset());
        assertTrue(e.reason().contains(reasonPart), e.getMessage());
    }

    private static void atByte(PointCloudFormatException e, long offset, String reasonPart) {
        assertEquals(offset, e.byteOffset(), e.getMessage());
        assertEquals(-1, e.line());
        assertTrue(e.reason().contains(reasonPart), e.getMessage());
    }

    private static String plyHeader(String format, int vertices) {
        return "ply\nformat " + format + " 1.0\nelement vertex " + vertices
            + "\nproperty float x\nproperty float y\nproperty float z\nend_header\n";
    }

    @Test
    void badNumberInXyzNamesLineAndToken() throws IOException {
        Path file = TestFiles.text(dir, "a.xyz", "# header comment\n1 2 3\n\n4 5x 6\n");
        atLine(fails(file), 4, "'5x'");
        atLine(fails(TestFiles.text(dir, "b.xyz", "1 2 3\n4 5\n")), 2, "missing z of point 1");
    }

    @Test
    void emptyAndPointlessFiles() throws IOException {
        for (String name : new String[] {"e.xyz", "e.ply", "e.off", "e.obj", "e.stl", "e.pcd", "e.npy"}) {
            atByte(fails(TestFiles.text(dir, name, "")), 0, "empty");
        }
        assertTrue(fails(TestFiles.text(dir, "c.xyz", "# only a comment\n\n")).reason().contains("no points"));
        assertTrue(fails(TestFiles.text(dir, "d.obj", "vt 0 0\n")).reason().contains("no points"));
    }

    @Test
    void nonFiniteCoordinateIsAnErrorUnlessDropping() throws IOException {
        Path file = TestFiles.text(dir, "n.xyz", "0 0 0\n1 nan 1\n2 2 2\n3 3 -inf\n");
        PointCloudFormatException e = fails(file);
        atLine(e, 2, "point 1");
        assertTrue(e.reason().contains("dropNonFinite"));
        assertArrayEquals(new float[] {0, 0, 0, 2, 2, 2}, PointClouds.read(file, DROP).toArray());
        atLine(fails(TestFiles.text(dir, "all.xyz", "nan 0 0\n")), 1, "point 0");
        assertTrue(fails(TestFiles.text(dir, "all2.xyz", "nan 0 0\n"), DROP).reason().contains("no finite point"));
    }

    @Test
    void nonFiniteInBinaryFilesNamesTheByteOffset() throws IOException {
        TestFiles.Bytes ply = TestFiles.little().ascii(plyHeader("binary_little_endian", 3));
        int header = ply.size();
        ply.f32(0, 0, 0).f32(1, 1, 1).f32(Float.NaN, 2, 2);
        Path file = ply.writeTo(dir.resolve("n.ply"));
        atByte(fails(file), header + 24, "point 2");
        assertEquals(2, PointClouds.read(file, DROP).size());

        Path npy = dir.resolve("n.npy");
        NpyArray.write(npy, new float[] {0, 0, 0, 1, 1, Float.POSITIVE_INFINITY}, 2, 3);
        atByte(fails(npy), 128 + 5 * 4, "point 1 has a non-finite z");
        assertEquals(1, PointClouds.read(npy, DROP).size());
    }

    @Test
    void truncatedBinaryPlyPointsAtTheIncompleteVertex() throws IOException {
        TestFiles.Bytes ply = TestFiles.little().ascii(plyHeader("binary_little_endian", 10));
        int header = ply.size();
        for (int i = 0; i < 7; i++) {
            ply.f32(i, i, i);
        }
        ply.f32(7, 7); // vertex 7 lacks z
        PointCloudFormatException e = fails(ply.writeTo(dir.resolve("t.ply")));
        atByte(e, header + 7 * 12, "record 7");
        assertTrue(e.reason().contains("truncated"));
    }

    @Test
    void truncatedBigEndianFaceList() throws IOException {
        TestFiles.Bytes ply = TestFiles.big().ascii("ply\nformat binary_big_endian 1.0\nelement vertex 3\n"
            + "property float x\nproperty float y\nproperty float z\n"
            + "element face 1\nproperty list uchar int vertex_indices\nend_header\n");
        ply.f32(0, 0, 0, 1, 0, 0, 0, 1, 0);
        int faceStart = ply.size();
        ply.u8(3).i32(0).i32(1);
        Path file = ply.writeTo(dir.resolve("f.ply"));
        atByte(fails(file, ReadOptions.builder().samplePoints(10).build()), faceStart, "face records");
        atByte(fails(file), faceStart, "face records"); // skipped lists are still checked for length
    }

    @Test
    void plyHeaderCountsThatDisagreeWithTheData() throws IOException {
        String tooMany = plyHeader("ascii", 5) + "0 0 0\n1 1 1\n2 2 2\n";
        atLine(fails(TestFiles.text(dir, "a.ply", tooMany)), 3, "declares 5 vertex records, the file ends after 3");
        String tooFew = plyHeader("ascii", 2) + "0 0 0\n1 1 1\n2 2 2\n";
        atLine(fails(TestFiles.text(dir, "b.ply", tooFew)), 10, "counts wrong");
        String faceOutOfRange = "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\n"
            + "property float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n"
            + "0 0 0\n1 0 0\n0 1 0\n3 0 1 3\n";
        atLine(fails(TestFiles.text(dir, "c.ply", faceOutOfRange), ReadOptions.builder().samplePoints(5).build()), 13,
            "refers to vertex 3");
        atLine(fails(TestFiles.text(dir, "d.ply", "ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\n"
            + "property float y\nend_header\n0 0\n")), 3, "lacks scalar x, y and z");
        atLine(fails(TestFiles.text(dir, "e.ply", "ply\nformat ascii 1.0\nelement vertex 1\n")), 3, "end_header");
        atLine(fails(TestFiles.text(dir, "f.ply", "PLY\n")), 1, "not a PLY file");
        atLine(fails(TestFiles.text(dir, "g.ply", plyHeader("ascii", 1) + "0 zero 0\n")), 8, "'zero'");
    }

    @Test
    void offCountsAndIndices() throws IOException {
        atLine(fails(TestFiles.text(dir, "a.off", "OFF\n# comment\n4 0 0\n0 0 0\n1 1 1\n")), 3,
            "declares 4 vertices, the file ends after 2");
        atLine(fails(TestFiles.text(dir, "b.off", "OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 7\n")), 6,
            "refers to vertex 7");
        atLine(fails(TestFiles.text(dir, "c.off", "OFX\n3 1 0\n")), 1, "not an OFF file");
        atLine(fails(TestFiles.text(dir, "d.off", "OFF\n2 0 0\n0 0 0\n1 1 1\n2 2 2\n")), 5, "counts wrong");
        atLine(fails(TestFiles.text(dir, "e.off", "OFF\n3 2 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n")), 2,
            "declares 2 faces, the file ends after 1");
    }

    @Test
    void objFaceIndicesOutOfRange() throws IOException {
        ReadOptions sample = ReadOptions.builder().samplePoints(10).build();
        String vertices = "v 0 0 0\nv 1 0 0\nv 0 1 0\n";
        atLine(fails(TestFiles.text(dir, "a.obj", vertices + "f 1 2 4\n"), sample), 4, "refers to vertex 4");
        atLine(fails(TestFiles.text(dir, "b.obj", vertices + "f -4 -2 -1\n"), sample), 4, "refers to vertex -4");
        atLine(fails(TestFiles.text(dir, "c.obj", vertices + "f 0 1 2\n"), sample), 4, "refers to vertex 0");
        atLine(fails(TestFiles.text(dir, "d.obj", vertices + "f 1 2\n"), sample), 4, "at least 3");
        atLine(fails(TestFiles.text(dir, "e.obj", "v 0 0\n")), 1, "missing z of vertex 0");
    }

    @Test
    void stlStructureAndTruncation() throws IOException {
        atLine(fails(TestFiles.text(dir, "a.stl", "solid x\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\n"
            + "vertex 1 0 0\nendloop\nendfacet\nendsolid\n")), 6, "2 vertices, expected 3");
        TestFiles.Bytes b = TestFiles.little().zeros(80).i32(3);
        b.f32(0, 0, 1).f32(0, 0, 0).f32(1, 0, 0).f32(1, 1, 0).i16(0);
        b.f32(0, 0, 1).f32(0, 0, 0);
        atByte(fails(b.writeTo(dir.resolve("t.stl"))), 84 + 50, "ends inside triangle 1");
    }

    @Test
    void pcdHeaderProblems() throws IOException {
        String fields = "VERSION 0.7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nCOUNT 1 1 1\n";
        atLine(fails(TestFiles.text(dir, "a.pcd", fields + "WIDTH 3\nHEIGHT 1\nPOINTS 2\nDATA ascii\n0 0 0\n1 1 1\n")),
            8, "disagrees with WIDTH 3");
        atByte(fails(TestFiles.text(dir, "b.pcd", fields + "WIDTH 3\nHEIGHT 1\nPOINTS 3\nDATA binary_compressed\n")),
            (fields + "WIDTH 3\nHEIGHT 1\nPOINTS 3\nDATA binary_compressed\n").length(),
            "truncated binary_compressed");
        atLine(fails(TestFiles.text(dir, "c.pcd", fields + "WIDTH 3\nHEIGHT 1\nPOINTS 3\nDATA ascii\n0 0 0\n1 1 1\n")),
            8, "declares 3 points, the data ends after 2");
        atLine(fails(TestFiles.text(dir, "d.pcd", "FIELDS x y\nSIZE 4 4\nTYPE F F\nWIDTH 1\nPOINTS 1\nDATA ascii\n"
            + "0 0\n")), 6, "lack x, y or z");
        TestFiles.Bytes b = TestFiles.little().ascii(fields + "WIDTH 2\nHEIGHT 1\nPOINTS 2\nDATA binary\n");
        int data = b.size();
        b.f32(1, 2, 3).f32(4);
        atByte(fails(b.writeTo(dir.resolve("t.pcd"))), data + 12, "ends inside point 1");
    }

    @Test
    void npyWithTheWrongShapeOrTruncated() throws IOException {
        Path flat = dir.resolve("flat.npy");
        NpyArray.write(flat, new float[] {1, 2, 3}, 3);
        assertTrue(fails(flat).reason().contains("shape [N, ≥3]"));
        Path narrow = dir.resolve("narrow.npy");
        NpyArray.write(narrow, new float[] {1, 2, 3, 4}, 2, 2);
        assertTrue(fails(narrow).reason().contains("[2, 2]"));
        Path cut = dir.resolve("cut.npy");
        NpyArray.write(cut, new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        byte[] bytes = Files.readAllBytes(cut);
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 2));
        assertTrue(fails(cut).reason().contains("truncated"));
    }

    @Test
    void maxPointsGuardsOversizedInput() throws IOException {
        ReadOptions three = ReadOptions.builder().maxPoints(3).build();
        Path text = TestFiles.text(dir, "m.xyz", "0 0 0\n1 1 1\n2 2 2\n3 3 3\n");
        atLine(fails(text, three), 4, "maxPoints=3");
        assertEquals(4, PointClouds.read(text).size());
        atLine(fails(TestFiles.text(dir, "m.ply", plyHeader("ascii", 4))), 3, "the file ends after 0");
        atLine(fails(TestFiles.text(dir, "n.ply", plyHeader("ascii", 4) + "0 0 0\n1 1 1\n2 2 2\n3 3 3\n"), three),
            3, "declares 4 points, more than maxPoints=3");
        Path npy = dir.resolve("m.npy");
        NpyArray.write(npy, new float[12], 4, 3);
        assertTrue(fails(npy, three).reason().contains("maxPoints=3"));
        // a corrupt binary header claiming a billion points is refused before any allocation
        TestFiles.Bytes b = TestFiles.little().ascii(plyHeader("binary_little_endian", 1_000_000_000)).f32(1, 2, 3);
        atLine(fails(b.writeTo(dir.resolve("huge.ply"))), 3, "truncated file or corrupt count");
        TestFiles.Bytes c = TestFiles.little().ascii(plyHeader("binary_little_endian", 90_000_000)).f32(1, 2, 3);
        atByte(fails(c.writeTo(dir.resolve("liar.ply"))), c.size() - 12 + 12, "truncated");
        TestFiles.Bytes e = TestFiles.little().ascii(plyHeader("binary_little_endian", 4)).f32(1, 2, 3);
        atLine(fails(e.writeTo(dir.resolve("liar3.ply")), three), 3,
            "the header declares 4 points, the 12 bytes after the header can hold at most 1");
        // a count the bytes can hold but maxPoints refuses is still the maxPoints error
        TestFiles.Bytes d = TestFiles.little().ascii(plyHeader("binary_little_endian", 4)).f32(new float[12]);
        atLine(fails(d.writeTo(dir.resolve("four.ply")), three), 3, "declares 4 points, more than maxPoints=3");
    }

    @Test
    void aHugeCountInATinyFileIsTruncationNotMaxPoints() throws IOException {
        // the reviewer's case: raising maxPoints cannot make 2e9 vertices fit in a few bytes
        String plyText = plyHeader("ascii", 2_000_000_000) + "0 0 0\n1 1 1\n";
        PointCloudFormatException ply = fails(TestFiles.text(dir, "tiny.ply", plyText));
        atLine(ply, 3, "truncated file or corrupt count: the header declares 2000000000 points, the 12 bytes after "
            + "the header can hold at most 2");
        TestFiles.Bytes binary = TestFiles.little().ascii(plyHeader("binary_little_endian", 2_000_000_000))
            .f32(1, 2, 3);
        atLine(fails(binary.writeTo(dir.resolve("tiny-binary.ply"))), 3, "can hold at most 1");
        String offText = "OFF\n2000000000 0 0\n0 0 0\n";
        atLine(fails(TestFiles.text(dir, "tiny.off", offText)), 2, "the header declares 2000000000 points, the "
            + offText.length() + " bytes of the file can hold at most " + offText.length() / 6);
        TestFiles.Bytes pcd = TestFiles.little().ascii("FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nCOUNT 1 1 1\n"
            + "POINTS 2000000000\nDATA binary\n").f32(1, 2, 3);
        PointCloudFormatException binaryPcd = fails(pcd.writeTo(dir.resolve("tiny.pcd")));
        assertTrue(binaryPcd.reason().contains("declares 2000000000 points, the 12 bytes after the header can hold "
            + "at most 1") && !binaryPcd.reason().contains("maxPoints"), binaryPcd.getMessage());
        String asciiPcd = "FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nPOINTS 2000000000\nDATA ascii\n1 2 3\n";
        assertTrue(fails(TestFiles.text(dir, "tiny-ascii.pcd", asciiPcd)).reason()
            .contains("truncated file or corrupt count"));
    }

    @Test
    void samplingADegenerateMeshFails() throws IOException {
        Path file = TestFiles.text(dir, "flat.off", "OFF\n3 1 0\n0 0 0\n1 1 1\n2 2 2\n3 0 1 2\n");
        assertTrue(fails(file, ReadOptions.builder().samplePoints(10).build()).reason().contains("zero total area"));
        PointCloud vertices = PointClouds.read(file, TestFiles.VERTICES);
        assertEquals(3, vertices.size());
    }
}
