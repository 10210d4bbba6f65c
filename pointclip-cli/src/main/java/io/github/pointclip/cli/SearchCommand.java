package io.github.pointclip.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pointclip.Pipeline;
import io.github.pointclip.PointClip;
import io.github.pointclip.adapter.search.PromptSearch;
import io.github.pointclip.adapter.search.PromptSearchResult;
import io.github.pointclip.adapter.search.SearchData;
import io.github.pointclip.adapter.search.SearchListener;
import io.github.pointclip.adapter.search.ViewWeightResult;
import io.github.pointclip.adapter.search.ViewWeightSearch;
import io.github.pointclip.adapter.train.Augmentation;
import io.github.pointclip.adapter.train.FeatureCache;
import io.github.pointclip.adapter.train.FeatureSet;
import io.github.pointclip.adapter.train.PointClipFeatureExtractor;
import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.Datasets;
import io.github.pointclip.dataset.Split;
import io.github.pointclip.eval.SkippedSample;
import io.github.pointclip.internal.AtomicFiles;
import io.github.pointclip.internal.PipelineStages;
import io.github.pointclip.io.ReadOptions;
import io.github.pointclip.prompt.PromptSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pointclip search views|prompts}: the view-weight grid search or the prompt search (DESIGN §5) on
 * a validation split the user names: {@code val} is a stratified hold-out of the {@code --train-split}
 * (the train split by default); the test split is refused unless {@code --allow-test-split} is given.
 * Results are written in the forms {@code --view-weights FILE} and {@code --prompts FILE} read.
 */
@Command(name = "search", mixinStandardHelpOptions = true,
    description = {"Search view weights or prompts on a validation split.",
        "views: writes the best view weights as JSON, read by 'eval/classify --view-weights FILE'; prompts: writes the "
            + "chosen {class: [prompt]} library, read by 'eval/classify --prompts FILE'."})
final class SearchCommand implements Callable<Integer> {

    /** What to search. */
    enum Mode { views, prompts }

    /** Which split to search on. */
    enum SplitChoice { val, train, test }

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    DatasetOptions datasetOptions;

    @Parameters(index = "0", paramLabel = "views|prompts", description = "What to search.")
    Mode mode;

    @Option(names = "--split", defaultValue = "val", paramLabel = "val|train|test",
        description = "Where to search: val = stratified hold-out of the --train-split, train = all of the "
            + "--train-split, test = the test split (needs --allow-test-split) (default: ${DEFAULT-VALUE}).")
    SplitChoice split;

    @Option(names = "--train-split", defaultValue = "train", paramLabel = "train|test",
        description = "The dataset split that plays the training split (default: ${DEFAULT-VALUE}); a dataset that "
            + "ships only a test split, such as modelnet40-mini, needs test (and --allow-test-split).")
    SplitChoice trainSplit;

    @Option(names = "--val-fraction", defaultValue = "0.2", paramLabel = "F",
        description = "Share of each class of the --train-split held out for --split val (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--seed", defaultValue = "0", description = "Hold-out and mesh sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--allow-test-split", description = "Allow searching on the test split (tunes on test labels).")
    boolean allowTestSplit;

    @Option(names = "--candidates", paramLabel = "FILE.json",
        description = "Prompt candidates {\"class\": [\"prompt\", ...]} (required for prompts).")
    Path candidates;

    @Mixin
    PromptsOption promptsOption;

    @Mixin
    PipelineOptions pipelineOptions;

    @Option(names = "--steps", paramLabel = "T",
        description = "views: weight values per view, (i+1)·R/T (default: 4).")
    Integer steps;

    @Option(names = "--range", paramLabel = "R", description = "views: the largest weight (default: 1.0).")
    Double range;

    @Option(names = "--passes", paramLabel = "P", description = "prompts: passes over the classes (default: 2).")
    Integer passes;

    @Mixin
    FeatureCacheOption featureCache;

    @Option(names = "--out", required = true, paramLabel = "FILE",
        description = "Where to write the result: views: {\"view_weights\": [...], ...}, read by --view-weights FILE; "
            + "prompts: a {class: [prompt]} library, read by --prompts FILE.")
    Path out;

    @Option(names = "--skip-bad", description = "Leave out samples whose files cannot be read, listing them on stderr and "
        + "counting them in the output (skipped_samples), instead of stopping before any encoding (the default).")
    boolean skipBad;

    /** Samples --skip-bad left out of the search set. */
    private int skippedSamples;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        checkOptions();
        Pipeline p = pipelineOptions.pipeline("v2", null);
        Dataset searchSet = openSplit(err);
        List<String> classes = searchSet.classNames();
        PromptSet initial = promptsOption.forClasses(p, pipelineOptions.template != null, classes);
        PromptSet library = null;
        if (mode == Mode.prompts) {
            library = PromptSet.fromJson(candidates);
        }
        try (PointClip clip = modelOptions.pointClip().pipeline(p)
            .prompts(initial).build()) {
            SearchData features = encode(clip, searchSet, p, err);
            float[] text = PipelineStages.textFeatures(clip, initial);
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            if (mode == Mode.views) {
                int t = steps == null ? 4 : steps;
                double r = range == null ? 1.0 : range;
                ViewWeightResult result;
                try (ProgressBar bar = new ProgressBar(err, "search", 0, "trials")) {
                    result = ViewWeightSearch.builder().steps(t).range(r).listener(listener(bar)).build()
                        .search(features, text);
                }
                if (result.weights().isEmpty()) {
                    // as the reference: a trial is kept only when it beats 0 correct, so none is selected
                    throw new SearchFoundNothingException(String.format(Locale.ROOT, "no view weights selected: every "
                        + "one of the %d trials classified 0 of %d samples of %s correctly (accuracy 0.00%%); "
                        + "%s not written", result.trials(), result.samples(), searchSet.name(), out));
                }
                float[] weights = result.weights().get();
                ObjectNode node = mapper.createObjectNode();
                ArrayNode w = node.putArray("view_weights");
                for (float f : weights) {
                    w.add(f);
                }
                node.put("accuracy_percent", percent(result.correct(), result.samples()));
                node.put("correct", result.correct());
                node.put("samples", result.samples());
                node.put("trials", result.trials());
                node.put("pipeline", p.name());
                node.put("dataset", searchSet.name());
                node.put("points", pipelineOptions.points);
                node.put("steps", t);
                node.put("range", r);
                node.put("skipped_samples", skippedSamples);
                AtomicFiles.write(out, o -> mapper.writeValue(o, node));
                stdout.printf(Locale.ROOT, "view weights %s: %d/%d = %.2f%% on %s%s; wrote %s%n",
                    java.util.Arrays.toString(weights), result.correct(), result.samples(),
                    percent(result.correct(), result.samples()), searchSet.name(), skippedNote(), out);
            } else {
                List<List<String>> candidatePrompts = new ArrayList<>();
                List<float[]> candidateFeatures = candidateFeatures(clip, library, classes, candidatePrompts, err);
                PromptSearchResult result;
                try (ProgressBar bar = new ProgressBar(err, "search", 0, "trials")) {
                    result = PromptSearch.builder().passes(passes == null ? 2 : passes).listener(listener(bar)).build()
                        .search(features, p.viewWeights(), text, candidateFeatures);
                }
                ObjectNode node = mapper.createObjectNode();
                for (int c = 0; c < classes.size(); c++) {
                    ArrayNode a = node.putArray(classes.get(c));
                    int k = result.chosen(c);
                    if (k < 0) {
                        initial.prompts(c).forEach(a::add);
                    } else {
                        a.add(candidatePrompts.get(c).get(k));
                    }
                }
                AtomicFiles.write(out, o -> mapper.writeValue(o, node));
                stdout.printf(Locale.ROOT, "prompts: %d/%d → %d/%d (%.2f%% → %.2f%%) on %s%s, %d trials, %d accepted; wrote %s%n",
                    result.initialCorrect(), result.samples(), result.correct(), result.samples(),
                    percent(result.initialCorrect(), result.samples()), percent(result.correct(), result.samples()),
                    searchSet.name(), skippedNote(), result.trials(), result.accepted(), out);
            }
        }
        stdout.flush();
        return 0;
    }

    private void checkOptions() {
        pipelineOptions.checkPoints();
        featureCache.check();
        if (mode == Mode.prompts && candidates == null) {
            throw new PointClipCli.BadInputException("search prompts needs --candidates FILE.json");
        }
        if (mode == Mode.views) {
            for (String option : new String[] {"--candidates", "--passes", "--view-weights"}) {
                if (given(option)) {
                    throw new PointClipCli.BadInputException(option + " does nothing in 'search views'"
                        + (option.equals("--view-weights") ? " (the weights are what it searches)" : ""));
                }
            }
        } else {
            for (String option : new String[] {"--steps", "--range"}) {
                if (given(option)) {
                    throw new PointClipCli.BadInputException(option + " does nothing in 'search prompts'");
                }
            }
        }
        if (given("--val-fraction") && split != SplitChoice.val) {
            throw new PointClipCli.BadInputException("--val-fraction does nothing with --split " + split);
        }
        if (given("--train-split") && split == SplitChoice.test) {
            throw new PointClipCli.BadInputException("--train-split does nothing with --split test");
        }
        if (!(valFraction > 0 && valFraction < 1)) {
            throw new PointClipCli.BadInputException("--val-fraction must be in (0, 1), got " + valFraction);
        }
        if ((steps != null && steps < 1) || (range != null && !(range > 0 && Double.isFinite(range)))
            || (passes != null && passes < 1)) {
            throw new PointClipCli.BadInputException("--steps and --passes must be ≥ 1 and --range > 0");
        }
        if ((split == SplitChoice.test || trainSplit == SplitChoice.test) && !allowTestSplit) {
            throw new PointClipCli.BadInputException("refusing to search on the test split (that tunes on test labels);"
                + " use --split val, or add --allow-test-split");
        }
        if (allowTestSplit && split != SplitChoice.test && trainSplit != SplitChoice.test) {
            throw new PointClipCli.BadInputException("--allow-test-split does nothing unless --split or --train-split is test");
        }
        if (trainSplit == SplitChoice.val) {
            throw new PointClipCli.BadInputException("--train-split is train or test");
        }
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** @return " (N unreadable samples skipped)" after --skip-bad left some out, else nothing */
    private String skippedNote() {
        return skippedSamples == 0 ? "" : " (" + skippedSamples + " unreadable samples skipped)";
    }

    private static double percent(int correct, int samples) {
        return Math.round(10000.0 * correct / samples) / 100.0;
    }

    private Dataset openSplit(PrintWriter err) throws IOException {
        ReadOptions read = pipelineOptions.readOptions(false, seed);
        boolean onTest = split == SplitChoice.test || trainSplit == SplitChoice.test;
        Dataset whole = split == SplitChoice.test ? datasetOptions.open(Split.TEST, read)
            : datasetOptions.openForTraining(trainSplit == SplitChoice.test ? Split.TEST : Split.TRAIN, read);
        if (onTest) {
            err.println("warning: searching on the test split; accuracies measured on it afterwards are optimistic");
            err.flush();
        }
        return split == SplitChoice.val ? Datasets.holdOut(whole, valFraction, seed).validation() : whole;
    }

    /** Raw features of the search set, through the few-shot feature cache (encoded once per model and setting). */
    private SearchData encode(PointClip clip, Dataset set, Pipeline p, PrintWriter err) throws IOException {
        if (set.size() == 0) {
            throw new PointClipCli.BadInputException(set.name() + " has no samples");
        }
        FeatureCache.CheckedFeatures checked;
        try (FeatureCacheOption.Opened features = featureCache.open();
             ProgressBar bar = new ProgressBar(err, "encoding", set.size(), "clouds")) {
            checked = features.cache().checkedFeatures(set, new PointClipFeatureExtractor(clip),
                Augmentation.none(pipelineOptions.pointsOrAll()), 1, 0, skipBad, done -> bar.update(done, null));
        }
        for (SkippedSample s : checked.skipped()) {
            err.println("skipped " + s.id() + ": " + s.reason());
        }
        err.flush();
        skippedSamples = checked.skipped().size();
        FeatureSet f = checked.features();
        return SearchData.fromRawFeatures(f.features(), f.size(), f.views(), f.dim(), f.labels(),
            set.classNames().size(), clip.model().logitScale());
    }

    private List<float[]> candidateFeatures(PointClip clip, PromptSet library, List<String> classes,
                                            List<List<String>> promptsOut, PrintWriter err) {
        for (String c : library.classes()) {
            if (!classes.contains(c)) {
                err.println("warning: candidates for '" + c + "', which is not a class of the dataset, are ignored");
            }
        }
        List<float[]> out = new ArrayList<>();
        try (ProgressBar bar = new ProgressBar(err, "prompts", classes.size(), "classes")) {
            for (int c = 0; c < classes.size(); c++) {
                int li = library.classes().indexOf(classes.get(c));
                List<String> list = li < 0 ? List.of() : library.prompts(li);
                if (li < 0) {
                    err.println("warning: no candidates for class '" + classes.get(c) + "'; it keeps its prompts");
                }
                promptsOut.add(list);
                if (list.isEmpty()) {
                    out.add(new float[0]);
                } else {
                    Map<String, List<String>> one = new LinkedHashMap<>();
                    for (int k = 0; k < list.size(); k++) {
                        one.put(Integer.toString(k), List.of(list.get(k)));
                    }
                    out.add(PipelineStages.textFeatures(clip, PromptSet.fromPrompts(one)));
                }
                bar.update(c + 1, null);
            }
        }
        return out;
    }

    /** The view search kept no trial (every one scored 0); exit code 4 ({@link PointClipCli#EXIT_NOTHING_SELECTED}), nothing written. */
    static final class SearchFoundNothingException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SearchFoundNothingException(String message) {
            super(message);
        }
    }

    private static SearchListener listener(ProgressBar bar) {
        return (done, total, best, samples) -> {
            bar.total(total);
            bar.update(done, String.format(Locale.ROOT, "best %.2f%%", 100.0 * best / samples));
        };
    }
}
