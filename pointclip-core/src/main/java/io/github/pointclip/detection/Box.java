package io.github.pointclip.detection;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * An oriented 3-D box: centre, size and heading about the vertical (+z) axis, with an optional
 * proposal score. Immutable.
 *
 * <p>Conventions: the heading {@code h} is counter-clockwise about +z, so that the box's first
 * size {@code dx} lies along {@code (cos h, sin h, 0)} and {@code dy} along {@code (−sin h, cos h, 0)};
 * {@code dz} is always along z. Any finite heading is accepted. Sizes are full extents (not half),
 * each ≥ 0.
 *
 * <p>A point is {@linkplain #contains inside} when it lies inside the box or on one of its faces,
 * computed in the box's own frame: {@code |u| ≤ dx/2}, {@code |v| ≤ dy/2}, {@code |z − cz| ≤ dz/2}
 * with {@code (u, v)} the point's offset from the centre turned by {@code −h}. The comparison allows
 * {@link #tolerance()}: one float spacing (ulp) at the box's farthest horizontal coordinate (for
 * {@code u}, {@code v}) or vertical one (for {@code z}), the resolution of float scene points there, plus a millionth of its largest size, so that points on the faces of a
 * rotated box (rounded to float, and carrying rounding in the box frame) count as on the face. Near
 * the origin this is below a micrometre; at georeferenced coordinates (x ≈ 5·10⁶ m) it is 0.5 m,
 * the spacing of the float points themselves there: subtract a local origin from such scenes.
 * Centres and sizes must keep every corner within the float range.
 */
public final class Box {

    private final double cx;
    private final double cy;
    private final double cz;
    private final double dx;
    private final double dy;
    private final double dz;
    private final double heading;
    /** NaN when the box has no score. */
    private final double score;
    private final double cos;
    private final double sin;
    private final double toleranceXy;
    private final double toleranceZ;

    private Box(double cx, double cy, double cz, double dx, double dy, double dz, double heading, double score) {
        check("center", cx, cy, cz);
        check("size", dx, dy, dz);
        if (dx < 0 || dy < 0 || dz < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                "box size must be ≥ 0 on every axis, got [%s, %s, %s]", dx, dy, dz));
        }
        if (!Double.isFinite(heading)) {
            throw new IllegalArgumentException("box heading must be finite, got " + heading);
        }
        this.cx = cx;
        this.cy = cy;
        this.cz = cz;
        this.dx = dx;
        this.dy = dy;
        this.dz = dz;
        this.heading = heading;
        this.score = score;
        // heading 0 gives cos 1, sin 0 exactly: an axis-aligned box is tested without rounding
        this.cos = Math.cos(heading);
        this.sin = Math.sin(heading);
        // the farthest a point of the box lies from the origin, across (x, y) and along z: scene points are
        // floats, so these must be floats, and their float spacing is the resolution of the points there
        double reachXy = Math.max(Math.abs(cx), Math.abs(cy)) + Math.hypot(dx, dy) / 2;
        double reachZ = Math.abs(cz) + dz / 2;
        if (reachXy > Float.MAX_VALUE || reachZ > Float.MAX_VALUE) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "box center [%s, %s, %s] and size "
                + "[%s, %s, %s] reach beyond the float range (±%s) that scene points have", cx, cy, cz, dx, dy, dz,
                Float.MAX_VALUE));
        }
        double relative = 1e-6 * Math.max(dx, Math.max(dy, dz));
        this.toleranceXy = Math.ulp((float) reachXy) + relative;
        this.toleranceZ = Math.ulp((float) reachZ) + relative;
    }

    private static void check(String what, double a, double b, double c) {
        if (!Double.isFinite(a) || !Double.isFinite(b) || !Double.isFinite(c)) {
            throw new IllegalArgumentException("box " + what + " must be finite, got [" + a + ", " + b + ", " + c + "]");
        }
        if (Math.abs(a) > Float.MAX_VALUE || Math.abs(b) > Float.MAX_VALUE || Math.abs(c) > Float.MAX_VALUE) {
            throw new IllegalArgumentException("box " + what + " must be within the float range (±" + Float.MAX_VALUE
                + ") that scene points have, got [" + a + ", " + b + ", " + c + "]");
        }
    }

    /**
     * An axis-aligned box (heading 0) without a score.
     *
     * @param cx centre x
     * @param cy centre y
     * @param cz centre z
     * @param dx size along x
     * @param dy size along y
     * @param dz size along z
     * @return the box
     * @throws IllegalArgumentException if a value is not finite or a size is negative
     */
    public static Box of(double cx, double cy, double cz, double dx, double dy, double dz) {
        return new Box(cx, cy, cz, dx, dy, dz, 0, Double.NaN);
    }

    /**
     * A box turned by {@code heading} about +z, without a score.
     *
     * @param cx centre x
     * @param cy centre y
     * @param cz centre z
     * @param dx size along the box's first axis, {@code (cos h, sin h, 0)}
     * @param dy size along its second axis, {@code (−sin h, cos h, 0)}
     * @param dz size along z
     * @param heading radians, counter-clockwise about +z; any finite value
     * @return the box
     * @throws IllegalArgumentException if a value is not finite or a size is negative
     */
    public static Box of(double cx, double cy, double cz, double dx, double dy, double dz, double heading) {
        return new Box(cx, cy, cz, dx, dy, dz, heading, Double.NaN);
    }

    /**
     * The axis-aligned box spanning two corners.
     *
     * @param min the smallest x, y, z
     * @param max the largest x, y, z
     * @return the box
     * @throws IllegalArgumentException if {@code max < min} on an axis or a value is not finite
     */
    public static Box ofBounds(double[] min, double[] max) {
        return of((min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2, max[0] - min[0],
            max[1] - min[1], max[2] - min[2]);
    }

    /**
     * @param newScore the proposal score, finite (it multiplies the class probability)
     * @return this box with that score
     * @throws IllegalArgumentException if the score is not finite
     */
    public Box withScore(double newScore) {
        if (!Double.isFinite(newScore)) {
            throw new IllegalArgumentException("box score must be finite, got " + newScore);
        }
        return new Box(cx, cy, cz, dx, dy, dz, heading, newScore);
    }

    /** @return this box without a score */
    public Box withoutScore() {
        return hasScore() ? new Box(cx, cy, cz, dx, dy, dz, heading, Double.NaN) : this;
    }

    /** @return centre x */
    public double centerX() {
        return cx;
    }

    /** @return centre y */
    public double centerY() {
        return cy;
    }

    /** @return centre z */
    public double centerZ() {
        return cz;
    }

    /** @return the size along the box's first axis */
    public double sizeX() {
        return dx;
    }

    /** @return the size along the box's second axis */
    public double sizeY() {
        return dy;
    }

    /** @return the size along z */
    public double sizeZ() {
        return dz;
    }

    /** @return the heading in radians, counter-clockwise about +z, as given */
    public double heading() {
        return heading;
    }

    /** @return whether the box carries a proposal score */
    public boolean hasScore() {
        return !Double.isNaN(score);
    }

    /** @return the proposal score, or empty */
    public OptionalDouble score() {
        return hasScore() ? OptionalDouble.of(score) : OptionalDouble.empty();
    }

    /** @return the volume */
    public double volume() {
        return dx * dy * dz;
    }

    /**
     * @return the largest slack allowed by {@link #contains}: {@code ulp((float) r) + 1e-6 · max(size)},
     *     with {@code r} the largest coordinate magnitude a point of the box has in x or y (for the two
     *     horizontal faces' tests) or in z (for the vertical one; each test uses its own)
     */
    public double tolerance() {
        return Math.max(toleranceXy, toleranceZ);
    }

    /**
     * @param x point x
     * @param y point y
     * @param z point z
     * @return whether the point is inside the box or on a face (see the class comment)
     */
    public boolean contains(double x, double y, double z) {
        double ox = x - cx;
        double oy = y - cy;
        return Math.abs(z - cz) <= dz / 2 + toleranceZ
            && Math.abs(cos * ox + sin * oy) <= dx / 2 + toleranceXy
            && Math.abs(cos * oy - sin * ox) <= dy / 2 + toleranceXy;
    }

    /**
     * The footprint's corners in the xy plane, counter-clockwise.
     *
     * @return {@code [x0, y0, x1, y1, x2, y2, x3, y3]}
     */
    public double[] footprint() {
        double hx = dx / 2;
        double hy = dy / 2;
        double[] local = {hx, hy, -hx, hy, -hx, -hy, hx, -hy};
        double[] out = new double[8];
        for (int i = 0; i < 4; i++) {
            double u = local[2 * i];
            double v = local[2 * i + 1];
            out[2 * i] = cx + cos * u - sin * v;
            out[2 * i + 1] = cy + sin * u + cos * v;
        }
        return out;
    }

    /**
     * The axis-aligned bounds of the box, slightly enlarged so that they hold every point {@link #contains} accepts.
     *
     * @return {@code [minX, minY, minZ, maxX, maxY, maxZ]}
     */
    public double[] bounds() {
        double hx = dx / 2 + toleranceXy;
        double hy = dy / 2 + toleranceXy;
        // a little more than the exact extent, so that rounding never leaves out a point contains() accepts
        double ex = (Math.abs(cos) * hx + Math.abs(sin) * hy) * (1 + 1e-12) + toleranceXy;
        double ey = (Math.abs(sin) * hx + Math.abs(cos) * hy) * (1 + 1e-12) + toleranceXy;
        double ez = dz / 2 + 2 * toleranceZ;
        return new double[] {cx - ex, cy - ey, cz - ez, cx + ex, cy + ey, cz + ez};
    }

    /** @return whether the heading is 0, so that the box is tested exactly along the axes */
    boolean axisAligned() {
        return heading == 0;
    }

    double cos() {
        return cos;
    }

    double sin() {
        return sin;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Box)) {
            return false;
        }
        Box b = (Box) o;
        return Double.compare(cx, b.cx) == 0 && Double.compare(cy, b.cy) == 0 && Double.compare(cz, b.cz) == 0
            && Double.compare(dx, b.dx) == 0 && Double.compare(dy, b.dy) == 0 && Double.compare(dz, b.dz) == 0
            && Double.compare(heading, b.heading) == 0 && Double.compare(score, b.score) == 0;
    }

    @Override
    public int hashCode() {
        int h = Double.hashCode(cx);
        for (double v : new double[] {cy, cz, dx, dy, dz, heading, score}) {
            h = 31 * h + Double.hashCode(v);
        }
        return h;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Box[center=(%.4g, %.4g, %.4g), size=(%.4g, %.4g, %.4g), heading=%.4g%s]",
            cx, cy, cz, dx, dy, dz, heading, hasScore() ? String.format(Locale.ROOT, ", score=%.4g", score) : "");
    }
}
