package io.github.pointclip.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.onnx.testmodels.OnnxModelWriter;
import io.github.pointclip.onnx.testmodels.OnnxModelWriter.ElementType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The protobuf reader gives back what {@link OnnxModelWriter} wrote, and names the byte where a file breaks. */
class OnnxGraphTest {

    private static OnnxModelWriter sample() {
        OnnxModelWriter g = new OnnxModelWriter("sample");
        String x = g.input("x", ElementType.FLOAT, "batch", 3);
        String w = g.floats("w", new long[] {3, 2}, 1f, -2f, 0.5f, 3.25f, -0f, 1e-7f);
        // streamed values: large enough that the reader must seek past them
        String big = g.floats("big", new long[] {100_000}, i -> i * 0.5f);
        String idx = g.int64s("idx", new long[] {2}, 7, -3);
        String y = g.node("MatMul", x, w).output();
        g.node("LayerNormalization", y, big, "").attrInt("axis", -1).attrFloat("epsilon", 1e-5f)
            .attrInts("extra", 4, 5, 6).outputs("z");
        g.node("Gather", "z", idx).attrInt("axis", 1).outputs("out");
        g.output("out", ElementType.FLOAT, "batch", 2);
        g.output("z", ElementType.FLOAT, "batch", 2);
        return g;
    }

    @Test
    void readsNodesAttributesOutputsAndInitializers(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("m.onnx");
        sample().write(file);
        OnnxGraph graph = OnnxGraph.read(file);
        assertEquals(List.of("out", "z"), graph.outputs());
        assertEquals(3, graph.nodes().size());
        OnnxGraph.Node ln = graph.producer("z").orElseThrow();
        assertEquals("LayerNormalization", ln.opType());
        assertEquals(List.of("MatMul_1", "big", ""), ln.inputs());
        assertEquals(-1L, ln.attribute("axis").orElseThrow().intValue().orElseThrow());
        assertEquals(1e-5f, ln.attribute("epsilon").orElseThrow().floatValue().orElseThrow());
        assertArrayEquals(new long[] {4, 5, 6}, ln.attribute("extra").orElseThrow().ints());
        assertTrue(graph.producer("x").isEmpty(), "graph inputs have no producer");
        OnnxGraph.Tensor w = graph.initializer("w").orElseThrow();
        assertArrayEquals(new long[] {3, 2}, w.shape());
        assertArrayEquals(new float[] {1f, -2f, 0.5f, 3.25f, -0f, 1e-7f}, w.floats());
        float[] big = graph.initializer("big").orElseThrow().floats();
        assertEquals(100_000, big.length);
        assertEquals(99_999 * 0.5f, big[99_999]);
        assertArrayEquals(new long[] {7, -3}, graph.initializer("idx").orElseThrow().longs());
        IOException notFloat = assertThrows(IOException.class, () -> graph.initializer("idx").orElseThrow().floats());
        assertTrue(notFloat.getMessage().contains("'idx'"), notFloat.getMessage());
    }

    @Test
    void truncatedFileNamesTheFileAndOffset(@TempDir Path dir) throws IOException {
        byte[] bytes = sample().toByteArray();
        Path file = dir.resolve("cut.onnx");
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 20));
        IOException e = assertThrows(IOException.class, () -> OnnxGraph.read(file));
        assertTrue(e.getMessage().startsWith(file + ": malformed ONNX model at byte "), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void fileWithoutGraphIsNotAModel(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("empty.onnx");
        Files.write(file, new byte[] {8, 8}); // ir_version = 8 and nothing else
        IOException e = assertThrows(IOException.class, () -> OnnxGraph.read(file));
        assertEquals(file + ": not an ONNX model (no graph found)", e.getMessage());
    }
}
