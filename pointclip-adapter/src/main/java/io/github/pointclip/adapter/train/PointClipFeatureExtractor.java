package io.github.pointclip.adapter.train;

import io.github.pointclip.PointClip;
import io.github.pointclip.cloud.PointCloud;
import java.util.List;
import java.util.Objects;

/**
 * A {@link FeatureExtractor} on a {@link PointClip}: its projector and image encoder. The id combines the model's
 * checksum id, the pipeline name and the projector's description. Not the owner of the {@code PointClip}.
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
        this.id = clip.model().id() + "/" + clip.pipeline().name() + "/" + clip.pipeline().projector() + " "
            + new java.util.TreeMap<>(clip.pipeline().projector().parameters());
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
        return clip.imageFeatures(clouds);
    }
}
