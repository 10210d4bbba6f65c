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
import io.github.pointclip.adapter.search.SearchSplits;
import io.github.pointclip.adapter.search.ViewWeightResult;
import io.github.pointclip.adapter.search.ViewWeightSearch;
import io.github.pointclip.adapter.train.Augmentation;
import io.github.pointclip.adapter.train.FeatureCache;
import io.github.pointclip.adapter.train.FeatureSet;
import io.github.pointclip.adapter.train.PointClipFeatureExtractor;
import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.Split;
import io.github.pointclip.io.AtomicFiles;
import io.github.pointclip.prompt.PromptSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
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
 * a validation split the user names: {@code val} is a stratified hold-out of the train split; the test
 * split is refused unless {@code --allow-test-split} is given.
 */
@Command(name = "search", mixinStandardHelpOptions = true,
    description = {"Search view weights or prompts on a validation split.",
        "views: writes the best view weights as JSON; prompts: writes the chosen {class: [prompt]} library,"
            + " usable by 'classify --prompts'."})
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
        description = "Where to search: val = stratified hold-out of the train split (default: ${DEFAULT-VALUE}).")
    SplitChoice split;

    @Option(names = "--val-fraction", defaultValue = "0.2", paramLabel = "F",
        description = "Share of each train class held out for val (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--seed", defaultValue = "0", description = "Hold-out seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--allow-test-split", description = "Allow searching on the test split (tunes on test labels).")
    boolean allowTestSplit;

    @Option(names = "--candidates", paramLabel = "FILE.json",
        description = "Prompt candidates {\"class\": [\"prompt\", ...]} (required for prompts).")
    Path candidates;

    @Option(names = "--prompts", paramLabel = "FILE.json",
        description = "Initial prompts {\"class\": [\"prompt\", ...]} (default: the pipeline's template).")
    Path prompts;

    @Option(names = "--template", paramLabel = "T", description = "Initial prompt template with {} for the label.")
    String template;

    @Option(names = "--pipeline", paramLabel = "v1|v2", description = "Default: v1 for views, v2 for prompts.")
    String pipeline;

    @Option(names = "--view-weights", split = ",", paramLabel = "w1,...",
        description = "View weights the prompt search scores with (default: the pipeline's).")
    float[] viewWeights;

    @Option(names = "--steps", defaultValue = "4", paramLabel = "T",
        description = "Weight values per view, (i+1)·R/T (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--range", defaultValue = "1.0", paramLabel = "R", description = "Largest weight (default: ${DEFAULT-VALUE}).")
    double range;

    @Option(names = "--passes", defaultValue = "2", description = "Prompt-search passes (default: ${DEFAULT-VALUE}).")
    int passes;

    @Option(names = "--first", defaultValue = "1024", paramLabel = "N",
        description = "Use the first N points of each cloud, 0 for all (default: ${DEFAULT-VALUE}, as the references).")
    int first;

    @Mixin
    FeatureCacheOption featureCache;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the result (JSON).")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        checkOptions();
        Dataset searchSet = openSplit(err);
        Pipeline p = PipelineChoice.resolve(pipeline, null, mode == Mode.views ? "v1" : "v2");
        if (template != null) {
            p = p.withTemplate(template);
        }
        if (viewWeights != null) {
            p = p.withViewWeights(viewWeights);
        }
        List<String> classes = searchSet.classNames();
        PromptSet initial = initialPrompts(p, classes);
        PromptSet library = null;
        if (mode == Mode.prompts) {
            library = PromptSet.fromJson(candidates);
        }
        try (PointClip clip = modelOptions.pointClip().pipeline(p)
            .prompts(initial).build()) {
            SearchData features = encode(clip, searchSet, p, err);
            float[] text = clip.textFeatures(initial);
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            if (mode == Mode.views) {
                ViewWeightResult result;
                try (ProgressBar bar = new ProgressBar(err, "search", 0, "trials")) {
                    result = ViewWeightSearch.builder().steps(steps).range(range).listener(listener(bar)).build()
                        .search(features, text);
                }
                ObjectNode node = mapper.createObjectNode();
                ArrayNode w = node.putArray("view_weights");
                for (float f : result.weights()) {
                    w.add(f);
                }
                node.put("accuracy", result.accuracy());
                node.put("correct", result.correct());
                node.put("samples", result.samples());
                node.put("trials", result.trials());
                node.put("pipeline", p.name());
                node.put("dataset", searchSet.name());
                node.put("steps", steps);
                node.put("range", range);
                AtomicFiles.write(out, o -> mapper.writeValue(o, node));
                stdout.printf(Locale.ROOT, "view weights %s: %d/%d = %.2f%% on %s; wrote %s%n",
                    java.util.Arrays.toString(result.weights()), result.correct(), result.samples(),
                    100 * result.accuracy(), searchSet.name(), out);
            } else {
                List<List<String>> candidatePrompts = new ArrayList<>();
                List<float[]> candidateFeatures = candidateFeatures(clip, library, classes, candidatePrompts, err);
                PromptSearchResult result;
                try (ProgressBar bar = new ProgressBar(err, "search", 0, "trials")) {
                    result = PromptSearch.builder().passes(passes).listener(listener(bar)).build()
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
                stdout.printf(Locale.ROOT, "prompts: %d/%d → %d/%d (%.2f%% → %.2f%%) on %s, %d trials, %d accepted; wrote %s%n",
                    result.initialCorrect(), result.samples(), result.correct(), result.samples(),
                    100 * result.initialAccuracy(), 100 * result.accuracy(), searchSet.name(), result.trials(),
                    result.accepted(), out);
            }
        }
        stdout.flush();
        return 0;
    }

    private void checkOptions() {
        if (mode == Mode.prompts && candidates == null) {
            throw new PointClipCli.BadInputException("search prompts needs --candidates FILE.json");
        }
        if (mode == Mode.views && candidates != null) {
            throw new PointClipCli.BadInputException("--candidates is for 'search prompts'");
        }
        if (prompts != null && template != null) {
            throw new PointClipCli.BadInputException("give --prompts or --template, not both");
        }
        if (!(valFraction > 0 && valFraction < 1)) {
            throw new PointClipCli.BadInputException("--val-fraction must be in (0, 1), got " + valFraction);
        }
        if (steps < 1 || !(range > 0) || passes < 1 || first < 0) {
            throw new PointClipCli.BadInputException("--steps and --passes must be ≥ 1, --range > 0 and --first ≥ 0");
        }
        if (split == SplitChoice.test && !allowTestSplit) {
            throw new PointClipCli.BadInputException("refusing to search on the test split (that tunes on test labels);"
                + " use --split val, or add --allow-test-split");
        }
    }

    private Dataset openSplit(PrintWriter err) throws IOException {
        Split s = split == SplitChoice.test ? Split.TEST : Split.TRAIN;
        Dataset whole = datasetOptions.open(s);
        if (split == SplitChoice.test) {
            err.println("warning: searching on the test split; accuracies measured on it afterwards are optimistic");
            err.flush();
            return SearchSplits.checked(whole, allowTestSplit);
        }
        return split == SplitChoice.train ? whole : SearchSplits.validation(whole, valFraction, seed);
    }

    private PromptSet initialPrompts(Pipeline p, List<String> classes) throws IOException {
        if (prompts == null) {
            return PromptSet.fromTemplate(p.template(), classes);
        }
        PromptSet set = PromptSet.fromJson(prompts);
        if (!new HashSet<>(set.classes()).equals(new HashSet<>(classes))) {
            throw new PointClipCli.BadInputException(prompts + " has classes " + set.classes() + " but the dataset has "
                + classes);
        }
        Map<String, List<String>> ordered = new LinkedHashMap<>();
        for (String c : classes) {
            ordered.put(c, set.prompts(set.classes().indexOf(c)));
        }
        return PromptSet.fromPrompts(ordered);
    }

    /** Raw features of the search set, through the few-shot feature cache (encoded once per model and setting). */
    private SearchData encode(PointClip clip, Dataset set, Pipeline p, PrintWriter err) throws IOException {
        if (set.size() == 0) {
            throw new PointClipCli.BadInputException(set.name() + " has no samples");
        }
        FeatureCache features = featureCache.open();
        FeatureSet f;
        try (ProgressBar bar = new ProgressBar(err, "encoding", set.size(), "clouds")) {
            f = features.features(set, new PointClipFeatureExtractor(clip),
                Augmentation.none(first > 0 ? first : Integer.MAX_VALUE), 1, 0, done -> bar.update(done, null));
        }
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
                    out.add(clip.textFeatures(PromptSet.fromPrompts(one)));
                }
                bar.update(c + 1, null);
            }
        }
        return out;
    }

    private static SearchListener listener(ProgressBar bar) {
        return (done, total, best, samples) -> {
            bar.total(total);
            bar.update(done, String.format(Locale.ROOT, "best %.2f%%", 100.0 * best / samples));
        };
    }
}
