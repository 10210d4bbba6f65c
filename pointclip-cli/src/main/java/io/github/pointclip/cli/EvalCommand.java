package io.github.pointclip.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pointclip.Pipeline;
import io.github.pointclip.PointClip;
import io.github.pointclip.Prediction;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.Split;
import io.github.pointclip.encoder.Backbone;
import io.github.pointclip.encoder.FeatureAdapter;
import io.github.pointclip.eval.EvaluationInterruptedException;
import io.github.pointclip.eval.EvaluationListener;
import io.github.pointclip.eval.EvaluationResult;
import io.github.pointclip.eval.Evaluator;
import io.github.pointclip.eval.SkippedSample;
import io.github.pointclip.eval.Timings;
import io.github.pointclip.prompt.PromptSet;
import io.github.pointclip.report.EvaluationReport;
import io.github.pointclip.report.Example;
import io.github.pointclip.report.ReportJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pointclip eval}: accuracy of a model and pipeline on a benchmark, with an HTML report. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = {"Evaluate zero-shot (or few-shot, with --adapter) classification on a labelled dataset: overall, "
        + "mean class and per-class accuracy, confusion matrix.",
        "Writes report.json, confusion.png, per-class.png, contact sheets of examples and index.html to --report.",
        "Image features are cached on disk, so an interrupted run resumes where it stopped."})
final class EvalCommand implements Callable<Integer> {

    /** Exit status of an evaluation stopped by Ctrl-C (128 + SIGINT, as shells report it). */
    static final int EXIT_INTERRUPTED = 130;

    /** How long Ctrl-C waits for the evaluation to stop at the next encoder batch. */
    private static final int STOP_WAIT_SECONDS = 30;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    DatasetOptions datasetOptions;

    @Option(names = "--split", defaultValue = "test", paramLabel = "train|test|val",
        description = "Split to evaluate (default: ${DEFAULT-VALUE}).")
    String split;

    @Mixin
    PipelineOptions pipelineOptions;

    @Mixin
    PromptsOption promptsOption;

    @Option(names = "--adapter", paramLabel = "FILE", description = "A few-shot adapter checkpoint (pointclip fewshot).")
    Path adapter;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
        description = "Mesh sampling seed of a folder dataset; with --task detection --proposals cluster, the "
            + "proposer's RANSAC seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--limit", paramLabel = "N", description = "Evaluate only the first N samples.")
    Integer limit;

    @Option(names = "--workers", paramLabel = "T", description = "Projection threads (default: half the processors, 1 to 4).")
    Integer workers;

    @Option(names = "--report", paramLabel = "OUT_DIR",
        description = "Where to write the report (required for classification).")
    Path report;

    @Option(names = "--examples", defaultValue = "4", paramLabel = "K",
        description = "Contact sheets of the first K correct and K wrong samples (default: ${DEFAULT-VALUE}).")
    int examples;

    @Mixin
    FeatureCacheOption featureCache;

    @Option(names = "--skip-bad", description = "Leave out samples whose files cannot be read, listing them in the "
        + "report, instead of stopping before any encoding (the default).")
    boolean skipBad;

    @Option(names = "--json", description = "Print the report as one JSON object on stdout (and nothing else there).")
    boolean json;

    @Mixin
    FuseOption fuse;

    @Option(names = "--task", defaultValue = "classification", paramLabel = "classification|detection|segmentation",
        description = "What to evaluate (default: ${DEFAULT-VALUE}); detection: AP of zero-shot 3-D detection on "
            + "--dataset scannet with --proposals; segmentation: zero-shot part segmentation on --dataset shapenetpart, every point of each shape unless "
            + "--points is given.")
    String task;

    @Option(names = "--layout", paramLabel = "fixed|official",
        description = "Segmentation: fixed (default) or the original code's official layout (docs/segmentation.md).")
    String layout;

    @Option(names = "--proposals", paramLabel = "DIR|cluster",
        description = "Detection: DIR/<scene>_proposals.json boxes per scene, or the built-in 'cluster' proposer.")
    String proposals;

    @Mixin
    ClusterOptions cluster;

    /**
     * Names every layout eval reads in its {@code --dataset} help (the shared option lists the
     * classification ones): scannet for {@code --task detection}, shapenetpart for segmentation.
     *
     * @param spec the {@code eval} command's spec
     */
    static void describeDatasets(CommandSpec spec) {
        picocli.CommandLine.Model.OptionSpec dataset = spec.findOption("--dataset");
        if (dataset != null) {
            List<String> description = new ArrayList<>(List.of(dataset.description()));
            description.add("scannet: the ScanNet detection layout (--task detection); shapenetpart: "
                + "ShapeNetPart's shapenet_part_seg_hdf5_data release (--task segmentation).");
            spec.remove(dataset);
            spec.addOption(picocli.CommandLine.Model.OptionSpec.builder(dataset)
                .paramLabel("modelnet40|scanobjectnn|folder|scannet|shapenetpart")
                .description(description.toArray(new String[0])).build());
        }
    }

    @Override
    public Integer call() throws Exception {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        if ("detection".equalsIgnoreCase(task)) {
            return new DetectionEval(this).call();
        }
        List<String> detectionOnly = new ArrayList<>(ClusterOptions.NAMES);
        detectionOnly.add(0, "--proposals");
        for (String option : detectionOnly) {
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new PointClipCli.BadInputException(option + " applies to --task detection only");
            }
        }
        if ("segmentation".equalsIgnoreCase(task)) {
            return new SegmentationEval(this).call();
        }
        if (!"classification".equalsIgnoreCase(task)) {
            throw new PointClipCli.BadInputException("unknown --task '" + task + "'; known: classification, detection, "
                + "segmentation");
        }
        if (layout != null) {
            throw new PointClipCli.BadInputException("--layout applies to --task segmentation only");
        }
        validate();
        Path cacheDirectory = featureCache.directory(Evaluator.defaultCacheDirectory());
        FeatureAdapter fewShot = PipelineChoice.loadAdapter(adapter);
        Pipeline p = pipelineOptions.pipeline("v2", fewShot); // first: an adapter settles the points per cloud
        Dataset ds = datasetOptions.open(split(), pipelineOptions.readOptions(false, seed));
        PromptSet prompts = promptsOption.forClasses(p, pipelineOptions.template != null, ds.classNames());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PointClip.Builder builder = modelOptions.pointClip().pipeline(p)
            .prompts(prompts);
        Backbone declared = modelOptions.backbone(); // --backbone lives in ModelOptions
        if (fewShot != null) {
            builder.adapter(fewShot);
        }
        try (PointClip clip = builder.build()) {
            Evaluator.Builder eb = Evaluator.builder().clip(clip).dataset(ds).prompts(prompts)
                .firstPoints(pipelineOptions.points).limit(limit == null ? 0 : limit).batchSize(modelOptions.batch)
                .cacheDirectory(cacheDirectory).skipBad(skipBad);
            if (declared != null) {
                eb.backbone(declared.displayName());
            }
            if (workers != null) {
                eb.workers(workers);
            }
            if (fewShot != null) {
                eb.adapter(adapter.getFileName().toString(), shots(fewShot));
            }
            Evaluator evaluator = eb.build();
            EvaluationResult result;
            try (ProgressBar bar = new ProgressBar(err, "eval " + ds.name(), evaluator.samples(), "clouds")) {
                result = runInterruptibly(evaluator.toBuilder().listener(new EvaluationListener() {
                    @Override
                    public void started(int samples, int cached) {
                        bar.total(samples); // without the samples --skip-bad left out
                    }

                    @Override
                    public void progress(int done, int samples) {
                        bar.update(done, null);
                    }
                }).build(), err);
            }
            if (result == null) {
                return EXIT_INTERRUPTED;
            }
            for (SkippedSample s : result.skipped()) {
                err.println("skipped " + s.id() + ": " + s.reason());
            }
            err.flush();
            EvaluationResult alone = result;
            com.fasterxml.jackson.databind.node.ObjectNode fusion = null;
            if (fuse.active()) { // PointCLIP's logits fused with another model's, sample by sample
                try (FuseOption.Other other = fuse.open(clip, p, prompts, modelOptions.batch,
                        modelOptions.truncatePrompts)) {
                    int evaluated = limit == null ? ds.size() : Math.min(limit, ds.size());
                    result = FuseOption.fuse(result, ds, datasetIndices(result), evaluated, p, other, err);
                    fusion = other.describe(ReportJson.mapper().createObjectNode());
                    fusion.put("accuracy_alone", alone.accuracy());
                    fusion.put("mean_class_accuracy_alone", alone.meanClassAccuracy());
                }
            }
            List<Example> shown = examples(clip, ds, result);
            ObjectNode node = EvaluationReport.write(result, report, shown);
            if (fusion != null) { // recorded in report.json beside the fused metrics
                node.set("fusion", fusion);
                byte[] bytes = ReportJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
                io.github.pointclip.internal.AtomicFiles.write(report.resolve(EvaluationReport.JSON),
                    o -> o.write(bytes));
            }
            if (json) {
                node.put("report", report.toAbsolutePath().toString());
                out.println(ReportJson.mapper().writeValueAsString(node));
            } else {
                out.println(summary(result));
                if (fusion != null) {
                    out.println(String.format(Locale.ROOT, "fused with %s (weight %s): accuracy %.2f%% (alone %.2f%%)",
                        fuse.file, fusion.get("weight").asText(), 100 * result.accuracy(), 100 * alone.accuracy()));
                }
            }
            out.flush();
        }
        return 0;
    }

    private void validate() {
        if (report == null) {
            throw new PointClipCli.BadInputException("eval needs --report OUT_DIR (where the report is written)");
        }
        if (proposals != null) {
            throw new PointClipCli.BadInputException("--proposals applies to --task detection only");
        }
        pipelineOptions.checkPoints();
        fuse.check();
        featureCache.check();
        if (limit != null && limit < 1) {
            throw new PointClipCli.BadInputException("--limit must be positive, got " + limit);
        }
        if (workers != null && workers < 1) {
            throw new PointClipCli.BadInputException("--workers must be positive, got " + workers);
        }
        if (examples < 0) {
            throw new PointClipCli.BadInputException("--examples must be >= 0, got " + examples);
        }
        if (Files.exists(report) && !Files.isDirectory(report)) {
            throw new PointClipCli.BadInputException("--report " + report + " exists and is not a directory");
        }
    }

    private Split split() {
        for (Split s : Split.values()) {
            if (s.folderName().equalsIgnoreCase(split) || s.name().equalsIgnoreCase(split)) {
                return s;
            }
        }
        throw new PointClipCli.BadInputException("unknown split '" + split + "'; known: train, test, val");
    }

    private static int shots(FeatureAdapter a) {
        String s = a.metadata().get("shots");
        try {
            return s == null ? 0 : Math.max(0, Integer.parseInt(s.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Runs the evaluation. Ctrl-C interrupts it and gives it up to {@link #STOP_WAIT_SECONDS} to
     * stop at the next encoder batch: the evaluator then writes the finished part of the current
     * chunk to the cache and this prints how many samples are cached and how to resume. An encoder
     * run that takes longer is cut short by the JVM's exit, which is safe: every file is written
     * atomically, so a chunk or report file is whole or absent.
     *
     * @return the result, or null when interrupted (the message is printed)
     */
    private static EvaluationResult runInterruptibly(Evaluator evaluator, PrintWriter err) throws IOException {
        Thread worker = Thread.currentThread();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            err.println();
            err.println("interrupted: stopping after the current encoder batch…");
            err.flush();
            worker.interrupt();
            try {
                if (!finished.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    err.println("gave up waiting for the encoder; the chunks finished before are cached, "
                        + "run the same command again to resume");
                    err.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pointclip-eval-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return evaluator.evaluate();
        } catch (EvaluationInterruptedException e) {
            err.println();
            err.println(interruptedMessage(e));
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

    /**
     * @param e how far the evaluation got
     * @return one line: how many samples are done and cached, and how to resume
     */
    static String interruptedMessage(EvaluationInterruptedException e) {
        if (e.cacheDirectory() == null) {
            return String.format(Locale.ROOT, "eval interrupted after %d of %d samples; nothing is cached "
                + "(--no-cache), a new run starts over", e.done(), e.samples());
        }
        return String.format(Locale.ROOT, "eval interrupted after %d of %d samples; %d samples are cached in %s; "
            + "run the same command again to resume", e.done(), e.samples(), e.cached(), e.cacheDirectory());
    }

    private List<Example> examples(PointClip clip, Dataset ds, EvaluationResult r) throws IOException {
        List<Example> out = new ArrayList<>();
        List<Integer> picks = new ArrayList<>();
        picks.addAll(r.correct().subList(0, Math.min(examples, r.correct().size())));
        picks.addAll(r.wrong().subList(0, Math.min(examples, r.wrong().size())));
        List<String> names = r.classNames();
        int[] labels = r.labels();
        int[] predictions = r.predictions();
        int[] datasetIndex = datasetIndices(r);
        for (int i : picks) {
            PointCloud cloud = ds.get(datasetIndex[i]).cloud();
            cloud = pipelineOptions.truncate(cloud);
            Prediction prediction = Prediction.of(names, r.logits(i));
            out.add(new Example(datasetIndex[i], ds.id(datasetIndex[i]), names.get(labels[i]), names.get(predictions[i]),
                prediction.probabilities()[predictions[i]], clip.pipeline().projector().project(cloud)));
        }
        return out;
    }

    /** The dataset index of each evaluated sample: all in order, less the skipped ones. */
    static int[] datasetIndices(EvaluationResult r) {
        java.util.Set<Integer> skipped = new java.util.HashSet<>();
        for (SkippedSample s : r.skipped()) {
            skipped.add(s.index());
        }
        int[] out = new int[r.samples()];
        for (int i = 0, k = 0; k < out.length; i++) {
            if (!skipped.contains(i)) {
                out[k++] = i;
            }
        }
        return out;
    }

    private String summary(EvaluationResult r) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%s: %d samples, accuracy %.2f%%, mean class accuracy %.2f%%",
            r.provenance().dataset(), r.samples(), 100 * r.accuracy(), 100 * r.meanClassAccuracy()));
        r.published().ifPresent(e -> s.append(String.format(Locale.ROOT, " (published: %.2f%%)", e.accuracy())));
        Timings t = r.timings();
        if (t.encodedSamples() > 0) {
            s.append(String.format(Locale.ROOT, "%nencoder busy %.1f%% of %.1f s, %.2f clouds/s; %d from cache",
                100 * t.encoderBusyFraction(), t.loopNanos() / 1e9, t.samplesPerSecond(), t.cachedSamples()));
        }
        if (!r.skipped().isEmpty()) {
            s.append(String.format(Locale.ROOT, "%n%d unreadable samples skipped (listed in the report)",
                r.skipped().size()));
        }
        s.append(System.lineSeparator()).append("report: ").append(report.resolve(EvaluationReport.HTML));
        return s.toString();
    }
}
