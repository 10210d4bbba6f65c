package io.github.pointclip.detection;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.io.PointClouds;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a scene with its detections as one binary PLY that any point viewer opens: the scene's
 * points, coloured by the detection they fall in (grey outside every box), followed by the boxes'
 * wireframes as points sampled along the 12 edges, in the same colours. Two extra properties per
 * point: {@code box}, the index of the detection (−1 for none; for a scene point in several boxes, the
 * last one) and {@code wireframe}, 1 for edge points and 0 for scene points.
 */
public final class DetectionPly {

    /** Edge points per scene unit of edge length. */
    private static final double EDGE_DENSITY = 100;

    private DetectionPly() {
    }

    /**
     * @param index the indexed scene
     * @param detections the detections
     * @param file the target {@code .ply}, written atomically
     * @throws IOException if writing fails
     */
    public static void write(SceneIndex index, List<Detection> detections, Path file) throws IOException {
        PointCloud scene = index.scene();
        int n = scene.size();
        float[] boxOf = new float[n];
        java.util.Arrays.fill(boxOf, -1);
        for (int d = 0; d < detections.size(); d++) {
            for (int p : index.indicesIn(detections.get(d).box())) {
                boxOf[p] = d;
            }
        }
        int edgePoints = 0;
        for (Detection d : detections) {
            edgePoints += edgeCount(d.box());
        }
        int total = n + edgePoints;
        float[] xyz = new float[3 * total];
        float[] rgb = new float[3 * total];
        float[] box = new float[total];
        float[] wire = new float[total];
        for (int i = 0; i < n; i++) {
            xyz[3 * i] = scene.x(i);
            xyz[3 * i + 1] = scene.y(i);
            xyz[3 * i + 2] = scene.z(i);
            Color c = boxOf[i] < 0 ? Color.GRAY : TopView.colour(detections.get((int) boxOf[i]).label());
            rgb[3 * i] = c.getRed();
            rgb[3 * i + 1] = c.getGreen();
            rgb[3 * i + 2] = c.getBlue();
            box[i] = boxOf[i];
        }
        int k = n;
        for (int d = 0; d < detections.size(); d++) {
            Box b = detections.get(d).box();
            Color c = TopView.colour(detections.get(d).label());
            double[] corners = corners(b);
            int[][] edges = {{0, 1}, {1, 2}, {2, 3}, {3, 0}, {4, 5}, {5, 6}, {6, 7}, {7, 4}, {0, 4}, {1, 5}, {2, 6}, {3, 7}};
            for (int[] e : edges) {
                int m = segments(corners, e[0], e[1]);
                for (int s = 0; s <= m; s++) {
                    double t = (double) s / m;
                    for (int a = 0; a < 3; a++) {
                        xyz[3 * k + a] = (float) (corners[3 * e[0] + a] + t * (corners[3 * e[1] + a] - corners[3 * e[0] + a]));
                    }
                    rgb[3 * k] = c.getRed();
                    rgb[3 * k + 1] = c.getGreen();
                    rgb[3 * k + 2] = c.getBlue();
                    box[k] = d;
                    wire[k] = 1;
                    k++;
                }
            }
        }
        PointCloud out = PointCloud.builder().coordinates(xyz).attribute("color", rgb).attribute("box", box)
            .attribute("wireframe", wire).build();
        PointClouds.writePly(out, file);
    }

    private static int edgeCount(Box b) {
        double[] corners = corners(b);
        int[][] edges = {{0, 1}, {1, 2}, {2, 3}, {3, 0}, {4, 5}, {5, 6}, {6, 7}, {7, 4}, {0, 4}, {1, 5}, {2, 6}, {3, 7}};
        int count = 0;
        for (int[] e : edges) {
            count += segments(corners, e[0], e[1]) + 1;
        }
        return count;
    }

    private static int segments(double[] c, int i, int j) {
        double len = Math.sqrt(Math.pow(c[3 * i] - c[3 * j], 2) + Math.pow(c[3 * i + 1] - c[3 * j + 1], 2)
            + Math.pow(c[3 * i + 2] - c[3 * j + 2], 2));
        return Math.max(1, Math.min(10_000, (int) Math.ceil(len * EDGE_DENSITY)));
    }

    /** The 8 corners: the footprint at the bottom, then at the top. */
    private static double[] corners(Box b) {
        double[] f = b.footprint();
        double[] c = new double[24];
        for (int i = 0; i < 4; i++) {
            c[3 * i] = f[2 * i];
            c[3 * i + 1] = f[2 * i + 1];
            c[3 * i + 2] = b.centerZ() - b.sizeZ() / 2;
            c[3 * (i + 4)] = f[2 * i];
            c[3 * (i + 4) + 1] = f[2 * i + 1];
            c[3 * (i + 4) + 2] = b.centerZ() + b.sizeZ() / 2;
        }
        return c;
    }
}
