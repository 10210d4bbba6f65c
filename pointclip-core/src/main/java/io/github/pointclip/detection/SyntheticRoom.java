package io.github.pointclip.detection;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.dataset.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Builds small, deterministic indoor test scenes from single shapes (such as ModelNet40 clouds), so
 * that detection can be tested and demonstrated without ScanNet: a floor and walls sampled on a
 * jittered grid, objects stood on the floor at their real height (the room grows to fit them, nothing is
 * shrunk) and a random heading, some cut to simulate partial scans (keeping their full height), and Gaussian sensor noise; z up, metres, colour per point. The ground truth
 * is the axis-aligned box of each object's final points, as ScanNet's boxes are of its instances.
 *
 * <p>Not a realistic simulator: a fixture whose result is exactly reproducible for a seed.
 */
public final class SyntheticRoom {

    /** Real heights in metres of the ScanNet classes the ModelNet40 shapes stand for. */
    private static final Map<String, Double> HEIGHTS = Map.ofEntries(Map.entry("bathtub", 0.6), Map.entry("bed", 0.6),
        Map.entry("bookshelf", 1.8), Map.entry("chair", 0.9), Map.entry("curtain", 2.0), Map.entry("desk", 0.75),
        Map.entry("door", 2.0), Map.entry("sink", 0.9), Map.entry("sofa", 0.85), Map.entry("table", 0.75),
        Map.entry("toilet", 0.75), Map.entry("cabinet", 1.2));

    /** ModelNet40 classes that are one of the 18 ScanNet detection classes under another name. */
    private static final Map<String, String> RENAMED = Map.of("wardrobe", "cabinet");

    /** Room size in metres. */
    static final double WIDTH = 6;
    static final double DEPTH = 5;
    static final double WALL_HEIGHT = 2.5;
    /** Spacing of the floor and wall samples. */
    static final double SPACING = 0.04;
    /** Standard deviation of the sensor noise. */
    static final double NOISE = 0.004;

    private SyntheticRoom() {
    }

    /**
     * A shape to place.
     *
     * @param cloud the shape, y up (the ModelNet convention), any scale
     * @param label its ScanNet detection class
     */
    public record Shape(PointCloud cloud, String label) {
        /**
         * @param cloud the shape
         * @param label its class, one of {@link ScanNetScenes#CLASSES} with a known height ({@link #height})
         */
        public Shape {
            Objects.requireNonNull(cloud, "cloud");
            height(label);
        }
    }

    /**
     * A built scene.
     *
     * @param points the points (with the attribute {@code "color"})
     * @param boxes the ground truth
     */
    public record Scene(PointCloud points, List<LabelledBox> boxes) {
    }

    /**
     * @param modelNetClass a ModelNet40 class name
     * @return the ScanNet detection class it stands for, or null
     */
    public static String scanNetLabel(String modelNetClass) {
        String renamed = RENAMED.getOrDefault(modelNetClass, modelNetClass);
        return HEIGHTS.containsKey(renamed) ? renamed : null;
    }

    /**
     * The shapes of a data set's samples that stand for a ScanNet class ({@link #scanNetLabel}), in order.
     *
     * @param samples ModelNet40 samples, e.g. a {@code Dataset}
     * @param skip how many such samples to pass over first
     * @param count how many shapes to take at most
     * @return the shapes, labelled with their ScanNet class
     * @throws java.io.UncheckedIOException if a sample cannot be read
     */
    public static List<Shape> shapes(Iterable<Sample> samples, int skip, int count) {
        List<Shape> shapes = new ArrayList<>();
        int seen = 0;
        for (Sample s : samples) {
            if (shapes.size() >= count) {
                break;
            }
            String label = scanNetLabel(s.className());
            if (label != null && seen++ >= skip) {
                shapes.add(new Shape(s.cloud(), label));
            }
        }
        return shapes;
    }

    /**
     * @param label a ScanNet detection class
     * @return the height it is built at, in metres
     * @throws IllegalArgumentException for a class without a known height
     */
    public static double height(String label) {
        Double h = HEIGHTS.get(label);
        if (h == null) {
            throw new IllegalArgumentException("no real height known for '" + label + "'; known: " + HEIGHTS.keySet());
        }
        return h;
    }

    /**
     * Builds a room of at least 6 × 5 m with up to six objects in a 3 × 2 grid of places. Every object
     * keeps its real height ({@link #height}); a place is widened to fit its object's footprint at any
     * heading, and the room grows with its places, so large objects are never shrunk.
     *
     * @param objects the shapes, at most 6
     * @param seed the seed: the same shapes and seed give the same scene
     * @return the scene and its ground truth
     * @throws IllegalArgumentException for more than 6 shapes
     */
    public static Scene build(List<Shape> objects, long seed) {
        if (objects.size() > 6) {
            throw new IllegalArgumentException("a room holds at most 6 objects, got " + objects.size());
        }
        // each place is at least the 6 × 5 m room's share, and 0.3 m wider than its object's footprint
        double[] colW = {(WIDTH - 0.6) / 3, (WIDTH - 0.6) / 3, (WIDTH - 0.6) / 3};
        double[] rowD = {(DEPTH - 0.6) / 2, (DEPTH - 0.6) / 2};
        for (int k = 0; k < objects.size(); k++) {
            double footprint = footprint(objects.get(k)) + 0.3;
            colW[k % 3] = Math.max(colW[k % 3], footprint);
            rowD[k / 3] = Math.max(rowD[k / 3], footprint);
        }
        double width = 0.6 + colW[0] + colW[1] + colW[2];
        double depth = 0.6 + rowD[0] + rowD[1];
        SplittableRandom random = new SplittableRandom(seed);
        List<float[]> xyz = new ArrayList<>();
        List<float[]> rgb = new ArrayList<>();
        // floor (z = 0) and the four walls
        surface(random, xyz, rgb, new float[] {150, 120, 90}, (u, v) -> new double[] {u * width, v * depth, 0},
            width, depth);
        float[] wall = {200, 200, 200};
        surface(random, xyz, rgb, wall, (u, v) -> new double[] {u * width, 0, v * WALL_HEIGHT}, width, WALL_HEIGHT);
        surface(random, xyz, rgb, wall, (u, v) -> new double[] {u * width, depth, v * WALL_HEIGHT}, width, WALL_HEIGHT);
        surface(random, xyz, rgb, wall, (u, v) -> new double[] {0, u * depth, v * WALL_HEIGHT}, depth, WALL_HEIGHT);
        surface(random, xyz, rgb, wall, (u, v) -> new double[] {width, u * depth, v * WALL_HEIGHT}, depth, WALL_HEIGHT);
        List<LabelledBox> boxes = new ArrayList<>();
        for (int k = 0; k < objects.size(); k++) {
            Shape s = objects.get(k);
            int col = k % 3;
            int row = k / 3;
            double cx = 0.3 + (col > 0 ? colW[0] : 0) + (col > 1 ? colW[1] : 0) + colW[col] / 2;
            double cy = 0.3 + (row > 0 ? rowD[0] : 0) + rowD[row] / 2;
            double heading = random.nextDouble(0, 2 * Math.PI);
            float[] colour = {random.nextInt(40, 240), random.nextInt(40, 240), random.nextInt(40, 240)};
            float[] placed = place(s, cx, cy, heading, col == 2, random);
            double[] min = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
            double[] max = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
            for (int i = 0; i < placed.length; i += 3) {
                for (int a = 0; a < 3; a++) {
                    placed[i + a] += (float) (random.nextGaussian() * NOISE);
                    min[a] = Math.min(min[a], placed[i + a]);
                    max[a] = Math.max(max[a], placed[i + a]);
                }
                xyz.add(new float[] {placed[i], placed[i + 1], placed[i + 2]});
                rgb.add(colour);
            }
            boxes.add(new LabelledBox(Box.ofBounds(min, max), s.label()));
        }
        float[] coords = new float[3 * xyz.size()];
        float[] colours = new float[3 * xyz.size()];
        for (int i = 0; i < xyz.size(); i++) {
            System.arraycopy(xyz.get(i), 0, coords, 3 * i, 3);
            System.arraycopy(rgb.get(i), 0, colours, 3 * i, 3);
        }
        return new Scene(PointCloud.builder().coordinates(coords).attribute("color", colours).build(), List.copyOf(boxes));
    }

    /** The scale that gives a y-up shape its real height. */
    private static double scale(Shape s) {
        float[] b = s.cloud().bounds();
        return height(s.label()) / Math.max(b[4] - b[1], 1e-6);
    }

    /** The diagonal of a shape's footprint at its real height: it bounds the footprint at any heading. */
    private static double footprint(Shape s) {
        float[] b = s.cloud().bounds();
        return Math.hypot(b[3] - b[0], b[5] - b[2]) * scale(s);
    }

    private interface Param {
        double[] at(double u, double v);
    }

    private static void surface(SplittableRandom random, List<float[]> xyz, List<float[]> rgb, float[] colour, Param p,
            double lu, double lv) {
        int nu = (int) Math.round(lu / SPACING);
        int nv = (int) Math.round(lv / SPACING);
        for (int i = 0; i < nu; i++) {
            for (int j = 0; j < nv; j++) {
                double[] q = p.at((i + random.nextDouble()) / nu, (j + random.nextDouble()) / nv);
                xyz.add(new float[] {(float) (q[0] + random.nextGaussian() * NOISE),
                    (float) (q[1] + random.nextGaussian() * NOISE), (float) (q[2] + random.nextGaussian() * NOISE)});
                rgb.add(colour);
            }
        }
    }

    /**
     * Scales a y-up shape to its real height, turns it z-up and by {@code heading}, stands it on the
     * floor at (cx, cy); optionally cuts away up to a third of its points, those farthest along one
     * side, but never its highest or lowest point, so that its box keeps the real height.
     */
    private static float[] place(Shape s, double cx, double cy, double heading, boolean cut, SplittableRandom random) {
        PointCloud c = s.cloud();
        float[] b = c.bounds();
        double scale = scale(s);
        double mx = (b[0] + b[3]) / 2;
        double mz = (b[2] + b[5]) / 2;
        double cos = Math.cos(heading);
        double sin = Math.sin(heading);
        int n = c.size();
        double cutAt = Double.POSITIVE_INFINITY;
        double[] along = new double[n];
        if (cut) {
            double dir = random.nextDouble(0, 2 * Math.PI);
            int top = 0;
            int bottom = 0;
            for (int i = 0; i < n; i++) {
                along[i] = Math.cos(dir) * (c.x(i) - mx) + Math.sin(dir) * (c.z(i) - mz);
                top = c.y(i) > c.y(top) ? i : top;
                bottom = c.y(i) < c.y(bottom) ? i : bottom;
            }
            double[] sorted = along.clone();
            java.util.Arrays.sort(sorted);
            cutAt = Math.max(sorted[(int) (n * 2 / 3.0)], Math.max(along[top], along[bottom]));
        }
        float[] out = new float[3 * n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (cut && along[i] > cutAt) {
                continue;
            }
            // y-up (x, y, z) to z-up (x, −z, y), then scaled, turned and placed
            double x = (c.x(i) - mx) * scale;
            double y = -(c.z(i) - mz) * scale;
            double z = (c.y(i) - b[1]) * scale;
            out[k++] = (float) (cx + cos * x - sin * y);
            out[k++] = (float) (cy + sin * x + cos * y);
            out[k++] = (float) z;
        }
        return java.util.Arrays.copyOf(out, k);
    }
}
