package io.github.pointclip.io;

import java.util.Objects;
import java.util.Optional;

/**
 * Immutable options for {@link PointCloudReader}. Build with {@link #builder()}; the defaults
 * ({@link #defaults()}) read every point of a point-cloud file, sample
 * {@value #DEFAULT_MESH_POINTS} points (seed 0) on the surface of a mesh, and fail on a
 * non-finite coordinate.
 */
public final class ReadOptions {

    /**
     * The most points a {@link io.github.pointclip.cloud.PointCloud} can hold: its coordinates
     * fill one Java array.
     */
    public static final int MAX_POINTS_LIMIT = (Integer.MAX_VALUE - 8) / 3;

    /** Default for {@link #maxPoints()}: 100 million points (1.2 GB of coordinates). */
    public static final int DEFAULT_MAX_POINTS = 100_000_000;

    /**
     * Default for {@link #samplePoints()}: a mesh file (OBJ, OFF, STL, PLY with faces) gives
     * 1024 points sampled on its surface, the points per cloud of the PointCLIP references.
     * Point-cloud files are not affected: they are read whole.
     */
    public static final int DEFAULT_MESH_POINTS = 1024;

    private static final ReadOptions DEFAULTS = builder().build();

    private final boolean dropNonFinite;
    private final int samplePoints;
    /** Whether samplePoints was chosen (validated against maxPoints) rather than left at the default. */
    private final boolean samplePointsSet;
    private final long seed;
    private final PointCloudFormat format;
    private final int maxPoints;
    private final boolean keepAttributes;

    private ReadOptions(Builder b) {
        this.dropNonFinite = b.dropNonFinite;
        this.samplePoints = b.samplePoints;
        this.samplePointsSet = b.samplePointsSet;
        this.seed = b.seed;
        this.format = b.format;
        this.maxPoints = b.maxPoints;
        this.keepAttributes = b.keepAttributes;
    }

    /** @return the default options */
    public static ReadOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these options */
    public Builder toBuilder() {
        Builder b = new Builder()
            .dropNonFinite(dropNonFinite)
            .samplePoints(samplePoints)
            .seed(seed)
            .format(format)
            .maxPoints(maxPoints)
            .keepAttributes(keepAttributes);
        b.samplePointsSet = samplePointsSet;
        return b;
    }

    /**
     * @return whether points with a NaN or infinite coordinate are dropped (true) or make the
     *     read fail naming the file, the line or byte offset and the point index (false, default)
     */
    public boolean dropNonFinite() {
        return dropNonFinite;
    }

    /**
     * @return for a mesh file with faces (PLY, OFF, OBJ, STL), the number of points sampled
     *     uniformly over the surface by triangle area (default {@value #DEFAULT_MESH_POINTS});
     *     0 returns the mesh vertices instead. Files without faces always give all their points.
     */
    public int samplePoints() {
        return samplePoints;
    }

    /** @return the seed of the surface sampling; the same seed gives the same points (default 0) */
    public long seed() {
        return seed;
    }

    /** @return the format to read, overriding the file extension; empty (default) to detect it */
    public Optional<PointCloudFormat> format() {
        return Optional.ofNullable(format);
    }

    /**
     * @return the most points (vertices) a file may hold before the read fails with a clear
     *     message, guarding memory against oversized or corrupt input (default
     *     {@value #DEFAULT_MAX_POINTS})
     */
    public int maxPoints() {
        return maxPoints;
    }

    /**
     * @return whether per-point attributes (colour, normal, intensity, extra columns) are kept
     *     in the cloud (true, default) or skipped to save memory
     */
    public boolean keepAttributes() {
        return keepAttributes;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ReadOptions)) {
            return false;
        }
        ReadOptions other = (ReadOptions) o;
        return dropNonFinite == other.dropNonFinite && samplePoints == other.samplePoints && seed == other.seed
            && format == other.format && maxPoints == other.maxPoints && keepAttributes == other.keepAttributes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(dropNonFinite, samplePoints, seed, format, maxPoints, keepAttributes);
    }

    @Override
    public String toString() {
        return "ReadOptions[dropNonFinite=" + dropNonFinite + ", samplePoints=" + samplePoints + ", seed=" + seed
            + ", format=" + (format == null ? "by extension" : format) + ", maxPoints=" + maxPoints
            + ", keepAttributes=" + keepAttributes + "]";
    }

    /** Builds {@link ReadOptions}; {@link #build()} validates. */
    public static final class Builder {
        private boolean dropNonFinite;
        private int samplePoints = DEFAULT_MESH_POINTS;
        private boolean samplePointsSet;
        private long seed;
        private PointCloudFormat format;
        private int maxPoints = DEFAULT_MAX_POINTS;
        private boolean keepAttributes = true;

        private Builder() {
        }

        /**
         * @param drop drop points with a NaN or infinite coordinate instead of failing; default false
         * @return this builder
         */
        public Builder dropNonFinite(boolean drop) {
            this.dropNonFinite = drop;
            return this;
        }

        /**
         * @param n points to sample over the faces of a mesh file, ≥ 0; 0 reads the vertices;
         *     default {@value #DEFAULT_MESH_POINTS}
         * @return this builder
         */
        public Builder samplePoints(int n) {
            this.samplePoints = n;
            this.samplePointsSet = true;
            return this;
        }

        /**
         * @param seed seed of the surface sampling; default 0
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @param format the format to read regardless of the extension, or null (default) to detect it
         * @return this builder
         */
        public Builder format(PointCloudFormat format) {
            this.format = format;
            return this;
        }

        /**
         * @param maxPoints most points a file may hold, 1 to {@link #MAX_POINTS_LIMIT}; default
         *     {@value #DEFAULT_MAX_POINTS}
         * @return this builder
         */
        public Builder maxPoints(int maxPoints) {
            this.maxPoints = maxPoints;
            return this;
        }

        /**
         * @param keep keep per-point attributes; default true
         * @return this builder
         */
        public Builder keepAttributes(boolean keep) {
            this.keepAttributes = keep;
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException if samplePoints is negative or set above maxPoints, or
         *     maxPoints is outside 1 to {@link #MAX_POINTS_LIMIT}
         */
        public ReadOptions build() {
            if (maxPoints < 1 || maxPoints > MAX_POINTS_LIMIT) {
                throw new IllegalArgumentException("maxPoints must be in 1.." + MAX_POINTS_LIMIT + ", got "
                    + maxPoints);
            }
            if (samplePoints < 0) {
                throw new IllegalArgumentException("samplePoints must be ≥ 0 (0 reads the vertices), got "
                    + samplePoints);
            }
            if (samplePoints > maxPoints && samplePointsSet) { // the default is not a choice to reject
                throw new IllegalArgumentException("samplePoints " + samplePoints + " exceeds maxPoints " + maxPoints);
            }
            return new ReadOptions(this);
        }
    }
}
