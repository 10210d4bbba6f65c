package io.github.pointclip.cli;

import io.github.pointclip.Pipeline;
import io.github.pointclip.PointClip;
import io.github.pointclip.adapter.train.FeatureCache;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.crosspoint.CrossPointPretrainer;
import io.github.pointclip.crosspoint.EncoderConfig;
import io.github.pointclip.crosspoint.ImageTargets;
import io.github.pointclip.crosspoint.PretrainEpoch;
import io.github.pointclip.crosspoint.PretrainListener;
import io.github.pointclip.crosspoint.PretrainResult;
import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.Split;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pointclip pretrain}: CrossPoint's self-supervised pre-training of a point encoder (PointNet or DGCNN)
 * against the frozen CLIP image features of each cloud's own depth maps; writes a safetensors checkpoint for
 * {@code probe}, {@code classify --encoder} and {@code PointClip.builder().pointEncoder(path)}.
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
    description = "Pre-train a CrossPoint point encoder (PointNet or DGCNN) by intra- and cross-modal contrastive "
        + "learning against frozen CLIP features of the clouds' depth maps, and write a .safetensors checkpoint.")
final class PretrainCommand implements Callable<Integer> {
    /** Seconds a Ctrl-C waits for the current step to finish before the JVM exits anyway. */
    private static final int STOP_WAIT_SECONDS = 30;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    DatasetOptions datasetOptions;

    @Option(names = "--encoder", defaultValue = "pointnet", paramLabel = "pointnet|dgcnn|dgcnn-lite",
        description = "The backbone: pointnet (3→64→64→64→128→1024, max pool), dgcnn (EdgeConv, k = 20, the "
            + "reference's widths) or dgcnn-lite (half the widths, for CPUs) (default: ${DEFAULT-VALUE}).")
    String encoder;

    @Option(names = "--epochs", defaultValue = "100", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--train-batch", defaultValue = "32", paramLabel = "B",
        description = "Clouds per training step; NT-Xent draws its negatives from the batch (default: ${DEFAULT-VALUE}). "
            + "--batch is the CLIP encoder's batch, used for the image features.")
    int trainBatch;

    @Option(names = "--lr", defaultValue = "0.001", paramLabel = "RATE",
        description = "Peak learning rate of AdamW, cosine to 0 over the epochs (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--temperature", defaultValue = "0.1", paramLabel = "T",
        description = "NT-Xent temperature (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--imid-weight", defaultValue = "1", paramLabel = "A",
        description = "Weight of the intra-modal loss; 0 trains with the cross-modal loss only (default: ${DEFAULT-VALUE}).")
    double imidWeight;

    @Option(names = "--cmid-weight", defaultValue = "1", paramLabel = "B",
        description = "Weight of the cross-modal (CLIP) loss; 0 trains with the intra-modal loss only "
            + "(default: ${DEFAULT-VALUE}).")
    double cmidWeight;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
        description = "Seed of initialisation, batch order and augmentation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--train-split", defaultValue = "train", paramLabel = "train|test",
        description = "The dataset split to pre-train on (default: ${DEFAULT-VALUE}); labels are not used, but a "
            + "probe on the same split afterwards is transductive: a test-only dataset such as modelnet40-mini needs "
            + "test and --allow-test-split.")
    String trainSplit;

    @Option(names = "--allow-test-split", description = "Allow pre-training on the test split.")
    boolean allowTestSplit;

    @Mixin
    PipelineOptions pipelineOptions;

    @Mixin
    FeatureCacheOption featureCache;

    @Option(names = "--resume", description = "Continue an interrupted run from OUT.state (written after every epoch); "
        + "the settings and data must be the same.")
    boolean resume;

    @Option(names = "--out", required = true, paramLabel = "FILE.safetensors", description = "Where to write the encoder.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Split from = checkOptions();
        EncoderConfig config;
        try {
            config = EncoderConfig.preset(encoder);
        } catch (IllegalArgumentException e) {
            throw new PointClipCli.BadInputException("--encoder: " + e.getMessage());
        }
        int points = pipelineOptions.points;
        if (EncoderConfig.DGCNN.equals(config.kind()) && points < config.k()) {
            throw new PointClipCli.BadInputException("--encoder " + encoder + " builds a k-NN graph of " + config.k()
                + " neighbours: --points must be at least " + config.k());
        }
        Pipeline p = pipelineOptions.pipeline("v2", null);
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        Dataset data = datasetOptions.openForTraining(from, pipelineOptions.readOptions(false, seed));
        if (from == Split.TEST) {
            err.println("warning: pre-training on the test split; a probe on it afterwards is transductive");
            err.flush();
        }
        if (data.size() < 2) {
            throw new PointClipCli.BadInputException(data.name() + " has " + data.size() + " clouds; pre-training needs "
                + "at least 2");
        }
        ImageTargets targets;
        try (FeatureCacheOption.Opened opened = featureCache.open();
             PointClip clip = modelOptions.pointClip().pipeline(p).classes(data.classNames()).build()) {
            FeatureCache cache = opened.cache();
            try (ProgressBar bar = new ProgressBar(err, "encoding depth maps", data.size(), "clouds")) {
                targets = ImageTargets.compute(clip, data, cache, done -> bar.update(done, null));
            }
        }
        List<PointCloud> clouds = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            clouds.add(data.get(i).cloud());
        }
        Path state = out.resolveSibling(out.getFileName() + ".state");
        if (resume && !Files.exists(state)) {
            throw new PointClipCli.BadInputException("--resume: no training state " + state + " to resume from");
        }
        int batch = Math.min(trainBatch, clouds.size());
        int steps = clouds.size() / batch;
        PretrainResult result;
        try (ProgressBar bar = new ProgressBar(err, "pretraining", (long) epochs * steps, "steps")) {
            PretrainListener listener = new PretrainListener() {
                @Override
                public void onStart(int firstEpoch, int total, int stepsPerEpoch) {
                    bar.update((long) firstEpoch * stepsPerEpoch, null);
                }

                @Override
                public void onStep(int epoch, int step, double imid, double cmid) {
                    bar.update((long) epoch * steps + step + 1, String.format(Locale.ROOT,
                        "epoch %d loss %.3f (imid %.3f, cmid %.3f)", epoch + 1, imidWeight * imid + cmidWeight * cmid,
                        imid, cmid));
                }
            };
            CrossPointPretrainer trainer = CrossPointPretrainer.builder().encoder(config).epochs(epochs)
                .batchSize(trainBatch).points(points).seed(seed).learningRate(learningRate).temperature(temperature)
                .lossWeights(imidWeight, cmidWeight).threads(Math.min(2, Runtime.getRuntime().availableProcessors()))
                .stateFile(state, resume)
                .provenance("dataset", data.name()).provenance("pipeline", p.name()).listener(listener).build();
            result = runInterruptibly(() -> trainer.pretrain(clouds, targets), err, state);
        }
        if (result == null) {
            return EvalCommand.EXIT_INTERRUPTED;
        }
        result.checkpoint().save(out);
        Files.deleteIfExists(state);
        PretrainEpoch firstEpoch = result.history().get(0);
        PretrainEpoch last = result.history().get(result.history().size() - 1);
        stdout.println(String.format(Locale.ROOT, "wrote %s: %s, %d clouds × %d points, %d epochs in %.1f s; "
                + "imid loss %.3f → %.3f, cmid loss %.3f → %.3f", out, encoder, clouds.size(), points, epochs,
            result.millis() / 1000.0, firstEpoch.imidLoss(), last.imidLoss(), firstEpoch.cmidLoss(), last.cmidLoss()));
        stdout.flush();
        return 0;
    }

    /** A training run that may throw. */
    @FunctionalInterface
    private interface Run {
        PretrainResult call() throws java.io.IOException;
    }

    /**
     * Runs the training with a Ctrl-C hook that interrupts it after the current step.
     *
     * @return the result, or null when interrupted (the message is printed)
     */
    private static PretrainResult runInterruptibly(Run run, PrintWriter err, Path state)
            throws java.io.IOException {
        Thread worker = Thread.currentThread();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            err.println();
            err.println("interrupted: stopping after the current step…");
            err.flush();
            worker.interrupt();
            try {
                finished.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pointclip-pretrain-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run.call();
        } catch (CancellationException e) {
            err.println();
            err.println("pretrain interrupted: " + e.getMessage() + "; " + (Files.exists(state)
                ? "its state is in " + state + ", add --resume to the same command to continue"
                : "no epoch had finished, nothing is kept"));
            err.flush();
            return null;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting; the hook has run
            }
        }
    }

    /** @return the split to train on; refuses options that are out of range or do nothing */
    private Split checkOptions() {
        if (epochs < 1 || trainBatch < 2) {
            throw new PointClipCli.BadInputException("need --epochs ≥ 1 and --train-batch ≥ 2");
        }
        if (!(learningRate > 0) || !(temperature > 0)) {
            throw new PointClipCli.BadInputException("--lr and --temperature must be > 0");
        }
        try { // the builder's rule, checked before any work
            CrossPointPretrainer.builder().lossWeights(imidWeight, cmidWeight);
        } catch (IllegalArgumentException e) {
            throw new PointClipCli.BadInputException("--imid-weight/--cmid-weight: " + e.getMessage());
        }
        pipelineOptions.checkPoints();
        if (pipelineOptions.points < 2) {
            throw new PointClipCli.BadInputException("pretrain needs a fixed number of points per cloud: --points ≥ 2, got "
                + pipelineOptions.points);
        }
        if (pipelineOptions.viewWeights != null) {
            throw new PointClipCli.BadInputException("--view-weights does nothing in pretrain: every view's feature "
                + "counts the same in the image target");
        }
        featureCache.check();
        return DatasetOptions.trainSplit(trainSplit, allowTestSplit, "refusing to pre-train on the test split (a probe on it afterwards is transductive)");
    }
}
