package io.github.pointclip.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.cloud.PointCloud;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PointCloudReader#read(InputStream, long, PointCloudFormat, Path)}: the same bytes give the
 * same cloud as a read from the file, in every format, and the same errors, named as the caller says;
 * the stream is closed either way.
 */
class StreamReadTest {

    @TempDir
    Path dir;

    private static final float[] POINTS = {0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0.5f, 0.25f, -2, 3};

    /** Records whether it was closed. */
    private static final class Tracked extends FilterInputStream {
        boolean closed;

        Tracked(byte[] bytes) {
            super(new ByteArrayInputStream(bytes));
        }

        @Override
        public void close() throws IOException {
            closed = true;
            super.close();
        }
    }

    private static PointCloud viaStream(PointCloudReader reader, Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Tracked in = new Tracked(bytes);
        PointCloud cloud = reader.read(in, bytes.length, reader.formatOf(file), Path.of("remote", "name"));
        assertTrue(in.closed, "the stream is closed");
        return cloud;
    }

    @Test
    void everyFormatReadsTheSameFromAStreamAsFromTheFile() throws IOException {
        PointCloud cloud = PointCloud.of(POINTS);
        Path npy = dir.resolve("c.npy");
        PointClouds.writeNpy(cloud, npy);
        Path ply = dir.resolve("c.ply");
        PointClouds.writePly(cloud, ply);
        Path xyz = TestFiles.text(dir, "c.xyz", "0 0 0\n1 0 0\n1 1 0\n0 1 0.5\n0.25 -2 3\n");
        Path pcd = TestFiles.text(dir, "c.pcd", "VERSION .7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nCOUNT 1 1 1\n"
            + "WIDTH 5\nHEIGHT 1\nPOINTS 5\nDATA ascii\n0 0 0\n1 0 0\n1 1 0\n0 1 0.5\n0.25 -2 3\n");
        Path off = TestFiles.text(dir, "c.off", "OFF\n4 2 0\n0 0 0\n1 0 0\n1 1 0\n0 1 0\n3 0 1 2\n3 0 2 3\n");
        Path obj = TestFiles.text(dir, "c.obj", "v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nf 1 2 3\nf 1 3 4\n");
        Path stl = TestFiles.text(dir, "c.stl", "solid t\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\n"
            + "vertex 1 0 0\nvertex 1 1 0\nendloop\nendfacet\nendsolid t\n");
        PointCloudReader reader = PointCloudReader.of(ReadOptions.builder().samplePoints(64).seed(3).build());
        for (Path file : new Path[] {npy, ply, xyz, pcd}) {
            assertArrayEquals(POINTS, viaStream(reader, file).toArray(), file.toString());
        }
        for (Path mesh : new Path[] {off, obj, stl}) {
            PointCloud expected = reader.read(mesh);
            assertEquals(64, expected.size());
            assertArrayEquals(expected.toArray(), viaStream(reader, mesh).toArray(), mesh.toString());
        }
    }

    @Test
    void errorsNameTheGivenNameWithTheSameLocationAndTheStreamIsClosed() throws IOException {
        Path bad = TestFiles.text(dir, "bad.xyz", "0 0 0\n1 zero 0\n");
        PointCloudFormatException fromFile = assertThrows(PointCloudFormatException.class,
            () -> PointClouds.read(bad));
        byte[] bytes = Files.readAllBytes(bad);
        Tracked in = new Tracked(bytes);
        Path name = Path.of("bucket", "scans", "bad.xyz");
        PointCloudFormatException fromStream = assertThrows(PointCloudFormatException.class,
            () -> PointCloudReader.withDefaults().read(in, bytes.length, PointCloudFormat.XYZ, name));
        assertTrue(in.closed);
        assertEquals(name, fromStream.file());
        assertEquals(2, fromStream.line());
        assertEquals(fromFile.line(), fromStream.line());
        assertEquals(fromFile.reason(), fromStream.reason());

        // a truncated .npy: the declared size is what the plausibility check uses
        Path npy = dir.resolve("t.npy");
        PointClouds.writeNpy(PointCloud.of(POINTS), npy);
        byte[] whole = Files.readAllBytes(npy);
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 8);
        PointCloudFormatException truncated = assertThrows(PointCloudFormatException.class,
            () -> PointCloudReader.withDefaults().read(new ByteArrayInputStream(cut), cut.length, PointCloudFormat.NPY,
                Path.of("t.npy")));
        assertTrue(truncated.reason().startsWith("truncated"), truncated.getMessage());

        Tracked empty = new Tracked(new byte[0]);
        PointCloudFormatException none = assertThrows(PointCloudFormatException.class,
            () -> PointCloudReader.withDefaults().read(empty, 0, PointCloudFormat.PLY, Path.of("e.ply")));
        assertEquals("the file is empty", none.reason());
        assertTrue(empty.closed);
    }
}
