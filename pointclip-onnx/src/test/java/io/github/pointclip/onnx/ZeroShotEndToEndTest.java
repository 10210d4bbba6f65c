package io.github.pointclip.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.Pipeline;
import io.github.pointclip.PointClip;
import io.github.pointclip.Prediction;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.encoder.Device;
import io.github.pointclip.encoder.ModelLoadException;
import io.github.pointclip.encoder.ModelRequest;
import io.github.pointclip.io.NpyArray;
import io.github.pointclip.onnx.bundle.BundleException;
import io.github.pointclip.onnx.bundle.ModelBundle;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import io.github.pointclip.onnx.tokenizer.ClipTokenizer;
import io.github.pointclip.onnx.tokenizer.SmallVocabulary;
import io.github.pointclip.prompt.PromptSet;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path cloud → projection → ONNX encoders → logits, on the tiny CLIP-shaped models,
 * against an expectation computed without the code under test: the golden resized depth maps,
 * the models' weights evaluated in plain Java, and the references' logit formula (concatenated
 * view features against the text feature repeated V times).
 */
class ZeroShotEndToEndTest {

    private static final List<String> LABELS = List.of("chair", "table", "airplane", "night_stand");
    private static final float[] V2_WEIGHTS = {0.75f, 0.75f, 0.75f, 0.25f, 0.75f, 1.0f, 0.25f, 1.0f, 0.75f, 0.25f};

    static Path openAiBundle(Path dir) throws IOException {
        copyTree(TinyClipModels.committedDirectory(TinyClipModels.Layout.OPENAI), dir);
        Files.copy(SharedData.require("clip/bpe_simple_vocab_16e6.txt.gz"), dir.resolve("bpe_simple_vocab_16e6.txt.gz"));
        return dir;
    }

    static Path huggingFaceBundle(Path dir) throws IOException {
        copyTree(TinyClipModels.committedDirectory(TinyClipModels.Layout.HF), dir);
        SmallVocabulary.writeHuggingFace(dir);
        return dir;
    }

    /** Copies every file under {@code from} to the same relative path under {@code to}. */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                Files.createDirectories(target.getParent());
                Files.copy(f, target);
            }
        }
    }

    @Test
    void v2LogitsEqualTheIndependentReference(@TempDir Path dir, @TempDir Path cache) throws IOException {
        Path bundle = openAiBundle(dir);
        PointCloud cloud = PointCloud.of(NpyArray.read(SharedData.require("golden/projection/chair_1024.npy")).data());
        float[] logits;
        try (PointClip clip = PointClip.builder().model(bundle).pipeline(Pipeline.v2()).classes(LABELS)
            .textCache(cache).threads(1).build()) {
            assertEquals("cpu", clip.model().executionDevice());
            logits = clip.classify(cloud).logits();
        }
        // image side: golden [10, 224, 224] maps, each repeated over 3 channels, through the plain-Java model
        float[] maps = NpyArray.read(SharedData.require("golden/projection/chair_1024.v2_224.npy")).data();
        int plane = 224 * 224;
        float[] pixels = new float[10 * 3 * plane];
        for (int v = 0; v < 10; v++) {
            for (int c = 0; c < 3; c++) {
                System.arraycopy(maps, v * plane, pixels, (v * 3 + c) * plane, plane);
            }
        }
        float[][] image = TinyClipModels.expectedImageEmbeddings(pixels, 10, TinyClipModels.SEED);
        // text side: the golden-tested tokenizer, then the plain-Java model
        ClipTokenizer tokenizer = ClipTokenizer.fromBpeVocab(SharedData.require("clip/bpe_simple_vocab_16e6.txt.gz"));
        long[][] ids = new long[LABELS.size()][];
        for (int c = 0; c < LABELS.size(); c++) {
            ids[c] = tokenizer.tokenize(PromptSet.fill(PromptSet.POINTCLIP_TEMPLATE, LABELS.get(c)));
        }
        float[][] text = TinyClipModels.expectedTextEmbeddings(ids, null, TinyClipModels.SEED);
        double[] expected = referenceLogits(image, text, V2_WEIGHTS);
        for (int c = 0; c < LABELS.size(); c++) {
            assertEquals(expected[c], logits[c], 1e-3 * Math.max(1, Math.abs(expected[c])), "class " + LABELS.get(c));
        }
    }

    /** 100 · ⟨concat_v(w_v·f_v/‖f_v‖), repeat_V(t/‖t‖)/√V⟩, in double. */
    static double[] referenceLogits(float[][] views, float[][] text, float[] weights) {
        int v = views.length;
        double[] out = new double[text.length];
        for (int c = 0; c < text.length; c++) {
            double tn = norm(text[c]);
            for (int k = 0; k < v; k++) {
                double fn = norm(views[k]);
                double dot = 0;
                for (int i = 0; i < text[c].length; i++) {
                    dot += views[k][i] / fn * text[c][i] / tn;
                }
                out[c] += weights[k] * dot / Math.sqrt(v);
            }
            out[c] *= 100;
        }
        return out;
    }

    private static double norm(float[] x) {
        double s = 0;
        for (float f : x) {
            s += (double) f * f;
        }
        return Math.sqrt(s);
    }

    @Test
    void huggingFaceLayoutClassifiesOpenVocabularyInBatches(@TempDir Path dir, @TempDir Path cache) throws Exception {
        Path bundle = huggingFaceBundle(dir);
        List<PointCloud> clouds = new ArrayList<>();
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int k = 0; k < 7; k++) {
            float[] xyz = new float[3 * 300];
            for (int i = 0; i < xyz.length; i++) {
                xyz[i] = (float) random.nextDouble(-1, 1) * (1 + k % 3);
            }
            clouds.add(PointCloud.of(xyz));
        }
        try (PointClip clip = PointClip.builder().model(bundle).pipeline(Pipeline.v1()).classes(List.of("low", "new"))
            .textCache(cache).batchSize(16).build()) {
            List<Prediction> all = clip.classifyAll(clouds);
            for (int k = 0; k < clouds.size(); k++) {
                assertArrayEquals(clip.classify(clouds.get(k)).logits(), all.get(k).logits(), 1e-4f, "cloud " + k);
            }
            Prediction open = clip.classify(clouds.get(0), List.of("lower", "aa", "new"));
            assertEquals(List.of("lower", "aa", "new"), open.labels());
            // the HF text model pools up to end-of-text with the attention mask: compare with the plain-Java model
            ClipTokenizer tokenizer = ClipTokenizer.fromHuggingFace(bundle.resolve("vocab.json"), bundle.resolve("merges.txt"));
            long[] ids = tokenizer.tokenize("point cloud depth map of a lower.");
            long[] mask = new long[ids.length];
            for (int t = 0; t < ids.length; t++) {
                mask[t] = 1;
                if (ids[t] == tokenizer.endOfTextId()) {
                    break;
                }
            }
            float[] want = TinyClipModels.expectedTextEmbeddings(new long[][] {ids}, new long[][] {mask},
                TinyClipModels.SEED)[0];
            float[] got = clip.model().textEncoder().encode(List.of("point cloud depth map of a lower."));
            assertArrayEquals(want, got, 1e-4f);

            // many threads share one instance
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<float[]>> futures = new ArrayList<>();
                for (int r = 0; r < 3; r++) {
                    for (PointCloud c : clouds) {
                        futures.add(pool.submit(() -> clip.classify(c).logits()));
                    }
                }
                for (int i = 0; i < futures.size(); i++) {
                    assertArrayEquals(all.get(i % clouds.size()).logits(), futures.get(i).get(), 1e-4f);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void explicitCudaFailsAndAutoFallsBackToCpu(@TempDir Path dir) throws IOException {
        ModelBundle bundle = ModelBundle.detect(huggingFaceBundle(dir));
        assertThrows(DeviceUnavailableException.class,
            () -> OnnxClipModel.open(bundle, ModelRequest.builder().device(Device.cuda(0)).build()));
        try (OnnxClipModel model = OnnxClipModel.open(bundle, ModelRequest.builder().device(Device.AUTO).build())) {
            assertEquals("cpu", model.executionDevice());
            model.close();
            assertThrows(IllegalStateException.class, () -> model.imageEncoder().encode(new float[3 * 224 * 224], 1));
        }
    }

    @Test
    void brokenBundlesGiveSpecificErrors(@TempDir Path dir) throws IOException {
        Path bundle = huggingFaceBundle(dir);
        Files.write(bundle.resolve("onnx/text_model.onnx"), new byte[] {8, 7, 1, 2, 3});
        ModelLoadException e = assertThrows(ModelLoadException.class,
            () -> PointClip.builder().model(bundle).pipeline(Pipeline.v1()).textDiskCache(false).build());
        assertTrue(e.getCause() instanceof BundleException, e.toString());
        assertTrue(e.getMessage().contains("text_model.onnx"), e.getMessage());

        Files.delete(bundle.resolve("onnx/text_model.onnx"));
        e = assertThrows(ModelLoadException.class,
            () -> PointClip.builder().model(bundle).pipeline(Pipeline.v1()).textDiskCache(false).build());
        assertTrue(e.getMessage().contains("text_model.onnx"), e.getMessage());

        Path visualOnly = dir.resolveSibling(dir.getFileName() + "-swapped");
        huggingFaceBundle(visualOnly);
        // a vision model where the text model should be: the signature check names what is missing
        Files.copy(visualOnly.resolve("onnx/vision_model.onnx"), visualOnly.resolve("onnx/text_model.onnx"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        e = assertThrows(ModelLoadException.class,
            () -> PointClip.builder().model(visualOnly).pipeline(Pipeline.v1()).textDiskCache(false).build());
        assertTrue(e.getMessage().contains("input_ids") || e.getMessage().contains("token"), e.getMessage());
    }

    @Test
    void providerIsFoundThroughServiceLoader() {
        assertEquals("onnx", io.github.pointclip.encoder.ClipModels.provider(null).name());
    }
}
