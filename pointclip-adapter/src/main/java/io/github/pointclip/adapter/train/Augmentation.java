package io.github.pointclip.adapter.train;

import io.github.pointclip.cloud.PointCloud;
import java.util.random.RandomGenerator;

/**
 * PointCLIP's training augmentation (V1): keep the first {@code points} points, scale each axis by
 * U(scaleLow, scaleHigh) and shift it by U(−shift, shift), then shuffle the point order.
 * {@link #none(int)} only truncates (for validation features).
 *
 * @param points points kept from the start of the cloud, ≥ 1 (clouds with fewer keep all)
 * @param scaleLow lower bound of the per-axis scale, &gt; 0
 * @param scaleHigh upper bound of the per-axis scale, ≥ scaleLow
 * @param shift half-width of the per-axis shift, ≥ 0
 * @param shuffle whether the point order is shuffled
 */
public record Augmentation(int points, double scaleLow, double scaleHigh, double shift, boolean shuffle) {

    /** Validates the settings. */
    public Augmentation {
        if (points < 1 || !(scaleLow > 0) || !(scaleHigh >= scaleLow) || !(shift >= 0)) {
            throw new IllegalArgumentException("bad augmentation: " + points + " points, scale [" + scaleLow + ", "
                    + scaleHigh + "], shift " + shift);
        }
    }

    /** @return PointCLIP V1: 1024 points, scale U(2/3, 3/2), shift U(−0.2, 0.2), shuffled */
    public static Augmentation v1() {
        return new Augmentation(1024, 2.0 / 3.0, 3.0 / 2.0, 0.2, true);
    }

    /**
     * @param points points kept
     * @return truncation only: no scale, shift or shuffle
     */
    public static Augmentation none(int points) {
        return new Augmentation(points, 1, 1, 0, false);
    }

    /** @return whether this augmentation only truncates, and so gives the same cloud for every seed */
    public boolean isIdentity() {
        return scaleLow == 1 && scaleHigh == 1 && shift == 0 && !shuffle;
    }

    /**
     * Augments one cloud: three scale draws (x, y, z), three shift draws, then a Fisher–Yates shuffle, all from
     * {@code random}.
     *
     * @param cloud the cloud, not modified
     * @param random the source of randomness, advanced
     * @return the augmented cloud (coordinates only)
     */
    public PointCloud apply(PointCloud cloud, RandomGenerator random) {
        int n = Math.min(points, cloud.size());
        float[] xyz = new float[3 * n];
        cloud.first(n).copyTo(xyz, 0);
        float[] s = new float[3];
        float[] t = new float[3];
        for (int a = 0; a < 3; a++) {
            s[a] = (float) (scaleHigh > scaleLow ? random.nextDouble(scaleLow, scaleHigh) : scaleLow);
        }
        for (int a = 0; a < 3; a++) {
            t[a] = (float) (shift > 0 ? random.nextDouble(-shift, shift) : 0);
        }
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < 3; a++) {
                xyz[3 * i + a] = xyz[3 * i + a] * s[a] + t[a];
            }
        }
        if (shuffle) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                for (int a = 0; a < 3; a++) {
                    float tmp = xyz[3 * i + a];
                    xyz[3 * i + a] = xyz[3 * j + a];
                    xyz[3 * j + a] = tmp;
                }
            }
        }
        return PointCloud.of(xyz);
    }
}
