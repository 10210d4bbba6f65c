package io.github.pointclip.onnx.testmodels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.github.pointclip.onnx.testmodels.FullClipModels.TextConfig;
import io.github.pointclip.onnx.testmodels.FullClipModels.VisionConfig;
import io.github.pointclip.onnx.testmodels.TinyClipModels.Layout;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The full-size graphs have exactly CLIP's parameter counts; reduced-size variants of the same
 * graphs run on ONNX Runtime with the right shapes, causal text attention and batch-independent
 * image features.
 */
class FullClipModelsTest {

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static final VisionConfig SMALL_VISION = new VisionConfig("small", 32, 8, 64, 2, 4, 24);
    private static final TextConfig SMALL_TEXT = new TextConfig("small", 1000, 77, 64, 2, 4, 24);

    @Test
    void fullSizeGraphsHaveOpenAiClipParameterCounts() {
        // published totals of OpenAI's checkpoints, which also hold one logit_scale scalar
        long text = FullClipModels.parameterCount(FullClipModels.textualGraph(FullClipModels.VIT_B_TEXT, Layout.OPENAI, 1));
        long b32 = FullClipModels.parameterCount(FullClipModels.visualGraph(FullClipModels.VIT_B_32, Layout.OPENAI, 1));
        long b16 = FullClipModels.parameterCount(FullClipModels.visualGraph(FullClipModels.VIT_B_16, Layout.HF, 1));
        assertEquals(151_277_313L, b32 + text + 1);
        assertEquals(149_620_737L, b16 + text + 1);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void smallVisualRunsWithBatchIndependentOutputs(Layout layout, @TempDir Path dir) throws IOException, OrtException {
        Path file = FullClipModels.writeVisual(dir.resolve(layout.visualPath), SMALL_VISION, layout, 3);
        assertEquals(FullClipModels.visualGraph(SMALL_VISION, layout, 3).fileSize(), Files.size(file));
        float[] pixels = new float[2 * 3 * 32 * 32];
        Random random = new Random(5);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        try (OrtSession session = ENV.createSession(file.toString(), new OrtSession.SessionOptions())) {
            TensorInfo out = (TensorInfo) session.getOutputInfo().get(layout.imageOutput).getInfo();
            assertArrayEquals(new long[] {-1, 24}, out.getShape());
            float[][] both = runVisual(session, layout, pixels, 2);
            float[] firstOnly = new float[pixels.length / 2];
            System.arraycopy(pixels, 0, firstOnly, 0, firstOnly.length);
            float[][] alone = runVisual(session, layout, firstOnly, 1);
            assertEquals(2, both.length);
            assertEquals(24, both[0].length);
            for (int d = 0; d < 24; d++) {
                assertTrue(Float.isFinite(both[0][d]) && Float.isFinite(both[1][d]));
                assertEquals(alone[0][d], both[0][d], 1e-5, "image 0 must not depend on image 1");
            }
            assertTrue(Math.abs(both[0][0] - both[1][0]) > 1e-6, "different images give different features");
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void smallTextualIsCausalAndPoolsAtEndOfText(Layout layout, @TempDir Path dir) throws IOException, OrtException {
        Path file = FullClipModels.writeTextual(dir.resolve(layout.textualPath), SMALL_TEXT, layout, 4);
        long[][] ids = new long[2][77];
        long[][] mask = new long[2][77];
        int[] eot = {3, 9};
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < eot[b]; t++) {
                ids[b][t] = 1 + 37 * t + 101 * b;
                mask[b][t] = 1;
            }
            ids[b][eot[b]] = SMALL_TEXT.vocabSize() - 1;
            mask[b][eot[b]] = 1;
        }
        try (OrtSession session = ENV.createSession(file.toString(), new OrtSession.SessionOptions())) {
            float[][] before = runText(session, layout, ids, mask);
            assertEquals(2, before.length);
            assertEquals(24, before[0].length);
            // a token after end-of-text must not matter (causal mask); one before it must
            long[][] after = {ids[0].clone(), ids[1].clone()};
            after[0][eot[0] + 2] = 500;
            float[][] changedAfter = runText(session, layout, after, mask);
            long[][] inside = {ids[0].clone(), ids[1].clone()};
            inside[0][1] = 500;
            float[][] changedInside = runText(session, layout, inside, mask);
            for (int d = 0; d < 24; d++) {
                assertTrue(Float.isFinite(before[0][d]) && Float.isFinite(before[1][d]));
                assertEquals(before[0][d], changedAfter[0][d], 1e-5);
            }
            double moved = 0;
            for (int d = 0; d < 24; d++) {
                moved += Math.abs(before[0][d] - changedInside[0][d]);
            }
            assertTrue(moved > 1e-5, "a token before end-of-text changes the feature");
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void tokenEmbedsClassTokenIsTheImageEmbedding(Layout layout, @TempDir Path dir) throws IOException, OrtException {
        Path file = FullClipModels.writeVisual(dir.resolve(layout.visualPath), SMALL_VISION, layout, 3, true);
        float[] pixels = new float[2 * 3 * 32 * 32];
        Random random = new Random(9);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        try (OrtSession session = ENV.createSession(file.toString(), new OrtSession.SessionOptions());
                OnnxTensor in = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(pixels), new long[] {2, 3, 32, 32});
                OrtSession.Result result = session.run(Map.of(layout.pixelInput, in))) {
            float[][] image = (float[][]) result.get(layout.imageOutput).orElseThrow().getValue();
            float[][][] tokens = (float[][][]) result.get("token_embeds").orElseThrow().getValue();
            assertEquals(SMALL_VISION.tokens(), tokens[0].length);
            for (int b = 0; b < 2; b++) {
                for (int d = 0; d < 24; d++) {
                    assertEquals(image[b][d], tokens[b][0][d], 1e-6, "image " + b + " dim " + d);
                }
            }
            assertTrue(Math.abs(tokens[0][1][0] - tokens[0][2][0]) > 1e-6, "patch tokens differ");
        }
        // the weights do not depend on the extra output
        float[][] plain;
        Path without = FullClipModels.writeVisual(dir.resolve("plain.onnx"), SMALL_VISION, layout, 3);
        try (OrtSession session = ENV.createSession(without.toString(), new OrtSession.SessionOptions())) {
            plain = runVisual(session, layout, pixels, 2);
        }
        try (OrtSession session = ENV.createSession(file.toString(), new OrtSession.SessionOptions())) {
            float[][] with = runVisual(session, layout, pixels, 2);
            for (int b = 0; b < 2; b++) {
                assertArrayEquals(plain[b], with[b], 1e-6f);
            }
        }
    }

    private static float[][] runVisual(OrtSession session, Layout layout, float[] pixels, int batch)
            throws OrtException {
        try (OnnxTensor in = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(pixels), new long[] {batch, 3, 32, 32});
                OrtSession.Result result = session.run(Map.of(layout.pixelInput, in))) {
            return (float[][]) result.get(layout.imageOutput).orElseThrow().getValue();
        }
    }

    private static float[][] runText(OrtSession session, Layout layout, long[][] ids, long[][] mask)
            throws OrtException {
        int batch = ids.length;
        int length = ids[0].length;
        long[] flatIds = new long[batch * length];
        long[] flatMask = new long[batch * length];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(ids[b], 0, flatIds, b * length, length);
            System.arraycopy(mask[b], 0, flatMask, b * length, length);
        }
        long[] shape = {batch, length};
        try (OnnxTensor idTensor = OnnxTensor.createTensor(ENV, LongBuffer.wrap(flatIds), shape);
                OnnxTensor maskTensor = OnnxTensor.createTensor(ENV, LongBuffer.wrap(flatMask), shape)) {
            Map<String, OnnxTensor> feeds = new HashMap<>();
            feeds.put(layout.idsInput, idTensor);
            if (layout.maskInput != null) {
                feeds.put(layout.maskInput, maskTensor);
            }
            try (OrtSession.Result result = session.run(feeds)) {
                return (float[][]) result.get(layout.textOutput).orElseThrow().getValue();
            }
        }
    }
}
