package io.github.pointclip.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File headers that declare more than the file holds, negative or overflowing shapes: each read
 * ends with the format's checked exception in one line, or a valid result. The reads run in a
 * child JVM with a 64 MiB heap, where an array sized from such a header is an
 * OutOfMemoryError (the {@code .npy} case alone used to ask for 4 GB).
 */
class HostileHeadersTest {

    @TempDir
    Path dir;

    /** File name to the expected outcome: a fragment of the exception's reason, or "OK n". */
    private final Map<String, String> expected = new LinkedHashMap<>();

    static byte[] npy(String descr, String shape, int dataBytes) {
        StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': ("
            + shape + "), }");
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        byte[] h = header.toString().getBytes(StandardCharsets.ISO_8859_1);
        TestFiles.Bytes b = TestFiles.little().u8(0x93).ascii("NUMPY").u8(1).u8(0).i16(h.length);
        b.ascii(header.toString()).zeros(dataBytes);
        return b.toByteArray();
    }

    private void file(String name, byte[] content, String outcome) throws IOException {
        Files.write(dir.resolve(name), content);
        expected.put(name, outcome);
    }

    private void text(String name, String content, String outcome) throws IOException {
        file(name, content.getBytes(StandardCharsets.ISO_8859_1), outcome);
    }

    private static String ply(String format, String elements) {
        return "ply\nformat " + format + " 1.0\n" + elements + "end_header\n";
    }

    private static final String XYZ = "property float x\nproperty float y\nproperty float z\n";

    /** Asserts the message is one line of printable ASCII and returns the reason. */
    private static String oneLine(Path file) {
        PointCloudFormatException e = org.junit.jupiter.api.Assertions.assertThrows(PointCloudFormatException.class,
            () -> PointClouds.read(file));
        String message = e.getMessage();
        assertTrue(message.startsWith(file.toString()), message);
        String rest = message.substring(file.toString().length());
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            assertTrue(c >= 0x20 && c < 0x7f || c == '≥' || c == '×', "character " + (int) c + " in " + message);
        }
        assertTrue(rest.length() < 400, message);
        return e.reason();
    }

    @Test
    void messagesQuoteFileContentAsOnePrintableLine() throws IOException {
        // an unknown dtype: only the header's first line, escaped, never the data after it
        byte[] complex = npy("<c8", "2, 3", 0);
        byte[] garbage = new byte[48];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 37 + 5);
        }
        Path npyFile = dir.resolve("complex.npy");
        Files.write(npyFile, java.nio.ByteBuffer.allocate(complex.length + garbage.length).put(complex).put(garbage)
            .array());
        assertEquals("unsupported dtype '<c8'; supported: float32, float64, (u)int8/16/32/64 and bool",
            oneLine(npyFile));
        byte[] noShape = npy("<f4", "1, 3", 0);
        String text = new String(noShape, StandardCharsets.ISO_8859_1).replace("'shape'", "'sh\u0007\u00ffe'");
        Path noShapeFile = dir.resolve("noshape.npy");
        Files.write(noShapeFile, text.getBytes(StandardCharsets.ISO_8859_1));
        String reason = oneLine(noShapeFile);
        assertTrue(reason.startsWith("malformed .npy header '{'descr'"), reason);
        assertTrue(reason.contains("'sh\\x07\\xffe': (1, 3), }'"), reason); // the first line only

        // PLY, PCD, OFF, STL and numbers: control bytes and non-ASCII escaped, long content cut
        String controls = "bad\u0001\u001b[31mred\u00e9";
        assertTrue(oneLine(TestFiles.text(dir, "k.ply", "ply\nformat ascii 1.0\n" + controls + " 3\n"))
            .contains("'bad\\x01\\x1b[31mred\\xe9'"));
        assertTrue(oneLine(TestFiles.text(dir, "t.ply", "ply\nformat ascii 1.0\nelement vertex 1\nproperty "
            + controls + " x\n")).contains("'bad\\x01"));
        assertTrue(oneLine(TestFiles.text(dir, "v.ply", "ply\nformat " + "x".repeat(5000) + " 1.0\n"
            + "element vertex 1\n" + XYZ + "end_header\n1 2 3\n")).contains("x".repeat(60) + "...'"));
        assertTrue(oneLine(TestFiles.text(dir, "h.pcd", controls + " 1\n")).contains("'BAD\\x01"));
        assertTrue(oneLine(TestFiles.text(dir, "f.pcd", "FIELDS a\u0002 b c\nSIZE 4 4 4\nTYPE F F F\nPOINTS 1\n"
            + "DATA ascii\n1 2 3\n")).contains("'a\\x02 b c'"));
        assertTrue(oneLine(TestFiles.text(dir, "d.pcd", "FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nPOINTS 1\n"
            + "DATA " + controls + "\n1 2 3\n")).contains("'bad\\x01"));
        assertTrue(oneLine(TestFiles.text(dir, "o.off", controls + "\n")).contains("'bad\\x01"));
        assertTrue(oneLine(TestFiles.text(dir, "s.stl", "solid x\n" + controls + "\n")).contains("'bad\\x01"));
        assertTrue(oneLine(TestFiles.text(dir, "n.xyz", "1 2 " + controls + "\n")).contains("'bad\\x01"));
        assertTrue(oneLine(TestFiles.text(dir, "p.pcd", "FIELDS x y z w\u0003\nSIZE 4 4 4 4\nTYPE F F F F\n"
            + "POINTS 1\nDATA ascii\n1 2 3 zz\n")).contains("bad 'w\\x03' of point 0: 'zz' is not a number"));
    }

    @Test
    void declaredCountsNeverAllocateMoreThanTheFileHolds() throws Exception {
        // the cases
        file("shape.npy", npy("<f4", "10, 100000000", 13_000), "truncated: the header declares shape [10, 100000000]");
        file("negative.npy", npy("<f4", "-1, 3", 12), "negative dimension -1");
        text("count.pcd", "VERSION .7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nCOUNT 1 1 2147483647\nWIDTH 1\n"
            + "HEIGHT 1\nPOINTS 1\nDATA ascii\n1 2 3\n", "values per point");
        // overflowing and oversized shapes
        file("huge-dim.npy", npy("<f4", "4294967296, 3", 12), "larger than a Java array");
        file("product.npy", npy("<f8", "100000, 100000, 100000", 12), "more values than a Java array");
        file("long-overflow.npy", npy("<f4", "2147483000, 2147483000, 2147483000, 3", 12),
            "more values than a Java array");
        text("wide.pcd", "FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nCOUNT 1 1 40000\nPOINTS 1\nDATA binary\n",
            "more than the whole file");
        text("width.pcd", "FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 9223372036854775807\nHEIGHT 3\n"
            + "DATA ascii\n1 2 3\n", "corrupt count");
        text("size.pcd", "FIELDS x y z\nSIZE 4 4 4294967300\nTYPE F F F\nPOINTS 1\nDATA ascii\n1 2 3\n",
            "unsupported TYPE");
        // PLY: a binary vertex count far beyond the data, a face count whose byte size overflows a long,
        // a list length larger than the file
        file("vertices.ply", TestFiles.little().ascii(ply("binary_little_endian", "element vertex 99999999\n" + XYZ))
            .f32(1, 2, 3).toByteArray(), "truncated binary PLY");
        file("faces.ply", TestFiles.little().ascii(ply("binary_little_endian", "element vertex 1\n" + XYZ
            + "element face 999999999999999999\nproperty double a\nproperty double b\n")).f32(1, 2, 3).zeros(16)
            .toByteArray(), "truncated binary PLY");
        file("list.ply", TestFiles.little().ascii(ply("binary_little_endian", "element vertex 3\n" + XYZ
            + "element face 1\nproperty list uint int vertex_indices\n")).f32(0, 0, 0, 1, 0, 0, 0, 1, 0)
            .i32(1_000_000).zeros(12).toByteArray(), "ends inside record 0");
        file("list2.ply", TestFiles.little().ascii(ply("binary_little_endian", "element vertex 3\n" + XYZ
            + "element face 1\nproperty list uint int vertex_indices\n")).f32(0, 0, 0, 1, 0, 0, 0, 1, 0)
            .i32(-2).zeros(12).toByteArray(), "implausible length 4294967294");
        text("ascii.ply", ply("ascii", "element vertex 99999999\n" + XYZ) + "1 2 3\n", "the file ends after 1");
        // OFF, STL, PTS
        text("counts.off", "OFF\n99999999 0 0\n0 0 0\n", "the file ends after 1");
        text("count2e9.off", "OFF\n2000000000 0 0\n0 0 0\n", "corrupt count: the header declares 2000000000 points");
        text("negative.off", "OFF\n-5 0 0\n0 0 0\n", "negative point count -5");
        text("faces.off", "OFF\n3 99999999999 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n", "the file ends after 1");
        file("count.stl", TestFiles.little().zeros(80).i32(-1).zeros(50).toByteArray(),
            "declares 4294967295 triangles");
        text("count.pts", "99999999\n1 2 3\n", "OK 1");

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"), HostileHeadersMain.class.getName()));
        for (String name : expected.keySet()) {
            command.add(dir.resolve(name).toString());
        }
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = child.getInputStream().readAllBytes();
        assertTrue(child.waitFor(2, TimeUnit.MINUTES), "child JVM did not finish");
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), text);
        Map<String, String[]> outcomes = new HashMap<>();
        text.lines().filter(l -> l.contains("\t")).forEach(l -> outcomes.put(l.split("\t")[0], l.split("\t", 3)));
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String[] outcome = outcomes.get(e.getKey());
            assertTrue(outcome != null, e.getKey() + " not reported:\n" + text);
            String want = e.getValue();
            if (want.startsWith("OK ")) {
                assertEquals(want, outcome[1] + " " + outcome[2], e.getKey());
                continue;
            }
            assertEquals(PointCloudFormatException.class.getName(), outcome[1], e.getKey() + ": " + outcome[2]);
            assertTrue(outcome[2].contains(want), e.getKey() + ": " + outcome[2]);
            assertTrue(outcome[2].startsWith(dir.resolve(e.getKey()).toString()), outcome[2]);
            assertFalse(outcome[2].contains("<NL>") || outcome[2].contains("<CR>"), outcome[2]);
        }
    }
}
