package io.github.pointclip;

import io.github.pointclip.projection.spi.Projector;
import io.github.pointclip.projection.spi.Projectors;
import io.github.pointclip.prompt.PromptSet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A recognition recipe: the projector, the prompt template, the view weights and the points
 * kept per cloud. Immutable.
 *
 * <p>Presets: {@link #v1()} (PointCLIP zero-shot), {@link #v2()} (PointCLIP V2, the library's
 * default) and {@link #v1FewShot()} (PointCLIP few-shot).
 *
 * <p><b>Identified by value.</b> Two pipelines are {@link #equals equal} when the projector (its
 * class, name, size and every {@link Projector#parameters() parameter}), the template, the view
 * weights (bit for bit) and the points per cloud are equal; the name plays no part.
 * {@link #fingerprint()} is the canonical text of exactly those values, stable across runs, to key
 * caches on. The {@link #name() name} is derived from the value: a preset's name while the pipeline
 * equals that preset, otherwise a label marked {@code +custom} (a V2 pipeline with other view
 * weights is {@code v2+custom}), so that a modified pipeline is never reported, matched with a
 * published figure or accepted by an adapter as the reference one.
 */
public final class Pipeline {

    /** Points kept per cloud by default: the first 1024, as the references' data loaders. */
    public static final int DEFAULT_POINTS_PER_CLOUD = 1024;

    /** Suffix of the name of a pipeline that equals no preset. */
    public static final String CUSTOM_SUFFIX = "+custom";

    /** The preset names, in the order names are derived. */
    private static final List<String> PRESETS = List.of("v2", "v1", "v1-fewshot");

    /** PointCLIP V2's view weights tuned for ViT-B/16 on ModelNet40 (DESIGN §3). */
    private static final float[] V2_VIT_B16_WEIGHTS = {0.75f, 0.75f, 0.75f, 0.25f, 0.75f, 1.0f, 0.25f, 1.0f, 0.75f, 0.25f};

    /** Fingerprints of the presets, computed once (a preset's projector is built only for this). */
    private static final Map<String, String> PRESET_FINGERPRINTS = new ConcurrentHashMap<>();

    private final String label;
    private final Projector projector;
    private final String template;
    private final float[] viewWeights;
    private final int pointsPerCloud;
    private final String fingerprint;
    /** Derived lazily (it may build the presets' projectors); null until then. */
    private volatile String name;

    private Pipeline(String label, String presetName, Projector projector, String template, float[] viewWeights,
        int pointsPerCloud) {
        this.label = Objects.requireNonNull(label, "name");
        this.projector = Objects.requireNonNull(projector, "projector");
        this.template = Objects.requireNonNull(template, "template");
        if (!template.contains("{}")) {
            throw new IllegalArgumentException("template '" + template + "' has no {} placeholder for the label");
        }
        if (pointsPerCloud < 0) {
            throw new IllegalArgumentException("points per cloud must be >= 0 (0 = all points), got " + pointsPerCloud);
        }
        int views = projector.viewCount();
        if (viewWeights == null) {
            viewWeights = new float[views];
            Arrays.fill(viewWeights, 1f);
        }
        if (viewWeights.length != views) {
            throw new IllegalArgumentException("pipeline '" + label + "' has " + views + " views but "
                + viewWeights.length + " view weights");
        }
        for (float w : viewWeights) {
            if (!Float.isFinite(w)) {
                throw new IllegalArgumentException("view weights must be finite: " + Arrays.toString(viewWeights));
            }
        }
        this.viewWeights = viewWeights.clone();
        this.pointsPerCloud = pointsPerCloud;
        this.fingerprint = describe();
        this.name = presetName;
    }

    /**
     * PointCLIP zero-shot: sparse projector (6 views, 128²), template
     * {@code "point cloud depth map of a {}."}, equal view weights, the first 1024 points.
     *
     * @return the pipeline
     */
    public static Pipeline v1() {
        return new Pipeline("v1", "v1", Projectors.byName("v1"), PromptSet.POINTCLIP_TEMPLATE, null,
            DEFAULT_POINTS_PER_CLOUD);
    }

    /**
     * PointCLIP V2 zero-shot, the library's default: realistic projector (10 views, 110²), the same
     * template, the view weights the reference tuned for ViT-B/16 on ModelNet40, the first 1024 points.
     *
     * @return the pipeline
     */
    public static Pipeline v2() {
        return new Pipeline("v2", "v2", Projectors.byName("v2"), PromptSet.POINTCLIP_TEMPLATE, V2_VIT_B16_WEIGHTS,
            DEFAULT_POINTS_PER_CLOUD);
    }

    /**
     * PointCLIP few-shot: the sparse projector with the 10 views and 224² maps of the few-shot
     * setting, the same template, equal view weights (the adapter learns to fuse the views), the
     * first 1024 points.
     *
     * @return the pipeline
     */
    public static Pipeline v1FewShot() {
        return new Pipeline("v1-fewshot", "v1-fewshot", Projectors.byName("v1-fewshot"), PromptSet.POINTCLIP_TEMPLATE,
            null, DEFAULT_POINTS_PER_CLOUD);
    }

    /**
     * @param name {@code v1}, {@code v1-fewshot} or {@code v2}
     * @return the preset
     * @throws IllegalArgumentException for another name, listing the presets
     */
    public static Pipeline preset(String name) {
        switch (name) {
            case "v1":
                return v1();
            case "v1-fewshot":
                return v1FewShot();
            case "v2":
                return v2();
            default:
                throw new IllegalArgumentException("unknown pipeline '" + name + "'; known: v1, v1-fewshot, v2");
        }
    }

    /**
     * A custom pipeline with equal view weights and the first 1024 points per cloud. Its
     * {@link #name()} is {@code label + "+custom"} unless it equals a preset by value.
     *
     * @param label a short label
     * @param projector the projector
     * @param template the prompt template with {@code {}}
     * @return the pipeline
     */
    public static Pipeline of(String label, Projector projector, String template) {
        return new Pipeline(baseLabel(label), null, projector, template, null, DEFAULT_POINTS_PER_CLOUD);
    }

    /**
     * @param weights one weight per view
     * @return a copy with these view weights
     */
    public Pipeline withViewWeights(float... weights) {
        return new Pipeline(label, null, projector, template, Objects.requireNonNull(weights, "weights"),
            pointsPerCloud);
    }

    /**
     * @param newTemplate the prompt template with {@code {}}
     * @return a copy with this template
     */
    public Pipeline withTemplate(String newTemplate) {
        return new Pipeline(label, null, projector, newTemplate, viewWeights, pointsPerCloud);
    }

    /**
     * @param newProjector a projector; view weights reset to equal if the view count changes
     * @return a copy with this projector
     */
    public Pipeline withProjector(Projector newProjector) {
        return new Pipeline(label, null, newProjector, template,
            newProjector.viewCount() == viewWeights.length ? viewWeights : null, pointsPerCloud);
    }

    /**
     * @param n points kept per cloud, the first {@code n} (clouds with fewer are used whole); 0 keeps
     *     all points. The presets keep 1024, as the references' loaders of farthest-point ordered files
     * @return a copy with this setting
     */
    public Pipeline withPointsPerCloud(int n) {
        return new Pipeline(label, null, projector, template, viewWeights, n);
    }

    /**
     * The pipeline's name, derived from its value: {@code v1}, {@code v2} or {@code v1-fewshot} while
     * it equals that preset, otherwise its label with {@value #CUSTOM_SUFFIX} (e.g. {@code v2+custom}).
     *
     * @return the name
     */
    public String name() {
        String n = name;
        if (n == null) {
            n = derivedName();
            name = n;
        }
        return n;
    }

    /** @return whether this pipeline equals one of the presets by value */
    public boolean isPreset() {
        return !name().endsWith(CUSTOM_SUFFIX);
    }

    /** @return the projector */
    public Projector projector() {
        return projector;
    }

    /** @return the prompt template */
    public String template() {
        return template;
    }

    /** @return the view weights (a copy) */
    public float[] viewWeights() {
        return viewWeights.clone();
    }

    /** @return points kept per cloud (the first N), 0 for all */
    public int pointsPerCloud() {
        return pointsPerCloud;
    }

    /**
     * The canonical description of every value that makes the pipeline what it is (projector class,
     * name, size and parameters, template, view weights, points per cloud), one
     * {@code key: value} line each, parameters sorted by name. Equal pipelines have equal
     * fingerprints and the text is stable across runs and JVMs, so caches and checkpoints can key on
     * it; the {@link #name()} is not part of it.
     *
     * @return the fingerprint
     */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * Rebuilds a recorded pipeline from its name and {@linkplain #fingerprint() fingerprint}, as an
     * adapter checkpoint stores them: the preset the name starts from ({@code v1-fewshot} for
     * {@code v1-fewshot+custom}), with the template, view weights and points per cloud the fingerprint
     * records. A pipeline whose projector differs from its preset's (another kernel, say) cannot be
     * rebuilt from text and gives an empty result.
     *
     * @param name the recorded name
     * @param fingerprint the recorded fingerprint
     * @return the pipeline, whose fingerprint equals {@code fingerprint}, or empty
     */
    public static Optional<Pipeline> rebuild(String name, String fingerprint) {
        String base = baseLabel(name);
        if (fingerprint == null || !PRESETS.contains(base)) {
            return Optional.empty();
        }
        try {
            Map<String, String> recorded = lines(fingerprint);
            Pipeline p = preset(base);
            String template = recorded.get("template");
            if (template != null) {
                p = p.withTemplate(new com.fasterxml.jackson.databind.ObjectMapper().readValue(template, String.class));
            }
            String weights = recorded.get("view weights");
            if (weights != null && weights.startsWith("[") && weights.endsWith("]")) {
                String[] parts = weights.substring(1, weights.length() - 1).split(", ");
                float[] w = new float[parts.length];
                for (int i = 0; i < w.length; i++) {
                    w[i] = Float.parseFloat(parts[i]);
                }
                p = p.withViewWeights(w);
            }
            String points = recorded.get("points per cloud");
            if (points != null) {
                p = p.withPointsPerCloud(Integer.parseInt(points));
            }
            return p.fingerprint.equals(fingerprint) ? Optional.of(p) : Optional.empty();
        } catch (IOException | RuntimeException e) { // text that is no fingerprint of ours: nothing to rebuild
            return Optional.empty();
        }
    }

    /**
     * Names the parts in which two fingerprints differ, for messages.
     *
     * @param a a fingerprint
     * @param b another
     * @return the keys of the lines that differ (e.g. {@code view weights}), empty when equal
     */
    public static List<String> differences(String a, String b) {
        Map<String, String> x = lines(a);
        Map<String, String> y = lines(b);
        TreeMap<String, String> keys = new TreeMap<>();
        x.keySet().forEach(k -> keys.put(k, k));
        y.keySet().forEach(k -> keys.put(k, k));
        List<String> out = new ArrayList<>();
        for (String k : keys.keySet()) {
            if (!Objects.equals(x.get(k), y.get(k))) {
                out.add(k);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pipeline && ((Pipeline) o).fingerprint.equals(fingerprint);
    }

    @Override
    public int hashCode() {
        return fingerprint.hashCode();
    }

    @Override
    public String toString() {
        return "Pipeline[" + name() + ", " + projector + ", '" + template + "', weights " + Arrays.toString(viewWeights)
            + ", " + (pointsPerCloud == 0 ? "all points" : "first " + pointsPerCloud + " points") + "]";
    }

    private String derivedName() {
        for (String preset : PRESETS) {
            String f = presetFingerprint(preset);
            if (fingerprint.equals(f)) {
                return preset;
            }
        }
        return label + CUSTOM_SUFFIX;
    }

    /** A preset's fingerprint, or null when its projector is not on the class path. */
    private static String presetFingerprint(String preset) {
        String f = PRESET_FINGERPRINTS.get(preset);
        if (f == null) {
            try {
                f = preset(preset).fingerprint;
            } catch (IllegalArgumentException e) { // pointclip-projection is not on the class path
                return null;
            }
            PRESET_FINGERPRINTS.put(preset, f);
        }
        return f;
    }

    private static String baseLabel(String label) {
        Objects.requireNonNull(label, "name");
        return label.endsWith(CUSTOM_SUFFIX) ? label.substring(0, label.length() - CUSTOM_SUFFIX.length()) : label;
    }

    private String describe() {
        StringBuilder s = new StringBuilder();
        s.append("projector: ").append(quote(projector.name())).append(' ').append(projector.getClass().getName())
            .append(' ').append(projector.viewCount()).append('x').append(projector.height()).append('x')
            .append(projector.width()).append('\n');
        s.append("parameters: {");
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(projector.parameters()).entrySet()) {
            s.append(first ? "" : ", ").append(quote(e.getKey())).append('=').append(quote(e.getValue()));
            first = false;
        }
        s.append("}\n");
        s.append("template: ").append(quote(template)).append('\n');
        s.append("view weights: [");
        for (int i = 0; i < viewWeights.length; i++) {
            // Float.toString round-trips every finite float exactly, -0.0 included
            s.append(i == 0 ? "" : ", ").append(Float.toString(viewWeights[i]));
        }
        s.append("]\n");
        s.append("points per cloud: ").append(pointsPerCloud);
        return s.toString();
    }

    private static Map<String, String> lines(String fingerprint) {
        Map<String, String> out = new TreeMap<>();
        for (String line : fingerprint.split("\n")) {
            int colon = line.indexOf(": ");
            out.put(colon < 0 ? line : line.substring(0, colon), colon < 0 ? "" : line.substring(colon + 2));
        }
        return out;
    }

    /** A JSON-style quoted string, so that no value can forge a separator. */
    private static String quote(String v) {
        StringBuilder s = new StringBuilder(v.length() + 2).append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') {
                s.append('\\').append(c);
            } else if (c < 0x20) {
                s.append(String.format("\\u%04x", (int) c));
            } else {
                s.append(c);
            }
        }
        return s.append('"').toString();
    }
}
