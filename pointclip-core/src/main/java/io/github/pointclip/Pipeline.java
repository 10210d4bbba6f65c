package io.github.pointclip;

import io.github.pointclip.projection.Projector;
import io.github.pointclip.projection.Projectors;
import io.github.pointclip.prompt.PromptSet;
import java.util.Arrays;
import java.util.Objects;

/**
 * A recognition recipe: the projector, the prompt template and the view weights. Immutable.
 * Presets: {@link #v1()} (PointCLIP zero-shot) and {@link #v2()} (PointCLIP V2).
 */
public final class Pipeline {

    /** PointCLIP V2's view weights tuned for ViT-B/16 on ModelNet40 (DESIGN §3). */
    private static final float[] V2_VIT_B16_WEIGHTS = {0.75f, 0.75f, 0.75f, 0.25f, 0.75f, 1.0f, 0.25f, 1.0f, 0.75f, 0.25f};

    private final String name;
    private final Projector projector;
    private final String template;
    private final float[] viewWeights;

    private Pipeline(String name, Projector projector, String template, float[] viewWeights) {
        this.name = Objects.requireNonNull(name, "name");
        this.projector = Objects.requireNonNull(projector, "projector");
        this.template = Objects.requireNonNull(template, "template");
        if (!template.contains("{}")) {
            throw new IllegalArgumentException("template '" + template + "' has no {} placeholder for the label");
        }
        int views = projector.viewCount();
        if (viewWeights == null) {
            viewWeights = new float[views];
            Arrays.fill(viewWeights, 1f);
        }
        if (viewWeights.length != views) {
            throw new IllegalArgumentException("pipeline '" + name + "' has " + views + " views but "
                + viewWeights.length + " view weights");
        }
        for (float w : viewWeights) {
            if (!Float.isFinite(w)) {
                throw new IllegalArgumentException("view weights must be finite: " + Arrays.toString(viewWeights));
            }
        }
        this.viewWeights = viewWeights.clone();
    }

    /**
     * PointCLIP zero-shot: sparse projector (6 views, 128²), template
     * {@code "point cloud depth map of a {}."}, equal view weights.
     *
     * @return the pipeline
     */
    public static Pipeline v1() {
        return new Pipeline("v1", Projectors.byName("v1"), PromptSet.POINTCLIP_TEMPLATE, null);
    }

    /**
     * PointCLIP V2 zero-shot: realistic projector (10 views, 110²), the same template, and the
     * view weights the reference tuned for ViT-B/16 on ModelNet40.
     *
     * @return the pipeline
     */
    public static Pipeline v2() {
        return new Pipeline("v2", Projectors.byName("v2"), PromptSet.POINTCLIP_TEMPLATE, V2_VIT_B16_WEIGHTS);
    }

    /**
     * PointCLIP few-shot: the sparse projector with the 10 views and 224² maps of the few-shot
     * setting, the same template, equal view weights (the adapter learns to fuse the views).
     *
     * @return the pipeline
     */
    public static Pipeline v1FewShot() {
        return new Pipeline("v1-fewshot", Projectors.byName("v1-fewshot"), PromptSet.POINTCLIP_TEMPLATE, null);
    }

    /**
     * @param name {@code v1}, {@code v1-fewshot} or {@code v2}
     * @return the preset
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
     * A custom pipeline with equal view weights.
     *
     * @param name a short name
     * @param projector the projector
     * @param template the prompt template with {@code {}}
     * @return the pipeline
     */
    public static Pipeline of(String name, Projector projector, String template) {
        return new Pipeline(name, projector, template, null);
    }

    /**
     * @param weights one weight per view
     * @return a copy with these view weights
     */
    public Pipeline withViewWeights(float... weights) {
        return new Pipeline(name, projector, template, Objects.requireNonNull(weights, "weights"));
    }

    /**
     * @param newTemplate the prompt template with {@code {}}
     * @return a copy with this template
     */
    public Pipeline withTemplate(String newTemplate) {
        return new Pipeline(name, projector, newTemplate, viewWeights);
    }

    /**
     * @param newProjector a projector; view weights reset to equal if the view count changes
     * @return a copy with this projector
     */
    public Pipeline withProjector(Projector newProjector) {
        return new Pipeline(name, newProjector, template,
            newProjector.viewCount() == viewWeights.length ? viewWeights : null);
    }

    /** @return the pipeline's name */
    public String name() {
        return name;
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

    @Override
    public String toString() {
        return "Pipeline[" + name + ", " + projector + ", '" + template + "', weights " + Arrays.toString(viewWeights) + "]";
    }
}
