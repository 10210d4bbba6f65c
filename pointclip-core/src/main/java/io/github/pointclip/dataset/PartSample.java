package io.github.pointclip.dataset;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.segmentation.PartCategory;
import java.util.Objects;

/**
 * One shape of a part-segmentation dataset ({@link PartDataset}): its cloud, category and the
 * ground-truth part of every point, as a local part of the category (0 to
 * {@code category.partCount() − 1}; ShapeNetPart's global {@code pid} minus the category's first part).
 * Immutable.
 */
public final class PartSample {

    private final int index;
    private final PartCategory category;
    private final String id;
    private final PointCloud cloud;
    private final int[] parts;

    /**
     * @param index position in the dataset, 0-based
     * @param category the shape's category
     * @param id identifier of the shape (e.g. {@code ply_data_test0.h5#12})
     * @param cloud the points
     * @param parts the local part of every point, in point order (copied)
     * @throws IllegalArgumentException when the counts differ or a part lies outside the category
     */
    public PartSample(int index, PartCategory category, String id, PointCloud cloud, int[] parts) {
        this.index = index;
        this.category = Objects.requireNonNull(category, "category");
        this.id = Objects.requireNonNull(id, "id");
        this.cloud = Objects.requireNonNull(cloud, "cloud");
        this.parts = parts.clone();
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        if (this.parts.length != cloud.size()) {
            throw new IllegalArgumentException(this.parts.length + " part labels for " + cloud.size() + " points");
        }
        for (int i = 0; i < this.parts.length; i++) {
            if (this.parts[i] < 0 || this.parts[i] >= category.partCount()) {
                throw new IllegalArgumentException("point " + i + " has part " + this.parts[i] + ", outside 0.."
                    + (category.partCount() - 1) + " of " + category.name());
            }
        }
    }

    /** @return position in the dataset it was read from, 0-based */
    public int index() {
        return index;
    }

    /** @return the shape's category */
    public PartCategory category() {
        return category;
    }

    /** @return identifier of the shape */
    public String id() {
        return id;
    }

    /** @return the points */
    public PointCloud cloud() {
        return cloud;
    }

    /** @return the number of points */
    public int size() {
        return parts.length;
    }

    /**
     * @param point a point index
     * @return its local part
     */
    public int part(int point) {
        return parts[point];
    }

    /** @return the local part of every point (a copy) */
    public int[] parts() {
        return parts.clone();
    }

    /** @return the global part id of every point (ShapeNetPart's {@code pid}) */
    public int[] globalParts() {
        int[] global = new int[parts.length];
        for (int i = 0; i < global.length; i++) {
            global[i] = category.firstPart() + parts[i];
        }
        return global;
    }

    @Override
    public String toString() {
        return "PartSample[" + index + ", " + category.name() + ", " + id + ", " + parts.length + " points]";
    }
}
