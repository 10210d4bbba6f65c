package io.github.pointclip.dataset;

import io.github.pointclip.cloud.PointCloud;
import java.util.Objects;

/**
 * One labelled cloud of a {@link Dataset}.
 *
 * @param index position in the dataset it was read from, 0-based
 * @param label class index into {@link Dataset#classNames()}
 * @param className the class name of {@code label}
 * @param id a stable identifier of the shape: the original file name where the dataset records
 *     one (e.g. {@code chair/chair_0891.txt}, {@code airplane_0126}), otherwise the h5 file and
 *     row (e.g. {@code ply_data_test0.h5#12})
 * @param cloud the points
 */
public record Sample(int index, int label, String className, String id, PointCloud cloud) {

    /**
     * Validates the components.
     *
     * @param index position in the dataset, 0-based
     * @param label class index
     * @param className class name of {@code label}
     * @param id identifier of the shape
     * @param cloud the points
     * @throws IllegalArgumentException if {@code index} or {@code label} is negative
     * @throws NullPointerException if a reference component is null
     */
    public Sample {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        if (label < 0) {
            throw new IllegalArgumentException("label must be >= 0, got " + label);
        }
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(cloud, "cloud");
    }
}
