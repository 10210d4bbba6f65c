package io.github.pointclip.cloud;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * An immutable cloud of N ≥ 1 points with float32 x, y, z coordinates and optional per-point
 * attributes (colour, normal, intensity…).
 *
 * <p>Coordinates are always finite: the factories reject an empty cloud or a non-finite
 * coordinate with an {@link IllegalArgumentException} naming the index of the first bad point.
 * Use {@link #ofDroppingNonFinite(float[])} to drop such points explicitly instead.
 * Attributes are kept through {@link #first(int)} and {@link #sample(int, long)} but ignored by
 * projectors.
 *
 * <p>Instances are immutable and safe to share between threads. Accessors such as
 * {@link #x(int)} read without copying, so projectors can run allocation-free.
 */
public final class PointCloud {

    private final float[] xyz;
    private final Map<String, float[]> attributes;

    private PointCloud(float[] xyz, Map<String, float[]> attributes) {
        this.xyz = xyz;
        this.attributes = attributes;
    }

    /**
     * Creates a cloud from packed coordinates {@code x0 y0 z0 x1 y1 z1 …}; the array is copied.
     *
     * @param xyz packed coordinates, length a positive multiple of 3
     * @return the cloud
     * @throws IllegalArgumentException if the array is empty, its length is not a multiple of 3,
     *     or a coordinate is NaN or infinite (the message names the point index)
     */
    public static PointCloud of(float[] xyz) {
        Objects.requireNonNull(xyz, "xyz");
        float[] copy = xyz.clone();
        checkCoordinates(copy);
        return new PointCloud(copy, Map.of());
    }

    /**
     * Creates a cloud from packed coordinates, dropping every point that has a NaN or infinite
     * coordinate.
     *
     * @param xyz packed coordinates, length a multiple of 3
     * @return the cloud of the finite points
     * @throws IllegalArgumentException if no finite point remains
     */
    public static PointCloud ofDroppingNonFinite(float[] xyz) {
        return builder().coordinates(xyz).dropNonFinite(true).build();
    }

    /**
     * Returns a builder for a cloud with attributes.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the number of points, at least 1 */
    public int size() {
        return xyz.length / 3;
    }

    /**
     * @param i point index
     * @return x of point {@code i}
     */
    public float x(int i) {
        return xyz[3 * i];
    }

    /**
     * @param i point index
     * @return y of point {@code i}
     */
    public float y(int i) {
        return xyz[3 * i + 1];
    }

    /**
     * @param i point index
     * @return z of point {@code i}
     */
    public float z(int i) {
        return xyz[3 * i + 2];
    }

    /** @return a copy of the packed coordinates {@code x0 y0 z0 x1 …} */
    public float[] toArray() {
        return xyz.clone();
    }

    /**
     * Copies the packed coordinates into {@code dst} (modified) starting at {@code offset}.
     *
     * @param dst destination, at least {@code offset + 3·size()} long
     * @param offset first index written
     */
    public void copyTo(float[] dst, int offset) {
        System.arraycopy(xyz, 0, dst, offset, xyz.length);
    }

    /** @return the names of the per-point attributes, in insertion order */
    public Set<String> attributeNames() {
        return attributes.keySet();
    }

    /**
     * @param name attribute name
     * @return a copy of the attribute values, {@code size()·width} floats, point-major
     * @throws IllegalArgumentException if the cloud has no such attribute
     */
    public float[] attribute(String name) {
        float[] values = attributes.get(name);
        if (values == null) {
            throw new IllegalArgumentException("no attribute '" + name + "'; the cloud has " + attributes.keySet());
        }
        return values.clone();
    }

    /**
     * @param name attribute name
     * @return the number of floats per point of the attribute
     */
    public int attributeWidth(String name) {
        return attribute(name).length / size();
    }

    /**
     * Returns the first {@code n} points (as the reference loaders do with the first 1024), or
     * this cloud if it has at most {@code n} points.
     *
     * @param n number of points to keep, positive
     * @return the cloud of the first {@code min(n, size())} points
     */
    public PointCloud first(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("first(n) needs n > 0, got " + n);
        }
        if (n >= size()) {
            return this;
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return select(idx);
    }

    /**
     * Samples {@code n} distinct points uniformly without replacement, in a random order
     * determined by {@code seed}; if {@code n ≥ size()} the whole cloud is returned shuffled.
     *
     * @param n number of points, positive
     * @param seed random seed; the same seed gives the same sample
     * @return the sampled cloud
     */
    public PointCloud sample(int n, long seed) {
        if (n <= 0) {
            throw new IllegalArgumentException("sample(n) needs n > 0, got " + n);
        }
        int total = size();
        int[] perm = new int[total];
        for (int i = 0; i < total; i++) {
            perm[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        int m = Math.min(n, total);
        for (int i = 0; i < m; i++) { // partial Fisher–Yates
            int j = i + random.nextInt(total - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return select(Arrays.copyOf(perm, m));
    }

    private PointCloud select(int[] idx) {
        float[] out = new float[3 * idx.length];
        for (int k = 0; k < idx.length; k++) {
            System.arraycopy(xyz, 3 * idx[k], out, 3 * k, 3);
        }
        Map<String, float[]> attrs = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : attributes.entrySet()) {
            int width = e.getValue().length / size();
            float[] src = e.getValue();
            float[] dst = new float[width * idx.length];
            for (int k = 0; k < idx.length; k++) {
                System.arraycopy(src, width * idx[k], dst, width * k, width);
            }
            attrs.put(e.getKey(), dst);
        }
        return new PointCloud(out, Collections.unmodifiableMap(attrs));
    }

    /** @return the axis-aligned bounding box as {@code [minX, minY, minZ, maxX, maxY, maxZ]} */
    public float[] bounds() {
        float[] b = {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int i = 0; i < xyz.length; i += 3) {
            for (int a = 0; a < 3; a++) {
                b[a] = Math.min(b[a], xyz[i + a]);
                b[a + 3] = Math.max(b[a + 3], xyz[i + a]);
            }
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PointCloud)) {
            return false;
        }
        PointCloud other = (PointCloud) o;
        if (!Arrays.equals(xyz, other.xyz) || !attributes.keySet().equals(other.attributes.keySet())) {
            return false;
        }
        for (Map.Entry<String, float[]> e : attributes.entrySet()) {
            if (!Arrays.equals(e.getValue(), other.attributes.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(xyz) * 31 + attributes.keySet().hashCode();
    }

    @Override
    public String toString() {
        return "PointCloud[" + size() + " points" + (attributes.isEmpty() ? "" : ", attributes " + attributes.keySet()) + "]";
    }

    private static void checkLength(int length) {
        if (length % 3 != 0) {
            throw new IllegalArgumentException("packed xyz length " + length + " is not a multiple of 3");
        }
    }

    private static void checkCoordinates(float[] xyz) {
        checkLength(xyz.length);
        if (xyz.length == 0) {
            throw new IllegalArgumentException("point cloud is empty");
        }
        for (int i = 0; i < xyz.length; i++) {
            if (!Float.isFinite(xyz[i])) {
                throw new IllegalArgumentException("point " + (i / 3) + " has a non-finite " + "xyz".charAt(i % 3)
                    + " coordinate (" + xyz[i] + "); drop such points explicitly with ofDroppingNonFinite"
                    + " or the reader's dropNonFinite option");
            }
        }
    }

    /**
     * Builds a {@link PointCloud} with per-point attributes. Validation happens in {@link #build()}.
     */
    public static final class Builder {
        private float[] xyz;
        private boolean dropNonFinite;
        private final Map<String, float[]> attributes = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * @param xyz packed coordinates (copied at build time)
         * @return this builder
         */
        public Builder coordinates(float[] xyz) {
            this.xyz = Objects.requireNonNull(xyz, "xyz");
            return this;
        }

        /**
         * @param drop drop points with a non-finite coordinate (and their attributes) instead of
         *     failing; default false
         * @return this builder
         */
        public Builder dropNonFinite(boolean drop) {
            this.dropNonFinite = drop;
            return this;
        }

        /**
         * Adds a per-point attribute, {@code width} floats per point, point-major.
         *
         * @param name attribute name, e.g. "red" or "normal"
         * @param values the values (copied at build time)
         * @return this builder
         */
        public Builder attribute(String name, float[] values) {
            attributes.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(values, "values"));
            return this;
        }

        /**
         * @return the cloud
         * @throws IllegalArgumentException if coordinates are missing, empty or non-finite, or an
         *     attribute length is not a multiple of the number of points
         */
        public PointCloud build() {
            if (xyz == null) {
                throw new IllegalArgumentException("coordinates not set");
            }
            checkLength(xyz.length);
            int n = xyz.length / 3;
            for (Map.Entry<String, float[]> e : attributes.entrySet()) {
                if (n == 0 || e.getValue().length % n != 0) {
                    throw new IllegalArgumentException("attribute '" + e.getKey() + "' has " + e.getValue().length
                        + " values, not a multiple of the " + n + " points");
                }
            }
            PointCloud full = new PointCloud(xyz.clone(), copyAttributes(attributes));
            if (!dropNonFinite) {
                checkCoordinates(full.xyz);
                return full;
            }
            int[] keep = new int[n];
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (Float.isFinite(xyz[3 * i]) && Float.isFinite(xyz[3 * i + 1]) && Float.isFinite(xyz[3 * i + 2])) {
                    keep[k++] = i;
                }
            }
            if (k == 0) {
                throw new IllegalArgumentException("point cloud has no finite point (" + n + " points read)");
            }
            return k == n ? full : full.select(Arrays.copyOf(keep, k));
        }

        private static Map<String, float[]> copyAttributes(Map<String, float[]> source) {
            Map<String, float[]> copy = new LinkedHashMap<>();
            source.forEach((key, value) -> copy.put(key, value.clone()));
            return Collections.unmodifiableMap(copy);
        }
    }
}
