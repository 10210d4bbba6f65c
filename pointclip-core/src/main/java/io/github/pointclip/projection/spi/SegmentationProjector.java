package io.github.pointclip.projection.spi;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.segmentation.SegmentationLayout;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The projection of zero-shot part segmentation (SEGMENTATION.md §2): a cloud becomes the image
 * encoder's input, V depth images of S×S, and every point learns, per view, its grid cell, the pixel
 * at which it reads the logit map and whether it is visible. A sibling of {@link Projector}: the
 * per-point outputs do not fit that interface.
 *
 * <p>Implementations are immutable and thread-safe; {@code pointclip-projection} registers one
 * with {@link ServiceLoader} ({@link #load()} finds it).
 */
public interface SegmentationProjector {

    /** @return a short name for logs and provenance, e.g. {@code v2-seg} */
    String name();

    /** @return the number of views V */
    int viewCount();

    /** @return the side S of the images given to the image encoder (224) */
    int imageSize();

    /**
     * Projects a cloud.
     *
     * @param cloud the cloud, at least one point, every coordinate finite
     * @param layout where each point tests its visibility and reads its logits
     * @return the encoder input and the per-point cells, pixels and visibility flags
     * @throws IllegalArgumentException if the cloud is empty or a coordinate is not finite (naming the
     *     first bad point)
     */
    SegmentationProjection project(PointCloud cloud, SegmentationLayout layout);

    /** @return the projector's parameters, for provenance records (name → value) */
    Map<String, String> parameters();

    /**
     * @return the first segmentation projector on the class path
     * @throws IllegalStateException when there is none (add {@code io.github.pointclip:pointclip-projection})
     */
    static SegmentationProjector load() {
        for (SegmentationProjector p : ServiceLoader.load(SegmentationProjector.class,
                SegmentationProjector.class.getClassLoader())) {
            return p;
        }
        throw new IllegalStateException("no segmentation projector on the class path "
            + "(add io.github.pointclip:pointclip-projection)");
    }
}
