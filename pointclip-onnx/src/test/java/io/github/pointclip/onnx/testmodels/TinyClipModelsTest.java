package io.github.pointclip.onnx.testmodels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.github.pointclip.onnx.testmodels.TinyClipModels.Layout;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The committed tiny models come from the generator, and ONNX Runtime computes with them what the
 * plain-Java reference in {@link TinyClipModels} says.
 */
class TinyClipModelsTest {

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static final double TOLERANCE = 1e-5;

    @Test
    void committedFilesAreExactlyWhatTheGeneratorWrites(@TempDir Path dir) throws IOException {
        TinyClipModels.writeAll(dir, TinyClipModels.SEED);
        for (Layout layout : Layout.values()) {
            for (boolean visual : new boolean[] {true, false}) {
                String relative = layout.tinyDirectory + "/" + (visual ? layout.visualPath : layout.textualPath);
                byte[] generated = Files.readAllBytes(dir.resolve(relative));
                byte[] committed = Files.readAllBytes(TinyClipModels.committedModel(layout, visual));
                assertArrayEquals(committed, generated, relative + " differs from the generator's output; rerun "
                        + "TinyClipModels.main and commit");
                assertTrue(generated.length < 64 * 1024, relative + " is " + generated.length + " bytes");
            }
        }
    }

    @Test
    void hfSignature() throws OrtException {
        try (OrtSession visual = session(Layout.HF, true); OrtSession text = session(Layout.HF, false)) {
            assertSignature(visual.getInputInfo(), "pixel_values", OnnxJavaType.FLOAT, -1, -1, -1, -1);
            assertSignature(visual.getOutputInfo(), "image_embeds", OnnxJavaType.FLOAT, -1, 8);
            assertSignature(visual.getOutputInfo(), "last_hidden_state", OnnxJavaType.FLOAT, -1, 16, 3);
            assertSignature(visual.getOutputInfo(), "token_embeds", OnnxJavaType.FLOAT, -1, 17, 8);
            assertEquals(List.of("input_ids", "attention_mask"), List.copyOf(text.getInputInfo().keySet()));
            assertSignature(text.getInputInfo(), "input_ids", OnnxJavaType.INT64, -1, -1);
            assertSignature(text.getInputInfo(), "attention_mask", OnnxJavaType.INT64, -1, -1);
            assertEquals(List.of("text_embeds", "last_hidden_state"), List.copyOf(text.getOutputInfo().keySet()));
            assertSignature(text.getOutputInfo(), "text_embeds", OnnxJavaType.FLOAT, -1, 8);
        }
    }

    @Test
    void openAiSignature() throws OrtException {
        try (OrtSession visual = session(Layout.OPENAI, true); OrtSession text = session(Layout.OPENAI, false)) {
            assertSignature(visual.getInputInfo(), "input", OnnxJavaType.FLOAT, -1, 3, 224, 224);
            assertSignature(visual.getOutputInfo(), "output", OnnxJavaType.FLOAT, -1, 8);
            assertSignature(visual.getOutputInfo(), "token_embeds", OnnxJavaType.FLOAT, -1, 17, 8);
            assertEquals(1, text.getInputInfo().size());
            assertSignature(text.getInputInfo(), "input", OnnxJavaType.INT64, -1, 77);
            assertSignature(text.getOutputInfo(), "output", OnnxJavaType.FLOAT, -1, 8);
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void imageEmbeddingsMatchPlainJava(Layout layout) throws OrtException {
        int batch = 3;
        int plane = 224 * 224;
        float[] pixels = new float[batch * 3 * plane];
        Random random = new Random(7);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) (random.nextGaussian());
        }
        // one image with structure, so that a transposed or channel-swapped input would show
        for (int i = 0; i < 3 * plane; i++) {
            int c = i / plane;
            int y = (i % plane) / 224;
            int x = i % 224;
            pixels[i] = (c + 1) * (x / 224f) - (2 - c) * (y / 224f);
        }
        float[][] expected = TinyClipModels.expectedImageEmbeddings(pixels, batch, TinyClipModels.SEED);
        try (OrtSession session = session(layout, true);
                OnnxTensor input = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(pixels), new long[] {batch, 3, 224, 224});
                OrtSession.Result result = session.run(Map.of(layout.pixelInput, input))) {
            float[][] actual = (float[][]) result.get(layout.imageOutput).orElseThrow().getValue();
            assertClose(expected, actual);
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void textEmbeddingsMatchPlainJava(Layout layout) throws OrtException {
        int length = 77;
        long[][] ids = new long[4][length];
        long[][] mask = new long[4][length];
        Random random = new Random(11);
        int[] textLengths = {1, 5, 20, 75};
        for (int b = 0; b < ids.length; b++) {
            ids[b][0] = 49406;
            for (int t = 1; t <= textLengths[b]; t++) {
                ids[b][t] = random.nextInt(49406);
            }
            ids[b][textLengths[b] + 1] = TinyClipModels.END_OF_TEXT;
            for (int t = 0; t <= textLengths[b] + 1; t++) {
                mask[b][t] = 1;
            }
        }
        boolean hf = layout.maskInput != null;
        float[][] expected = TinyClipModels.expectedTextEmbeddings(ids, hf ? mask : null, TinyClipModels.SEED);
        assertClose(expected, runText(layout, ids, mask));
        // CLIP pools at the end-of-text token: what follows it (padding) must not matter
        for (int b = 0; b < ids.length; b++) {
            for (int t = textLengths[b] + 2; t < length; t++) {
                ids[b][t] = 1234;
            }
        }
        assertClose(expected, runText(layout, ids, mask));
    }

    @Test
    void bothLayoutsGiveTheSameTextEmbeddings() throws OrtException {
        long[][] ids = new long[1][77];
        long[][] mask = new long[1][77];
        ids[0][0] = 49406;
        ids[0][1] = 320;
        ids[0][2] = 1929;
        ids[0][3] = TinyClipModels.END_OF_TEXT;
        for (int t = 0; t < 4; t++) {
            mask[0][t] = 1;
        }
        assertClose(runText(Layout.OPENAI, ids, null), runText(Layout.HF, ids, mask));
    }

    @Test
    void hfTextModelAcceptsShortSequencesAndHonoursTheMask() throws OrtException {
        long[][] ids = {{49406, 320, 1929, 49407, 0, 0}};
        long[][] mask = {{1, 1, 1, 1, 0, 0}};
        float[][] expected = TinyClipModels.expectedTextEmbeddings(ids, mask, TinyClipModels.SEED);
        assertClose(expected, runText(Layout.HF, ids, mask));
        long[][] partlyMasked = {{1, 0, 1, 1, 0, 0}};
        float[][] masked = runText(Layout.HF, ids, partlyMasked);
        assertClose(TinyClipModels.expectedTextEmbeddings(ids, partlyMasked, TinyClipModels.SEED), masked);
        assertTrue(Math.abs(masked[0][0] - expected[0][0]) > 1e-4, "the mask must change the embedding");
    }

    private static float[][] runText(Layout layout, long[][] ids, long[][] mask) throws OrtException {
        int batch = ids.length;
        int length = ids[0].length;
        long[] flatIds = new long[batch * length];
        long[] flatMask = new long[batch * length];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(ids[b], 0, flatIds, b * length, length);
            if (mask != null) {
                System.arraycopy(mask[b], 0, flatMask, b * length, length);
            }
        }
        long[] shape = {batch, length};
        try (OrtSession session = session(layout, false);
                OnnxTensor idTensor = OnnxTensor.createTensor(ENV, LongBuffer.wrap(flatIds), shape);
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

    private static OrtSession session(Layout layout, boolean visual) throws OrtException {
        return ENV.createSession(TinyClipModels.committedModel(layout, visual).toString(), new OrtSession.SessionOptions());
    }

    private static void assertSignature(Map<String, NodeInfo> infos, String name, OnnxJavaType type, long... shape) {
        NodeInfo info = infos.get(name);
        assertTrue(info != null, name + " missing; have " + infos.keySet());
        TensorInfo tensor = (TensorInfo) info.getInfo();
        assertEquals(type, tensor.type, name);
        assertArrayEquals(shape, tensor.getShape(), name);
    }

    private static void assertClose(float[][] expected, float[][] actual) {
        assertEquals(expected.length, actual.length);
        for (int b = 0; b < expected.length; b++) {
            assertEquals(expected[b].length, actual[b].length);
            for (int d = 0; d < expected[b].length; d++) {
                assertEquals(expected[b][d], actual[b][d], TOLERANCE * Math.max(1, Math.abs(expected[b][d])),
                        "row " + b + ", dim " + d);
            }
        }
    }
}
