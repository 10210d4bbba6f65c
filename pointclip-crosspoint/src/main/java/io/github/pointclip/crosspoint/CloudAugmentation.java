package io.github.pointclip.crosspoint;

import java.util.random.RandomGenerator;

/**
 * CrossPoint's point-cloud augmentation, applied independently to each of a cloud's two copies: normalise to
 * the unit sphere (centroid at the origin, farthest point at distance 1), scale by U(scaleLow, scaleHigh),
 * rotate about the vertical (y) axis by U(0, 2π), translate by U(±translate) times the cloud's extent per axis,
 * jitter each point by N(0, jitterSigma²) clipped to ±jitterClip, and drop points: a ratio r ~ U(0, maxDropout)
 * is drawn and each point is, with probability r, replaced by the first point (the cloud keeps its size, as
 * the reference's {@code PointcloudRandomInputDropout} does). Every draw comes from the generator passed in, in
 * this order, so a seed fixes the result.
 *
 * @param scaleLow lowest scale factor (reference: 0.5)
 * @param scaleHigh highest scale factor (reference: 2)
 * @param rotate whether to rotate about the vertical axis
 * @param translate translation range as a fraction of the extent (reference: 0.5)
 * @param jitterSigma jitter standard deviation (reference: 0.01)
 * @param jitterClip jitter clip (reference: 0.05)
 * @param maxDropout largest drop ratio, in [0, 1) (reference: 0.875)
 */
public record CloudAugmentation(double scaleLow, double scaleHigh, boolean rotate, double translate,
        double jitterSigma, double jitterClip, double maxDropout) {

    /** Validates the settings. */
    public CloudAugmentation {
        if (!(scaleLow > 0 && scaleHigh >= scaleLow) || !(translate >= 0) || !(jitterSigma >= 0)
                || !(jitterClip >= 0) || !(maxDropout >= 0 && maxDropout < 1)) {
            throw new IllegalArgumentException("bad augmentation: scale [" + scaleLow + ", " + scaleHigh + "], translate "
                    + translate + ", jitter " + jitterSigma + "/" + jitterClip + ", drop " + maxDropout);
        }
    }

    /**
     * The reference's {@code trans_1}/{@code trans_2}: scale U(0.5, 2), rotation about y, translation 0.5,
     * jitter 0.01 clipped at 0.05, drop up to 0.875.
     *
     * @return the augmentation
     */
    public static CloudAugmentation crossPoint() {
        return new CloudAugmentation(0.5, 2.0, true, 0.5, 0.01, 0.05, 0.875);
    }

    /**
     * Normalisation to the unit sphere only (what the encoder applies at inference).
     *
     * @return the augmentation that only normalises
     */
    public static CloudAugmentation none() {
        return new CloudAugmentation(1, 1, false, 0, 0, 0, 0);
    }

    /**
     * Normalises a cloud in place to the unit sphere: centroid at the origin, the farthest point at distance 1
     * (a cloud of one repeated point is only centred).
     *
     * @param xyz n·3 coordinates, modified
     * @param n number of points
     */
    public static void normalize(float[] xyz, int n) {
        double cx = 0;
        double cy = 0;
        double cz = 0;
        for (int i = 0; i < n; i++) {
            cx += xyz[3 * i];
            cy += xyz[3 * i + 1];
            cz += xyz[3 * i + 2];
        }
        cx /= n;
        cy /= n;
        cz /= n;
        double max = 0;
        for (int i = 0; i < n; i++) {
            double x = xyz[3 * i] - cx;
            double y = xyz[3 * i + 1] - cy;
            double z = xyz[3 * i + 2] - cz;
            max = Math.max(max, x * x + y * y + z * z);
        }
        double inv = max > 0 ? 1.0 / Math.sqrt(max) : 1.0;
        for (int i = 0; i < n; i++) {
            xyz[3 * i] = (float) ((xyz[3 * i] - cx) * inv);
            xyz[3 * i + 1] = (float) ((xyz[3 * i + 1] - cy) * inv);
            xyz[3 * i + 2] = (float) ((xyz[3 * i + 2] - cz) * inv);
        }
    }

    /**
     * Augments a copy of a cloud.
     *
     * @param xyz n·3 coordinates (not modified)
     * @param n number of points, ≥ 1
     * @param random source of every draw
     * @return the augmented n·3 coordinates
     */
    public float[] apply(float[] xyz, int n, RandomGenerator random) {
        if (n < 1 || xyz.length < 3 * n) {
            throw new IllegalArgumentException("need " + n + " points, got " + xyz.length / 3);
        }
        float[] out = java.util.Arrays.copyOf(xyz, 3 * n);
        normalize(out, n);
        double s = scaleLow == scaleHigh ? scaleLow : random.nextDouble(scaleLow, scaleHigh);
        double angle = rotate ? random.nextDouble(0, 2 * Math.PI) : 0;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        for (int i = 0; i < n; i++) {
            double x = out[3 * i] * s;
            double y = out[3 * i + 1] * s;
            double z = out[3 * i + 2] * s;
            // rotation about y: x' = cos·x + sin·z, z' = −sin·x + cos·z
            out[3 * i] = (float) (cos * x + sin * z);
            out[3 * i + 1] = (float) y;
            out[3 * i + 2] = (float) (-sin * x + cos * z);
        }
        if (translate > 0) {
            float[] min = {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE};
            float[] max = {-Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < 3; a++) {
                    min[a] = Math.min(min[a], out[3 * i + a]);
                    max[a] = Math.max(max[a], out[3 * i + a]);
                }
            }
            double[] shift = new double[3];
            for (int a = 0; a < 3; a++) {
                shift[a] = random.nextDouble(-translate, translate) * (max[a] - min[a]);
            }
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < 3; a++) {
                    out[3 * i + a] += (float) shift[a];
                }
            }
        }
        if (jitterSigma > 0) {
            for (int i = 0; i < 3 * n; i++) {
                double j = random.nextGaussian() * jitterSigma;
                out[i] += (float) Math.max(-jitterClip, Math.min(jitterClip, j));
            }
        }
        if (maxDropout > 0) {
            double ratio = random.nextDouble() * maxDropout;
            for (int i = 0; i < n; i++) {
                if (random.nextDouble() <= ratio) {
                    out[3 * i] = out[0];
                    out[3 * i + 1] = out[1];
                    out[3 * i + 2] = out[2];
                }
            }
        }
        return out;
    }
}
