package io.github.pointclip.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.encoder.DenseFeaturesUnavailableException;
import io.github.pointclip.encoder.Device;
import io.github.pointclip.encoder.ModelRequest;
import io.github.pointclip.onnx.bundle.ModelBundle;
import io.github.pointclip.onnx.testmodels.OnnxModelWriter;
import io.github.pointclip.onnx.testmodels.OnnxModelWriter.ElementType;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import io.github.pointclip.onnx.testmodels.TinyClipModels.Layout;
import io.github.pointclip.onnx.tokenizer.SmallVocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dense (per-patch) image features through {@link OnnxImageEncoder#encodeTokens}: from a model's
 * {@code token_embeds} output, and from a Hugging Face export's {@code last_hidden_state} through the
 * layer norm and projection found in the file; against plain-Java references of the tiny models,
 * and against each other.
 */
class DenseFeaturesTest {

    private static final int D = TinyClipModels.EMBED_DIM;
    private static final int T = TinyClipModels.TOKENS;
    private static final int PER_IMAGE = 3 * TinyClipModels.IMAGE_SIZE * TinyClipModels.IMAGE_SIZE;

    private static ModelRequest request(int batch) {
        return ModelRequest.builder().device(Device.CPU).threads(1).batchSize(batch).build();
    }

    /** Images with structure (so that a transposed grid would show) plus noise. */
    private static float[] images(int count, long seed) {
        float[] pixels = new float[count * PER_IMAGE];
        SplittableRandom random = new SplittableRandom(seed);
        int size = TinyClipModels.IMAGE_SIZE;
        for (int i = 0; i < pixels.length; i++) {
            int c = (i / (size * size)) % 3;
            int y = (i / size) % size;
            int x = i % size;
            pixels[i] = (float) ((c + 1) * x / (double) size - (2 - c) * y / (double) size + random.nextDouble() - 0.5);
        }
        return pixels;
    }

    static Path committedBundle(Layout layout, Path dir) throws IOException {
        ZeroShotEndToEndTest.copyTree(TinyClipModels.committedDirectory(layout), dir);
        // the Hugging Face vocabulary files serve both layouts (they are looked for in the root)
        SmallVocabulary.writeHuggingFace(dir);
        return dir;
    }

    /** A Hugging Face bundle with the given vision model and the committed text model. */
    static Path huggingFaceBundle(Path dir, byte[] visionModel) throws IOException {
        committedBundle(Layout.HF, dir);
        Files.write(dir.resolve("onnx/vision_model.onnx"), visionModel);
        return dir;
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void tokenEmbedsOutputGivesTheModelsTokens(Layout layout, @TempDir Path dir) throws IOException {
        int count = 5;
        float[] pixels = images(count, 3);
        float[][][] expected = TinyClipModels.expectedTokenEmbeddings(pixels, count, TinyClipModels.SEED);
        // batch 2: the tokens of 5 images come from three runs and must land in order
        try (OnnxClipModel model = OnnxClipModel.open(ModelBundle.detect(committedBundle(layout, dir)), request(2))) {
            OnnxImageEncoder encoder = model.imageEncoder();
            assertEquals(TinyClipModels.GRID, encoder.patchGridSize());
            float[] tokens = encoder.encodeTokens(pixels, count);
            assertEquals(count * T * D, tokens.length);
            for (int b = 0; b < count; b++) {
                for (int t = 0; t < T; t++) {
                    for (int d = 0; d < D; d++) {
                        double want = expected[b][t][d];
                        assertEquals(want, tokens[(b * T + t) * D + d], 1e-5 * Math.max(1, Math.abs(want)),
                            "image " + b + " token " + t + " dim " + d);
                    }
                }
            }
            // the class token is the image embedding: the same computation, bit for bit
            float[] image = encoder.encode(pixels, count);
            for (int b = 0; b < count; b++) {
                for (int d = 0; d < D; d++) {
                    assertEquals(image[b * D + d], tokens[b * T * D + d], "class token of image " + b);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void lastHiddenStateThroughTheFilesOwnHeadEqualsTokenEmbeds(boolean decomposed, @TempDir Path dir)
            throws IOException {
        int count = 3;
        float[] pixels = images(count, 11);
        double[][][] expected = TinyClipModels.expectedHuggingFaceTokens(pixels, count, TinyClipModels.SEED);
        Path withHeadOnly = huggingFaceBundle(dir.resolve("head"),
            TinyClipModels.huggingFaceDense(TinyClipModels.SEED, false, decomposed));
        Path withTokens = huggingFaceBundle(dir.resolve("tokens"),
            TinyClipModels.huggingFaceDense(TinyClipModels.SEED, true, decomposed));
        try (OnnxClipModel head = OnnxClipModel.open(ModelBundle.detect(withHeadOnly), request(2));
             OnnxClipModel tokens = OnnxClipModel.open(ModelBundle.detect(withTokens), request(2))) {
            assertEquals(TinyClipModels.GRID, head.imageEncoder().patchGridSize());
            float[] rebuilt = head.imageEncoder().encodeTokens(pixels, count);
            float[] exported = tokens.imageEncoder().encodeTokens(pixels, count);
            float[] image = head.imageEncoder().encode(pixels, count);
            double scale = 0;
            for (double[][] b : expected) {
                for (double[] t : b) {
                    for (double v : t) {
                        scale = Math.max(scale, Math.abs(v));
                    }
                }
            }
            for (int b = 0; b < count; b++) {
                for (int t = 0; t < T; t++) {
                    for (int d = 0; d < D; d++) {
                        int i = (b * T + t) * D + d;
                        String where = "image " + b + " token " + t + " dim " + d;
                        assertEquals(expected[b][t][d], rebuilt[i], 1e-5 * scale, where + " (rebuilt from last_hidden_state)");
                        assertEquals(exported[i], rebuilt[i], 1e-5 * scale, where + " (rebuilt vs token_embeds)");
                    }
                }
                for (int d = 0; d < D; d++) {
                    assertEquals(image[b * D + d], rebuilt[b * T * D + d], 1e-5 * scale, "class token = image_embeds");
                }
            }
        }
    }

    @Test
    void modelWithoutDenseFeaturesSaysWhichOutputIsMissing(@TempDir Path dir) throws IOException {
        Path bundle = committedBundle(Layout.OPENAI, dir);
        Files.write(bundle.resolve("visual.onnx"), TinyClipModels.visualModel(Layout.OPENAI, TinyClipModels.SEED, false));
        try (OnnxClipModel model = OnnxClipModel.open(ModelBundle.detect(bundle), request(4))) {
            assertEquals(0, model.imageEncoder().patchGridSize());
            DenseFeaturesUnavailableException e = assertThrows(DenseFeaturesUnavailableException.class,
                () -> model.imageEncoder().encodeTokens(new float[PER_IMAGE], 1));
            String m = e.getMessage();
            assertFalse(m.contains("\n"), m);
            assertTrue(m.startsWith(bundle.resolve("visual.onnx").toString() + ": "), m);
            assertTrue(m.contains("no 'token_embeds' output"), m);
            assertTrue(m.contains("(its outputs: 'output' float32[-1,8])"), m);
            assertTrue(m.contains("docs/models.md"), m);
            // classification is unaffected
            assertEquals(D, model.imageEncoder().encode(new float[PER_IMAGE], 1).length);
        }
    }

    @Test
    void lastHiddenStateWithoutAProjectionHeadIsRefusedWithTheReason(@TempDir Path dir) throws IOException {
        // the tiny HF model's last_hidden_state is not followed by a layer norm and projection
        Path bundle = huggingFaceBundle(dir, TinyClipModels.visualModel(Layout.HF, TinyClipModels.SEED, false));
        try (OnnxClipModel model = OnnxClipModel.open(ModelBundle.detect(bundle), request(4))) {
            assertEquals(0, model.imageEncoder().patchGridSize());
            DenseFeaturesUnavailableException e = assertThrows(DenseFeaturesUnavailableException.class,
                () -> model.imageEncoder().encodeTokens(new float[PER_IMAGE], 1));
            String m = e.getMessage();
            assertFalse(m.contains("\n"), m);
            assertTrue(m.contains("no 'token_embeds' output, and its 'last_hidden_state' cannot stand in for it"), m);
            assertTrue(m.contains("the projection head of 'image_embeds' was not found: 'image_embeds' is computed by Add"),
                m);
            assertTrue(m.contains("docs/models.md"), m);
        }
    }

    @Test
    void tokensThatAreNotOneClassTokenAndASquareGridAreRefused(@TempDir Path dir) throws IOException {
        // token_embeds [batch, 16, 8]: 16 - 1 is not a square
        OnnxModelWriter g = new OnnxModelWriter("not_square");
        String pixels = g.input("input", ElementType.FLOAT, "batch_size", 3, 224, 224);
        String pooled = g.node("AveragePool", pixels).attrInts("kernel_shape", 56, 56).attrInts("strides", 56, 56)
            .output();
        String flat = g.node("Flatten", pooled).attrInt("axis", 1).output();
        g.node("MatMul", flat, g.floats("w", new long[] {48, D}, new float[48 * D])).outputs("output");
        String cells = g.node("Reshape", pooled, g.int64s("shape", new long[] {3}, 0, 16, 3)).output();
        g.node("MatMul", cells, g.floats("w_tok", new long[] {3, D}, new float[3 * D])).outputs("token_embeds");
        g.output("output", ElementType.FLOAT, "batch_size", D);
        g.output("token_embeds", ElementType.FLOAT, "batch_size", "tokens", D);
        Path bundle = committedBundle(Layout.OPENAI, dir);
        g.write(bundle.resolve("visual.onnx"));
        try (OnnxClipModel model = OnnxClipModel.open(ModelBundle.detect(bundle), request(4))) {
            // the token count is symbolic, so the encoder runs the model once to see it
            assertEquals(0, model.imageEncoder().patchGridSize());
            DenseFeaturesUnavailableException e = assertThrows(DenseFeaturesUnavailableException.class,
                () -> model.imageEncoder().encodeTokens(new float[PER_IMAGE], 1));
            assertEquals(bundle.resolve("visual.onnx") + ": output 'token_embeds' has 16 tokens per image, which is not 1 "
                + "class token + a square grid of patches (1 + g²); it cannot give dense features", e.getMessage());
        }
    }

    @Test
    void closingReleasesTheHeadSessionAndRefusesLaterCalls(@TempDir Path dir) throws IOException {
        Path bundle = huggingFaceBundle(dir, TinyClipModels.huggingFaceDense(TinyClipModels.SEED, false, false));
        OnnxClipModel model = OnnxClipModel.open(ModelBundle.detect(bundle), request(4));
        assertEquals(T * D, model.imageEncoder().encodeTokens(images(1, 5), 1).length);
        model.close();
        model.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> model.imageEncoder().encodeTokens(images(1, 5), 1));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void closedEncoderRefusesTokens(@TempDir Path dir) throws IOException {
        OnnxClipModel model = OnnxClipModel.open(ModelBundle.detect(committedBundle(Layout.HF, dir)), request(4));
        model.close();
        assertThrows(IllegalStateException.class, () -> model.imageEncoder().encodeTokens(new float[PER_IMAGE], 1));
    }
}
