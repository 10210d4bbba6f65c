package io.github.pointclip.cli;

import io.github.pointclip.Pipeline;
import io.github.pointclip.PointClip;
import io.github.pointclip.adapter.checkpoint.AdapterCheckpoint;
import io.github.pointclip.adapter.checkpoint.SafeTensors;
import io.github.pointclip.adapter.train.Augmentation;
import io.github.pointclip.adapter.train.EpochStats;
import io.github.pointclip.adapter.train.FeatureCache;
import io.github.pointclip.adapter.train.FeatureExtractor;
import io.github.pointclip.adapter.train.FeatureSet;
import io.github.pointclip.adapter.train.FewShotTrainer;
import io.github.pointclip.adapter.train.PointClipFeatureExtractor;
import io.github.pointclip.adapter.train.TrainingListener;
import io.github.pointclip.adapter.train.TrainingResult;
import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.Datasets;
import io.github.pointclip.dataset.HoldOut;
import io.github.pointclip.dataset.Split;
import io.github.pointclip.eval.SkippedSample;
import io.github.pointclip.internal.PipelineStages;
import io.github.pointclip.prompt.PromptSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pointclip fewshot}: trains PointCLIP's inter-view adapter on k shots per class and writes a
 * safetensors checkpoint for {@code classify --adapter} / {@code PointClip.builder().adapter(path)}.
 */
@Command(name = "fewshot", mixinStandardHelpOptions = true,
    description = "Train the few-shot inter-view adapter (PointCLIP V1 recipe) and write a .safetensors checkpoint.")
final class FewShotCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    DatasetOptions datasetOptions;

    @Option(names = "--shots", defaultValue = "16", paramLabel = "K", description = "Training shapes per class (default: ${DEFAULT-VALUE}).")
    int shots;

    @Option(names = "--val-shots", defaultValue = "4", paramLabel = "K",
        description = "Validation shapes per class, drawn from the --val-fraction held out of the training split before "
            + "the shots; the best epoch on them is kept; 0 keeps the last epoch (default: ${DEFAULT-VALUE}).")
    int valShots;

    @Option(names = "--val-fraction", defaultValue = "0.2", paramLabel = "F",
        description = "Share of each class of the training split held out for validation (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--train-split", defaultValue = "train", paramLabel = "train|test",
        description = "The dataset split the shots and the validation hold-out are drawn from (default: ${DEFAULT-VALUE});"
            + " a dataset that ships only a test split, such as modelnet40-mini, needs test and --allow-test-split.")
    String trainSplit;

    @Option(names = "--allow-test-split", description = "Allow training on the test split (a later eval on it is optimistic).")
    boolean allowTestSplit;

    @Option(names = "--epochs", defaultValue = "250", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--train-batch", defaultValue = "32", paramLabel = "B", description = "Training batch size (default: ${DEFAULT-VALUE}).")
    int trainBatch;

    @Option(names = "--copies", defaultValue = "1", paramLabel = "N",
        description = "Augmented copies of each training shape, encoded once and cached (default: ${DEFAULT-VALUE}).")
    int copies;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of sampling, augmentation and training (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    PipelineOptions pipelineOptions;

    @Mixin
    PromptsOption promptsOption;

    @Mixin
    FeatureCacheOption featureCache;

    @Option(names = "--out", required = true, paramLabel = "FILE.safetensors", description = "Where to write the checkpoint.")
    Path out;

    @Option(names = "--skip-bad", description = "Leave out shapes whose files cannot be read, listing them on stderr and "
        + "counting them in the checkpoint's skipped_samples, instead of stopping before any encoding (the default).")
    boolean skipBad;

    @Override
    public Integer call() throws Exception {
        Split from = checkOptions();
        Pipeline p = pipelineOptions.pipeline("v1-fewshot", null);
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        Dataset all = datasetOptions.openForTraining(from, pipelineOptions.readOptions(false, seed));
        if (from == Split.TEST) {
            err.println("warning: training on the test split; accuracy measured on it afterwards is optimistic");
            err.flush();
        }
        Dataset train;
        Dataset validation = null;
        if (valShots > 0) {
            HoldOut parts = Datasets.holdOut(all, valFraction, seed);
            train = Datasets.fewShot(parts.train(), shots, seed);
            if (parts.validation().size() == 0) {
                throw new PointClipCli.BadInputException("--val-fraction " + valFraction + " holds out no sample of "
                    + all.name() + "; raise it or give --val-shots 0");
            }
            validation = Datasets.fewShot(parts.validation(), valShots, seed);
        } else {
            train = Datasets.fewShot(all, shots, seed);
        }
        PromptSet prompts = promptsOption.forClasses(p, pipelineOptions.template != null, all.classNames());
        int points = pipelineOptions.pointsOrAll();
        Augmentation v1 = Augmentation.v1();
        Augmentation augmentation = new Augmentation(points, v1.scaleLow(), v1.scaleHigh(), v1.shift(), v1.shuffle());
        try (FeatureCacheOption.Opened opened = featureCache.open();
             PointClip clip = modelOptions.pointClip().pipeline(p).prompts(prompts).build()) {
            FeatureCache features = opened.cache();
            FeatureExtractor extractor = new PointClipFeatureExtractor(clip);
            FeatureCache.CheckedFeatures checkedTrain;
            try (ProgressBar bar = new ProgressBar(err, "encoding train", (long) copies * train.size(), "clouds")) {
                checkedTrain = features.checkedFeatures(train, extractor, augmentation, copies, seed, skipBad,
                    done -> bar.update(done, null));
            }
            FeatureSet trainFeatures = checkedTrain.features();
            List<SkippedSample> skipped = new ArrayList<>(checkedTrain.skipped());
            FeatureSet valFeatures = null;
            if (validation != null) {
                FeatureCache.CheckedFeatures checkedVal;
                try (ProgressBar bar = new ProgressBar(err, "encoding val", validation.size(), "clouds")) {
                    checkedVal = features.checkedFeatures(validation, extractor, Augmentation.none(points), 1, seed,
                        skipBad, done -> bar.update(done, null));
                }
                valFeatures = checkedVal.features();
                skipped.addAll(checkedVal.skipped());
            }
            for (SkippedSample s : skipped) {
                err.println("skipped " + s.id() + ": " + s.reason());
            }
            err.flush();
            float[] text = PipelineStages.textFeatures(clip, prompts);
            TrainingResult result;
            try (ProgressBar bar = new ProgressBar(err, "training", epochs, "epochs")) {
                TrainingListener listener = new TrainingListener() {
                    @Override
                    public void onEpoch(EpochStats s) {
                        bar.update(s.epoch() + 1, String.format(Locale.ROOT, "loss %.3f train %.1f%%%s", s.loss(),
                            100 * s.trainAccuracy(), Double.isNaN(s.validationAccuracy()) ? ""
                                : String.format(Locale.ROOT, " val %.1f%%", 100 * s.validationAccuracy())));
                    }
                };
                result = FewShotTrainer.builder().epochs(epochs).batchSize(trainBatch).seed(seed).listener(listener)
                    .build().train(trainFeatures, valFeatures, text);
            }
            List<List<String>> perClass = new ArrayList<>();
            for (int c = 0; c < prompts.size(); c++) {
                perClass.add(prompts.prompts(c));
            }
            AdapterCheckpoint checkpoint = AdapterCheckpoint.builder(result.adapter())
                .backbone(clip.model().backbone() == null ? "" : clip.model().backbone().displayName())
                .pipeline(clip.pipeline()).modelId(clip.model().id()).classNames(all.classNames()).prompts(perClass)
                .viewWeights(p.viewWeights()).seed(seed).shots(shots)
                .training(result.epochs(), result.bestEpoch(), result.bestValidationAccuracy()).build();
            save(checkpoint, skipped.size());
            stdout.println(String.format(Locale.ROOT, "wrote %s: %d classes × %d shots, %d epochs in %.1f s, kept epoch %d%s%s",
                out, all.classNames().size(), shots, epochs, result.millis() / 1000.0, result.bestEpoch(),
                Double.isNaN(result.bestValidationAccuracy()) ? ""
                    : String.format(Locale.ROOT, " (validation accuracy %.1f%%)", 100 * result.bestValidationAccuracy()),
                skipped.isEmpty() ? "" : "; " + skipped.size() + " unreadable shapes skipped"));
            stdout.flush();
        }
        return 0;
    }

    /**
     * Writes the checkpoint with {@code skipped_samples} (shapes left out by --skip-bad) beside its own metadata;
     * {@link AdapterCheckpoint#load} ignores entries it does not know.
     */
    private void save(AdapterCheckpoint checkpoint, int skipped) throws java.io.IOException {
        java.util.Map<String, String> metadata = new java.util.LinkedHashMap<>(checkpoint.metadata());
        metadata.put(SKIPPED_SAMPLES, Integer.toString(skipped));
        SafeTensors.write(out, checkpoint.state(), metadata);
    }

    /** The checkpoint metadata entry that counts the shapes --skip-bad left out. */
    static final String SKIPPED_SAMPLES = "skipped_samples";

    /** @return the split to train on; refuses options that are out of range or do nothing */
    private Split checkOptions() {
        if (shots < 1 || valShots < 0 || epochs < 1 || trainBatch < 2 || copies < 1) {
            throw new PointClipCli.BadInputException("need --shots ≥ 1, --val-shots ≥ 0, --epochs ≥ 1, --train-batch ≥ 2 and "
                + "--copies ≥ 1");
        }
        if (!(valFraction > 0 && valFraction < 1)) {
            throw new PointClipCli.BadInputException("--val-fraction must be in (0, 1), got " + valFraction);
        }
        if (valShots == 0 && spec.commandLine().getParseResult().hasMatchedOption("--val-fraction")) {
            throw new PointClipCli.BadInputException("--val-fraction does nothing with --val-shots 0");
        }
        if (pipelineOptions.viewWeights != null) {
            throw new PointClipCli.BadInputException("--view-weights does nothing in fewshot: the adapter learns its own "
                + "fusion of the views");
        }
        if (pipelineOptions.hasKernelOptions()) {
            throw new PointClipCli.BadInputException("--kernel, --kernel-size and --sigma cannot be used with fewshot: the "
                + "checkpoint records its pipeline by name, so classify and eval would project with the default kernel");
        }
        pipelineOptions.checkPoints();
        featureCache.check();
        return DatasetOptions.trainSplit(trainSplit, allowTestSplit, "refusing to train on the test split (a later eval on it is optimistic)");
    }
}
