package io.github.pointclip.crosspoint;

import io.github.pointclip.PointClip;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.Datasets;
import io.github.pointclip.dataset.Split;
import io.github.pointclip.testing.SharedData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/** The figures of docs/crosspoint.md, by hand: {@code -Dcrosspoint.demo=pointnet:EPOCHS:POINTS}. Not part of CI. */
class DemonstrationRun {
    @TempDir
    Path dir;

    @Test
    @EnabledIfSystemProperty(named = "crosspoint.demo", matches = ".+")
    void pretrainedBeatsRandomOnTheProbe() throws Exception {
        String[] spec = System.getProperty("crosspoint.demo").split(":");
        EncoderConfig config = EncoderConfig.preset(spec[0]);
        int epochs = Integer.parseInt(spec[1]);
        int points = Integer.parseInt(spec[2]);
        long seed = spec.length > 3 ? Long.parseLong(spec[3]) : 0;
        Dataset data = Datasets.modelNet40(SharedData.require("data/modelnet40-mini"), Split.TEST);
        ImageTargets targets;
        try (PointClip clip = PointClip.builder().model(MiniModelNetTest.tinyModel(dir)).classes(data.classNames())
                .build()) {
            targets = ImageTargets.compute(clip, data, null, null);
        }
        List<PointCloud> clouds = MiniModelNetTest.clouds(data);
        int[] labels = new int[data.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = data.get(i).label();
        }
        float[] imageProbe = targets.features();
        System.out.printf("image targets probe: %.3f%n", Probes.leaveOneOutNearestMean(imageProbe, labels, targets.dim()));
        PretrainResult result = CrossPointPretrainer.builder().encoder(config).epochs(epochs).batchSize(16)
                .points(points).seed(seed).threads(2).listener(new PretrainListener() {
                    @Override
                    public void onEpoch(PretrainEpoch s) {
                        System.out.printf("epoch %d lr %.5f imid %.4f cmid %.4f (%d ms)%n", s.epoch(), s.learningRate(),
                                s.imidLoss(), s.cmidLoss(), s.millis());
                    }
                }).build().pretrain(clouds, targets);
        CrossPointEncoder trained = result.checkpoint().toEncoder(null);
        CrossPointEncoder random = CrossPointPretrainer.builder().encoder(config).points(points).seed(seed).build()
                .initialCheckpoint(targets.dim()).toEncoder(null);
        System.out.printf("probe (leave-one-out nearest class mean) pretrained %.3f, random init %.3f%n",
                Probes.leaveOneOutNearestMean(trained.features(clouds), labels, trained.featureDim()),
                Probes.leaveOneOutNearestMean(random.features(clouds), labels, random.featureDim()));
        System.out.printf("probe on CLIP-space embeddings: pretrained %.3f, random %.3f%n",
                Probes.leaveOneOutNearestMean(trained.embed(clouds), labels, trained.embeddingDim()),
                Probes.leaveOneOutNearestMean(random.embed(clouds), labels, random.embeddingDim()));
        System.out.printf("trained in %d ms%n", result.millis());
    }
}
