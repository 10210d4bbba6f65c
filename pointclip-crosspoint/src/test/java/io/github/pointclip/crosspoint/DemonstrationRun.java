package io.github.pointclip.crosspoint;

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

/**
 * The figures of docs/crosspoint.md, by hand:
 * {@code -Dcrosspoint.demo=ENCODER:EPOCHS:POINTS[:SEED[-LAST][:BATCH[:LR[:IMID,CMID]]]]} (a seed range gives the mean ± standard deviation over seeds and the paired t statistic). Each seed is probed
 * three ways: pre-trained; at its random initialisation; and the control, the same run at a learning rate of
 * 1e-300 without weight decay, which leaves every weight as initialised (the update is below a float's
 * resolution) but gathers batch norm's running statistics over the same steps, so that a gain of the
 * pre-trained encoder over the control is the weights' doing ({@code -Dcrosspoint.demo.control=false} skips it).
 * Not part of CI.
 */
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
        // one seed, or a range FIRST-LAST: each seed trains once and is compared with its own initialisation
        String[] range = (spec.length > 3 ? spec[3] : "0").split("-");
        long[] seeds = java.util.stream.LongStream.rangeClosed(Long.parseLong(range[0]),
                Long.parseLong(range[range.length - 1])).toArray();
        int batch = spec.length > 4 ? Integer.parseInt(spec[4]) : 16;
        double lr = spec.length > 5 ? Double.parseDouble(spec[5]) : 1e-3;
        String[] weights = (spec.length > 6 ? spec[6] : "1,1").split(",");
        Dataset data = Datasets.modelNet40(SharedData.require("data/modelnet40-mini"), Split.TEST);
        ImageTargets targets = MiniModelNetTest.tinyTargets(dir, data);
        List<PointCloud> clouds = MiniModelNetTest.clouds(data);
        int[] labels = MiniModelNetTest.labels(data);
        float[] imageProbe = targets.features();
        System.out.printf("image targets: linear probe %.3f%n",
                Probes.leaveOneOutLinear(imageProbe, labels, targets.dim(), data.classNames()));
        double[] pre = new double[seeds.length];
        double[] rnd = new double[seeds.length];
        double[] bn = new double[seeds.length];
        boolean withControl = !"false".equals(System.getProperty("crosspoint.demo.control"));
        for (int r = 0; r < seeds.length; r++) {
            long seed = seeds[r];
            PretrainResult result = CrossPointPretrainer.builder().encoder(config).epochs(epochs).batchSize(batch)
                    .points(points).seed(seed).learningRate(lr)
                    .lossWeights(Double.parseDouble(weights[0]), Double.parseDouble(weights[1]))
                    .threads(2).build().pretrain(clouds, targets);
            List<PretrainEpoch> h = result.history();
            CrossPointEncoder trained = result.checkpoint().toEncoder(null);
            CrossPointEncoder random = CrossPointPretrainer.builder().encoder(config).points(points).seed(seed).build()
                    .initialCheckpoint(targets.dim()).toEncoder(null);
            bn[r] = Double.NaN;
            if (withControl) {
                CrossPointEncoder control = CrossPointPretrainer.builder().encoder(config).epochs(epochs)
                        .batchSize(batch).points(points).seed(seed).learningRate(1e-300).weightDecay(0).threads(2)
                        .build().pretrain(clouds, targets).checkpoint().toEncoder(null);
                bn[r] = Probes.leaveOneOutLinear(control.features(clouds), labels, control.featureDim(),
                        data.classNames());
            }
            pre[r] = Probes.leaveOneOutLinear(trained.features(clouds), labels, trained.featureDim(),
                    data.classNames());
            rnd[r] = Probes.leaveOneOutLinear(random.features(clouds), labels, random.featureDim(),
                    data.classNames());
            System.out.printf("seed %d: cmid %.3f -> %.3f, imid %.3f -> %.3f; linear probe (leave-one-out) "
                    + "pretrained %.3f, random init %.3f, control (batch-norm statistics only) %.3f (%d ms)%n", seed,
                    h.get(0).cmidLoss(), h.get(h.size() - 1).cmidLoss(), h.get(0).imidLoss(),
                    h.get(h.size() - 1).imidLoss(), pre[r], rnd[r], bn[r], result.millis());
        }
        System.out.printf("over %d seeds: pretrained %s, random init %s%s%n", seeds.length, meanSd(pre), meanSd(rnd),
                withControl ? ", control " + meanSd(bn) : "");
        System.out.println("pretrained - random init: " + paired(pre, rnd));
        if (withControl) {
            System.out.println("pretrained - control:     " + paired(pre, bn));
        }
    }

    /** Mean ± sd of the paired differences, the paired t statistic, and the seeds won, tied and lost. */
    private static String paired(double[] a, double[] b) {
        double[] d = new double[a.length];
        int won = 0;
        int lost = 0;
        for (int r = 0; r < a.length; r++) {
            d[r] = a[r] - b[r];
            won += d[r] > 1e-12 ? 1 : 0;
            lost += d[r] < -1e-12 ? 1 : 0;
        }
        double m = java.util.Arrays.stream(d).average().orElse(Double.NaN);
        double ss = 0;
        for (double x : d) {
            ss += (x - m) * (x - m);
        }
        double t = d.length > 1 ? m / Math.sqrt(ss / (d.length - 1) / d.length) : Double.NaN;
        return String.format(java.util.Locale.ROOT, "%s, t = %.2f (%d degrees of freedom); ahead on %d seeds, level on %d,"
                + " behind on %d", meanSd(d), t, d.length - 1, won, d.length - won - lost, lost);
    }

    private static String meanSd(double[] v) {
        double m = java.util.Arrays.stream(v).average().orElse(Double.NaN);
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        double sd = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : Double.NaN;
        return String.format(java.util.Locale.ROOT, "%.3f ± %.3f", m, sd);
    }
}
