package io.github.pointclip.adapter.train;

import io.github.pointclip.cloud.PointCloud;
import java.util.List;

/**
 * Turns point clouds into raw (not normalised) per-view CLIP features, the adapter's input. The
 * {@link #id()} keys the {@link FeatureCache}: two extractors with the same id must give the same features.
 */
public interface FeatureExtractor {

    /** @return identity of the model, projector and its parameters, e.g. {@code <model sha>/v1/<projector>} */
    String id();

    /** @return number of views V */
    int views();

    /** @return feature dimension D */
    int dim();

    /**
     * @param clouds the clouds, not modified
     * @return raw view features [N, V, D]
     */
    float[] extract(List<PointCloud> clouds);
}
