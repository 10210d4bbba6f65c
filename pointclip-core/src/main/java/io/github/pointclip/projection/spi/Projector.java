package io.github.pointclip.projection.spi;

import io.github.pointclip.cloud.PointCloud;
import java.util.Map;

/**
 * Turns a point cloud into V single-channel depth maps of H×W pixels.
 *
 * <p>Implementations must be immutable and thread-safe: one projector serves many threads.
 * {@link #projectInto(PointCloud, float[])} is allocation-free in steady state when the caller
 * passes an output array that is large enough (per-thread scratch space lives inside the
 * projector instance, never in static state).
 */
public interface Projector {

    /** @return a short name such as {@code "v1"} or {@code "v2"} used in logs and provenance */
    String name();

    /** @return the cameras, one per depth map */
    ViewRig views();

    /** @return height of every depth map in pixels */
    int height();

    /** @return width of every depth map in pixels */
    int width();

    /** @return the number of depth maps, {@code views().size()} */
    default int viewCount() {
        return views().size();
    }

    /** @return {@code viewCount()·height()·width()}, the floats one projection writes */
    default int outputLength() {
        return viewCount() * height() * width();
    }

    /**
     * Projects {@code cloud} into {@code out} (modified), laid out [V, H, W] in C order.
     *
     * @param cloud the cloud
     * @param out destination; a new array is allocated when it is null or shorter than
     *     {@link #outputLength()}
     * @return the array written, {@code out} when it was large enough
     */
    float[] projectInto(PointCloud cloud, float[] out);

    /**
     * Projects {@code cloud} into new depth maps.
     *
     * @param cloud the cloud
     * @return the depth maps
     */
    default DepthMaps project(PointCloud cloud) {
        return DepthMaps.wrap(projectInto(cloud, null), views(), height(), width());
    }

    /** @return the projector's parameters, for provenance records (name → value) */
    Map<String, String> parameters();
}
