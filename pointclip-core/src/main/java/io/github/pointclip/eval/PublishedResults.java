package io.github.pointclip.eval;

import io.github.pointclip.Pipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Accuracies published by the PointCLIP papers, for showing beside measured ones. A setting
 * matches when the benchmark, the split (test), the pipeline, the backbone and the number of
 * shots (0 for zero-shot) are the same. Pipelines match by value: a run's pipeline must equal the
 * preset the paper used in its projector and every projector parameter, its template, its view
 * weights and its points per cloud ({@link Pipeline#equals}); a V2 pipeline with another kernel,
 * template or view weights ({@code v2+custom}) matches nothing.
 */
public final class PublishedResults {

    /**
     * One published figure.
     *
     * @param dataset the benchmark, as in {@link Provenance#datasetFamily()}
     * @param pipeline {@code v1} or {@code v2}
     * @param backbone the backbone's display name
     * @param shots shots per class, 0 for zero-shot
     * @param accuracy overall accuracy in percent
     * @param samples size of the benchmark's test split the figure was measured on
     * @param source the paper
     */
    public record Entry(String dataset, String pipeline, String backbone, int shots, double accuracy, int samples,
        String source) {
    }

    private static final String V1 = "Zhang et al., PointCLIP: Point Cloud Understanding by CLIP, CVPR 2022";
    private static final String V2 = "Zhu et al., PointCLIP V2: Prompting CLIP and GPT for Powerful 3D Open-world "
        + "Learning, ICCV 2023";

    private static final List<Entry> ENTRIES = List.of(
        new Entry("modelnet40", "v2", "ViT-B/16", 0, 64.22, 2468, V2),
        new Entry("modelnet40", "v1", "RN50", 0, 20.18, 2468, V1),
        new Entry("modelnet40", "v1-fewshot", "RN101", 16, 86.71, 2468, V1));

    private PublishedResults() {
    }

    /** @return every known figure */
    public static List<Entry> all() {
        return ENTRIES;
    }

    /**
     * Finds the published figure of the setting an evaluation ran. The run's pipeline is compared by
     * value: its name (derived from its value by {@link Pipeline#name()}) and, when the preset can be
     * built here, its projector, projector parameters and view weights against the preset's.
     *
     * @param run the evaluation's provenance
     * @return the matching figure, or empty
     */
    public static Optional<Entry> match(Provenance run) {
        if (run.adapter() != null && run.shots() <= 0) {
            return Optional.empty(); // an adapter of unknown shots matches no setting, least of all zero-shot
        }
        return find(run.datasetFamily(), run.split(), run.backbone(), run.adapter() == null ? 0 : run.shots(),
            e -> e.pipeline().equals(run.pipeline()) && sameValues(e.pipeline(), run));
    }

    /**
     * Finds the published figure of a setting, comparing the pipeline by value with the preset the paper used.
     *
     * @param dataset the benchmark, e.g. {@code modelnet40}
     * @param split the split; only {@code test} has published figures
     * @param pipeline the pipeline
     * @param backbone the backbone's display name, may be null (never matches)
     * @param shots shots per class, 0 for zero-shot
     * @return the matching figure, or empty
     */
    public static Optional<Entry> match(String dataset, String split, Pipeline pipeline, String backbone, int shots) {
        Objects.requireNonNull(pipeline, "pipeline");
        return find(dataset, split, backbone, shots, e -> {
            Pipeline preset = preset(e.pipeline());
            return preset != null && preset.equals(pipeline);
        });
    }

    /**
     * Finds the published figure of a setting by the pipeline's name. Only a name that
     * {@link Pipeline#name()} derived from the pipeline's value says that the pipeline is a preset;
     * prefer {@link #match(String, String, Pipeline, String, int)}.
     *
     * @param dataset the benchmark, e.g. {@code modelnet40}
     * @param split the split; only {@code test} has published figures
     * @param pipeline the pipeline's name
     * @param backbone the backbone's display name, may be null (never matches)
     * @param shots shots per class, 0 for zero-shot
     * @return the matching figure, or empty
     */
    public static Optional<Entry> match(String dataset, String split, String pipeline, String backbone, int shots) {
        return find(dataset, split, backbone, shots, e -> e.pipeline().equals(pipeline));
    }

    private static Optional<Entry> find(String dataset, String split, String backbone, int shots,
        Predicate<Entry> samePipeline) {
        if (backbone == null || !"test".equals(split)) {
            return Optional.empty();
        }
        for (Entry e : ENTRIES) {
            if (e.dataset.equalsIgnoreCase(dataset) && key(e.backbone).equals(key(backbone)) && e.shots == shots
                && samePipeline.test(e)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The run's recorded pipeline values equal the preset's; true when the preset cannot be built here. */
    private static boolean sameValues(String presetName, Provenance run) {
        Pipeline preset = preset(presetName);
        if (preset == null) {
            return true; // pointclip-projection is not on the class path; the derived name has to do
        }
        List<Float> weights = new ArrayList<>();
        for (float w : preset.viewWeights()) {
            weights.add(w);
        }
        return preset.projector().name().equals(run.projector())
            && preset.projector().parameters().equals(run.projectorParameters())
            && weights.equals(run.viewWeights());
    }

    private static Pipeline preset(String name) {
        try {
            return Pipeline.preset(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Whether a run measured what the paper did: the whole test split (not a limit, subset or
     * sample of it) with the first 1024 points of each cloud, as the reference loaders.
     *
     * @param entry the published figure
     * @param run the run's provenance
     * @return whether the two numbers can be compared directly
     */
    public static boolean comparable(Entry entry, Provenance run) {
        return run.wholeDataset() && run.datasetSize() == entry.samples() && run.firstPoints() == 1024;
    }

    private static String key(String backbone) {
        return backbone.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
