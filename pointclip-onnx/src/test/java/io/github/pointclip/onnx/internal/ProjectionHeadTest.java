package io.github.pointclip.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.pointclip.io.NpyArray;
import io.github.pointclip.onnx.testmodels.FullClipModels;
import io.github.pointclip.onnx.testmodels.FullClipModels.VisionConfig;
import io.github.pointclip.onnx.testmodels.OnnxModelWriter;
import io.github.pointclip.onnx.testmodels.OnnxModelWriter.ElementType;
import io.github.pointclip.onnx.testmodels.TinyClipModels.Layout;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Hugging Face head: its arithmetic against the golden conversion, and how it is found in a graph. */
class ProjectionHeadTest {

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @Test
    void goldenHuggingFaceHeadConversion() throws IOException, OrtException {
        float[] hidden = NpyArray.read(SharedData.require("golden/segmentation/hf_head.last_hidden_state.npy")).data();
        float[] gamma = NpyArray.read(SharedData.require("golden/segmentation/hf_head.post_layernorm.weight.npy")).data();
        float[] beta = NpyArray.read(SharedData.require("golden/segmentation/hf_head.post_layernorm.bias.npy")).data();
        NpyArray projection = NpyArray.read(SharedData.require("golden/segmentation/hf_head.visual_projection.weight.npy"));
        NpyArray expected = NpyArray.read(SharedData.require("golden/segmentation/hf_head.token_embeds.npy"));
        assertArrayEquals(new int[] {48, 64}, projection.shape());
        assertArrayEquals(new int[] {2, 50, 48}, expected.shape());
        ProjectionHead head = ProjectionHead.of(gamma, beta, 1e-5, projection.data(), 48);
        float[] actual = run(head, hidden, 2, 50);
        float[] want = expected.data();
        assertEquals(want.length, actual.length);
        for (int i = 0; i < want.length; i++) {
            // relative 1e-5 (README); values near zero against the tensor's scale (its values are about 1)
            assertEquals(want[i], actual[i], 1e-5 * Math.max(1, Math.abs(want[i])), "element " + i);
        }
    }

    /** Runs the head's own ONNX model on ONNX Runtime, as the image encoder does. */
    private static float[] run(ProjectionHead head, float[] hidden, int batch, int tokens) throws OrtException {
        try (OrtSession session = ENV.createSession(head.onnxModel(), new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(hidden),
                 new long[] {batch, tokens, head.hiddenSize()});
             OrtSession.Result result = session.run(Map.of(ProjectionHead.INPUT, in))) {
            OnnxTensor out = (OnnxTensor) result.get(ProjectionHead.OUTPUT).orElseThrow();
            assertArrayEquals(new long[] {batch, tokens, head.embeddingDim()}, out.getInfo().getShape());
            float[] values = new float[batch * tokens * head.embeddingDim()];
            out.getFloatBuffer().get(values);
            return values;
        }
    }

    /** A ViT graph with LayerNormalization and Gather on the encoder output, as a transformers export. */
    @Test
    void rebuildsTokenEmbedsOfARandomVit(@TempDir Path dir) throws IOException, OrtException {
        VisionConfig small = new VisionConfig("small", 32, 8, 64, 2, 4, 24);
        Path file = FullClipModels.writeVisual(dir.resolve("v.onnx"), small, Layout.HF, 5, true);
        ProjectionHead head = ProjectionHead.find(OnnxGraph.read(file), "image_embeds", "last_hidden_state");
        assertEquals(64, head.hiddenSize());
        assertEquals(24, head.embeddingDim());
        assertEquals(1e-5, head.epsilon(), 1e-12);
        float[] pixels = new float[2 * 3 * 32 * 32];
        Random random = new Random(3);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        try (OrtSession session = ENV.createSession(file.toString(), new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(pixels), new long[] {2, 3, 32, 32});
             OrtSession.Result result = session.run(Map.of("pixel_values", in))) {
            float[] hidden = ((OnnxTensor) result.get("last_hidden_state").orElseThrow()).getFloatBuffer().array();
            float[] tokens = ((OnnxTensor) result.get("token_embeds").orElseThrow()).getFloatBuffer().array();
            float[] rebuilt = run(head, hidden, 2, small.tokens());
            assertEquals(tokens.length, rebuilt.length);
            for (int i = 0; i < tokens.length; i++) {
                assertEquals(tokens[i], rebuilt[i], 1e-4 * Math.max(1, Math.abs(tokens[i])), "element " + i);
            }
        }
    }

    /** image_embeds = LN(Gather(hidden, index, axis)) · W, with the pieces chosen by the test. */
    private static OnnxGraph headGraph(Path dir, long index, long axis, boolean constantWeight) throws IOException {
        OnnxModelWriter g = new OnnxModelWriter("head");
        String hidden = g.input("hidden", ElementType.FLOAT, "b", 5, 4);
        g.node("Identity", hidden).outputs("last_hidden_state");
        String i = g.int64s("i", new long[0], index);
        String first = g.node("Gather", hidden, i).attrInt("axis", axis).output();
        String normed = g.node("LayerNormalization", first, g.floats("gamma", new long[] {4}, 1, 2, 3, 4),
            g.floats("beta", new long[] {4}, 0, 0, 0, 1)).attrFloat("epsilon", 1e-6f).output();
        String w = constantWeight ? g.floats("w", new long[] {4, 3}, new float[12]) : g.input("w", ElementType.FLOAT, 4, 3);
        g.node("MatMul", normed, w).outputs("image_embeds");
        g.output("image_embeds", ElementType.FLOAT, "b", 3);
        g.output("last_hidden_state", ElementType.FLOAT, "b", 5, 4);
        Path file = dir.resolve("head-" + index + "-" + axis + "-" + constantWeight + ".onnx");
        g.write(file);
        return OnnxGraph.read(file);
    }

    @Test
    void findsTheHeadAndItsEpsilon(@TempDir Path dir) throws IOException {
        ProjectionHead head = ProjectionHead.find(headGraph(dir, 0, 1, true), "image_embeds", "last_hidden_state");
        assertEquals(4, head.hiddenSize());
        assertEquals(3, head.embeddingDim());
        assertEquals(1e-6f, head.epsilon(), 1e-12);
    }

    @Test
    void refusesAGraphOfAnotherForm(@TempDir Path dir) throws IOException {
        IOException token1 = assertThrows(IOException.class,
            () -> ProjectionHead.find(headGraph(dir, 1, 1, true), "image_embeds", "last_hidden_state"));
        assertEquals("the projection head of 'image_embeds' was not found: Gather 'Gather_1' does not take token 0 on "
            + "axis 1 (the class token)", token1.getMessage());
        IOException input = assertThrows(IOException.class,
            () -> ProjectionHead.find(headGraph(dir, 0, 1, false), "image_embeds", "last_hidden_state"));
        assertTrue(input.getMessage().endsWith("MatMul 'MatMul_1' does not multiply by a constant 2-D matrix"),
            input.getMessage());
        IOException other = assertThrows(IOException.class,
            () -> ProjectionHead.find(headGraph(dir, 0, 1, true), "image_embeds", "hidden_states"));
        assertTrue(other.getMessage().endsWith("the class token is taken from 'hidden', not from 'hidden_states'"),
            other.getMessage());
        IOException missing = assertThrows(IOException.class,
            () -> ProjectionHead.find(headGraph(dir, 0, 1, true), "pooled", "last_hidden_state"));
        assertTrue(missing.getMessage().endsWith("the graph has no output 'pooled'"), missing.getMessage());
    }

    /**
     * The layer norm must normalise the hidden axis: on the Slice path its input is [B, 1, H], where axis 1 is the
     * token axis; in the decomposed form both ReduceMeans must reduce the last axis.
     */
    @Test
    void refusesALayerNormOverAnotherAxis(@TempDir Path dir) throws IOException {
        assertEquals(4, ProjectionHead.find(sliceHeadGraph(dir, -1), "image_embeds", "last_hidden_state").hiddenSize());
        assertEquals(4, ProjectionHead.find(sliceHeadGraph(dir, 2), "image_embeds", "last_hidden_state").hiddenSize());
        IOException tokenAxis = assertThrows(IOException.class,
            () -> ProjectionHead.find(sliceHeadGraph(dir, 1), "image_embeds", "last_hidden_state"));
        assertTrue(tokenAxis.getMessage().endsWith("normalises axis 1 of its rank-3 input, expected the last (-1 or 2)"),
            tokenAxis.getMessage());
        // decomposed over the Gather of token 0, [B, H]
        assertEquals(1e-6f, ProjectionHead.find(decomposedHeadGraph(dir, -1, 1), "image_embeds", "last_hidden_state")
            .epsilon(), 1e-12);
        IOException mean = assertThrows(IOException.class,
            () -> ProjectionHead.find(decomposedHeadGraph(dir, 0, -1), "image_embeds", "last_hidden_state"));
        assertTrue(mean.getMessage().contains("ReduceMean") && mean.getMessage().endsWith(
            "normalises axis 0 of its rank-2 input, expected the last (-1 or 1)"), mean.getMessage());
        IOException variance = assertThrows(IOException.class,
            () -> ProjectionHead.find(decomposedHeadGraph(dir, -1, 0), "image_embeds", "last_hidden_state"));
        assertTrue(variance.getMessage().endsWith("normalises axis 0 of its rank-2 input, expected the last (-1 or 1)"),
            variance.getMessage());
    }

    /** image_embeds = LN(Slice(hidden, token 0..1, axis 1), axis) · W: the layer norm's input is [B, 1, H]. */
    private static OnnxGraph sliceHeadGraph(Path dir, long lnAxis) throws IOException {
        OnnxModelWriter g = new OnnxModelWriter("head");
        String hidden = g.input("hidden", ElementType.FLOAT, "b", 5, 4);
        g.node("Identity", hidden).outputs("last_hidden_state");
        String first = g.node("Slice", hidden, g.int64s("starts", new long[] {1}, 0), g.int64s("ends", new long[] {1}, 1),
            g.int64s("axes", new long[] {1}, 1)).output();
        String normed = g.node("LayerNormalization", first, g.floats("gamma", new long[] {4}, 1, 2, 3, 4),
            g.floats("beta", new long[] {4}, 0, 0, 0, 1)).attrInt("axis", lnAxis).attrFloat("epsilon", 1e-6f).output();
        g.node("MatMul", normed, g.floats("w", new long[] {4, 3}, new float[12])).outputs("image_embeds");
        g.output("image_embeds", ElementType.FLOAT, "b", 1, 3);
        g.output("last_hidden_state", ElementType.FLOAT, "b", 5, 4);
        Path file = dir.resolve("slice-head" + lnAxis + ".onnx");
        g.write(file);
        return OnnxGraph.read(file);
    }

    /** The decomposed layer norm (as torch.onnx exports below opset 17) over the Gather of token 0, [B, H]. */
    private static OnnxGraph decomposedHeadGraph(Path dir, long meanAxis, long varianceAxis) throws IOException {
        OnnxModelWriter g = new OnnxModelWriter("head");
        String hidden = g.input("hidden", ElementType.FLOAT, "b", 5, 4);
        g.node("Identity", hidden).outputs("last_hidden_state");
        String x = g.node("Gather", hidden, g.int64s("i", new long[0], 0)).attrInt("axis", 1).output();
        String mean = g.node("ReduceMean", x).attrInts("axes", meanAxis).attrInt("keepdims", 1).output();
        String centred = g.node("Sub", x, mean).output();
        String squared = g.node("Pow", centred, g.floats("two", new long[0], 2f)).output();
        String variance = g.node("ReduceMean", squared).attrInts("axes", varianceAxis).attrInt("keepdims", 1).output();
        String std = g.node("Sqrt", g.node("Add", variance, g.floats("eps", new long[0], 1e-6f)).output()).output();
        String normed = g.node("Div", centred, std).output();
        String scaled = g.node("Mul", normed, g.floats("gamma", new long[] {4}, 1, 2, 3, 4)).output();
        String shifted = g.node("Add", scaled, g.floats("beta", new long[] {4}, 0, 0, 0, 1)).output();
        g.node("MatMul", shifted, g.floats("w", new long[] {4, 3}, new float[12])).outputs("image_embeds");
        g.output("image_embeds", ElementType.FLOAT, "b", 3);
        g.output("last_hidden_state", ElementType.FLOAT, "b", 5, 4);
        Path file = dir.resolve("decomposed-" + meanAxis + "-" + varianceAxis + ".onnx");
        g.write(file);
        return OnnxGraph.read(file);
    }
}
