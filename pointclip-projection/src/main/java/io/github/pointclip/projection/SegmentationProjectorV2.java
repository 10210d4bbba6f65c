package io.github.pointclip.projection;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.projection.spi.BilinearResize;
import io.github.pointclip.projection.spi.SegmentationProjection;
import io.github.pointclip.projection.spi.SegmentationProjector;
import io.github.pointclip.segmentation.SegmentationLayout;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The projection of PointCLIP V2's zero-shot part segmentation (SEGMENTATION.md §2): 10 views, a
 * 112×224×224 grid, a (5, 11, 11) 3-D max pool, a 5×5×5 Gaussian, a max over depth, then the crop
 * to rows and columns 20…203 resized back to 224×224. Per point and view it also gives the grid cell,
 * the pixel of the logit map the point reads and its visibility flag, in either
 * {@linkplain SegmentationLayout layout}.
 *
 * <p>Numerics: the rotations are exact dot products rounded once to float32 (§2.1.1), the cells and
 * pixels follow §2.3 and §2.11 operation by operation, so they are bit-exact. The smoothing uses the
 * Gaussian's separable factors in float32 (within 1e-7 relative of the reference's double sums,
 * which §2.7 allows).
 *
 * <p>Sparse: the grid is never materialised. Points are bucketed by image row; each pooled row
 * (224 columns × 112 depths) is built from the points within 5 rows, smoothed along depth and
 * columns, and kept in a ring of 5 rows from which the row smoothing and the max over depth produce
 * the depth image one row at a time, visiting only the depths each column occupies (112-bit masks). Immutable
 * and thread-safe; scratch space (about 0.8 MB, plus 64 bytes a point for clouds of up to 65,536 points; a larger
 * cloud's per-point scratch lives for its call only) is per thread.
 */
public final class SegmentationProjectorV2 implements SegmentationProjector {

    /** Views V. */
    public static final int VIEWS = 10;
    /** Image rows and columns of the grid, and the side of the encoder input. */
    public static final int SIZE = 224;
    /** Depth slices of the grid. */
    public static final int DEPTH = 112;
    /** First row and column kept by the crop. */
    public static final int CROP_START = 20;
    /** Side of the crop, rows and columns 20…203. */
    public static final int CROP_SIZE = 184;

    private static final float OBJ_RATIO = 0.7f;
    private static final float DEPTH_BIAS = 0.3f;
    private static final float DEPTH_SCALE = 110f;
    private static final float INV_1_3 = 1f / 1.3f;
    private static final float SEEN_THRESHOLD = 0.1f;
    /** Max-pool radii: rows and columns ±5, depth ±2. */
    private static final int POOL_XY = 5;
    private static final int POOL_Z = 2;
    /** Gaussian radius in every axis. */
    private static final int HALF = 2;
    /** Padded depth stride of a column: 2 zeros before and after. */
    private static final int ZS = DEPTH + 2 * HALF;
    /** Floats of one padded row: 2 zero columns before and after. */
    private static final int ROW = (SIZE + 2 * HALF) * ZS;

    /**
     * Points whose per-point scratch (64 bytes a point) a thread keeps between calls; a larger cloud's is allocated
     * for the call and dropped after it (a 10M-point cloud would otherwise pin 640 MB per thread).
     */
    static final int RETAINED_POINTS = 1 << 16;

    /** The three rotations per view, [view][rotation][9] row-major. */
    private static final float[][][] ROTATIONS = rotations();
    /** Subtracted after the rotations. */
    private static final float[] T = {-0.5f, -0.5f, -1.5f};

    private final float[] gaussXy;
    private final float[] gaussZ;
    private final BilinearResize resize = new BilinearResize(CROP_SIZE, CROP_SIZE, SIZE, SIZE);
    private final ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(Workspace::new);

    /** Creates the projector (also the {@link java.util.ServiceLoader} entry point). */
    public SegmentationProjectorV2() {
        gaussXy = normalised(1.0);
        gaussZ = normalised(2.0);
    }

    private static float[] normalised(double sigma) {
        float[] k = new float[2 * HALF + 1];
        double sum = 0;
        for (int d = -HALF; d <= HALF; d++) {
            k[d + HALF] = (float) Math.exp(-d * d / (2 * sigma * sigma));
            sum += k[d + HALF];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] = (float) (k[i] / sum);
        }
        return k;
    }

    /**
     * The exact normalised 5×5×5 Gaussian of SEGMENTATION.md §2.6, [z][row][col]; the projection
     * applies its separable factors, which agree with it to about 1e-7 relative.
     *
     * @return the kernel, 125 floats
     */
    public static float[] kernel() {
        float[] k1 = new float[5];
        float[] kz = new float[5];
        for (int d = -2; d <= 2; d++) {
            k1[d + 2] = (float) Math.exp(-d * d / 2.0);
            kz[d + 2] = (float) Math.exp(-d * d / 8.0);
        }
        float s2 = Float.intBitsToFloat(0x40c567d5);
        float s3 = Float.intBitsToFloat(0x407e9873);
        float[] out = new float[125];
        for (int z = 0; z < 5; z++) {
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    float k2 = k1[i] * k1[j] / s2;
                    out[(z * 5 + i) * 5 + j] = k2 * kz[z] / s3;
                }
            }
        }
        return out;
    }

    @Override
    public String name() {
        return "v2-seg";
    }

    @Override
    public int viewCount() {
        return VIEWS;
    }

    @Override
    public int imageSize() {
        return SIZE;
    }

    @Override
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("projector", "segmentation");
        p.put("name", name());
        p.put("views", String.valueOf(VIEWS));
        p.put("grid", DEPTH + "x" + SIZE + "x" + SIZE);
        p.put("objectRatio", String.valueOf(OBJ_RATIO));
        p.put("depthBias", String.valueOf(DEPTH_BIAS));
        p.put("pool", "5x11x11");
        p.put("gaussian", "5x5x5 sigma_xy=1 sigma_z=2");
        p.put("crop", CROP_START + ".." + (CROP_START + CROP_SIZE - 1));
        p.put("imageSize", String.valueOf(SIZE));
        return p;
    }

    @Override
    public String toString() {
        return "SegmentationProjectorV2[10 views, grid 112x224x224, image 224x224]";
    }

    @Override
    public SegmentationProjection project(PointCloud cloud, SegmentationLayout layout) {
        Objects.requireNonNull(cloud, "cloud");
        Objects.requireNonNull(layout, "layout");
        int n = cloud.size();
        boolean transposed = layout == SegmentationLayout.OFFICIAL;
        float[] images = new float[VIEWS * SIZE * SIZE];
        int[] cells = new int[VIEWS * n * 3];
        int[] pixels = new int[VIEWS * n * 2];
        boolean[] seen = new boolean[VIEWS * n];
        Workspace ws = workspaces.get();
        ws.ensure(n);
        try {
            float[] xyz = ws.xyz;
            cloud.copyTo(xyz, 0);
            for (int v = 0; v < VIEWS; v++) {
                cellsOf(v, xyz, n, ws);
                for (int i = 0; i < n; i++) {
                    int k = 3 * (v * n + i);
                    cells[k] = ws.ix[i];
                    cells[k + 1] = ws.iy[i];
                    cells[k + 2] = ws.iz[i];
                    int a = transposed ? ws.iy[i] : ws.ix[i];
                    int b = transposed ? ws.ix[i] : ws.iy[i];
                    ws.ra[i] = a;
                    ws.rb[i] = b;
                    pixels[2 * (v * n + i)] = pixel(a);
                    pixels[2 * (v * n + i) + 1] = pixel(b);
                }
                render(n, ws);
                float max = 0f;
                float[] img = ws.image;
                for (float f : img) {
                    max = Math.max(max, f);
                }
                // every point writes a value >= 1, so max > 0
                for (int i = 0; i < img.length; i++) {
                    img[i] = 1f - img[i] / max;
                }
                for (int i = 0; i < n; i++) {
                    float image = img[ws.ra[i] * SIZE + ws.rb[i]];
                    float own = 1f - ws.own[i] / max;
                    seen[v * n + i] = Math.abs(image - own) < SEEN_THRESHOLD;
                }
                float[] crop = ws.crop;
                for (int r = 0; r < CROP_SIZE; r++) {
                    System.arraycopy(img, (CROP_START + r) * SIZE + CROP_START, crop, r * CROP_SIZE, CROP_SIZE);
                }
                resize.resize(crop, 0, images, v * SIZE * SIZE);
            }
        } finally {
            ws.trim(); // a large cloud's per-point scratch is not kept by the thread
        }
        return SegmentationProjection.of(layout, VIEWS, n, SIZE, images, cells, pixels, seen);
    }

    /** @return the points the calling thread's per-point scratch holds now (for tests) */
    int retainedScratchPoints() {
        return workspaces.get().ix.length;
    }

    /** §2.11: P(c) = ⌈28·(c − 20)/23⌉, clamped to the image. */
    static int pixel(int c) {
        int p = -Math.floorDiv(-28 * (c - CROP_START), 23);
        return Math.max(0, Math.min(SIZE - 1, p));
    }

    /** §2.1 – §2.3: the cells (ix, iy, iz) and stored values of every point in view {@code v}. */
    private static void cellsOf(int v, float[] xyz, int n, Workspace ws) {
        float[][] rot = ROTATIONS[v];
        float[] cam = ws.cam;
        float minX = Float.POSITIVE_INFINITY, minY = minX, minZ = minX;
        float maxX = Float.NEGATIVE_INFINITY, maxY = maxX, maxZ = maxX;
        for (int i = 0; i < n; i++) {
            float x = xyz[3 * i], y = xyz[3 * i + 1], z = xyz[3 * i + 2];
            for (float[] r : rot) {
                float nx = (float) ((double) r[0] * x + (double) r[1] * y + (double) r[2] * z);
                float ny = (float) ((double) r[3] * x + (double) r[4] * y + (double) r[5] * z);
                float nz = (float) ((double) r[6] * x + (double) r[7] * y + (double) r[8] * z);
                x = nx;
                y = ny;
                z = nz;
            }
            x = x - T[0];
            y = y - T[1];
            z = z - T[2];
            cam[3 * i] = x;
            cam[3 * i + 1] = y;
            cam[3 * i + 2] = z;
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
            minZ = Math.min(minZ, z);
            maxZ = Math.max(maxZ, z);
        }
        float cx = (maxX + minX) * 0.5f, cy = (maxY + minY) * 0.5f, cz = (maxZ + minZ) * 0.5f;
        float s = Math.max(maxX - minX, Math.max(maxY - minY, maxZ - minZ));
        if (!Float.isFinite(cx) || !Float.isFinite(cy) || !Float.isFinite(cz) || !Float.isFinite(s)) {
            // coordinates near ±3.4e38: the rotation, the centre (max + min) or the extent overflows float32
            throw new IllegalArgumentException("view " + v + ": the cloud's centre or extent overflows float32 "
                + "(coordinates span [" + minX + ", " + maxX + "] x [" + minY + ", " + maxY + "] x [" + minZ + ", "
                + maxZ + "] after the view's rotation); scale the cloud to coordinates well below 1e38");
        }
        if (!(s > 0f)) {
            s = 1f; // D3: one point or identical points
        }
        for (int i = 0; i < n; i++) {
            float qx = (cam[3 * i] - cx) / s * 2f * OBJ_RATIO;
            float qy = (cam[3 * i + 1] - cy) / s * 2f * OBJ_RATIO;
            float qz = (cam[3 * i + 2] - cz) / s * 2f;
            float fx = (qx + 1f) * 0.5f * 224f;
            float fy = (qy + 1f) * 0.5f * 224f;
            float fz = ((qz + 1f) * 0.5f + DEPTH_BIAS) * INV_1_3 * DEPTH_SCALE;
            ws.ix[i] = clamp((int) Math.ceil(fx), 1, SIZE - 2);
            ws.iy[i] = clamp((int) Math.ceil(fy), 1, SIZE - 2);
            ws.iz[i] = (int) Math.ceil(fz);
            ws.val[i] = Math.min(Math.max(fz, 1f), DEPTH_SCALE);
        }
    }

    /**
     * §2.4 – §2.8 and the own-slice value of §2.9: writes the squeezed image (before normalisation)
     * to {@code ws.image} and each point's smoothed value in its own depth slice at its read pixel
     * (ws.ra, ws.rb) to {@code ws.own}.
     */
    private void render(int n, Workspace ws) {
        // bucket the points by grid row ix (stable: input order within a row) and by read row a
        bucket(ws.ix, n, ws.rowStart, ws.byRow, ws.counts);
        bucket(ws.ra, n, ws.readStart, ws.byRead, ws.counts);
        lastWins(n, ws);
        Arrays.fill(ws.image, 0f);
        Arrays.fill(ws.own, 0, n, 0f);
        for (int r = 0; r < SIZE + HALF; r++) {
            int slot = r % (2 * HALF + 1);
            ws.clearSlot(slot);
            if (r < SIZE) {
                poolAndSmooth(r, slot, ws);
            }
            int o = r - HALF;
            if (o >= 0) {
                outputRow(o, ws);
            }
        }
    }

    /** Counting sort of point indices by {@code key} (0…SIZE-1), stable. */
    private static void bucket(int[] key, int n, int[] start, int[] order, int[] counts) {
        Arrays.fill(counts, 0);
        for (int i = 0; i < n; i++) {
            counts[key[i]]++;
        }
        int sum = 0;
        for (int r = 0; r < SIZE; r++) {
            start[r] = sum;
            sum += counts[r];
        }
        start[SIZE] = sum;
        System.arraycopy(start, 0, counts, 0, SIZE);
        for (int i = 0; i < n; i++) {
            order[counts[key[i]]++] = i;
        }
    }

    /** D1: of several points in one cell, the last in input order sets the cell's value. */
    private static void lastWins(int n, Workspace ws) {
        float[] cell = ws.rowCells;
        for (int r = 0; r < SIZE; r++) {
            int from = ws.rowStart[r], to = ws.rowStart[r + 1];
            if (to - from < 2) {
                for (int k = from; k < to; k++) {
                    ws.cellVal[ws.byRow[k]] = ws.val[ws.byRow[k]];
                }
                continue;
            }
            for (int k = from; k < to; k++) {
                int p = ws.byRow[k];
                cell[ws.iy[p] * DEPTH + Math.min(ws.iz[p], DEPTH - 1)] = ws.val[p];
            }
            for (int k = from; k < to; k++) {
                int p = ws.byRow[k];
                ws.cellVal[p] = cell[ws.iy[p] * DEPTH + Math.min(ws.iz[p], DEPTH - 1)];
            }
            for (int k = from; k < to; k++) {
                int p = ws.byRow[k];
                cell[ws.iy[p] * DEPTH + Math.min(ws.iz[p], DEPTH - 1)] = 0f;
            }
        }
    }

    /**
     * Builds pooled row {@code r} from the points within 5 rows, smooths it along depth, then along
     * columns into ring slot {@code slot}. Each column's occupied depths are a 112-bit mask (two longs);
     * the smoothing visits only the runs of set bits.
     */
    private void poolAndSmooth(int r, int slot, Workspace ws) {
        int first = ws.rowStart[Math.max(r - POOL_XY, 0)];
        int last = ws.rowStart[Math.min(r + POOL_XY, SIZE - 1) + 1];
        if (first == last) {
            return;
        }
        float[] pool = ws.pool;
        long[] p0 = ws.poolMask0, p1 = ws.poolMask1;
        int c0 = Integer.MAX_VALUE, c1 = Integer.MIN_VALUE;
        for (int k = first; k < last; k++) {
            int p = ws.byRow[k];
            float value = ws.cellVal[p];
            int ca = Math.max(ws.iy[p] - POOL_XY, 0), cb = Math.min(ws.iy[p] + POOL_XY, SIZE - 1);
            int za = Math.max(ws.iz[p] - POOL_Z, 0), zb = Math.min(ws.iz[p] + POOL_Z, DEPTH - 1);
            if (za > zb) {
                continue;
            }
            long m0 = bits(za, zb), m1 = bits(za - 64, zb - 64);
            c0 = Math.min(c0, ca);
            c1 = Math.max(c1, cb);
            for (int c = ca; c <= cb; c++) {
                int base = (c + HALF) * ZS + HALF;
                for (int z = za; z <= zb; z++) {
                    pool[base + z] = Math.max(pool[base + z], value);
                }
                p0[c] |= m0;
                p1[c] |= m1;
            }
        }
        if (c0 > c1) {
            return;
        }
        // along depth: pool -> a, zero padding of 2 slices
        float[] a = ws.a;
        long[] a0 = ws.aMask0, a1 = ws.aMask1;
        float g0 = gaussZ[0], g1 = gaussZ[1], g2 = gaussZ[2], g3 = gaussZ[3], g4 = gaussZ[4];
        for (int c = c0; c <= c1; c++) {
            long m0 = p0[c], m1 = p1[c];
            if ((m0 | m1) == 0) {
                continue;
            }
            long d0 = dilateLow(m0, m1), d1 = dilateHigh(m0, m1);
            int base = (c + HALF) * ZS + HALF;
            for (int z = nextSet(d0, d1, 0); z < DEPTH; ) {
                int end = nextClear(d0, d1, z);
                for (int i = base + z; i < base + end; i++) {
                    a[i] = g0 * pool[i - 2] + g1 * pool[i - 1] + g2 * pool[i] + g3 * pool[i + 1] + g4 * pool[i + 2];
                }
                z = nextSet(d0, d1, end);
            }
            a0[c] = d0;
            a1[c] = d1;
            Arrays.fill(pool, base + lowest(m0, m1), base + highest(m0, m1) + 1, 0f);
            p0[c] = 0;
            p1[c] = 0;
        }
        // along columns: a -> ring slot, zero padding of 2 columns
        float[] b = ws.slots[slot];
        long[] s0 = ws.slotMask0[slot], s1 = ws.slotMask1[slot];
        float h0 = gaussXy[0], h1 = gaussXy[1], h2 = gaussXy[2], h3 = gaussXy[3], h4 = gaussXy[4];
        int b0 = Math.max(c0 - HALF, 0), b1 = Math.min(c1 + HALF, SIZE - 1);
        for (int c = b0; c <= b1; c++) {
            long m0 = 0, m1 = 0;
            for (int d = Math.max(c - HALF, c0); d <= Math.min(c + HALF, c1); d++) {
                m0 |= a0[d];
                m1 |= a1[d];
            }
            if ((m0 | m1) == 0) {
                continue;
            }
            int base = (c + HALF) * ZS + HALF;
            for (int z = nextSet(m0, m1, 0); z < DEPTH; ) {
                int end = nextClear(m0, m1, z);
                for (int i = base + z; i < base + end; i++) {
                    b[i] = h0 * a[i - 2 * ZS] + h1 * a[i - ZS] + h2 * a[i] + h3 * a[i + ZS] + h4 * a[i + 2 * ZS];
                }
                z = nextSet(m0, m1, end);
            }
            s0[c] = m0;
            s1[c] = m1;
        }
        ws.slotC0[slot] = b0;
        ws.slotC1[slot] = b1;
        for (int c = c0; c <= c1; c++) {
            if ((a0[c] | a1[c]) != 0) {
                int base = (c + HALF) * ZS + HALF;
                Arrays.fill(a, base + lowest(a0[c], a1[c]), base + highest(a0[c], a1[c]) + 1, 0f);
                a0[c] = 0;
                a1[c] = 0;
            }
        }
    }

    /** Smooths along rows into image row {@code o}, takes the max over depth, and the own values of the points read there. */
    private void outputRow(int o, Workspace ws) {
        float[][] rows = ws.ringRows;
        int c0 = Integer.MAX_VALUE, c1 = Integer.MIN_VALUE;
        for (int d = -HALF; d <= HALF; d++) {
            int r = o + d;
            int slot = r < 0 || r >= SIZE ? -1 : r % (2 * HALF + 1);
            if (slot < 0 || ws.slotC0[slot] > ws.slotC1[slot]) {
                rows[d + HALF] = ws.zeros;
                ws.ringSlot[d + HALF] = -1;
            } else {
                rows[d + HALF] = ws.slots[slot];
                ws.ringSlot[d + HALF] = slot;
                c0 = Math.min(c0, ws.slotC0[slot]);
                c1 = Math.max(c1, ws.slotC1[slot]);
            }
        }
        if (c0 > c1) {
            return; // an empty row: the image is 0 there, and so is every own value read there
        }
        float[] r0 = rows[0], r1 = rows[1], r2 = rows[2], r3 = rows[3], r4 = rows[4];
        float h0 = gaussXy[0], h1 = gaussXy[1], h2 = gaussXy[2], h3 = gaussXy[3], h4 = gaussXy[4];
        float[] img = ws.image;
        for (int c = c0; c <= c1; c++) {
            long m0 = 0, m1 = 0;
            for (int d = 0; d <= 2 * HALF; d++) {
                int slot = ws.ringSlot[d];
                if (slot >= 0) {
                    m0 |= ws.slotMask0[slot][c];
                    m1 |= ws.slotMask1[slot][c];
                }
            }
            if ((m0 | m1) == 0) {
                continue;
            }
            int base = (c + HALF) * ZS + HALF;
            float max = 0f;
            for (int z = nextSet(m0, m1, 0); z < DEPTH; ) {
                int end = nextClear(m0, m1, z);
                for (int i = base + z; i < base + end; i++) {
                    float s = h0 * r0[i] + h1 * r1[i] + h2 * r2[i] + h3 * r3[i] + h4 * r4[i];
                    max = Math.max(max, s);
                }
                z = nextSet(m0, m1, end);
            }
            img[o * SIZE + c] = max;
        }
        for (int k = ws.readStart[o]; k < ws.readStart[o + 1]; k++) {
            int p = ws.byRead[k];
            int z = clamp(ws.iz[p], 1, DEPTH - 3);
            int i = (ws.rb[p] + HALF) * ZS + HALF + z;
            ws.own[p] = h0 * r0[i] + h1 * r1[i] + h2 * r2[i] + h3 * r3[i] + h4 * r4[i];
        }
    }

    /** Bits {@code a…b} (inclusive) of a 64-bit word, clipped to 0…63. */
    private static long bits(int a, int b) {
        if (b < 0 || a > 63) {
            return 0L;
        }
        a = Math.max(a, 0);
        b = Math.min(b, 63);
        return (-1L >>> (63 - b)) & (-1L << a);
    }

    /** The low word of a 128-bit mask dilated by 2 in both directions. */
    private static long dilateLow(long lo, long hi) {
        return lo | lo << 1 | lo << 2 | lo >>> 1 | lo >>> 2 | hi << 63 | hi << 62;
    }

    /** The high word of a 128-bit mask dilated by 2 in both directions, clipped to depth 111. */
    private static long dilateHigh(long lo, long hi) {
        return (hi | hi << 1 | hi << 2 | hi >>> 1 | hi >>> 2 | lo >>> 63 | lo >>> 62) & ((1L << (DEPTH - 64)) - 1);
    }

    /** The first set bit at or after {@code from}, or 128. */
    private static int nextSet(long lo, long hi, int from) {
        if (from < 64) {
            long w = lo & (-1L << from);
            if (w != 0) {
                return Long.numberOfTrailingZeros(w);
            }
            from = 64;
        }
        if (from < 128) {
            long w = hi & (-1L << (from - 64));
            if (w != 0) {
                return 64 + Long.numberOfTrailingZeros(w);
            }
        }
        return 128;
    }

    /** The first clear bit at or after {@code from}, or 128. */
    private static int nextClear(long lo, long hi, int from) {
        return nextSet(~lo, ~hi, from);
    }

    private static int lowest(long lo, long hi) {
        return lo != 0 ? Long.numberOfTrailingZeros(lo) : 64 + Long.numberOfTrailingZeros(hi);
    }

    private static int highest(long lo, long hi) {
        return hi != 0 ? 127 - Long.numberOfLeadingZeros(hi) : 63 - Long.numberOfLeadingZeros(lo);
    }

    private static int clamp(int v, int lo, int hi) {
        return v < lo ? lo : Math.min(v, hi);
    }

    private static float[][][] rotations() {
        float halfPi = (float) (Math.PI / 2);
        float[][][] out = new float[VIEWS][][];
        for (int v = 0; v < 8; v++) {
            int k = v % 4;
            float[] r1 = rotation((float) (k * Math.PI / 2), 0f, halfPi);
            float[] r2 = v < 4 ? rotation((float) (Math.PI / 4), 0f, 0f) : rotation(0f, 0f, 0f);
            float[] r3 = rotation(0f, (float) (Math.PI / 9), 0f);
            out[v] = new float[][] {r1, r2, r3};
        }
        float[] r2 = rotation((float) (Math.PI / 15), 0f, 0f);
        float[] r3 = rotation(0f, (float) (Math.PI / 15), 0f);
        out[8] = new float[][] {rotation(0f, (float) (-Math.PI / 2), halfPi), r2, r3};
        out[9] = new float[][] {rotation(0f, halfPi, halfPi), r2, r3};
        return out;
    }

    /** R = f32(f32(Rx(a)·Ry(b))·Rz(c)) with float32 cosines and sines (§2.1.1). */
    static float[] rotation(float a, float b, float c) {
        float ca = (float) Math.cos(a), sa = (float) Math.sin(a);
        float cb = (float) Math.cos(b), sb = (float) Math.sin(b);
        float cc = (float) Math.cos(c), sc = (float) Math.sin(c);
        float[] rx = {1f, 0f, 0f, 0f, ca, -sa, 0f, sa, ca};
        float[] ry = {cb, 0f, sb, 0f, 1f, 0f, -sb, 0f, cb};
        float[] rz = {cc, -sc, 0f, sc, cc, 0f, 0f, 0f, 1f};
        return multiply(multiply(rx, ry), rz);
    }

    /** A 3×3 product, each element an exact dot product rounded once to float32. */
    private static float[] multiply(float[] l, float[] r) {
        float[] out = new float[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                out[3 * i + j] = (float) ((double) l[3 * i] * r[j] + (double) l[3 * i + 1] * r[3 + j]
                    + (double) l[3 * i + 2] * r[6 + j]);
            }
        }
        return out;
    }

    /** Per-thread scratch. */
    private static final class Workspace {
        float[] xyz = new float[0];
        float[] cam = new float[0];
        int[] ix = new int[0];
        int[] iy = new int[0];
        int[] iz = new int[0];
        /** The read pixel (a, b) of §2.9. */
        int[] ra = new int[0];
        int[] rb = new int[0];
        float[] val = new float[0];
        float[] cellVal = new float[0];
        float[] own = new float[0];
        int[] byRow = new int[0];
        int[] byRead = new int[0];
        final int[] rowStart = new int[SIZE + 1];
        final int[] readStart = new int[SIZE + 1];
        final int[] counts = new int[SIZE];
        /** One grid row's cells [iy][iz], for the last-point-wins rule; zero between uses. */
        final float[] rowCells = new float[SIZE * DEPTH];
        final float[] pool = new float[ROW];
        /** Occupied depths per column of the pooled row, of its depth smoothing and of each ring slot: 112-bit masks. */
        final long[] poolMask0 = new long[SIZE];
        final long[] poolMask1 = new long[SIZE];
        final float[] a = new float[ROW];
        final long[] aMask0 = new long[SIZE];
        final long[] aMask1 = new long[SIZE];
        final float[][] slots = new float[2 * HALF + 1][ROW];
        final long[][] slotMask0 = new long[2 * HALF + 1][SIZE];
        final long[][] slotMask1 = new long[2 * HALF + 1][SIZE];
        final int[] slotC0 = new int[2 * HALF + 1];
        final int[] slotC1 = new int[2 * HALF + 1];
        final float[] zeros = new float[ROW];
        final float[][] ringRows = new float[2 * HALF + 1][];
        final int[] ringSlot = new int[2 * HALF + 1];
        final float[] image = new float[SIZE * SIZE];
        final float[] crop = new float[CROP_SIZE * CROP_SIZE];

        Workspace() {
            for (int s = 0; s < slots.length; s++) {
                slotC0[s] = Integer.MAX_VALUE;
                slotC1[s] = Integer.MIN_VALUE;
            }
        }

        /** Drops per-point arrays above {@link #RETAINED_POINTS} points, so a thread keeps at most about 4 MB. */
        void trim() {
            if (ix.length > RETAINED_POINTS) {
                xyz = new float[0];
                cam = new float[0];
                ix = new int[0];
                iy = new int[0];
                iz = new int[0];
                ra = new int[0];
                rb = new int[0];
                val = new float[0];
                cellVal = new float[0];
                own = new float[0];
                byRow = new int[0];
                byRead = new int[0];
            }
        }

        void ensure(int n) {
            if (ix.length < n) {
                xyz = new float[3 * n];
                cam = new float[3 * n];
                ix = new int[n];
                iy = new int[n];
                iz = new int[n];
                ra = new int[n];
                rb = new int[n];
                val = new float[n];
                cellVal = new float[n];
                own = new float[n];
                byRow = new int[n];
                byRead = new int[n];
            }
        }

        void clearSlot(int s) {
            float[] b = slots[s];
            long[] m0 = slotMask0[s], m1 = slotMask1[s];
            for (int c = slotC0[s]; c <= slotC1[s]; c++) {
                if ((m0[c] | m1[c]) != 0) {
                    int base = (c + HALF) * ZS + HALF;
                    Arrays.fill(b, base + lowest(m0[c], m1[c]), base + highest(m0[c], m1[c]) + 1, 0f);
                    m0[c] = 0;
                    m1[c] = 0;
                }
            }
            slotC0[s] = Integer.MAX_VALUE;
            slotC1[s] = Integer.MIN_VALUE;
        }
    }
}
