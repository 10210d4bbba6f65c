package io.github.pointclip.crosspoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.PointClip;
import io.github.pointclip.adapter.train.FeatureCache;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.Datasets;
import io.github.pointclip.dataset.Sample;
import io.github.pointclip.dataset.Split;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CrossPoint end to end on the modelnet40-mini sample (87 clouds) with the tiny random CLIP model: the image
 * targets come from the real pipeline (V2 depth maps, the tiny ONNX image encoder) through the feature cache,
 * and on a fixed seed the cross-modal loss falls.
 */
class MiniModelNetTest {
    @TempDir
    Path dir;

    static Path tinyModel(Path dir) throws IOException {
        Path m = dir.resolve("model");
        TinyClipModels.writeAll(m, TinyClipModels.SEED);
        m = m.resolve("openai");
        Files.copy(SharedData.require("clip/bpe_simple_vocab_16e6.txt.gz"), m.resolve("bpe_simple_vocab_16e6.txt.gz"));
        return m;
    }

    static List<PointCloud> clouds(Dataset data) throws IOException {
        List<PointCloud> clouds = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            Sample s = data.get(i);
            clouds.add(s.cloud());
        }
        return clouds;
    }

    static int[] labels(Dataset data) throws IOException {
        int[] labels = new int[data.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = data.get(i).label();
        }
        return labels;
    }

    /** The data set's image targets from the tiny CLIP model written under {@code dir}, uncached. */
    static ImageTargets tinyTargets(Path dir, Dataset data) throws IOException {
        try (PointClip clip = PointClip.builder().model(tinyModel(dir)).classes(data.classNames()).build()) {
            return ImageTargets.compute(clip, data, null, null);
        }
    }

    @Test
    void imageTargetsAreCachedAndTheCrossModalLossFalls() throws IOException {
        Path mini = SharedData.require("data/modelnet40-mini");
        Dataset data = Datasets.modelNet40(mini, Split.TEST);
        FeatureCache cache = new FeatureCache(dir.resolve("cache"));
        ImageTargets targets;
        String modelId;
        try (PointClip clip = PointClip.builder().model(tinyModel(dir)).classes(data.classNames()).build()) {
            modelId = clip.model().id();
            targets = ImageTargets.compute(clip, data, cache, null);
            assertEquals(1, cache.misses());
            ImageTargets again = ImageTargets.compute(clip, data, cache, null);
            assertEquals(1, cache.hits());
            assertEquals(java.util.Arrays.toString(targets.features()), java.util.Arrays.toString(again.features()));
        }
        assertEquals(87, targets.size());
        assertEquals(TinyClipModels.EMBED_DIM, targets.dim());
        PretrainResult result = CrossPointPretrainer.builder()
                .encoder(EncoderConfig.pointNet().withWidths(new int[] {32, 32, 32, 64}, 128, 64))
                .epochs(8).batchSize(16).points(128).seed(0).learningRate(2e-3).build()
                .pretrain(clouds(data), targets);
        List<PretrainEpoch> h = result.history();
        double first = h.get(0).cmidLoss();
        double last = h.get(h.size() - 1).cmidLoss();
        assertTrue(last < first - 0.2, "CMID loss " + first + " → " + last);
        assertEquals(targets.modelId(), result.checkpoint().metadata().get("clip_model"));
        assertEquals(modelId, result.checkpoint().metadata().get("model_id"));
    }

    /**
     * Item 6 of the CrossPoint issue on one fixed seed (docs/crosspoint.md has the ten-seed figures): the reference
     * settings (PointNet, lr 1e-3, τ 0.1, the paper's augmentations) pre-trained on the 87 clouds beat the same
     * network at its random initialisation on the leave-one-out linear probe, by 6 of 72 clouds on this seed; the
     * test asks for 3.
     */
    @Test
    void preTrainingBeatsTheRandomInitialisationOnTheLinearProbe() throws IOException {
        Dataset data = Datasets.modelNet40(SharedData.require("data/modelnet40-mini"), Split.TEST);
        ImageTargets targets = tinyTargets(dir, data);
        List<PointCloud> clouds = clouds(data);
        int[] labels = labels(data);
        CrossPointPretrainer.Builder settings = CrossPointPretrainer.builder().encoder(EncoderConfig.pointNet())
                .epochs(60).batchSize(16).points(128).seed(0).learningRate(1e-3).threads(2);
        CrossPointEncoder trained = settings.build().pretrain(clouds, targets).checkpoint().toEncoder(null);
        CrossPointEncoder random = settings.build().initialCheckpoint(targets.dim()).toEncoder(null);
        double pre = Probes.leaveOneOutLinear(trained.features(clouds), labels, trained.featureDim(), data.classNames());
        double rnd = Probes.leaveOneOutLinear(random.features(clouds), labels, random.featureDim(), data.classNames());
        assertTrue(pre >= rnd + 3 / 72.0 - 1e-9, "linear probe: pre-trained " + pre + ", random initialisation " + rnd);
    }

    /** PointClip compares the checkpoint's model_id with its model's id: silent on a match, a warning otherwise. */
    @Test
    void aCheckpointAlignedWithAnotherModelIsReported() throws IOException {
        Path model = tinyModel(dir);
        String modelId;
        try (PointClip clip = PointClip.builder().model(model).build()) {
            modelId = clip.model().id();
        }
        Synthetic data = new Synthetic(8, 64, TinyClipModels.EMBED_DIM, 6);
        CrossPointPretrainer trainer = CrossPointPretrainer.builder()
                .encoder(EncoderConfig.pointNet().withWidths(new int[] {16, 16, 32}, 64, 32)).epochs(1).batchSize(8)
                .points(64).seed(0).build();
        Path same = dir.resolve("same.safetensors");
        Path other = dir.resolve("other.safetensors");
        trainer.pretrain(data.clouds, data.targets.withClipModelId(modelId)).checkpoint().save(same);
        trainer.pretrain(data.clouds, data.targets.withClipModelId("sha256:another-clip")).checkpoint().save(other);
        assertEquals("", warnings(model, same), "the same model: no warning");
        String logged = warnings(model, other);
        assertTrue(logged.contains("aligned with CLIP model sha256:another-clip") && logged.contains(modelId)
                && logged.contains(other.toString()), logged);
    }

    /**
     * What building a PointClip with this point encoder logs at WARN (slf4j-simple writes to stderr, or to stdout
     * with jHDF's simplelogger.properties on the class path).
     */
    private static String warnings(Path model, Path encoder) throws IOException {
        java.io.ByteArrayOutputStream logs = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err = System.err;
        java.io.PrintStream out = System.out;
        java.io.PrintStream capture = new java.io.PrintStream(logs, true, java.nio.charset.StandardCharsets.UTF_8);
        System.setErr(capture);
        System.setOut(capture);
        try (PointClip clip = PointClip.builder().model(model).pointEncoder(encoder).build()) {
            assertTrue(clip.pointEncoder().isPresent());
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
        return logs.toString(java.nio.charset.StandardCharsets.UTF_8).lines().filter(l -> l.contains("WARN"))
                .collect(java.util.stream.Collectors.joining("\n"));
    }
}
