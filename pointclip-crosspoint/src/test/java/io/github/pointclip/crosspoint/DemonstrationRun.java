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

/** The figures of docs/crosspoint.md, by hand: {@code -Dcrosspoint.demo=ENCODER:EPOCHS:POINTS[:SEED[:BATCH[:LR]]]}. Not part of CI. */
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
        int batch = spec.length > 4 ? Integer.parseInt(spec[4]) : 16;
        double lr = spec.length > 5 ? Double.parseDouble(spec[5]) : 1e-3;
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
        System.out.printf("image targets: linear probe %.3f%n",
                Probes.leaveOneOutLinear(imageProbe, labels, targets.dim(), data.classNames()));
        PretrainResult result = CrossPointPretrainer.builder().encoder(config).epochs(epochs).batchSize(batch)
                .points(points).seed(seed).learningRate(lr).threads(2).listener(new PretrainListener() {
                    @Override
                    public void onEpoch(PretrainEpoch s) {
                        System.out.printf("epoch %d lr %.5f imid %.4f cmid %.4f (%d ms)%n", s.epoch(), s.learningRate(),
                                s.imidLoss(), s.cmidLoss(), s.millis());
                    }
                }).build().pretrain(clouds, targets);
        CrossPointEncoder trained = result.checkpoint().toEncoder(null);
        CrossPointEncoder random = CrossPointPretrainer.builder().encoder(config).points(points).seed(seed).build()
                .initialCheckpoint(targets.dim()).toEncoder(null);
        float[] ft = trained.features(clouds);
        float[] fr = random.features(clouds);
        System.out.printf("linear probe (leave-one-out logistic regression) pretrained %.3f, random init %.3f%n",
                Probes.leaveOneOutLinear(ft, labels, trained.featureDim(), data.classNames()),
                Probes.leaveOneOutLinear(fr, labels, random.featureDim(), data.classNames()));
        System.out.printf("nearest class mean (leave-one-out) pretrained %.3f, random init %.3f%n",
                Probes.leaveOneOutNearestMean(ft, labels, trained.featureDim()),
                Probes.leaveOneOutNearestMean(fr, labels, random.featureDim()));
        System.out.printf("probe on CLIP-space embeddings: pretrained %.3f, random %.3f%n",
                Probes.leaveOneOutNearestMean(trained.embed(clouds), labels, trained.embeddingDim()),
                Probes.leaveOneOutNearestMean(random.embed(clouds), labels, random.embeddingDim()));
        System.out.printf("trained in %d ms%n", result.millis());
    }
}
