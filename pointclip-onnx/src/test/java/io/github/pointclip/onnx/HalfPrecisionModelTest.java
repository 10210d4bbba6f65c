package io.github.pointclip.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.encoder.Device;
import io.github.pointclip.encoder.ModelRequest;
import io.github.pointclip.onnx.bundle.BundleException;
import io.github.pointclip.onnx.bundle.BundleOptions;
import io.github.pointclip.onnx.bundle.ModelBundle;
import io.github.pointclip.onnx.bundle.ModelVariant;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import io.github.pointclip.onnx.tokenizer.SmallVocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transformers.js {@code fp16} export takes and gives float16 tensors. The tiny fp16 model (float16 pixels in,
 * float16 embeddings out, float32 inside) must give the plain-Java reference's embeddings to float16 precision:
 * each value within the rounding of the input (2^-11 relative per pixel, averaged by the pooling) and of the output
 * (2^-11 relative).
 */
class HalfPrecisionModelTest {

    static Path halfBundle(Path dir) throws IOException {
        for (Map.Entry<String, byte[]> f : TinyClipModels.halfPrecisionHuggingFace(TinyClipModels.SEED).entrySet()) {
            Path target = dir.resolve(f.getKey());
            Files.createDirectories(target.getParent());
            Files.write(target, f.getValue());
        }
        SmallVocabulary.writeHuggingFace(dir);
        return dir;
    }

    @Test
    void fp16ModelIsFedAndReadInHalfPrecision(@TempDir Path dir) throws IOException {
        halfBundle(dir);
        ModelBundle bundle = ModelBundle.detect(dir, BundleOptions.builder().variant(ModelVariant.FP16).build());
        int batch = 2;
        int per = 3 * TinyClipModels.IMAGE_SIZE * TinyClipModels.IMAGE_SIZE;
        float[] pixels = new float[batch * per];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) (random.nextDouble() * 4 - 2);
        }
        float[][] expected = TinyClipModels.expectedImageEmbeddings(pixels, batch, TinyClipModels.SEED);
        try (OnnxClipModel model = OnnxClipModel.open(bundle, ModelRequest.builder().device(Device.CPU).threads(1).build())) {
            float[] image = model.imageEncoder().encode(pixels, batch);
            double worst = 0;
            for (int b = 0; b < batch; b++) {
                for (int d = 0; d < TinyClipModels.EMBED_DIM; d++) {
                    double want = expected[b][d];
                    double got = image[b * TinyClipModels.EMBED_DIM + d];
                    // output rounding 2^-11 relative, plus input rounding carried through the projection
                    double tolerance = Math.abs(want) * 0x1p-10 + 2e-3;
                    assertEquals(want, got, tolerance, "image " + b + " dim " + d);
                    worst = Math.max(worst, Math.abs(want - got));
                }
            }
            assertTrue(worst > 0, "float16 rounding must be visible; the fp32 path was taken");

            List<String> texts = List.of("a chair", "a table");
            float[] text = model.textEncoder().encode(texts);
            long[] ids = model.textEncoder().tokenizer().tokenize(texts, false);
            int context = model.textEncoder().tokenizer().contextLength();
            long[][] rows = new long[texts.size()][context];
            long[][] mask = new long[texts.size()][context];
            for (int r = 0; r < texts.size(); r++) {
                for (int t = 0; t < context; t++) {
                    rows[r][t] = ids[r * context + t];
                }
                for (int t = 0; t < context; t++) {
                    mask[r][t] = 1;
                    if (rows[r][t] == model.textEncoder().tokenizer().endOfTextId()) {
                        break;
                    }
                }
            }
            float[][] want = TinyClipModels.expectedTextEmbeddings(rows, mask, TinyClipModels.SEED);
            for (int r = 0; r < texts.size(); r++) {
                for (int d = 0; d < TinyClipModels.EMBED_DIM; d++) {
                    assertEquals(want[r][d], text[r * TinyClipModels.EMBED_DIM + d],
                        Math.abs(want[r][d]) * 0x1p-10 + 1e-4, "text " + r + " dim " + d);
                }
            }
        }
    }

    @Test
    void askingForAVariantTheDirectoryLacksNamesTheFiles(@TempDir Path dir) throws IOException {
        halfBundle(dir);
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.detect(dir));
        assertTrue(e.getMessage().contains("without the fp32 files: need onnx/vision_model.onnx"), e.getMessage());
        assertTrue(e.getMessage().endsWith("this directory has dtype fp16 (choose with --dtype or .dtype(...))"), e.getMessage());
    }
}
