package io.github.pointclip.io;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Samples points uniformly over a triangle mesh surface: a triangle with probability
 * proportional to its area, then a uniform point in it via the square-root barycentric map
 * (Osada et al., "Shape distributions", 2002). Deterministic for a seed.
 */
final class MeshSampler {

    private MeshSampler() {
    }

    /**
     * @param vertices packed vertex coordinates; triangles touching a non-finite vertex are skipped
     * @param triangles vertex indices, three per triangle
     * @param n number of points
     * @param seed random seed
     * @return packed coordinates of {@code n} points
     */
    static float[] sample(Path file, float[] vertices, IntList triangles, int n, long seed)
        throws PointCloudFormatException {
        int count = triangles.size() / 3;
        double[] cumulative = new double[count];
        double total = 0;
        for (int t = 0; t < count; t++) {
            int a = 3 * triangles.get(3 * t);
            int b = 3 * triangles.get(3 * t + 1);
            int c = 3 * triangles.get(3 * t + 2);
            double area = area(vertices, a, b, c);
            if (Double.isFinite(area)) {
                total += area;
            }
            cumulative[t] = total;
        }
        if (!(total > 0)) {
            throw PointCloudFormatException.of(file, "cannot sample points: the " + count
                + " mesh triangles have zero total area", null);
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[3 * n];
        for (int i = 0; i < n; i++) {
            double pick = random.nextDouble() * total;
            int t = Arrays.binarySearch(cumulative, pick);
            t = t >= 0 ? t + 1 : -t - 1; // first triangle whose cumulative area exceeds pick
            while (t < count - 1 && cumulative[t] <= pick) {
                t++;
            }
            t = Math.min(t, count - 1);
            while (t > 0 && cumulative[t] == cumulative[t - 1]) { // never land on a zero-area triangle
                t--;
            }
            int a = 3 * triangles.get(3 * t);
            int b = 3 * triangles.get(3 * t + 1);
            int c = 3 * triangles.get(3 * t + 2);
            double s = Math.sqrt(random.nextDouble());
            double r = random.nextDouble();
            double wa = 1 - s;
            double wb = s * (1 - r);
            double wc = s * r;
            for (int axis = 0; axis < 3; axis++) {
                out[3 * i + axis] = (float) (wa * vertices[a + axis] + wb * vertices[b + axis]
                    + wc * vertices[c + axis]);
            }
        }
        return out;
    }

    private static double area(float[] v, int a, int b, int c) {
        double ux = v[b] - (double) v[a];
        double uy = v[b + 1] - (double) v[a + 1];
        double uz = v[b + 2] - (double) v[a + 2];
        double wx = v[c] - (double) v[a];
        double wy = v[c + 1] - (double) v[a + 1];
        double wz = v[c + 2] - (double) v[a + 2];
        double cx = uy * wz - uz * wy;
        double cy = uz * wx - ux * wz;
        double cz = ux * wy - uy * wx;
        return 0.5 * Math.sqrt(cx * cx + cy * cy + cz * cz);
    }
}
