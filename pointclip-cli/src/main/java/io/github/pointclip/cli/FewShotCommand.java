package io.github.pointclip.cli;

import io.github.pointclip.Pipeline;
import io.github.pointclip.PointClip;
import io.github.pointclip.adapter.checkpoint.AdapterCheckpoint;
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
        description = "Validation shapes per class, held out of the training split; 0 keeps the last epoch (default: ${DEFAULT-VALUE}).")
    int valShots;

    @Option(names = "--epochs", defaultValue = "250", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--train-batch", defaultValue = "32", paramLabel = "B", description = "Training batch size (default: ${DEFAULT-VALUE}).")
    int trainBatch;

    @Option(names = "--copies", defaultValue = "1", paramLabel = "N",
        description = "Augmented copies of each training shape, encoded once and cached (default: ${DEFAULT-VALUE}).")
    int copies;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of sampling, augmentation and training (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--pipeline", defaultValue = "v1-fewshot", paramLabel = "v1-fewshot|v1|v2",
        description = "Projection pipeline; v1-fewshot is PointCLIP's 10-view few-shot setting (default: ${DEFAULT-VALUE}).")
    String pipeline;

    @Mixin
    FeatureCacheOption featureCache;

    @Option(names = "--out", required = true, paramLabel = "FILE.safetensors", description = "Where to write the checkpoint.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (shots < 1 || valShots < 0 || epochs < 1 || trainBatch < 2 || copies < 1) {
            throw new PointClipCli.BadInputException("need --shots ≥ 1, --val-shots ≥ 0, --epochs ≥ 1, --train-batch ≥ 2 and "
                + "--copies ≥ 1");
        }
        Pipeline p = PipelineChoice.resolve(pipeline, null, "v1-fewshot");
        Dataset all = datasetOptions.open(Split.TRAIN);
        Dataset train;
        Dataset validation = null;
        if (valShots > 0) {
            HoldOut parts = Datasets.holdOut(all, 0.2, seed);
            train = Datasets.fewShot(parts.train(), shots, seed);
            validation = Datasets.fewShot(parts.validation(), valShots, seed);
        } else {
            train = Datasets.fewShot(all, shots, seed);
        }
        PromptSet prompts = PromptSet.fromTemplate(p.template(), all.classNames());
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        FeatureCache features = featureCache.open();
        try (PointClip clip = modelOptions.pointClip().pipeline(p)
            .prompts(prompts).build()) {
            FeatureExtractor extractor = new PointClipFeatureExtractor(clip);
            FeatureSet trainFeatures;
            try (ProgressBar bar = new ProgressBar(err, "encoding train", (long) copies * train.size(), "clouds")) {
                trainFeatures = features.features(train, extractor, Augmentation.v1(), copies, seed,
                    done -> bar.update(done, null));
            }
            FeatureSet valFeatures = null;
            if (validation != null) {
                try (ProgressBar bar = new ProgressBar(err, "encoding val", validation.size(), "clouds")) {
                    valFeatures = features.features(validation, extractor, Augmentation.none(1024), 1, seed,
                        done -> bar.update(done, null));
                }
            }
            float[] text = clip.textFeatures(prompts);
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
            checkpoint.save(out);
            stdout.println(String.format(Locale.ROOT, "wrote %s: %d classes × %d shots, %d epochs in %.1f s, kept epoch %d%s",
                out, all.classNames().size(), shots, epochs, result.millis() / 1000.0, result.bestEpoch(),
                Double.isNaN(result.bestValidationAccuracy()) ? ""
                    : String.format(Locale.ROOT, " (validation accuracy %.1f%%)", 100 * result.bestValidationAccuracy())));
            stdout.flush();
        }
        return 0;
    }

}
