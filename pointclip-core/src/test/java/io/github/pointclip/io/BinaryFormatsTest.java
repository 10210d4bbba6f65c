package io.github.pointclip.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.cloud.PointCloud;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binary formats read from hand-assembled bytes with known values, and the writers' round trips. */
class BinaryFormatsTest {

    @TempDir
    Path dir;

    private static final float[] TRIANGLE_PAIR = {0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0};

    @Test
    void binaryBigEndianPlyWithDoublesMixedTypesAndFaceLists() throws IOException {
        TestFiles.Bytes b = TestFiles.big().ascii("ply\nformat binary_big_endian 1.0\n"
            + "element vertex 2\n"
            + "property double x\nproperty double y\nproperty double z\n"
            + "property short label\nproperty list uchar int neighbours\nproperty float nx\nproperty float ny\n"
            + "property float nz\nproperty uint id\n"
            + "element face 1\nproperty list uchar uint vertex_indices\nproperty uchar flags\n"
            + "end_header\n");
        b.f64(0.1, -2.5, 3e10).i16(-7).u8(2).i32(1).i32(0).f32(0, 0, 1).i32(0xfffffffe);
        b.f64(4, 5, 6).i16(300).u8(0).f32(1, 0, 0).i32(9);
        b.u8(3).i32(0).i32(1).i32(1).u8(0);
        PointCloud cloud = PointClouds.read(b.writeTo(dir.resolve("be.ply")), TestFiles.VERTICES);
        assertArrayEquals(new float[] {(float) 0.1, -2.5f, 3e10f, 4, 5, 6}, cloud.toArray());
        assertEquals(List.of("normal", "label", "id"), List.copyOf(cloud.attributeNames()));
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0}, cloud.attribute("normal"));
        assertArrayEquals(new float[] {-7, 300}, cloud.attribute("label"));
        assertArrayEquals(new float[] {4294967294f, 9}, cloud.attribute("id"));
    }

    @Test
    void binaryLittleEndianPlyFacesAreSampled() throws IOException {
        TestFiles.Bytes b = TestFiles.little().ascii("ply\r\nformat binary_little_endian 1.0\r\n"
            + "element vertex 4\r\nproperty float x\r\nproperty float y\r\nproperty float z\r\n"
            + "element face 1\r\nproperty list uchar int vertex_indices\r\nend_header\r\n");
        b.f32(TRIANGLE_PAIR);
        b.u8(4).i32(0).i32(1).i32(2).i32(3);
        Path file = b.writeTo(dir.resolve("le.PLY"));
        assertArrayEquals(TRIANGLE_PAIR, PointClouds.read(file, TestFiles.VERTICES).toArray());
        PointCloud sampled = PointClouds.read(file, ReadOptions.builder().samplePoints(500).seed(9).build());
        assertEquals(500, sampled.size());
        float[] box = sampled.bounds();
        assertTrue(box[0] >= 0 && box[1] >= 0 && box[3] <= 1 && box[4] <= 1 && box[2] == 0 && box[5] == 0);
    }

    @Test
    void binaryStlWithSolidHeaderIsStillBinary() throws IOException {
        TestFiles.Bytes b = TestFiles.little();
        b.ascii("solid but binary").zeros(80 - 16).i32(2);
        b.f32(0, 0, 1).f32(0, 0, 0).f32(1, 0, 0).f32(1, 1, 0).i16(0);
        b.f32(0, 0, 1).f32(0, 0, 0).f32(1, 1, 0).f32(0, 1, 0).i16(0);
        PointCloud cloud = PointClouds.read(b.writeTo(dir.resolve("sq.stl")), TestFiles.VERTICES);
        assertArrayEquals(TRIANGLE_PAIR, cloud.toArray());
    }

    /** A PCD binary_compressed file: the header, then the sizes and the LZF data of the field-major values. */
    private static Path compressedPcd(Path file, String header, int uncompressedSize, byte[] compressed)
        throws IOException {
        return TestFiles.little().ascii(header + "DATA binary_compressed\n").i32(compressed.length)
            .i32(uncompressedSize).bytes(compressed).writeTo(file);
    }

    @Test
    void binaryCompressedPcdIsFieldMajorLzf() throws IOException {
        // 40 points: x y z float, packed rgb, a 2-wide "hist" of uint8 and a double intensity
        int n = 40;
        TestFiles.Bytes fieldMajor = TestFiles.little();
        for (int axis = 0; axis < 3; axis++) {
            for (int p = 0; p < n; p++) {
                fieldMajor.f32(p * 0.5f + axis);
            }
        }
        for (int p = 0; p < n; p++) {
            fieldMajor.i32(p << 16 | 7 << 8 | 200);
        }
        for (int p = 0; p < n; p++) {
            fieldMajor.u8(p).u8(255 - p);
        }
        for (int p = 0; p < n; p++) {
            fieldMajor.f64(p / 4.0);
        }
        byte[] raw = fieldMajor.toByteArray();
        byte[] packed = TestFiles.lzf(raw);
        assertTrue(packed.length < raw.length, "the test data should compress");
        String header = "VERSION 0.7\nFIELDS x y z rgb hist intensity\nSIZE 4 4 4 4 1 8\nTYPE F F F U U F\n"
            + "COUNT 1 1 1 1 2 1\nWIDTH " + n + "\nHEIGHT 1\nPOINTS " + n + "\n";
        PointCloud cloud = PointClouds.read(compressedPcd(dir.resolve("c.pcd"), header, raw.length, packed));
        assertEquals(n, cloud.size());
        for (int p = 0; p < n; p++) {
            assertEquals(p * 0.5f, cloud.x(p));
            assertEquals(p * 0.5f + 1, cloud.y(p));
            assertEquals(p * 0.5f + 2, cloud.z(p));
            assertEquals(p, cloud.attribute("color")[3 * p]);
            assertEquals(7, cloud.attribute("color")[3 * p + 1]);
            assertEquals(200, cloud.attribute("color")[3 * p + 2]);
            assertEquals(p, cloud.attribute("hist")[2 * p]);
            assertEquals(255 - p, cloud.attribute("hist")[2 * p + 1]);
            assertEquals(p / 4f, cloud.attribute("intensity")[p]);
        }
        // the same file stored as binary reads the same
        TestFiles.Bytes records = TestFiles.little().ascii(header + "DATA binary\n");
        for (int p = 0; p < n; p++) {
            records.f32(p * 0.5f, p * 0.5f + 1, p * 0.5f + 2).i32(p << 16 | 7 << 8 | 200).u8(p).u8(255 - p)
                .f64(p / 4.0);
        }
        assertEquals(cloud, PointClouds.read(records.writeTo(dir.resolve("b.pcd"))));
    }

    @Test
    void lzfBackReferencesOverlapAndCorruptDataIsRejected() throws IOException {
        String header = "FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nPOINTS 1\n";
        int dataStart = (header + "DATA binary_compressed\n").length() + 8;
        // literal 0x3f800000 LE (1.0f), then a back reference of length 8 at distance 4: 1, 1, 1
        byte[] ones = {3, 0, 0, (byte) 0x80, 0x3f, (byte) (6 << 5), 3};
        assertArrayEquals(new float[] {1, 1, 1},
            PointClouds.read(compressedPcd(dir.resolve("o.pcd"), header, 12, ones)).toArray());
        PointCloudFormatException e = assertThrows(PointCloudFormatException.class,
            () -> PointClouds.read(compressedPcd(dir.resolve("r.pcd"), header, 12,
                new byte[] {0, 1, (byte) (6 << 5), 9})));
        assertEquals(dataStart + 2, e.byteOffset(), e.getMessage());
        assertTrue(e.reason().contains("points before the start"), e.getMessage());
        e = assertThrows(PointCloudFormatException.class,
            () -> PointClouds.read(compressedPcd(dir.resolve("s.pcd"), header, 12, new byte[] {3, 0, 0, (byte) 0x80})));
        assertTrue(e.reason().contains("passes the end"), e.getMessage());
        e = assertThrows(PointCloudFormatException.class,
            () -> PointClouds.read(compressedPcd(dir.resolve("t.pcd"), header, 12,
                new byte[] {3, 0, 0, (byte) 0x80, 0x3f})));
        assertTrue(e.reason().contains("decompresses to 4 bytes, 12 were declared"), e.getMessage());
        // a size no LZF block of 7 bytes can reach, or one that disagrees with POINTS
        String many = "FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nPOINTS 100000000\n";
        e = assertThrows(PointCloudFormatException.class,
            () -> PointClouds.read(compressedPcd(dir.resolve("u.pcd"), many, 1_200_000_000, ones)));
        assertTrue(e.reason().contains("cannot hold"), e.getMessage());
        e = assertThrows(PointCloudFormatException.class,
            () -> PointClouds.read(compressedPcd(dir.resolve("v.pcd"), header, 24, ones)));
        assertTrue(e.reason().contains("is not POINTS 1 × 12 bytes"), e.getMessage());
    }

    @Test
    void binaryPcdWithMixedFields() throws IOException {
        TestFiles.Bytes b = TestFiles.little().ascii("VERSION .7\nFIELDS x y z normal_x normal_y normal_z label rgb\n"
            + "SIZE 4 4 8 4 4 4 2 4\nTYPE F F F F F F U F\nCOUNT 1 1 1 1 1 1 1 1\nWIDTH 2\nHEIGHT 1\n"
            + "VIEWPOINT 0 0 0 1 0 0 0\nPOINTS 2\nDATA binary\n");
        b.f32(1, 2).f64(3).f32(0, 1, 0).i16(65535).f32(Float.intBitsToFloat(0x00ff8000));
        b.f32(-1, -2).f64(-3).f32(1, 0, 0).i16(2).f32(Float.intBitsToFloat(0x00000001));
        PointCloud cloud = PointClouds.read(b.writeTo(dir.resolve("b.pcd")));
        assertArrayEquals(new float[] {1, 2, 3, -1, -2, -3}, cloud.toArray());
        assertArrayEquals(new float[] {0, 1, 0, 1, 0, 0}, cloud.attribute("normal"));
        assertArrayEquals(new float[] {65535, 2}, cloud.attribute("label"));
        assertArrayEquals(new float[] {255, 128, 0, 0, 0, 1}, cloud.attribute("color"));
    }

    @Test
    void npyFloat32AndFloat64WithExtraColumns() throws IOException {
        Path f32 = dir.resolve("a.npy");
        NpyArray.write(f32, new float[] {1, 2, 3, 9, 4, 5, 6, 8}, 2, 4);
        PointCloud cloud = PointClouds.read(f32);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, cloud.toArray());
        assertArrayEquals(new float[] {9, 8}, cloud.attribute("extra"));

        String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
        header = header + " ".repeat((64 - (10 + header.length() + 1) % 64) % 64) + "\n";
        TestFiles.Bytes b = TestFiles.little().u8(0x93).ascii("NUMPY").u8(1).u8(0).i16(header.length()).ascii(header);
        b.f64(0.1, 0.2, 0.3, -1e-3, 1e5, 7);
        PointCloud doubles = PointClouds.read(b.writeTo(dir.resolve("d.NPY")));
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, -1e-3f, 1e5f, 7}, doubles.toArray());
    }

    @Test
    void writtenNpyReadsBack() throws IOException {
        PointCloud cloud = PointCloud.of(new float[] {0.1f, -2, 3e-7f, Float.MAX_VALUE, 5, -0f});
        Path file = dir.resolve("out/sub/cloud.npy");
        PointClouds.writeNpy(cloud, file);
        assertEquals(cloud, PointClouds.read(file));
        NpyArray raw = NpyArray.read(file);
        assertArrayEquals(new int[] {2, 3}, raw.shape());
    }

    @Test
    void writtenPlyReadsBackWithAttributes() throws IOException {
        PointCloud cloud = PointCloud.builder().coordinates(new float[] {0.5f, 1, -1, 2, 3, 4})
            .attribute("color", new float[] {255, 0, 10, 1, 2, 3})
            .attribute("normal", new float[] {0, 0, 1, 0.6f, 0.8f, 0})
            .attribute("intensity", new float[] {0.25f, 7})
            .build();
        Path file = dir.resolve("cloud.ply");
        PointClouds.writePly(cloud, file);
        assertEquals(cloud, PointClouds.read(file));
        String header = new String(Files.readAllBytes(file), 0, 300, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("format binary_little_endian 1.0"));
        assertTrue(header.contains("property uchar red"), header);
        // the point record is 3 floats + 3 bytes + 3 floats + 1 float
        long headerBytes = header.indexOf("end_header\n") + "end_header\n".length();
        assertEquals(headerBytes + 2 * (12 + 3 + 12 + 4), Files.size(file));
    }

    @Test
    void overwriteLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("c.ply");
        PointClouds.writePly(PointCloud.of(new float[] {1, 2, 3}), file);
        PointClouds.writePly(PointCloud.of(new float[] {4, 5, 6}), file);
        assertArrayEquals(new float[] {4, 5, 6}, PointClouds.read(file).toArray());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }
}
