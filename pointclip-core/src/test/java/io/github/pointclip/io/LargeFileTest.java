package io.github.pointclip.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 10-million-point binary PLY loads in a child JVM limited to a 1 GiB heap. */
class LargeFileTest {

    private static final int POINTS = 10_000_000;

    @TempDir
    Path dir;

    /** Point i is (i mod 1000, i / 1000 mod 1000, i / 1e6): exact in float32 and easy to check. */
    private static void writePly(Path file) throws IOException {
        String header = "ply\nformat binary_little_endian 1.0\nelement vertex " + POINTS
            + "\nproperty float x\nproperty float y\nproperty float z\nend_header\n";
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(header.getBytes(StandardCharsets.US_ASCII));
            ByteBuffer chunk = ByteBuffer.allocate(12 * 8192).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < POINTS; i++) {
                chunk.putFloat(i % 1000).putFloat(i / 1000 % 1000).putFloat(i / 1_000_000);
                if (!chunk.hasRemaining()) {
                    out.write(chunk.array(), 0, chunk.position());
                    chunk.clear();
                }
            }
            out.write(chunk.array(), 0, chunk.position());
        }
    }

    @Test
    void tenMillionPointsFitInOneGibHeap() throws Exception {
        Path file = dir.resolve("big.ply");
        writePly(file);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
            LargeCloudMain.class.getName(), file.toString())
            .redirectErrorStream(true)
            .start();
        byte[] output = child.getInputStream().readAllBytes();
        assertTrue(child.waitFor(2, TimeUnit.MINUTES), "child JVM did not finish");
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), text);
        List<String> lines = text.lines().toList();
        assertTrue(lines.contains("points=" + POINTS), text);
        int last = POINTS - 1;
        assertTrue(lines.contains("last=" + (float) (last % 1000) + "," + (float) (last / 1000 % 1000) + ","
            + (float) (last / 1_000_000)), text);
        long heapMiB = lines.stream().filter(l -> l.startsWith("maxHeapMiB=")).mapToLong(
            l -> Long.parseLong(l.substring("maxHeapMiB=".length()))).findFirst().orElseThrow();
        assertTrue(heapMiB <= 1024, "child heap was " + heapMiB + " MiB");
    }
}
