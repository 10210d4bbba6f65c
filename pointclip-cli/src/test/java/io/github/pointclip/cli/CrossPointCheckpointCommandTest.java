package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.PointClip;
import io.github.pointclip.Prediction;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.crosspoint.CrossPointPretrainer;
import io.github.pointclip.crosspoint.EncoderConfig;
import io.github.pointclip.crosspoint.ImageTargets;
import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.Datasets;
import io.github.pointclip.dataset.Split;
import io.github.pointclip.io.PointClouds;
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
 * The commands with a real CrossPoint checkpoint: a small PointNet pre-trained for two epochs against
 * the tiny CLIP model's image features of the clouds' depth maps, saved as safetensors and read back
 * through the {@code PointEncoderLoader} service.
 */
class CrossPointCheckpointCommandTest {

    @Test
    void aPretrainedCheckpointClassifiesProbesAndFuses(@TempDir Path dir) throws IOException {
        TinyClipModels.writeAll(dir.resolve("model"), TinyClipModels.SEED);
        Path model = dir.resolve("model/openai");
        Files.copy(SharedData.require("clip/bpe_simple_vocab_16e6.txt.gz"), model.resolve("bpe_simple_vocab_16e6.txt.gz"));
        System.setProperty("pointclip.cache", dir.resolve("cache").toString());
        try {
            Path data = ProbeCommandTest.shapes(dir.resolve("shapes"), false, 4, 0, 5); // flat folder: 12 shapes
            Dataset shapes = Datasets.folder(data, Split.TEST);
            Path checkpoint = dir.resolve("encoder.safetensors");
            try (PointClip clip = PointClip.builder().model(model).build()) {
                ImageTargets targets = ImageTargets.compute(clip, shapes, null, null);
                List<PointCloud> clouds = new ArrayList<>();
                for (int i = 0; i < shapes.size(); i++) {
                    clouds.add(shapes.get(i).cloud());
                }
                CrossPointPretrainer.builder()
                    .encoder(EncoderConfig.pointNet().withWidths(new int[] {8, 8, 16}, 32, 16))
                    .epochs(2).batchSize(4).points(64).seed(1).build().pretrain(clouds, targets)
                    .checkpoint().save(checkpoint);
            }
            String chair = SharedData.require("golden/projection/chair_1024.npy").toString();

            // classify --encoder equals the facade with the checkpoint
            Object[] r = ProjectCommandTest.run("classify", "--model", model.toString(), "--encoder",
                checkpoint.toString(), "--input", chair, "--labels", "chair,cup,lamp", "--json");
            assertEquals(0, r[0], (String) r[2]);
            JsonNode node = new ObjectMapper().readTree(((String) r[1]).strip());
            try (PointClip clip = PointClip.builder().model(model).pointEncoder(checkpoint)
                .classes(List.of("chair", "cup", "lamp")).build()) {
                Prediction p = clip.classify(PointClouds.read(Path.of(chair)));
                for (int c = 0; c < 3; c++) {
                    assertEquals(p.logits()[c], node.get("logits").get(c).asDouble(), 1e-4);
                }
                assertEquals(TinyClipModels.EMBED_DIM, clip.pointEncoder().orElseThrow().embeddingDim());
            }

            // probe: the linear probe on a held-out half, and episodes
            r = ProjectCommandTest.run("probe", "--encoder", checkpoint.toString(), "--data", data.toString(),
                "--dataset", "folder", "--train-split", "test", "--holdout", "0.5", "--json");
            assertEquals(0, r[0], (String) r[2]);
            JsonNode probe = new ObjectMapper().readTree(((String) r[1]).strip());
            assertEquals(12, probe.get("linear_probe").get("train_samples").asInt()
                + probe.get("linear_probe").get("test_samples").asInt());
            assertEquals(32, probe.get("dim").asInt(), "PointNet's global feature width");
            double accuracy = probe.get("linear_probe").get("accuracy").asDouble();
            assertTrue(accuracy >= 0 && accuracy <= 1, probe.toString());
            r = ProjectCommandTest.run("probe", "--encoder", checkpoint.toString(), "--data", data.toString(),
                "--dataset", "folder", "--train-split", "test", "--shots", "1", "--ways", "3", "--queries", "2",
                "--episodes", "3", "--json");
            assertEquals(0, r[0], (String) r[2]);
            assertEquals(3, new ObjectMapper().readTree(((String) r[1]).strip()).get("few_shot").get("accuracies").size());

            // eval fused with the checkpoint
            r = ProjectCommandTest.run("eval", "--model", model.toString(), "--data", data.toString(), "--dataset",
                "folder", "--report", dir.resolve("report").toString(), "--no-cache", "--examples", "0", "--json",
                "--fuse", checkpoint.toString(), "--fuse-weight", "0.5");
            assertEquals(0, r[0], (String) r[2]);
            JsonNode fusion = new ObjectMapper().readTree((String) r[1]).get("fusion");
            assertEquals("point_encoder", fusion.get("kind").asText());
            assertEquals(0.5, fusion.get("weight").asDouble());
        } finally {
            System.clearProperty("pointclip.cache");
        }
    }
}
