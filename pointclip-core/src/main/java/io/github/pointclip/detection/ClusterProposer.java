package io.github.pointclip.detection;

import io.github.pointclip.cloud.PointCloud;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Box proposals without any 3-D training: a <b>baseline</b>, not a 3-D detector. It finds what
 * sticks out of the room's structure and boxes it:
 *
 * <ol>
 * <li><b>plane removal</b>: up to {@link Builder#maxPlanes} times, RANSAC finds the plane with the
 *     most points within {@link Builder#planeDistance} among horizontal and vertical planes (the
 *     normal within {@link Builder#planeAngleDegrees} of the up axis or of the horizontal); if it
 *     holds at least {@link Builder#minPlaneFraction} of the scene it is removed (floor, walls,
 *     ceiling), else the search stops. Hypotheses are scored on a seeded sample of at most
 *     {@value #RANSAC_SAMPLE} points, the winner on all of them;</li>
 * <li><b>clustering</b>: the remaining points are put in a grid of voxels with edge
 *     {@link Builder#clusterTolerance}; voxels that touch (26-neighbourhood) form one cluster, so two
 *     points closer than the tolerance always share a cluster (Euclidean clustering, at a tolerance
 *     between 1 and 2√3 voxel edges);</li>
 * <li><b>boxes</b>: each cluster of at least {@link Builder#minClusterPoints} points whose extent is at
 *     most {@link Builder#maxExtent} on every axis becomes the axis-aligned box of its points (heading 0,
 *     no score), largest cluster first.</li>
 * </ol>
 *
 * <p>Deterministic: the same scene, settings and {@link Builder#seed} give the same boxes. Defaults
 * suit indoor scans in metres (ScanNet). Immutable and thread-safe.
 */
public final class ClusterProposer implements ProposalSource {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterProposer.class);

    /** Default {@link Builder#maxPlanes}: floor, ceiling and four walls. */
    public static final int DEFAULT_MAX_PLANES = 6;
    /** Default {@link Builder#clusterTolerance}, in scene units (5 cm for metres). */
    public static final double DEFAULT_CLUSTER_TOLERANCE = 0.05;
    /** Default {@link Builder#minClusterPoints}. */
    public static final int DEFAULT_MIN_CLUSTER_POINTS = 50;
    /** Default {@link Builder#maxExtent}, in scene units (4 m for metres). */
    public static final double DEFAULT_MAX_EXTENT = 4;

    /** Points a RANSAC hypothesis is scored on. */
    public static final int RANSAC_SAMPLE = 20_000;

    private final UpAxis upAxis;
    private final double planeDistance;
    private final int iterations;
    private final int maxPlanes;
    private final double minPlaneFraction;
    private final double planeAngleDegrees;
    private final double clusterTolerance;
    private final int minClusterPoints;
    private final double maxExtent;
    private final long seed;

    private ClusterProposer(Builder b) {
        this.upAxis = b.upAxis;
        this.planeDistance = b.planeDistance;
        this.iterations = b.iterations;
        this.maxPlanes = b.maxPlanes;
        this.minPlaneFraction = b.minPlaneFraction;
        this.planeAngleDegrees = b.planeAngleDegrees;
        this.clusterTolerance = b.clusterTolerance;
        this.minClusterPoints = b.minClusterPoints;
        this.maxExtent = b.maxExtent;
        this.seed = b.seed;
    }

    /** @return a builder with the indoor defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a proposer with the indoor defaults */
    public static ClusterProposer defaults() {
        return builder().build();
    }

    @Override
    public List<Box> propose(PointCloud scene) {
        int n = scene.size();
        boolean[] removed = new boolean[n];
        int planes = removePlanes(scene, removed);
        List<Box> boxes = cluster(scene, removed);
        LOG.debug("cluster proposer: {} planes removed, {} boxes from {} points", planes, boxes.size(), n);
        return boxes;
    }

    /**
     * Removes the structure's planes, marking their points in {@code removed}.
     *
     * @return the number of planes removed
     */
    int removePlanes(PointCloud scene, boolean[] removed) {
        int n = scene.size();
        SplittableRandom random = new SplittableRandom(seed);
        int up = upAxis == UpAxis.Z ? 2 : 1;
        double cosTol = Math.cos(Math.toRadians(planeAngleDegrees));
        double sinTol = Math.sin(Math.toRadians(planeAngleDegrees));
        int planes = 0;
        for (int round = 0; round < maxPlanes; round++) {
            int[] sample = sample(removed, random);
            if (sample.length < 3) {
                break;
            }
            double[] best = null;
            int bestCount = -1;
            double[] plane = new double[4];
            for (int it = 0; it < iterations; it++) {
                int a = sample[random.nextInt(sample.length)];
                int b = sample[random.nextInt(sample.length)];
                int c = sample[random.nextInt(sample.length)];
                if (!fit(scene, a, b, c, plane)) {
                    continue;
                }
                double along = Math.abs(plane[up]);
                if (!(along >= cosTol || along <= sinTol)) {
                    continue; // neither horizontal nor vertical
                }
                int count = 0;
                for (int p : sample) {
                    if (Math.abs(distance(scene, p, plane)) <= planeDistance) {
                        count++;
                    }
                }
                if (count > bestCount) {
                    bestCount = count;
                    best = plane.clone();
                }
            }
            if (best == null) {
                break;
            }
            int inliers = 0;
            for (int p = 0; p < n; p++) {
                if (!removed[p] && Math.abs(distance(scene, p, best)) <= planeDistance) {
                    inliers++;
                }
            }
            if (inliers < minPlaneFraction * n) {
                break;
            }
            for (int p = 0; p < n; p++) {
                if (!removed[p] && Math.abs(distance(scene, p, best)) <= planeDistance) {
                    removed[p] = true;
                }
            }
            planes++;
        }
        return planes;
    }

    private static int[] sample(boolean[] removed, SplittableRandom random) {
        int left = 0;
        for (boolean r : removed) {
            if (!r) {
                left++;
            }
        }
        int[] all = new int[left];
        for (int p = 0, k = 0; p < removed.length; p++) {
            if (!removed[p]) {
                all[k++] = p;
            }
        }
        if (left <= RANSAC_SAMPLE) {
            return all;
        }
        // a partial Fisher–Yates shuffle: the first RANSAC_SAMPLE entries are a uniform sample
        for (int i = 0; i < RANSAC_SAMPLE; i++) {
            int j = i + random.nextInt(left - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return Arrays.copyOf(all, RANSAC_SAMPLE);
    }

    /** The plane through three points as a unit normal and offset {@code n·p + d = 0}; false when degenerate. */
    private static boolean fit(PointCloud s, int a, int b, int c, double[] plane) {
        double ux = s.x(b) - s.x(a);
        double uy = s.y(b) - s.y(a);
        double uz = s.z(b) - s.z(a);
        double vx = s.x(c) - s.x(a);
        double vy = s.y(c) - s.y(a);
        double vz = s.z(c) - s.z(a);
        double nx = uy * vz - uz * vy;
        double ny = uz * vx - ux * vz;
        double nz = ux * vy - uy * vx;
        double len = Math.sqrt(nx * nx + ny * ny + nz * nz);
        if (!(len > 1e-12)) {
            return false;
        }
        plane[0] = nx / len;
        plane[1] = ny / len;
        plane[2] = nz / len;
        plane[3] = -(plane[0] * s.x(a) + plane[1] * s.y(a) + plane[2] * s.z(a));
        return true;
    }

    private static double distance(PointCloud s, int p, double[] plane) {
        return plane[0] * s.x(p) + plane[1] * s.y(p) + plane[2] * s.z(p) + plane[3];
    }

    /** Voxel-connected components of the points left, as boxes. */
    List<Box> cluster(PointCloud scene, boolean[] removed) {
        int n = scene.size();
        int left = 0;
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double minZ = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        double maxZ = Double.NEGATIVE_INFINITY;
        for (int p = 0; p < n; p++) {
            if (!removed[p]) {
                left++;
                minX = Math.min(minX, scene.x(p));
                minY = Math.min(minY, scene.y(p));
                minZ = Math.min(minZ, scene.z(p));
                maxX = Math.max(maxX, scene.x(p));
                maxY = Math.max(maxY, scene.y(p));
                maxZ = Math.max(maxZ, scene.z(p));
            }
        }
        if (left == 0) {
            return List.of();
        }
        double t = clusterTolerance;
        long nx = (long) Math.floor((maxX - minX) / t) + 3;
        long ny = (long) Math.floor((maxY - minY) / t) + 3;
        long nz = (long) Math.floor((maxZ - minZ) / t) + 3;
        if ((double) nx * ny * nz * n >= Long.MAX_VALUE / 4.0) {
            throw new IllegalArgumentException("the scene spans " + nx + " × " + ny + " × " + nz + " voxels of "
                + t + ": too many for " + n + " points; raise the cluster tolerance");
        }
        // sort the points by voxel (key · n + index keeps the sort stable and deterministic)
        long[] packed = new long[left];
        for (int p = 0, k = 0; p < n; p++) {
            if (!removed[p]) {
                long ix = (long) Math.floor((scene.x(p) - minX) / t) + 1;
                long iy = (long) Math.floor((scene.y(p) - minY) / t) + 1;
                long iz = (long) Math.floor((scene.z(p) - minZ) / t) + 1;
                packed[k++] = ((ix * ny + iy) * nz + iz) * n + p;
            }
        }
        Arrays.sort(packed);
        long[] keys = new long[left];
        int[] voxelOf = new int[left]; // per sorted point
        int voxels = 0;
        for (int k = 0; k < left; k++) {
            long key = packed[k] / n;
            if (voxels == 0 || keys[voxels - 1] != key) {
                keys[voxels++] = key;
            }
            voxelOf[k] = voxels - 1;
        }
        int[] parent = new int[voxels];
        for (int v = 0; v < voxels; v++) {
            parent[v] = v;
        }
        for (int v = 0; v < voxels; v++) {
            long key = keys[v];
            long iz = key % nz;
            long iy = key / nz % ny;
            long ix = key / nz / ny;
            // the 13 neighbours that come after this voxel in key order; the other 13 find this one
            for (int dx = 0; dx <= 1; dx++) {
                for (int dy = dx == 0 ? 0 : -1; dy <= 1; dy++) {
                    for (int dz = dx == 0 && dy == 0 ? 1 : -1; dz <= 1; dz++) {
                        long other = ((ix + dx) * ny + iy + dy) * nz + iz + dz;
                        int w = Arrays.binarySearch(keys, v + 1, voxels, other);
                        if (w >= 0) {
                            union(parent, v, w);
                        }
                    }
                }
            }
        }
        // cluster bounds, by root voxel
        int[] clusterOf = new int[voxels];
        Arrays.fill(clusterOf, -1);
        List<double[]> bounds = new ArrayList<>();
        List<int[]> sizes = new ArrayList<>();
        for (int k = 0; k < left; k++) {
            int root = find(parent, voxelOf[k]);
            int c = clusterOf[root];
            int p = (int) (packed[k] % n);
            if (c < 0) {
                c = bounds.size();
                clusterOf[root] = c;
                bounds.add(new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
                    Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY});
                sizes.add(new int[] {0, p});
            }
            double[] b = bounds.get(c);
            b[0] = Math.min(b[0], scene.x(p));
            b[1] = Math.min(b[1], scene.y(p));
            b[2] = Math.min(b[2], scene.z(p));
            b[3] = Math.max(b[3], scene.x(p));
            b[4] = Math.max(b[4], scene.y(p));
            b[5] = Math.max(b[5], scene.z(p));
            int[] s = sizes.get(c);
            s[0]++;
            s[1] = Math.min(s[1], p);
        }
        List<Integer> order = new ArrayList<>();
        for (int c = 0; c < bounds.size(); c++) {
            double[] b = bounds.get(c);
            boolean small = b[3] - b[0] <= maxExtent && b[4] - b[1] <= maxExtent && b[5] - b[2] <= maxExtent;
            if (sizes.get(c)[0] >= minClusterPoints && small) {
                order.add(c);
            }
        }
        // largest first; ties by the smallest point index, so the order never depends on the sort's internals
        order.sort((a, b) -> sizes.get(a)[0] != sizes.get(b)[0] ? Integer.compare(sizes.get(b)[0], sizes.get(a)[0])
            : Integer.compare(sizes.get(a)[1], sizes.get(b)[1]));
        List<Box> boxes = new ArrayList<>(order.size());
        for (int c : order) {
            double[] b = bounds.get(c);
            boxes.add(Box.ofBounds(new double[] {b[0], b[1], b[2]}, new double[] {b[3], b[4], b[5]}));
        }
        return boxes;
    }

    private static int find(int[] parent, int v) {
        while (parent[v] != v) {
            parent[v] = parent[parent[v]];
            v = parent[v];
        }
        return v;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }

    @Override
    public String toString() {
        return "ClusterProposer[up=" + upAxis + ", planeDistance=" + planeDistance + ", iterations=" + iterations
            + ", maxPlanes=" + maxPlanes + ", minPlaneFraction=" + minPlaneFraction + ", planeAngle=" + planeAngleDegrees
            + ", clusterTolerance=" + clusterTolerance + ", minClusterPoints=" + minClusterPoints + ", maxExtent="
            + maxExtent + ", seed=" + seed + "]";
    }

    /** Builds a {@link ClusterProposer}; validates in {@link #build()}. */
    public static final class Builder {
        private UpAxis upAxis = UpAxis.Z;
        private double planeDistance = 0.02;
        private int iterations = 200;
        private int maxPlanes = DEFAULT_MAX_PLANES;
        private double minPlaneFraction = 0.05;
        private double planeAngleDegrees = 10;
        private double clusterTolerance = DEFAULT_CLUSTER_TOLERANCE;
        private int minClusterPoints = DEFAULT_MIN_CLUSTER_POINTS;
        private double maxExtent = DEFAULT_MAX_EXTENT;
        private long seed;

        private Builder() {
        }

        /**
         * @param axis the scene's up axis; default {@link UpAxis#Z}
         * @return this builder
         */
        public Builder upAxis(UpAxis axis) {
            this.upAxis = java.util.Objects.requireNonNull(axis, "upAxis");
            return this;
        }

        /**
         * @param d RANSAC inlier distance to a plane, in scene units; default 0.02
         * @return this builder
         */
        public Builder planeDistance(double d) {
            this.planeDistance = d;
            return this;
        }

        /**
         * @param n RANSAC hypotheses per plane; default 200
         * @return this builder
         */
        public Builder iterations(int n) {
            this.iterations = n;
            return this;
        }

        /**
         * @param n the most planes removed (0: none); default 6 (floor, ceiling, four walls)
         * @return this builder
         */
        public Builder maxPlanes(int n) {
            this.maxPlanes = n;
            return this;
        }

        /**
         * @param f the smallest share of the scene's points a plane must hold to be removed; default 0.05
         * @return this builder
         */
        public Builder minPlaneFraction(double f) {
            this.minPlaneFraction = f;
            return this;
        }

        /**
         * @param degrees how far a removed plane may tilt from horizontal or vertical; default 10
         * @return this builder
         */
        public Builder planeAngleDegrees(double degrees) {
            this.planeAngleDegrees = degrees;
            return this;
        }

        /**
         * @param t the voxel edge of the clustering, in scene units; default 0.05
         * @return this builder
         */
        public Builder clusterTolerance(double t) {
            this.clusterTolerance = t;
            return this;
        }

        /**
         * @param n the fewest points of a cluster that becomes a box; default 50
         * @return this builder
         */
        public Builder minClusterPoints(int n) {
            this.minClusterPoints = n;
            return this;
        }

        /**
         * @param e the largest extent of a cluster that becomes a box, on every axis (larger ones are
         *     structure left over); default 4
         * @return this builder
         */
        public Builder maxExtent(double e) {
            this.maxExtent = e;
            return this;
        }

        /**
         * @param s the RANSAC seed; default 0
         * @return this builder
         */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /**
         * @return the proposer
         * @throws IllegalArgumentException for a non-positive distance, tolerance, extent or iteration
         *     count, a negative plane count, a fraction outside (0, 1], an angle outside [0, 45], or fewer
         *     than 1 point per cluster
         */
        public ClusterProposer build() {
            positive("plane distance", planeDistance);
            positive("cluster tolerance", clusterTolerance);
            positive("max extent", maxExtent);
            if (iterations < 1) {
                throw new IllegalArgumentException("RANSAC iterations must be ≥ 1, got " + iterations);
            }
            if (maxPlanes < 0) {
                throw new IllegalArgumentException("max planes must be ≥ 0, got " + maxPlanes);
            }
            if (!(minPlaneFraction > 0 && minPlaneFraction <= 1)) {
                throw new IllegalArgumentException("min plane fraction must be in (0, 1], got " + minPlaneFraction);
            }
            if (!(planeAngleDegrees >= 0 && planeAngleDegrees <= 45)) {
                throw new IllegalArgumentException("plane angle must be in [0, 45] degrees, got " + planeAngleDegrees);
            }
            if (minClusterPoints < 1) {
                throw new IllegalArgumentException("min cluster points must be ≥ 1, got " + minClusterPoints);
            }
            return new ClusterProposer(this);
        }

        private static void positive(String what, double v) {
            if (!(v > 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException(what + " must be positive and finite, got " + v);
            }
        }
    }
}
