package io.github.pointclip.crosspoint.internal;

import io.github.pointclip.cloud.PointCloud;

/** Fixed-size coordinate arrays from clouds of any size. */
public final class Clouds {
    private Clouds() {
    }

    /**
     * The first {@code points} points of a cloud (ModelNet40 and ScanObjectNN files are farthest-point ordered,
     * so this is the references' subsampling); a smaller cloud is repeated cyclically up to the count, which
     * leaves a max pool unchanged.
     *
     * @param cloud the cloud, at least one point
     * @param points the count
     * @return points·3 coordinates
     * @throws IllegalArgumentException for an empty cloud
     */
    public static float[] fixedSize(PointCloud cloud, int points) {
        int n = cloud.size();
        if (n == 0) {
            throw new IllegalArgumentException("an empty cloud has no features");
        }
        float[] out = new float[3 * points];
        if (n >= points) {
            cloud.first(points).copyTo(out, 0);
            return out;
        }
        float[] all = cloud.toArray();
        for (int i = 0; i < points; i++) {
            System.arraycopy(all, 3 * (i % n), out, 3 * i, 3);
        }
        return out;
    }
}
