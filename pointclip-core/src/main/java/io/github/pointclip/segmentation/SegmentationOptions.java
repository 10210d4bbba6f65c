package io.github.pointclip.segmentation;

import java.util.Arrays;
import java.util.Objects;

/**
 * How {@link io.github.pointclip.PointClip#segment(io.github.pointclip.cloud.PointCloud, PartPrompts,
 * SegmentationOptions) segment} works: the layout, the view weights and how many points of a cloud
 * it labels. Immutable; build with {@link #builder()}.
 */
public final class SegmentationOptions {

    /** Views of the segmentation projection. */
    public static final int VIEWS = 10;

    private static final SegmentationOptions DEFAULTS = builder().build();

    private final SegmentationLayout layout;
    private final float[] viewWeights;
    private final int pointsPerCloud;

    private SegmentationOptions(Builder b) {
        this.layout = b.layout;
        this.viewWeights = b.viewWeights.clone();
        this.pointsPerCloud = b.pointsPerCloud;
    }

    /** @return the defaults: {@link SegmentationLayout#FIXED}, weights 1.0 each, every point */
    public static SegmentationOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder with these options */
    public Builder toBuilder() {
        return new Builder().layout(layout).viewWeights(viewWeights).pointsPerCloud(pointsPerCloud);
    }

    /** @return the layout */
    public SegmentationLayout layout() {
        return layout;
    }

    /** @return a copy of the 10 view weights */
    public float[] viewWeights() {
        return viewWeights.clone();
    }

    /** @return points labelled per cloud (its first N), 0 for every point */
    public int pointsPerCloud() {
        return pointsPerCloud;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentationOptions && ((SegmentationOptions) o).layout == layout
            && Arrays.equals(((SegmentationOptions) o).viewWeights, viewWeights)
            && ((SegmentationOptions) o).pointsPerCloud == pointsPerCloud;
    }

    @Override
    public int hashCode() {
        return Objects.hash(layout, Arrays.hashCode(viewWeights), pointsPerCloud);
    }

    @Override
    public String toString() {
        return "SegmentationOptions[" + layout.id() + ", weights " + Arrays.toString(viewWeights) + ", points "
            + (pointsPerCloud == 0 ? "all" : pointsPerCloud) + "]";
    }

    /** Builds {@link SegmentationOptions}. */
    public static final class Builder {
        private SegmentationLayout layout = SegmentationLayout.FIXED;
        private float[] viewWeights = ones();
        private int pointsPerCloud;

        private Builder() {
        }

        private static float[] ones() {
            float[] w = new float[VIEWS];
            Arrays.fill(w, 1f);
            return w;
        }

        /**
         * @param layout default {@link SegmentationLayout#FIXED}
         * @return this builder
         */
        public Builder layout(SegmentationLayout layout) {
            this.layout = Objects.requireNonNull(layout, "layout");
            return this;
        }

        /**
         * @param weights exactly 10 finite weights, one per view; default 1.0 each
         * @return this builder
         */
        public Builder viewWeights(float... weights) {
            this.viewWeights = Objects.requireNonNull(weights, "weights").clone();
            return this;
        }

        /**
         * @param n label the first {@code n} points of each cloud; 0 (default) labels every point
         * @return this builder
         */
        public Builder pointsPerCloud(int n) {
            this.pointsPerCloud = n;
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException if there are not 10 finite weights or the point count is negative
         */
        public SegmentationOptions build() {
            if (viewWeights.length != VIEWS) {
                throw new IllegalArgumentException("segmentation takes exactly " + VIEWS + " view weights, got "
                    + viewWeights.length);
            }
            for (float w : viewWeights) {
                if (!Float.isFinite(w)) {
                    throw new IllegalArgumentException("view weight " + w + " is not finite");
                }
            }
            if (pointsPerCloud < 0) {
                throw new IllegalArgumentException("points per cloud must be >= 0 (0 = all points), got "
                    + pointsPerCloud);
            }
            return new SegmentationOptions(this);
        }
    }
}
