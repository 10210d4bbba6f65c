package io.github.pointclip.detection;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.io.FileFormatException;
import io.github.pointclip.io.NpyArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The ScanNet detection layout that VoteNet's {@code scannet/batch_load_scannet_data.py} writes and
 * most indoor 3-D detectors (VoteNet, H3DNet, GroupFree3D, mmdetection3d's ScanNet preparation) read,
 * one scene per prefix in one directory:
 *
 * <ul>
 * <li>{@code <scene>_vert.npy}: the mesh vertices, {@code N × 6} (x, y, z, r, g, b; colour 0–255),
 *     z up, in metres, already turned by the scene's axis-alignment matrix;</li>
 * <li>{@code <scene>_bbox.npy}: the instances' axis-aligned boxes, {@code K × 7}
 *     ({@code cx, cy, cz, dx, dy, dz, nyu40id}), full sizes; the class column is the NYU40 id of
 *     the instance's category, which {@link #label(int)} maps to the 18 detection classes
 *     ({@link #CLASSES}) as VoteNet's {@code nyu40ids} table does. Boxes of other ids (the
 *     preprocessing keeps only these, but other exports may not) are ignored.</li>
 * </ul>
 *
 * <p>mmdetection3d's version of the script writes the vertices <em>unaligned</em> with the 4 × 4
 * {@code <scene>_axis_align_matrix.npy} beside them and the boxes as {@code <scene>_aligned_bbox.npy}
 * (and {@code _unaligned_bbox.npy}) instead of {@code _bbox.npy}. That variant is read too: when the
 * matrix file exists the vertices are turned by it, and without {@code _bbox.npy} the boxes come from
 * {@code _aligned_bbox.npy}, so both give the same axis-aligned scene and boxes.
 *
 * <p>Other files of the layout ({@code _sem_label.npy}, {@code _ins_label.npy}) are not needed.
 * Arrays of any numeric dtype are read (NumPy writes float32 or float64 here).
 */
public final class ScanNetScenes {

    /** The 18 ScanNet detection classes in VoteNet's order ({@code scannet18}). */
    public static final List<String> CLASSES = List.of("cabinet", "bed", "chair", "sofa", "table", "door", "window",
        "bookshelf", "picture", "counter", "desk", "curtain", "refrigerator", "showercurtain", "toilet", "sink",
        "bathtub", "garbagebin");

    /** The NYU40 id of each of {@link #CLASSES}, in the same order. */
    private static final int[] NYU40_IDS = {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 24, 28, 33, 34, 36, 39};

    /** Suffix of the point files. */
    public static final String VERT = "_vert.npy";
    /** Suffix of the box files. */
    public static final String BBOX = "_bbox.npy";
    /** Suffix of mmdetection3d's box files (boxes of the aligned scene). */
    public static final String ALIGNED_BBOX = "_aligned_bbox.npy";
    /** Suffix of mmdetection3d's axis-alignment matrices (4 × 4, applied to the vertices). */
    public static final String AXIS_ALIGN = "_axis_align_matrix.npy";

    private ScanNetScenes() {
    }

    /**
     * @param nyu40id a NYU40 class id
     * @return the detection class it belongs to, or null when it is none of the 18
     */
    public static String label(int nyu40id) {
        for (int i = 0; i < NYU40_IDS.length; i++) {
            if (NYU40_IDS[i] == nyu40id) {
                return CLASSES.get(i);
            }
        }
        return null;
    }

    /**
     * @param label one of {@link #CLASSES}
     * @return its NYU40 id
     * @throws IllegalArgumentException for another label
     */
    public static int nyu40id(String label) {
        int i = CLASSES.indexOf(label);
        if (i < 0) {
            throw new IllegalArgumentException("'" + label + "' is not a ScanNet detection class; known: " + CLASSES);
        }
        return NYU40_IDS[i];
    }

    /**
     * @param dir a directory in this layout
     * @return the scene ids (the prefixes of its {@code _vert.npy} files), sorted
     * @throws NoSuchFileException if the directory does not exist
     * @throws IOException if listing fails
     */
    public static List<String> sceneIds(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "not a directory");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(VERT))
                .map(n -> n.substring(0, n.length() - VERT.length())).sorted().toList();
        }
    }

    /**
     * Reads a scene's points with their colour (attribute {@code "color"}, 3 values a point).
     *
     * @param dir the directory
     * @param scene the scene id
     * @return the points
     * @throws FileFormatException if the array is not N × ≥3, empty, or has a non-finite coordinate
     * @throws IOException if reading fails
     */
    public static PointCloud readScene(Path dir, String scene) throws IOException {
        Path file = dir.resolve(scene + VERT);
        NpyArray a = NpyArray.read(file);
        int[] shape = a.shape();
        if (shape.length != 2 || shape[1] < 3) {
            throw FileFormatException.of(file, "expected an N × 6 array (x, y, z, r, g, b), got shape "
                + Arrays.toString(shape), null);
        }
        int n = shape[0];
        int w = shape[1];
        if (n == 0) {
            throw FileFormatException.of(file, "the scene has no points", null);
        }
        float[] data = a.data();
        float[] xyz = new float[3 * n];
        float[] color = w >= 6 ? new float[3 * n] : null;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) {
                float v = data[i * w + k];
                if (!Float.isFinite(v)) {
                    throw FileFormatException.of(file, "point " + i + " has a non-finite " + "xyz".charAt(k)
                        + " coordinate (" + v + ")", null);
                }
                xyz[3 * i + k] = v;
            }
            if (color != null) {
                System.arraycopy(data, i * w + 3, color, 3 * i, 3);
            }
        }
        Path matrixFile = dir.resolve(scene + AXIS_ALIGN);
        if (Files.isRegularFile(matrixFile)) {
            align(xyz, matrixFile);
        }
        PointCloud.Builder b = PointCloud.builder().coordinates(xyz);
        if (color != null) {
            b.attribute("color", color);
        }
        return b.build();
    }

    /**
     * Reads a scene's ground-truth boxes (axis-aligned), those of the 18 classes.
     *
     * @param dir the directory
     * @param scene the scene id
     * @return the boxes and their classes, in file order
     * @throws FileFormatException if the array is not K × 7, or a box is not finite or has a negative size
     * @throws IOException if reading fails (a missing file is {@link NoSuchFileException})
     */
    public static List<LabelledBox> readBoxes(Path dir, String scene) throws IOException {
        Path file = dir.resolve(scene + BBOX);
        if (!Files.exists(file) && Files.exists(dir.resolve(scene + ALIGNED_BBOX))) {
            file = dir.resolve(scene + ALIGNED_BBOX);
        }
        NpyArray a = NpyArray.read(file);
        int[] shape = a.shape();
        boolean empty = shape.length == 1 && shape[0] == 0 || shape.length == 2 && shape[0] == 0;
        if (empty) {
            return List.of();
        }
        if (shape.length != 2 || shape[1] < 7) {
            throw FileFormatException.of(file, "expected a K × 7 array (cx, cy, cz, dx, dy, dz, nyu40id), got shape "
                + Arrays.toString(shape), null);
        }
        float[] d = a.data();
        int w = shape[1];
        List<LabelledBox> out = new ArrayList<>();
        for (int i = 0; i < shape[0]; i++) {
            int o = i * w;
            float id = d[o + 6];
            String label = id == Math.rint(id) ? label((int) id) : null;
            if (label == null) {
                continue;
            }
            try {
                out.add(new LabelledBox(Box.of(d[o], d[o + 1], d[o + 2], d[o + 3], d[o + 4], d[o + 5]), label));
            } catch (IllegalArgumentException e) {
                throw FileFormatException.of(file, "box " + i + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Turns coordinates by a 4 × 4 row-major matrix (homogeneous, last row 0 0 0 1). */
    private static void align(float[] xyz, Path file) throws IOException {
        NpyArray m = NpyArray.read(file);
        if (m.shape().length != 2 || m.shape()[0] != 4 || m.shape()[1] != 4) {
            throw FileFormatException.of(file, "expected a 4 × 4 axis-alignment matrix, got shape "
                + Arrays.toString(m.shape()), null);
        }
        float[] a = m.data();
        for (float v : a) {
            if (!Float.isFinite(v)) {
                throw FileFormatException.of(file, "the axis-alignment matrix has a non-finite entry (" + v + ")", null);
            }
        }
        for (int i = 0; i < xyz.length; i += 3) {
            double x = xyz[i];
            double y = xyz[i + 1];
            double z = xyz[i + 2];
            for (int r = 0; r < 3; r++) {
                xyz[i + r] = (float) (a[4 * r] * x + a[4 * r + 1] * y + a[4 * r + 2] * z + a[4 * r + 3]);
            }
        }
    }

    /**
     * Writes a scene in this layout (points with colour as N × 6, boxes as K × 7 with NYU40 ids), atomically.
     *
     * @param dir the directory
     * @param scene the scene id
     * @param points the points; colour from the attribute {@code "color"} (0 without it)
     * @param boxes axis-aligned boxes of the 18 classes
     * @throws IOException if writing fails
     * @throws IllegalArgumentException if a box is rotated or its label is not one of the 18
     */
    public static void write(Path dir, String scene, PointCloud points, List<LabelledBox> boxes) throws IOException {
        int n = points.size();
        float[] color = points.attributeNames().contains("color") && points.attributeWidth("color") == 3
            ? points.attribute("color") : null;
        float[] v = new float[6 * n];
        for (int i = 0; i < n; i++) {
            v[6 * i] = points.x(i);
            v[6 * i + 1] = points.y(i);
            v[6 * i + 2] = points.z(i);
            if (color != null) {
                System.arraycopy(color, 3 * i, v, 6 * i + 3, 3);
            }
        }
        float[] b = new float[7 * boxes.size()];
        for (int i = 0; i < boxes.size(); i++) {
            Box box = boxes.get(i).box();
            if (box.heading() != 0) {
                throw new IllegalArgumentException("the ScanNet layout holds axis-aligned boxes; box " + i
                    + " has heading " + box.heading());
            }
            float[] row = {(float) box.centerX(), (float) box.centerY(), (float) box.centerZ(), (float) box.sizeX(),
                (float) box.sizeY(), (float) box.sizeZ(), nyu40id(boxes.get(i).label())};
            System.arraycopy(row, 0, b, 7 * i, 7);
        }
        Files.createDirectories(dir);
        NpyArray.write(dir.resolve(scene + VERT), v, n, 6);
        NpyArray.write(dir.resolve(scene + BBOX), b, boxes.size(), 7);
    }
}
