package io.github.pointclip.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pointclip.crosspoint.probe.EncoderFeatures;
import io.github.pointclip.crosspoint.probe.EpisodeResult;
import io.github.pointclip.crosspoint.probe.FewShotEpisodes;
import io.github.pointclip.crosspoint.probe.LabelledFeatures;
import io.github.pointclip.crosspoint.probe.LinearProbe;
import io.github.pointclip.crosspoint.probe.ProbeListener;
import io.github.pointclip.crosspoint.probe.ProbeResult;
import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.Datasets;
import io.github.pointclip.dataset.HoldOut;
import io.github.pointclip.dataset.Split;
import io.github.pointclip.encoder.PointEncoder;
import io.github.pointclip.io.ReadOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pointclip probe}: CrossPoint's evaluations of a frozen point encoder. */
@Command(name = "probe", mixinStandardHelpOptions = true,
    description = {"Evaluate a frozen point encoder (pointclip pretrain) as CrossPoint does: a linear probe (a linear "
        + "classifier trained on one split's global features, accuracy on the test split), or with --shots N-way "
        + "K-shot episodes (mean ± std of the query accuracy over seeded episodes, drawn from the training split).",
        "The classifier is an L2-regularised logistic regression on standardised features (see docs/evaluation.md)."})
final class ProbeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--encoder", required = true, paramLabel = "FILE",
        description = "The point-encoder checkpoint (.safetensors) to evaluate.")
    Path encoder;

    @Mixin
    DatasetOptions datasetOptions;

    @Option(names = "--train-split", defaultValue = "train", paramLabel = "train|test",
        description = "The split the classifier trains on, and episodes are drawn from (default: ${DEFAULT-VALUE}); "
            + "a dataset that ships only a test split (modelnet40-mini, a flat folder) needs test, with --holdout for "
            + "the linear probe.")
    String trainSplit;

    @Option(names = "--holdout", paramLabel = "F",
        description = "Test the linear probe on a stratified share F of the training split held out from training, "
            + "instead of on the test split.")
    Double holdout;

    @Option(names = "--shots", paramLabel = "K", description = "Run K-shot episodes instead of the linear probe.")
    Integer shots;

    @Option(names = "--ways", paramLabel = "N", description = "Classes per episode (default: 5).")
    Integer ways;

    @Option(names = "--queries", paramLabel = "Q", description = "Query samples per class and episode (default: 20).")
    Integer queries;

    @Option(names = "--episodes", paramLabel = "E", description = "Episodes (default: 10).")
    Integer episodes;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
        description = "Seed of the episodes, the hold-out and mesh sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--c", defaultValue = "1.0", paramLabel = "C",
        description = "Inverse L2 strength of the classifier, as scikit-learn's C (default: ${DEFAULT-VALUE}).")
    double c;

    @Option(names = "--features", defaultValue = "global", paramLabel = "global|clip",
        description = "Probe the backbone's global features (global, as CrossPoint) or the features in CLIP's space "
            + "(clip) (default: ${DEFAULT-VALUE}).")
    String features;

    @Option(names = "--points", defaultValue = "1024", paramLabel = "N",
        description = "Points per cloud: the first N (a mesh: N sampled); 0 = all (default: ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "B", description = "Clouds per encoder call "
        + "(default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "T",
        description = "Threads fitting the classifier; the result is the same for any count (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--json", description = "Print the result as one JSON object on stdout (and nothing else there).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        boolean fewShot = shots != null;
        validate(fewShot);
        Split train = split(trainSplit);
        ReadOptions read = ReadOptions.builder().samplePoints(points).seed(seed).build();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LinearProbe probe = LinearProbe.builder().c(c).threads(threads).build();
        ObjectNode node = new ObjectMapper().createObjectNode();
        try (PointEncoder enc = Encoders.load(encoder, "--encoder");
             BarListener bar = new BarListener(err)) {
            EncoderFeatures extractor = EncoderFeatures.builder().encoder(enc).firstPoints(points).batchSize(batch)
                .output(features.equals("clip") ? EncoderFeatures.Output.EMBEDDING : EncoderFeatures.Output.FEATURES)
                .listener(bar).build();
            node.put("encoder", encoder.toString());
            ObjectNode meta = node.putObject("encoder_metadata");
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(enc.metadata()).entrySet()) {
                meta.put(e.getKey(), e.getValue());
            }
            node.put("features", features);
            node.put("dim", extractor.dim());
            node.put("points", points);
            String line;
            if (fewShot) {
                Dataset pool = openTraining(train, read);
                FewShotEpisodes.Builder b = FewShotEpisodes.builder().shots(shots).seed(seed).probe(probe).listener(bar);
                if (ways != null) {
                    b.ways(ways);
                }
                if (queries != null) {
                    b.queries(queries);
                }
                if (episodes != null) {
                    b.episodes(episodes);
                }
                EpisodeResult r = b.build().run(extractor, pool);
                node.put("dataset", pool.name());
                ObjectNode f = node.putObject("few_shot");
                f.put("ways", r.ways());
                f.put("shots", r.shots());
                f.put("queries", r.queries());
                f.put("episodes", r.episodes());
                f.put("seed", r.seed());
                f.put("mean", r.mean());
                f.put("std", r.std());
                ArrayNode acc = f.putArray("accuracies");
                for (double a : r.accuracies()) {
                    acc.add(a);
                }
                line = String.format(Locale.ROOT, "%s: %d-way %d-shot (%d queries per class, %d episodes, seed %d): "
                    + "%.2f ± %.2f %%", pool.name(), r.ways(), r.shots(), r.queries(), r.episodes(), r.seed(),
                    100 * r.mean(), 100 * r.std());
            } else {
                Dataset trainSet = openTraining(train, read);
                LabelledFeatures trainFeatures;
                LabelledFeatures testFeatures;
                String testName;
                if (holdout != null) {
                    HoldOut parts = Datasets.holdOut(trainSet, holdout, seed);
                    if (parts.validation().size() == 0) {
                        throw new PointClipCli.BadInputException("--holdout " + holdout + " holds out no sample of "
                            + trainSet.name() + "; raise it");
                    }
                    trainFeatures = extractor.extract(parts.train());
                    testFeatures = extractor.extract(parts.validation());
                    testName = trainSet.name() + " (held out " + holdout + ")";
                } else {
                    Dataset test = datasetOptions.open(Split.TEST, read);
                    trainFeatures = extractor.extract(trainSet);
                    testFeatures = extractor.extract(test);
                    testName = test.name();
                }
                ProbeResult r = probe.evaluate(trainFeatures, testFeatures);
                node.put("dataset", trainSet.name());
                ObjectNode l = node.putObject("linear_probe");
                l.put("train", trainSet.name());
                l.put("test", testName);
                l.put("train_samples", r.trainSamples());
                l.put("test_samples", r.testSamples());
                l.put("classes", r.classes());
                l.put("c", c);
                l.put("accuracy", r.accuracy());
                l.put("mean_class_accuracy", r.meanClassAccuracy());
                l.put("train_accuracy", r.trainAccuracy());
                l.put("iterations", r.iterations());
                l.put("converged", r.converged());
                line = String.format(Locale.ROOT, "linear probe, %d-d %s features: trained on %s (%d samples), "
                    + "accuracy %.2f%%, mean class accuracy %.2f%% on %s (%d samples); training accuracy %.2f%%, "
                    + "%d iterations%s", r.dim(), features, trainSet.name(), r.trainSamples(), 100 * r.accuracy(),
                    100 * r.meanClassAccuracy(), testName, r.testSamples(), 100 * r.trainAccuracy(), r.iterations(),
                    r.converged() ? "" : " (not converged: lower --c)");
            }
            bar.close();
            out.println(json ? new ObjectMapper().writeValueAsString(node) : line);
            out.flush();
        }
        return 0;
    }

    private void validate(boolean fewShot) {
        if (!fewShot && (ways != null || queries != null || episodes != null)) {
            throw new PointClipCli.BadInputException("--ways, --queries and --episodes apply to few-shot episodes: "
                + "give --shots K");
        }
        if (fewShot && holdout != null) {
            throw new PointClipCli.BadInputException("--holdout applies to the linear probe; episodes hold out their "
                + "own query samples");
        }
        if (fewShot && (shots < 1 || (ways != null && ways < 2) || (queries != null && queries < 1)
            || (episodes != null && episodes < 1))) {
            throw new PointClipCli.BadInputException("need --shots ≥ 1, --ways ≥ 2, --queries ≥ 1 and --episodes ≥ 1");
        }
        if (holdout != null && !(holdout > 0 && holdout < 1)) {
            throw new PointClipCli.BadInputException("--holdout must be between 0 and 1, got " + holdout);
        }
        if (!fewShot && holdout == null && split(trainSplit) == Split.TEST) {
            throw new PointClipCli.BadInputException("--train-split test would test the linear probe on its own "
                + "training samples: add --holdout F to test on a held-out share of it");
        }
        if (!(c > 0) || Double.isInfinite(c)) {
            throw new PointClipCli.BadInputException("--c must be positive, got " + c);
        }
        if (points < 0) {
            throw new PointClipCli.BadInputException("--points must be ≥ 0 (0 = all points), got " + points);
        }
        if (batch < 1) {
            throw new PointClipCli.BadInputException("--batch must be ≥ 1, got " + batch);
        }
        if (threads < 1) {
            throw new PointClipCli.BadInputException("--threads must be ≥ 1, got " + threads);
        }
        if (!features.equals("global") && !features.equals("clip")) {
            throw new PointClipCli.BadInputException("unknown --features '" + features + "'; known: global, clip");
        }
    }

    /** The training split; a dataset without one is named with the options that probe its test split. */
    private Dataset openTraining(Split split, ReadOptions read) throws java.io.IOException {
        try {
            return datasetOptions.open(split, read);
        } catch (io.github.pointclip.dataset.DatasetException e) {
            String m = String.valueOf(e.getMessage());
            if (split != Split.TRAIN || !(m.contains("not found") || m.contains("has no train"))) {
                throw e;
            }
            throw new PointClipCli.BadInputException(m + "; a dataset without a train split (such as modelnet40-mini) "
                + "is probed on its test split: --train-split test, with --holdout F for the linear probe");
        }
    }

    private static Split split(String name) {
        if (name.equalsIgnoreCase("train")) {
            return Split.TRAIN;
        }
        if (name.equalsIgnoreCase("test")) {
            return Split.TEST;
        }
        throw new PointClipCli.BadInputException("unknown --train-split '" + name + "'; known: train, test");
    }

    /** Draws the encoding and the episodes on one bar each; the classifier's fit is short and not drawn. */
    private static final class BarListener implements ProbeListener, AutoCloseable {
        private final PrintWriter err;
        private ProgressBar bar;
        private Stage stage;

        BarListener(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void started(Stage s, int total) {
            if (s == Stage.TRAINING) {
                return;
            }
            close();
            stage = s;
            bar = new ProgressBar(err, s == Stage.FEATURES ? "encoding" : "episodes", total,
                s == Stage.FEATURES ? "clouds" : "episodes");
        }

        @Override
        public void progress(Stage s, int done, int total) {
            if (s == stage && bar != null) {
                bar.update(done, null);
            }
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
