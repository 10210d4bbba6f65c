package io.github.pointclip.adapter.train;

import io.github.pointclip.PointClip;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.internal.FeatureKeys;
import io.github.pointclip.internal.PipelineStages;
import io.github.pointclip.prompt.PromptSet;
import java.util.List;
import java.util.Objects;

/**
 * A {@link FeatureExtractor} on a {@link PointClip}: its projector and image encoder. The id is
 * {@code FeatureKeys.imageFeatures}: the model's checksum id and every projector setting by value (the points kept
 * are the {@link Augmentation}'s, part of the cache key there). Not the owner of the {@code PointClip}.
 */
public final class PointClipFeatureExtractor implements FeatureExtractor {
    private final PointClip clip;
    private final String id;
    private final int views;
    private final int dim;

    /**
     * @param clip the recogniser whose projector and image encoder are used; the caller closes it
     */
    public PointClipFeatureExtractor(PointClip clip) {
        this.clip = Objects.requireNonNull(clip, "clip");
        this.views = clip.pipeline().projector().viewCount();
        this.dim = clip.model().imageEncoder().embeddingDim();
        // every projector setting (views, resolution, pooling, kernel…) keys the feature cache
        this.id = FeatureKeys.imageFeatures(clip, 0);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int views() {
        return views;
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public float[] extract(List<PointCloud> clouds) {
        return PipelineStages.imageFeatures(clip, clouds);
    }

    /**
     * The text side that {@link FewShotTrainer} and the searches take: normalised class features
     * [C, D] of a prompt set (each prompt's feature normalised, a class's prompts averaged and
     * normalised again), from the same {@code PointClip}, cached like its own.
     *
     * @param prompts the classes' prompts, e.g. {@code clip.prompts()}
     * @return the features, [C, D] row-major
     * @throws IllegalStateException if the {@code PointClip} is closed
     */
    public float[] textFeatures(PromptSet prompts) {
        return PipelineStages.textFeatures(clip, Objects.requireNonNull(prompts, "prompts"));
    }
}
