package io.github.pointclip.detection;

import io.github.pointclip.cloud.PointCloud;
import java.util.Arrays;
import java.util.Objects;

/**
 * A uniform-grid index over a scene's points, built once, so that cropping many boxes costs far
 * less than scanning the whole scene per box: a box visits only the grid cells its bounds touch.
 *
 * <p>Building it takes one pass to count points per cell and one to place them (a counting sort),
 * and keeps the coordinates in cell order (12 bytes a point) plus each point's index in the scene
 * (4 bytes); the scene is not copied per box. The cell edge is chosen so that a cell holds about
 * {@value #POINTS_PER_CELL} points on average over the scene's bounding box, unless given.
 *
 * <p>Queries sort their result through a per-thread bit set over the scene (N/8 bytes per querying
 * thread, kept while the index lives). Immutable after construction and safe to share between threads. Every query returns what a
 * full scan with {@link Box#contains} returns ({@link #scan}), in ascending scene order.
 */
public final class SceneIndex {

    /** The average number of points per occupied volume that the default cell edge aims at. */
    public static final int POINTS_PER_CELL = 16;

    /** Cells are capped so that the table stays small next to the points. */
    private static final long MAX_CELLS = 1 << 24;

    private final PointCloud scene;
    private final float[] xs;
    private final float[] ys;
    private final float[] zs;
    private final int[] order;
    private final int[] cellStart;
    private final double minX;
    private final double minY;
    private final double minZ;
    private final double cell;
    private final int nx;
    private final int ny;
    private final int nz;
    /** Per-thread scratch of {@link #ascending}: one bit per scene point, all clear between queries. */
    private final ThreadLocal<long[]> bits;

    private SceneIndex(PointCloud scene, double cellEdge) {
        this.scene = Objects.requireNonNull(scene, "scene");
        int n = scene.size();
        float[] b = scene.bounds();
        minX = b[0];
        minY = b[1];
        minZ = b[2];
        double ex = b[3] - b[0];
        double ey = b[4] - b[1];
        double ez = b[5] - b[2];
        double edge = cellEdge;
        if (edge <= 0) {
            double volume = Math.max(ex, 1e-9) * Math.max(ey, 1e-9) * Math.max(ez, 1e-9);
            edge = Math.cbrt(volume * POINTS_PER_CELL / n);
            // a flat or thin scene: the cube root of a tiny volume would give far too many cells
            edge = Math.max(edge, Math.max(ex, Math.max(ey, ez)) / 4096);
        }
        if (!(edge > 0) || !Double.isFinite(edge)) {
            edge = 1;
        }
        while ((long) cells(ex, edge) * cells(ey, edge) * cells(ez, edge) > Math.max(MAX_CELLS / 16, Math.min(MAX_CELLS, 4L * n))) {
            edge *= 1.25;
        }
        cell = edge;
        nx = cells(ex, edge);
        ny = cells(ey, edge);
        nz = cells(ez, edge);
        int total = nx * ny * nz;
        int[] cellOf = new int[n];
        int[] start = new int[total + 1];
        for (int i = 0; i < n; i++) {
            int c = cellIndex(scene.x(i), scene.y(i), scene.z(i));
            cellOf[i] = c;
            start[c + 1]++;
        }
        for (int c = 0; c < total; c++) {
            start[c + 1] += start[c];
        }
        int[] fill = Arrays.copyOf(start, total);
        xs = new float[n];
        ys = new float[n];
        zs = new float[n];
        order = new int[n];
        for (int i = 0; i < n; i++) { // ascending i within each cell: a stable sort
            int k = fill[cellOf[i]]++;
            xs[k] = scene.x(i);
            ys[k] = scene.y(i);
            zs[k] = scene.z(i);
            order[k] = i;
        }
        cellStart = start;
        int words = (n + 63) >>> 6;
        bits = ThreadLocal.withInitial(() -> new long[words]);
    }

    private static int cells(double extent, double edge) {
        return (int) Math.min(Integer.MAX_VALUE / 4, Math.max(1, (long) Math.floor(extent / edge) + 1));
    }

    private int cellIndex(double x, double y, double z) {
        return (clamp((int) Math.floor((z - minZ) / cell), nz) * ny + clamp((int) Math.floor((y - minY) / cell), ny)) * nx
            + clamp((int) Math.floor((x - minX) / cell), nx);
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : i >= n ? n - 1 : i;
    }

    /**
     * Indexes a scene with the default cell edge ({@value #POINTS_PER_CELL} points per cell on average).
     *
     * @param scene the scene, not copied (only its coordinates, once, in cell order)
     * @return the index
     */
    public static SceneIndex of(PointCloud scene) {
        return new SceneIndex(scene, 0);
    }

    /**
     * Indexes a scene with a given cell edge (raised if it would make more than about four cells per point).
     *
     * @param scene the scene
     * @param cellEdge the cell edge in scene units, positive
     * @return the index
     * @throws IllegalArgumentException if the edge is not positive and finite
     */
    public static SceneIndex of(PointCloud scene, double cellEdge) {
        if (!(cellEdge > 0) || !Double.isFinite(cellEdge)) {
            throw new IllegalArgumentException("cell edge must be positive and finite, got " + cellEdge);
        }
        return new SceneIndex(scene, cellEdge);
    }

    /** @return the indexed scene */
    public PointCloud scene() {
        return scene;
    }

    /** @return the cell edge in scene units */
    public double cellEdge() {
        return cell;
    }

    /**
     * The points inside a box (or on a face).
     *
     * @param box the box
     * @return their indices in the scene, ascending
     */
    public int[] indicesIn(Box box) {
        int[] out = new int[64];
        int count = 0;
        double[] b = box.bounds();
        int x0 = clamp((int) Math.floor((b[0] - minX) / cell), nx);
        int x1 = clamp((int) Math.floor((b[3] - minX) / cell), nx);
        int y0 = clamp((int) Math.floor((b[1] - minY) / cell), ny);
        int y1 = clamp((int) Math.floor((b[4] - minY) / cell), ny);
        int z0 = clamp((int) Math.floor((b[2] - minZ) / cell), nz);
        int z1 = clamp((int) Math.floor((b[5] - minZ) / cell), nz);
        double cx = box.centerX();
        double cy = box.centerY();
        double cz = box.centerZ();
        double cos = box.cos();
        double sin = box.sin();
        double tol = box.tolerance();
        double hx = box.sizeX() / 2 + tol;
        double hy = box.sizeY() / 2 + tol;
        double hz = box.sizeZ() / 2 + tol;
        for (int z = z0; z <= z1; z++) {
            for (int y = y0; y <= y1; y++) {
                int row = (z * ny + y) * nx;
                // cells of one row are contiguous, so one run covers x0..x1
                int from = cellStart[row + x0];
                int to = cellStart[row + x1 + 1];
                for (int k = from; k < to; k++) {
                    double oz = zs[k] - cz;
                    if (Math.abs(oz) > hz) {
                        continue;
                    }
                    double ox = xs[k] - cx;
                    double oy = ys[k] - cy;
                    if (Math.abs(cos * ox + sin * oy) <= hx && Math.abs(cos * oy - sin * ox) <= hy) {
                        if (count == out.length) {
                            out = Arrays.copyOf(out, count * 2);
                        }
                        out[count++] = order[k];
                    }
                }
            }
        }
        return ascending(out, count);
    }

    /**
     * The first {@code count} indices in ascending order. Small sets are sorted; large ones go through a
     * per-thread bit set over the scene (one bit a point), which costs the index range / 64 plus the
     * count instead of count · log(count).
     */
    private int[] ascending(int[] found, int count) {
        if (count < 256) {
            int[] result = Arrays.copyOf(found, count);
            Arrays.sort(result);
            return result;
        }
        long[] bits = this.bits.get();
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int i = 0; i < count; i++) {
            int p = found[i];
            bits[p >>> 6] |= 1L << p;
            min = Math.min(min, p);
            max = Math.max(max, p);
        }
        int[] result = new int[count];
        int k = 0;
        for (int w = min >>> 6, last = max >>> 6; w <= last; w++) {
            long word = bits[w];
            bits[w] = 0; // leave the scratch clear for the next query
            while (word != 0) {
                result[k++] = (w << 6) + Long.numberOfTrailingZeros(word);
                word &= word - 1;
            }
        }
        return result;
    }

    /**
     * @param box the box
     * @return how many points are inside it (or on a face)
     */
    public int countIn(Box box) {
        return indicesIn(box).length;
    }

    /**
     * The points inside a box as a cloud of their coordinates (attributes are not carried).
     *
     * @param box the box
     * @return the crop, or null when no point is inside
     */
    public PointCloud crop(Box box) {
        return crop(scene, indicesIn(box));
    }

    /**
     * @param scene a scene
     * @param indices point indices
     * @return the cloud of those points' coordinates, or null when there are none
     */
    static PointCloud crop(PointCloud scene, int[] indices) {
        if (indices.length == 0) {
            return null;
        }
        float[] xyz = new float[indices.length * 3];
        for (int i = 0; i < indices.length; i++) {
            int p = indices[i];
            xyz[3 * i] = scene.x(p);
            xyz[3 * i + 1] = scene.y(p);
            xyz[3 * i + 2] = scene.z(p);
        }
        return PointCloud.of(xyz);
    }

    /**
     * The reference: a full scan of the scene with {@link Box#contains}.
     *
     * @param scene the scene
     * @param box the box
     * @return the indices of the points inside, ascending
     */
    public static int[] scan(PointCloud scene, Box box) {
        int[] out = new int[64];
        int count = 0;
        for (int i = 0, n = scene.size(); i < n; i++) {
            if (box.contains(scene.x(i), scene.y(i), scene.z(i))) {
                if (count == out.length) {
                    out = Arrays.copyOf(out, count * 2);
                }
                out[count++] = i;
            }
        }
        return Arrays.copyOf(out, count);
    }
}
