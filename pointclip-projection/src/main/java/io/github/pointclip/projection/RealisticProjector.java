package io.github.pointclip.projection;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.projection.kernel.SmoothingKernel;
import io.github.pointclip.projection.spi.Projector;
import io.github.pointclip.projection.spi.ViewRig;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * PointCLIP V2 realistic projection: per view, the transformed cloud is normalised into a
 * {@code R×R×D} grid holding the maximum depth value per cell, densified per depth slice by a
 * max pool, smoothed per slice by a {@link SmoothingKernel}, squeezed by a max over depth and
 * inverted so that the background is 1.0 and the farthest surface 0.0.
 *
 * <p>Numerics follow DESIGN.md §3 (float32 throughout). The implementation is sparse: the
 * grid scatter and max pool are fused into one splat per point, and the smoothing runs only
 * over the bounding box of each occupied slice; the result is the same as the dense
 * reference. Immutable and thread-safe; scratch space is per thread, so {@link #projectInto} is
 * allocation-free once a thread has warmed up.
 */
public final class RealisticProjector implements Projector {

    private final String name;
    private final ViewRig views;
    private final int resolution;
    private final int depth;
    private final int poolSize;
    private final int poolPadding;
    private final float objectRatio;
    private final float depthBias;
    private final SmoothingKernel kernel;
    private final float[] kernelWeights;
    private final int imageSize;
    private final ThreadLocal<Workspace> workspaces;

    private RealisticProjector(Builder b) {
        this.name = b.name;
        this.views = b.views;
        this.resolution = b.resolution;
        this.depth = b.depth;
        this.poolSize = b.poolSize;
        this.poolPadding = b.poolPadding;
        this.objectRatio = b.objectRatio;
        this.depthBias = b.depthBias;
        this.kernel = b.kernel;
        this.kernelWeights = b.kernel.weights();
        this.imageSize = resolution + 2 * poolPadding - poolSize + 1;
        int half = b.kernel.size() / 2;
        this.workspaces = ThreadLocal.withInitial(() -> new Workspace(depth, imageSize, half, b.kernel.size()));
    }

    /**
     * The PointCLIP V2 preset: 10 views, grid 112×112×8, 7×7 max pool with padding 2, 3×3
     * Gaussian σ = 3, object ratio 0.8, depth bias 0.2; images are 110×110.
     *
     * @return the projector
     */
    public static RealisticProjector pointClipV2() {
        return builder().build();
    }

    /** @return a builder with the PointCLIP V2 defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder initialised with this projector's settings */
    public Builder toBuilder() {
        return new Builder().name(name).views(views).resolution(resolution).depth(depth)
            .pooling(poolSize, poolPadding).objectRatio(objectRatio).depthBias(depthBias).kernel(kernel);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ViewRig views() {
        return views;
    }

    @Override
    public int height() {
        return imageSize;
    }

    @Override
    public int width() {
        return imageSize;
    }

    /** @return the smoothing kernel */
    public SmoothingKernel kernel() {
        return kernel;
    }

    @Override
    public float[] projectInto(PointCloud cloud, float[] out) {
        Objects.requireNonNull(cloud, "cloud");
        int pixels = imageSize * imageSize;
        int length = views.size() * pixels;
        if (out == null || out.length < length) {
            out = new float[length];
        }
        Workspace ws = workspaces.get();
        ws.ensurePoints(cloud.size());
        for (int v = 0; v < views.size(); v++) {
            views.view(v).transform(cloud, ws.points);
            splat(cloud.size(), ws);
            smoothAndSqueeze(ws, out, v * pixels);
        }
        return out;
    }

    /** Normalises the view's points into the grid and max-pools them into the depth slices in one pass. */
    private void splat(int n, Workspace ws) {
        float[] p = ws.points;
        float minX = Float.POSITIVE_INFINITY, minY = minX, minZ = minX;
        float maxX = Float.NEGATIVE_INFINITY, maxY = maxX, maxZ = maxX;
        for (int i = 0; i < 3 * n; i += 3) {
            minX = Math.min(minX, p[i]);
            maxX = Math.max(maxX, p[i]);
            minY = Math.min(minY, p[i + 1]);
            maxY = Math.max(maxY, p[i + 1]);
            minZ = Math.min(minZ, p[i + 2]);
            maxZ = Math.max(maxZ, p[i + 2]);
        }
        float cx = (maxX + minX) / 2f, cy = (maxY + minY) / 2f, cz = (maxZ + minZ) / 2f;
        float range = Math.max(maxX - minX, Math.max(maxY - minY, maxZ - minZ));
        if (range == 0f) {
            range = 1f;
        }
        float depthScale = depth - 2;
        float onePlusBias = 1f + depthBias;
        int maxCell = resolution - 2;
        // pool output o covers grid cells o - padding … o - padding + poolSize - 1
        int before = poolSize - 1 - poolPadding;
        int after = poolPadding;
        for (int i = 0; i < 3 * n; i += 3) {
            float x = (p[i] - cx) / range * 2f * objectRatio;
            float y = (p[i + 1] - cy) / range * 2f * objectRatio;
            float z = (p[i + 2] - cz) / range * 2f;
            int gx = clamp((int) Math.ceil((x + 1f) / 2f * resolution), 1, maxCell);
            int gy = clamp((int) Math.ceil((y + 1f) / 2f * resolution), 1, maxCell);
            float d = ((z + 1f) / 2f + depthBias) / onePlusBias * depthScale;
            int gz = clamp((int) Math.ceil(d), 0, depth - 1);
            float value = Math.min(Math.max(d, 1f), depthScale);
            int r0 = Math.max(gx - before, 0), r1 = Math.min(gx + after, imageSize - 1);
            int c0 = Math.max(gy - before, 0), c1 = Math.min(gy + after, imageSize - 1);
            // depth values are positive, so their bit patterns order like the floats: an integer
            // max is exact and much cheaper than Math.max(float, float)
            int bits = Float.floatToRawIntBits(value);
            int[] slice = ws.bitSlices[gz];
            int stride = ws.stride, pad = ws.pad;
            if (poolSize == 7 && r1 - r0 == 6 && c1 - c0 == 6) {
                // the reference's 7x7 window away from the border: unrolled, branch-free
                for (int r = r0, row = (r0 + pad) * stride + pad + c0; r <= r1; r++, row += stride) {
                    slice[row] = Math.max(slice[row], bits);
                    slice[row + 1] = Math.max(slice[row + 1], bits);
                    slice[row + 2] = Math.max(slice[row + 2], bits);
                    slice[row + 3] = Math.max(slice[row + 3], bits);
                    slice[row + 4] = Math.max(slice[row + 4], bits);
                    slice[row + 5] = Math.max(slice[row + 5], bits);
                    slice[row + 6] = Math.max(slice[row + 6], bits);
                }
            } else {
                for (int r = r0; r <= r1; r++) {
                    int row = (r + pad) * stride + pad;
                    for (int c = c0; c <= c1; c++) {
                        slice[row + c] = Math.max(slice[row + c], bits);
                    }
                }
            }
            ws.include(gz, r0, r1, c0, c1);
        }
    }

    /**
     * Smooths each occupied slice where it can be non-zero, takes the max over depth, normalises
     * and inverts. Clears the slices for the next view.
     */
    private void smoothAndSqueeze(Workspace ws, float[] out, int base) {
        int size = imageSize;
        int k = kernel.size();
        int half = k / 2;
        int stride = ws.stride, pad = ws.pad;
        float[] w = kernelWeights;
        Arrays.fill(out, base, base + size * size, 0f);
        for (int d = 0; d < depth; d++) {
            if (ws.rowMin[d] > ws.rowMax[d]) {
                continue;
            }
            float[] slice = ws.slices[d];
            int[] colMin = ws.colMin[d], colMax = ws.colMax[d];
            int[] bitSlice = ws.bitSlices[d];
            for (int r = ws.rowMin[d]; r <= ws.rowMax[d]; r++) {
                if (colMin[r] > colMax[r]) {
                    continue;
                }
                int row = (r + pad) * stride + pad;
                for (int c = row + colMin[r], end = row + colMax[r]; c <= end; c++) {
                    slice[c] = Float.intBitsToFloat(bitSlice[c]);
                    bitSlice[c] = 0;
                }
            }
            int r0 = Math.max(ws.rowMin[d] - half, 0), r1 = Math.min(ws.rowMax[d] + half, size - 1);
            for (int r = r0; r <= r1; r++) {
                // the output row sees input rows r-half … r+half: smooth over the union of their occupied columns
                int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
                for (int rr = Math.max(r - half, ws.rowMin[d]); rr <= Math.min(r + half, ws.rowMax[d]); rr++) {
                    lo = Math.min(lo, colMin[rr]);
                    hi = Math.max(hi, colMax[rr]);
                }
                if (lo > hi) {
                    continue;
                }
                int c0 = Math.max(lo - half, 0), c1 = Math.min(hi + half, size - 1);
                int n = c1 - c0 + 1;
                // top-left tap of output (r, c0) in padded coordinates is (r + pad - half, c0 + pad - half);
                // each tap's row segment is copied to offset 0 so that HotSpot vectorises the loops below
                int top = (r + pad - half) * stride + pad - half + c0;
                float[][] taps = ws.taps;
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        System.arraycopy(slice, top + i * stride + j, taps[i * k + j], 0, n);
                    }
                }
                float[] cur = ws.row;
                System.arraycopy(out, base + r * size + c0, cur, 0, n);
                float[] acc = ws.acc;
                if (k == 3) {
                    float[] t0 = taps[0], t1 = taps[1], t2 = taps[2], t3 = taps[3], t4 = taps[4], t5 = taps[5];
                    float[] t6 = taps[6], t7 = taps[7], t8 = taps[8];
                    float w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5], w6 = w[6], w7 = w[7], w8 = w[8];
                    for (int c = 0; c < n; c++) {
                        acc[c] = w0 * t0[c] + w1 * t1[c] + w2 * t2[c] + w3 * t3[c] + w4 * t4[c] + w5 * t5[c]
                            + w6 * t6[c] + w7 * t7[c] + w8 * t8[c];
                    }
                } else {
                    java.util.Arrays.fill(acc, 0, n, 0f);
                    for (int t = 0; t < k * k; t++) {
                        float wt = w[t];
                        float[] tap = taps[t];
                        for (int c = 0; c < n; c++) {
                            acc[c] += wt * tap[c];
                        }
                    }
                }
                for (int c = 0; c < n; c++) {
                    cur[c] = Math.max(cur[c], acc[c]);
                }
                System.arraycopy(cur, 0, out, base + r * size + c0, n);
            }
            ws.clear(d);
        }
        float max = 0f;
        for (int i = base; i < base + size * size; i++) {
            max = Math.max(max, out[i]);
        }
        if (max > 0f) {
            for (int i = base; i < base + size * size; i++) {
                out[i] = 1f - out[i] / max;
            }
        } else {
            Arrays.fill(out, base, base + size * size, 1f);
        }
    }

    private static int clamp(int v, int lo, int hi) {
        return v < lo ? lo : Math.min(v, hi);
    }

    @Override
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("projector", "realistic");
        p.put("name", name);
        p.put("views", String.valueOf(views.size()));
        p.put("resolution", String.valueOf(resolution));
        p.put("depth", String.valueOf(depth));
        p.put("poolSize", String.valueOf(poolSize));
        p.put("poolPadding", String.valueOf(poolPadding));
        p.put("objectRatio", String.valueOf(objectRatio));
        p.put("depthBias", String.valueOf(depthBias));
        p.put("kernel", kernel.description());
        p.put("imageSize", String.valueOf(imageSize));
        p.put("rig", views.toString());
        return p;
    }

    @Override
    public String toString() {
        return "RealisticProjector[" + name + ", " + views.size() + " views, grid " + resolution + "x" + resolution
            + "x" + depth + ", image " + imageSize + "x" + imageSize + ", " + kernel.description() + "]";
    }

    /**
     * Per-thread scratch: the transformed points and the pooled depth slices, zero-padded by the
     * kernel's half size so smoothing needs no bounds checks, with the occupied rows and each
     * row's occupied columns.
     */
    private static final class Workspace {
        float[] points = new float[0];
        final int pad;
        final int stride;
        final float[][] slices;
        /** The pooled slices as float bit patterns, same layout as {@link #slices}. */
        final int[][] bitSlices;
        final int[] rowMin;
        final int[] rowMax;
        final int[][] colMin;
        final int[][] colMax;
        /** Per-tap copies of one row segment, the current output row and an accumulator, all at offset 0. */
        final float[][] taps;
        final float[] row;
        final float[] acc;

        Workspace(int depth, int size, int pad, int kernelSize) {
            taps = new float[kernelSize * kernelSize][size];
            row = new float[size];
            acc = new float[size];
            this.pad = pad;
            this.stride = size + 2 * pad;
            slices = new float[depth][stride * stride];
            bitSlices = new int[depth][stride * stride];
            rowMin = new int[depth];
            rowMax = new int[depth];
            colMin = new int[depth][size];
            colMax = new int[depth][size];
            for (int d = 0; d < depth; d++) {
                rowMin[d] = Integer.MAX_VALUE;
                rowMax[d] = Integer.MIN_VALUE;
                Arrays.fill(colMin[d], Integer.MAX_VALUE);
                Arrays.fill(colMax[d], Integer.MIN_VALUE);
            }
        }

        void ensurePoints(int n) {
            if (points.length < 3 * n) {
                points = new float[3 * n];
            }
        }

        void include(int d, int r0, int r1, int c0, int c1) {
            rowMin[d] = Math.min(rowMin[d], r0);
            rowMax[d] = Math.max(rowMax[d], r1);
            int[] lo = colMin[d], hi = colMax[d];
            for (int r = r0; r <= r1; r++) {
                lo[r] = Math.min(lo[r], c0);
                hi[r] = Math.max(hi[r], c1);
            }
        }

        void clear(int d) {
            float[] slice = slices[d];
            for (int r = rowMin[d]; r <= rowMax[d]; r++) {
                if (colMin[d][r] <= colMax[d][r]) {
                    int row = (r + pad) * stride + pad;
                    Arrays.fill(slice, row + colMin[d][r], row + colMax[d][r] + 1, 0f);
                }
                colMin[d][r] = Integer.MAX_VALUE;
                colMax[d][r] = Integer.MIN_VALUE;
            }
            rowMin[d] = Integer.MAX_VALUE;
            rowMax[d] = Integer.MIN_VALUE;
        }
    }

    /** Builds a {@link RealisticProjector}; defaults are the PointCLIP V2 preset. */
    public static final class Builder {
        private String name = "v2";
        private ViewRig views = ViewRig.pointClipV2();
        private int resolution = 112;
        private int depth = 8;
        private int poolSize = 7;
        private int poolPadding = 2;
        private float objectRatio = 0.8f;
        private float depthBias = 0.2f;
        private SmoothingKernel kernel = SmoothingKernel.pointClipV2();

        private Builder() {
        }

        /**
         * @param name short name for logs and provenance; default {@code "v2"}
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * @param views the cameras; default {@link ViewRig#pointClipV2()}
         * @return this builder
         */
        public Builder views(ViewRig views) {
            this.views = Objects.requireNonNull(views, "views");
            return this;
        }

        /**
         * @param resolution grid height and width R; default 112 (cells 1 … R−2 are used)
         * @return this builder
         */
        public Builder resolution(int resolution) {
            this.resolution = resolution;
            return this;
        }

        /**
         * @param depth number of depth slices D; default 8 (depth values span 1 … D−2)
         * @return this builder
         */
        public Builder depth(int depth) {
            this.depth = depth;
            return this;
        }

        /**
         * @param size max-pool window, odd or even; default 7
         * @param padding max-pool padding; default 2 (the image is {@code R + 2·padding − size + 1})
         * @return this builder
         */
        public Builder pooling(int size, int padding) {
            this.poolSize = size;
            this.poolPadding = padding;
            return this;
        }

        /**
         * @param ratio share of the image the object's x/y extent fills; default 0.8
         * @return this builder
         */
        public Builder objectRatio(float ratio) {
            this.objectRatio = ratio;
            return this;
        }

        /**
         * @param bias offset added to normalised depth so the farthest surface is not 0; default 0.2
         * @return this builder
         */
        public Builder depthBias(float bias) {
            this.depthBias = bias;
            return this;
        }

        /**
         * @param kernel per-slice smoothing kernel; default {@link SmoothingKernel#pointClipV2()}
         * @return this builder
         */
        public Builder kernel(SmoothingKernel kernel) {
            this.kernel = Objects.requireNonNull(kernel, "kernel");
            return this;
        }

        /**
         * @return the projector
         * @throws IllegalArgumentException if a parameter is out of range
         */
        public RealisticProjector build() {
            if (resolution < 3 || resolution > 4096) {
                throw new IllegalArgumentException("resolution must be in [3, 4096], got " + resolution);
            }
            if (depth < 3 || depth > 256) {
                throw new IllegalArgumentException("depth must be in [3, 256], got " + depth);
            }
            if (poolSize < 1 || poolPadding < 0 || poolPadding > poolSize / 2
                || resolution + 2 * poolPadding - poolSize + 1 < 1) {
                throw new IllegalArgumentException("invalid pooling size " + poolSize + " / padding " + poolPadding
                    + " (padding must be at most size/2, as in PyTorch)");
            }
            if (!(objectRatio > 0f && objectRatio <= 1f)) {
                throw new IllegalArgumentException("objectRatio must be in (0, 1], got " + objectRatio);
            }
            if (!(depthBias >= 0f) || Float.isInfinite(depthBias)) {
                throw new IllegalArgumentException("depthBias must be finite and >= 0, got " + depthBias);
            }
            int k = kernel.size();
            float[] w = kernel.weights();
            if (k <= 0 || k % 2 == 0 || w.length != k * k) {
                throw new IllegalArgumentException("kernel " + kernel.description() + " must have an odd size and "
                    + "size*size weights, got size " + k + " and " + w.length + " weights");
            }
            for (float f : w) {
                if (!Float.isFinite(f)) {
                    throw new IllegalArgumentException("kernel " + kernel.description() + " has a non-finite weight");
                }
            }
            return new RealisticProjector(this);
        }
    }
}
