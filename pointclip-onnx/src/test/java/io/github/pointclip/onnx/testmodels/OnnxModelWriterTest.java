package io.github.pointclip.onnx.testmodels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.github.pointclip.onnx.testmodels.OnnxModelWriter.ElementType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads writer output into ONNX Runtime and checks metadata and values against hand computation. */
class OnnxModelWriterTest {

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static final float[] WEIGHTS = {1f, -2f, 0.5f, 3f, -1f, 0.25f, 2f, 4f};

    /**
     * x [batch,2,3] → LeakyRelu(alpha 0.25, a float attribute) → Transpose(perm, ints) → Reshape
     * (int64 initializer) to [batch,6] → Pad(mode "edge", a string attribute) to [batch,8] →
     * Mul by a float initializer → "scaled"; and Softmax(axis −1, a negative int attribute) → "probs".
     */
    private static OnnxModelWriter sampleModel() {
        OnnxModelWriter w = new OnnxModelWriter("sample").docString("writer test");
        String x = w.input("x", ElementType.FLOAT, "batch", 2, 3);
        String shape = w.int64s("shape", new long[] {2}, 0, -1);
        String pads = w.int64s("pads", new long[] {4}, 0, 1, 0, 1);
        String weights = w.floats("weights", new long[] {8}, i -> WEIGHTS[(int) i]);
        String leaky = w.node("LeakyRelu", x).attrFloat("alpha", 0.25f).output();
        String transposed = w.node("Transpose", leaky).attrInts("perm", 0, 2, 1).output();
        String flat = w.node("Reshape", transposed, shape).output();
        String padded = w.node("Pad", flat, pads).attrString("mode", "edge").output();
        w.node("Mul", padded, weights).outputs("scaled");
        w.node("Softmax", flat).attrInt("axis", -1).outputs("probs");
        w.output("scaled", ElementType.FLOAT, "batch", 8);
        w.output("probs", ElementType.FLOAT, "batch", 6);
        return w;
    }

    @Test
    void modelLoadsWithDeclaredSignature(@TempDir Path dir) throws IOException, OrtException {
        Path file = dir.resolve("sample.onnx");
        OnnxModelWriter model = sampleModel();
        model.write(file);
        assertEquals(model.fileSize(), Files.size(file));
        try (OrtSession session = ENV.createSession(file.toString(), new OrtSession.SessionOptions())) {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            assertEquals(List.of("x"), List.copyOf(inputs.keySet()));
            TensorInfo x = (TensorInfo) inputs.get("x").getInfo();
            assertEquals(OnnxJavaType.FLOAT, x.type);
            assertArrayEquals(new long[] {-1, 2, 3}, x.getShape());
            assertEquals("batch", x.getDimensionNames()[0]);
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            assertEquals(List.of("scaled", "probs"), List.copyOf(outputs.keySet()));
            assertArrayEquals(new long[] {-1, 8}, ((TensorInfo) outputs.get("scaled").getInfo()).getShape());
            assertArrayEquals(new long[] {-1, 6}, ((TensorInfo) outputs.get("probs").getInfo()).getShape());
        }
    }

    @Test
    void modelComputesWhatTheOperatorsDefine() throws OrtException {
        float[][][] x = {{{1, -4, 2}, {-8, 0.5f, 3}}, {{0, 1, -1}, {2, -2, 6}}};
        try (OrtSession session = ENV.createSession(sampleModel().toByteArray(), new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(ENV, x);
                OrtSession.Result result = session.run(Map.of("x", input))) {
            float[][] scaled = (float[][]) result.get("scaled").orElseThrow().getValue();
            float[][] probs = (float[][]) result.get("probs").orElseThrow().getValue();
            for (int b = 0; b < 2; b++) {
                // transpose [2,3] -> [3,2], flattened: element (j, i) = x[i][j]
                double[] flat = new double[6];
                for (int j = 0; j < 3; j++) {
                    for (int i = 0; i < 2; i++) {
                        double v = x[b][i][j];
                        flat[j * 2 + i] = v < 0 ? 0.25 * v : v;
                    }
                }
                double[] padded = new double[8];
                padded[0] = flat[0];
                System.arraycopy(flat, 0, padded, 1, 6);
                padded[7] = flat[5];
                double sum = 0;
                for (double v : flat) {
                    sum += Math.exp(v);
                }
                for (int i = 0; i < 8; i++) {
                    assertEquals(padded[i] * WEIGHTS[i], scaled[b][i], 1e-6, "scaled " + b + "," + i);
                }
                for (int i = 0; i < 6; i++) {
                    assertEquals(Math.exp(flat[i]) / sum, probs[b][i], 1e-6, "probs " + b + "," + i);
                }
            }
        }
    }

    @Test
    void writingTwiceGivesTheSameBytes() {
        assertArrayEquals(sampleModel().toByteArray(), sampleModel().toByteArray());
    }

    @Test
    void rejectsDuplicateNamesAndWrongCounts() {
        OnnxModelWriter w = new OnnxModelWriter("g");
        w.input("a", ElementType.FLOAT, 1);
        assertThrows(IllegalArgumentException.class, () -> w.floats("a", new long[] {1}, 1f));
        assertThrows(IllegalArgumentException.class, () -> w.floats("b", new long[] {2}, 1f));
        assertThrows(IllegalArgumentException.class, () -> w.input("c", ElementType.FLOAT, 1.5));
    }
}
