package io.github.pointclip.detection;

import io.github.pointclip.cloud.PointCloud;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Builds small, deterministic indoor test scenes from single shapes (such as ModelNet40 clouds), so
 * that detection can be tested and demonstrated without ScanNet: a floor and walls sampled on a
 * jittered grid, objects stood on the floor at their real height and a random heading, some cut to
 * simulate partial scans, and Gaussian sensor noise; z up, metres, colour per point. The ground truth
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
     * Builds a 6 × 5 m room with up to six objects in a 3 × 2 grid of places.
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
        SplittableRandom random = new SplittableRandom(seed);
        List<float[]> xyz = new ArrayList<>();
        List<float[]> rgb = new ArrayList<>();
        // floor (z = 0) and the four walls
        surface(random, xyz, rgb, new float[] {150, 120, 90}, (u, v) -> new double[] {u * WIDTH, v * DEPTH, 0},
            WIDTH, DEPTH);
        float[] wall = {200, 200, 200};
        surface(random, xyz, rgb, wall, (u, v) -> new double[] {u * WIDTH, 0, v * WALL_HEIGHT}, WIDTH, WALL_HEIGHT);
        surface(random, xyz, rgb, wall, (u, v) -> new double[] {u * WIDTH, DEPTH, v * WALL_HEIGHT}, WIDTH, WALL_HEIGHT);
        surface(random, xyz, rgb, wall, (u, v) -> new double[] {0, u * DEPTH, v * WALL_HEIGHT}, DEPTH, WALL_HEIGHT);
        surface(random, xyz, rgb, wall, (u, v) -> new double[] {WIDTH, u * DEPTH, v * WALL_HEIGHT}, DEPTH, WALL_HEIGHT);
        List<LabelledBox> boxes = new ArrayList<>();
        double slotW = (WIDTH - 0.6) / 3;
        double slotD = (DEPTH - 0.6) / 2;
        for (int k = 0; k < objects.size(); k++) {
            Shape s = objects.get(k);
            double cx = 0.3 + slotW * (k % 3 + 0.5);
            double cy = 0.3 + slotD * (k / 3 + 0.5);
            double heading = random.nextDouble(0, 2 * Math.PI);
            float[] colour = {random.nextInt(40, 240), random.nextInt(40, 240), random.nextInt(40, 240)};
            float[] placed = place(s, cx, cy, heading, slotW - 0.3, slotD - 0.3, k % 3 == 2, random);
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
     * Scales a y-up shape to its real height (shrunk to fit the place), turns it z-up and by
     * {@code heading}, stands it on the floor at (cx, cy); optionally cuts away the third of its points
     * farthest along one side.
     */
    private static float[] place(Shape s, double cx, double cy, double heading, double maxW, double maxD, boolean cut,
            SplittableRandom random) {
        PointCloud c = s.cloud();
        float[] b = c.bounds();
        double height = Math.max(b[4] - b[1], 1e-6);
        double scale = height(s.label()) / height;
        double footprint = Math.hypot(b[3] - b[0], b[5] - b[2]) * scale; // the diagonal bounds any heading
        scale *= Math.min(1, Math.min(maxW, maxD) / footprint);
        double mx = (b[0] + b[3]) / 2;
        double mz = (b[2] + b[5]) / 2;
        double cos = Math.cos(heading);
        double sin = Math.sin(heading);
        int n = c.size();
        double cutAt = Double.POSITIVE_INFINITY;
        double[] along = new double[n];
        if (cut) {
            double dir = random.nextDouble(0, 2 * Math.PI);
            for (int i = 0; i < n; i++) {
                along[i] = Math.cos(dir) * (c.x(i) - mx) + Math.sin(dir) * (c.z(i) - mz);
            }
            double[] sorted = along.clone();
            java.util.Arrays.sort(sorted);
            cutAt = sorted[(int) (n * 2 / 3.0)];
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
