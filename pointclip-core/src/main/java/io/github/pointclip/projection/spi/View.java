package io.github.pointclip.projection.spi;

import io.github.pointclip.cloud.PointCloud;

/**
 * One camera of a view rig: Euler angles (a, b, c), an optional second rotation applied after
 * the first (PointCLIP V2 tilts each view), and a translation t. Camera coordinates are
 * {@code R2·(R1·p) − t} with {@code R = Rx(a)·Ry(b)·Rz(c)}.
 *
 * <p>All arithmetic is float32 in the order the reference implementations use, including the
 * float32 sine and cosine ({@code cos((float) π/2) = −4.37e-8}, not 0); that decides the pixel
 * of points lying exactly on pixel borders. Immutable and thread-safe.
 */
public final class View {

    private final float[] angles;
    private final float[] secondAngles;
    private final float[] translation;
    private final float[] r1;
    private final float[] r2;

    private View(float[] angles, float[] secondAngles, float[] translation) {
        this.angles = angles;
        this.secondAngles = secondAngles;
        this.translation = translation;
        this.r1 = eulerToMatrix(angles[0], angles[1], angles[2]);
        this.r2 = secondAngles == null ? null : eulerToMatrix(secondAngles[0], secondAngles[1], secondAngles[2]);
    }

    /**
     * A view with one rotation.
     *
     * @param a rotation about x (radians; rounded to float32)
     * @param b rotation about y
     * @param c rotation about z
     * @param tx translation x, subtracted after rotating
     * @param ty translation y
     * @param tz translation z
     * @return the view
     */
    public static View of(double a, double b, double c, double tx, double ty, double tz) {
        return new View(floats(a, b, c), null, floats(tx, ty, tz));
    }

    /**
     * Returns this view followed by a second rotation (applied before the translation).
     *
     * @param a second rotation about x (radians)
     * @param b second rotation about y
     * @param c second rotation about z
     * @return a new view
     */
    public View thenRotate(double a, double b, double c) {
        if (secondAngles != null) {
            throw new IllegalStateException("view already has a second rotation");
        }
        return new View(angles, floats(a, b, c), translation);
    }

    /** @return the Euler angles (a, b, c) as float32 radians (a copy) */
    public float[] angles() {
        return angles.clone();
    }

    /** @return the second rotation's angles, or null when there is none (a copy) */
    public float[] secondAngles() {
        return secondAngles == null ? null : secondAngles.clone();
    }

    /** @return the translation t (a copy) */
    public float[] translation() {
        return translation.clone();
    }

    /**
     * Transforms every point of {@code cloud} to camera coordinates, writing packed
     * {@code x y z} triples into {@code out} (modified). Allocation-free.
     *
     * @param cloud the cloud
     * @param out destination of at least {@code 3·cloud.size()} floats
     */
    public void transform(PointCloud cloud, float[] out) {
        int n = cloud.size();
        for (int i = 0; i < n; i++) {
            float x = cloud.x(i), y = cloud.y(i), z = cloud.z(i);
            float cx = x * r1[0] + y * r1[1] + z * r1[2];
            float cy = x * r1[3] + y * r1[4] + z * r1[5];
            float cz = x * r1[6] + y * r1[7] + z * r1[8];
            if (r2 != null) {
                float dx = cx * r2[0] + cy * r2[1] + cz * r2[2];
                float dy = cx * r2[3] + cy * r2[4] + cz * r2[5];
                float dz = cx * r2[6] + cy * r2[7] + cz * r2[8];
                cx = dx;
                cy = dy;
                cz = dz;
            }
            out[3 * i] = cx - translation[0];
            out[3 * i + 1] = cy - translation[1];
            out[3 * i + 2] = cz - translation[2];
        }
    }

    /** Rx(a)·Ry(b)·Rz(c), row-major, float32 products as in the reference {@code euler2mat}. */
    static float[] eulerToMatrix(float a, float b, float c) {
        float ca = (float) Math.cos(a), sa = (float) Math.sin(a);
        float cb = (float) Math.cos(b), sb = (float) Math.sin(b);
        float cc = (float) Math.cos(c), sc = (float) Math.sin(c);
        float[] rx = {1, 0, 0, 0, ca, -sa, 0, sa, ca};
        float[] ry = {cb, 0, sb, 0, 1, 0, -sb, 0, cb};
        float[] rz = {cc, -sc, 0, sc, cc, 0, 0, 0, 1};
        return multiply(multiply(rx, ry), rz);
    }

    private static float[] multiply(float[] p, float[] q) {
        float[] r = new float[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                r[3 * i + j] = p[3 * i] * q[j] + p[3 * i + 1] * q[3 + j] + p[3 * i + 2] * q[6 + j];
            }
        }
        return r;
    }

    private static float[] floats(double a, double b, double c) {
        float[] v = {(float) a, (float) b, (float) c};
        for (float f : v) {
            if (!Float.isFinite(f)) {
                throw new IllegalArgumentException("view parameters must be finite, got " + a + ", " + b + ", " + c);
            }
        }
        return v;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("View[angles=").append(java.util.Arrays.toString(angles));
        if (secondAngles != null) {
            s.append(", then=").append(java.util.Arrays.toString(secondAngles));
        }
        return s.append(", t=").append(java.util.Arrays.toString(translation)).append(']').toString();
    }
}
