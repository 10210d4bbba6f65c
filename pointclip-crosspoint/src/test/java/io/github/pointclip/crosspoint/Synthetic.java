package io.github.pointclip.crosspoint;

import io.github.pointclip.cloud.PointCloud;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small labelled clouds of four primitive shapes, with image targets that are a fixed function of the shape. */
final class Synthetic {
    final List<PointCloud> clouds = new ArrayList<>();
    final int[] labels;
    final ImageTargets targets;

    Synthetic(int count, int points, int dim, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        labels = new int[count];
        float[] t = new float[count * dim];
        SplittableRandom classDirections = new SplittableRandom(99);
        float[][] direction = new float[4][dim];
        for (float[] d : direction) {
            for (int j = 0; j < dim; j++) {
                d[j] = (float) classDirections.nextGaussian();
            }
        }
        for (int i = 0; i < count; i++) {
            int label = i % 4;
            labels[i] = label;
            float[] xyz = new float[3 * points];
            double sx = r.nextDouble(0.7, 1.3);
            for (int p = 0; p < points; p++) {
                double u = r.nextDouble(-1, 1);
                double v = r.nextDouble(-1, 1);
                double a = r.nextDouble(0, 2 * Math.PI);
                double[] q = switch (label) {
                    case 0 -> { // sphere
                        double z = u;
                        double rr = Math.sqrt(1 - z * z);
                        yield new double[] {rr * Math.cos(a), z, rr * Math.sin(a)};
                    }
                    case 1 -> new double[] {u, v, r.nextBoolean() ? 1 : -1}; // two plates
                    case 2 -> new double[] {Math.cos(a), u * 2, Math.sin(a)}; // tall cylinder
                    default -> new double[] {u * 2, 0.05 * v, v}; // flat sheet
                };
                xyz[3 * p] = (float) (q[0] * sx);
                xyz[3 * p + 1] = (float) q[1];
                xyz[3 * p + 2] = (float) q[2];
            }
            clouds.add(PointCloud.of(xyz));
            for (int j = 0; j < dim; j++) {
                t[i * dim + j] = direction[label][j] + (float) (0.3 * r.nextGaussian());
            }
        }
        targets = ImageTargets.fromViews(t, count, 1, dim, "synthetic");
    }
}
