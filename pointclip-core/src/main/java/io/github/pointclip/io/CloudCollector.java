package io.github.pointclip.io;

import io.github.pointclip.cloud.PointCloud;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accumulates what a format reader finds (vertices, per-point attribute columns, triangles) in
 * primitive arrays, applies the {@link ReadOptions} as it goes (point limit, non-finite policy)
 * and builds the {@link PointCloud} at the end. Positions passed in are line numbers or byte
 * offsets, as {@link #positionsAreLines(boolean)} says, and end up in error messages.
 */
final class CloudCollector {

    private static final Logger LOG = LoggerFactory.getLogger(CloudCollector.class);

    private final Path file;
    private final ReadOptions options;
    private boolean lines = true;
    private FloatList xyz = new FloatList(3 * 1024);
    private long points;

    // Row layout (formats with named columns): which row entries are x, y, z and each attribute.
    private int xColumn = 0;
    private int yColumn = 1;
    private int zColumn = 2;
    private final List<String> attributeNames = new ArrayList<>();
    private final List<int[]> attributeColumns = new ArrayList<>();
    private final List<FloatList> attributeValues = new ArrayList<>();
    private boolean attributesDropped;

    private int reserved = 1024;
    private IntList triangles;
    private boolean sawFaces;
    private int[] dedupTable;

    CloudCollector(Path file, ReadOptions options) {
        this.file = file;
        this.options = options;
    }

    ReadOptions options() {
        return options;
    }

    /** @param lineNumbers true if positions are 1-based lines, false if byte offsets */
    void positionsAreLines(boolean lineNumbers) {
        this.lines = lineNumbers;
    }

    PointCloudFormatException error(long position, String reason) {
        return lines ? PointCloudFormatException.atLine(file, position, reason)
            : PointCloudFormatException.atByte(file, position, reason);
    }

    /** @return true if faces should be collected as triangles for surface sampling */
    boolean sampling() {
        return options.samplePoints() > 0;
    }

    /** @return the number of vertices added so far */
    int vertexCount() {
        return (int) points;
    }

    /**
     * Like {@link #expectPoints}, where {@code atMost} is a hard bound: the most points the bytes
     * the file has left could hold. A count above {@link ReadOptions#maxPoints()} that the bytes
     * cannot hold either is reported as a truncated file or a corrupt count, not as over the limit,
     * since raising the limit cannot help.
     *
     * @param declared the count the header declares
     * @param atMost the most points {@code bytes} can hold
     * @param bytes the bytes that hold the points (the file's, or those after its header)
     * @param bytesWhat what {@code bytes} counts, for the message ("after the header", "in the file")
     * @param position line or byte of the count
     */
    void expectPointsWithin(long declared, long atMost, long bytes, String bytesWhat, long position)
        throws PointCloudFormatException {
        // a modest excess is left to the read, which names the record where the file ends
        if (declared > options.maxPoints() && declared > atMost) {
            throw error(position, "truncated file or corrupt count: the header declares " + declared
                + " points, the " + bytes + " bytes " + bytesWhat + " can hold at most " + atMost);
        }
        expectPoints(declared, atMost, position);
    }

    /**
     * Checks a count declared in a header against {@link ReadOptions#maxPoints()} and reserves
     * memory for it, at most {@code plausible} points (what the rest of the file can hold), so
     * that a corrupt header cannot allocate gigabytes.
     */
    void expectPoints(long declared, long plausible, long position) throws PointCloudFormatException {
        if (declared < 0) {
            throw error(position, "negative point count " + declared);
        }
        if (declared > options.maxPoints()) {
            throw error(position, "header declares " + declared + " points, more than maxPoints="
                + options.maxPoints() + "; raise ReadOptions.maxPoints to read this file");
        }
        int capacity = (int) Math.max(0, Math.min(declared, plausible));
        if (points == 0 && capacity > 0) {
            xyz = new FloatList(3 * capacity);
            for (int a = 0; a < attributeValues.size(); a++) {
                attributeValues.set(a, new FloatList(reservation(attributeColumns.get(a).length, capacity)));
            }
            reserved = capacity;
        }
    }

    /**
     * Declares the row layout by column name (null for a column to skip): x, y, z are the
     * coordinates; nx/ny/nz (or normal_x…) form "normal", red/green/blue (or r/g/b,
     * diffuse_red…) form "color"; columns sharing a name form one attribute of that width; any
     * other name is an attribute of width 1. Attributes are only collected when
     * {@link ReadOptions#keepAttributes()} is set.
     *
     * @return false if no x, y and z columns are present
     */
    boolean columns(List<String> names) {
        int[] xyzColumns = {-1, -1, -1};
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        int[] normal = {-1, -1, -1};
        int[] color = {-1, -1, -1};
        for (int c = 0; c < names.size(); c++) {
            String raw = names.get(c);
            if (raw == null) {
                continue;
            }
            String name = raw.toLowerCase(Locale.ROOT);
            int axis = "xyz".indexOf(name.length() == 1 ? name.charAt(0) : '?');
            if (axis >= 0 && xyzColumns[axis] < 0) {
                xyzColumns[axis] = c;
                continue;
            }
            int n = component(name, "nx", "ny", "nz", "normal_x", "normal_y", "normal_z");
            if (n >= 0 && normal[n] < 0) {
                normal[n] = c;
            }
            int k = component(name, "red", "green", "blue", "r", "g", "b", "diffuse_red", "diffuse_green",
                "diffuse_blue");
            if (k >= 0 && color[k] < 0) {
                color[k] = c;
            }
            groups.computeIfAbsent(raw, key -> new ArrayList<>()).add(c);
        }
        if (xyzColumns[0] < 0 || xyzColumns[1] < 0 || xyzColumns[2] < 0) {
            return false;
        }
        xColumn = xyzColumns[0];
        yColumn = xyzColumns[1];
        zColumn = xyzColumns[2];
        attributeNames.clear();
        attributeColumns.clear();
        attributeValues.clear();
        if (!options.keepAttributes()) {
            return true;
        }
        boolean hasNormal = normal[0] >= 0 && normal[1] >= 0 && normal[2] >= 0;
        boolean hasColor = color[0] >= 0 && color[1] >= 0 && color[2] >= 0;
        if (hasNormal) {
            addAttribute("normal", normal);
        }
        if (hasColor) {
            addAttribute("color", color);
        }
        for (Map.Entry<String, List<Integer>> group : groups.entrySet()) {
            int first = group.getValue().get(0);
            if (hasNormal && contains(normal, first) || hasColor && contains(color, first)) {
                continue;
            }
            addAttribute(group.getKey(), group.getValue().stream().mapToInt(Integer::intValue).toArray());
        }
        return true;
    }

    private void addAttribute(String name, int[] columns) {
        attributeNames.add(name);
        attributeColumns.add(columns);
        attributeValues.add(new FloatList(reservation(columns.length, reserved)));
    }

    /** Floats to reserve for {@code width} values per point: never more than 16 Mi up front, the rest grows. */
    private static int reservation(int width, int points) {
        return (int) Math.min((long) width * points, 1 << 24);
    }

    private static boolean contains(int[] values, int v) {
        for (int x : values) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static int component(String name, String... candidates) {
        for (int i = 0; i < candidates.length; i++) {
            if (candidates[i].equals(name)) {
                return i % 3;
            }
        }
        return -1;
    }

    /** @return true if x, y, z are the first three columns of a row */
    boolean positional() {
        return xColumn == 0 && yColumn == 1 && zColumn == 2;
    }

    /** @return true if rows carry attributes worth parsing */
    boolean wantsAttributes() {
        return !attributeNames.isEmpty() && !attributesDropped;
    }

    /** Gives up the attributes (a later row could not fill them); the coordinates are unaffected. */
    void dropAttributes(String why) {
        if (!attributesDropped && !attributeNames.isEmpty()) {
            LOG.debug("{}: attributes {} not kept: {}", file, attributeNames, why);
        }
        attributesDropped = true;
        attributeValues.clear();
    }

    /** Adds one point from a row laid out as declared by {@link #columns(List)}. */
    void addRow(float[] row, long position) throws PointCloudFormatException {
        add(row[xColumn], row[yColumn], row[zColumn], position);
        if (!attributesDropped) {
            for (int a = 0; a < attributeColumns.size(); a++) {
                FloatList values = attributeValues.get(a);
                for (int c : attributeColumns.get(a)) {
                    values.add(row[c]);
                }
            }
        }
    }

    /** Adds one point; checks the point limit and, unless dropping, that it is finite. */
    void add(float x, float y, float z, long position) throws PointCloudFormatException {
        if (points >= options.maxPoints()) {
            throw error(position, "more than maxPoints=" + options.maxPoints()
                + " points; raise ReadOptions.maxPoints to read this file");
        }
        if (!options.dropNonFinite() && !(Float.isFinite(x) && Float.isFinite(y) && Float.isFinite(z))) {
            throw error(position, "point " + points + " has a non-finite coordinate (" + x + ", " + y + ", " + z
                + "); set ReadOptions.dropNonFinite(true) to drop such points");
        }
        xyz.add(x, y, z);
        points++;
    }

    /**
     * Adds a vertex unless an identical one (bitwise) was added before, for formats that repeat
     * shared corners (STL).
     *
     * @return the index of the vertex
     */
    int addUnique(float x, float y, float z, long position) throws PointCloudFormatException {
        if (dedupTable == null || 2 * points >= dedupTable.length) {
            rehash();
        }
        int mask = dedupTable.length - 1;
        int h = hash(x, y, z) & mask;
        while (true) {
            int slot = dedupTable[h];
            if (slot == 0) {
                int index = (int) points;
                add(x, y, z, position);
                dedupTable[h] = index + 1;
                return index;
            }
            int i = 3 * (slot - 1);
            if (Float.floatToRawIntBits(xyz.get(i)) == Float.floatToRawIntBits(x)
                && Float.floatToRawIntBits(xyz.get(i + 1)) == Float.floatToRawIntBits(y)
                && Float.floatToRawIntBits(xyz.get(i + 2)) == Float.floatToRawIntBits(z)) {
                return slot - 1;
            }
            h = (h + 1) & mask;
        }
    }

    private static int hash(float x, float y, float z) {
        int h = Float.floatToRawIntBits(x);
        h = h * 31 + Float.floatToRawIntBits(y);
        h = h * 31 + Float.floatToRawIntBits(z);
        return h ^ (h >>> 16) * 0x45d9f3b;
    }

    private void rehash() {
        int capacity = Integer.highestOneBit((int) Math.max(1024, 4 * points));
        dedupTable = new int[capacity];
        int mask = capacity - 1;
        for (int v = 0; v < points; v++) {
            int h = hash(xyz.get(3 * v), xyz.get(3 * v + 1), xyz.get(3 * v + 2)) & mask;
            while (dedupTable[h] != 0) {
                h = (h + 1) & mask;
            }
            dedupTable[h] = v + 1;
        }
    }

    /** Notes that the file has faces (even when they are not collected). */
    void sawFaces() {
        sawFaces = true;
    }

    /**
     * Adds a polygon face as a fan of triangles, when sampling; indices must be valid vertices.
     *
     * @param indices vertex indices, {@code count} of them used
     */
    void addPolygon(int[] indices, int count) {
        sawFaces = true;
        if (!sampling()) {
            return;
        }
        if (triangles == null) {
            triangles = new IntList(3 * 1024);
        }
        for (int k = 2; k < count; k++) {
            triangles.add(indices[0], indices[k - 1], indices[k]);
        }
    }

    /**
     * Builds the cloud: sampled surface points if sampling and the file has faces, else the
     * vertices with their attributes (non-finite points dropped if so configured).
     */
    PointCloud finish() throws PointCloudFormatException {
        if (points == 0) {
            throw PointCloudFormatException.of(file, "the file holds no points", null);
        }
        if (triangles != null && triangles.size() > 0) {
            float[] vertices = xyz.toArray();
            xyz = null;
            float[] sampled = MeshSampler.sample(file, vertices, triangles, options.samplePoints(), options.seed());
            return PointCloud.of(sampled);
        }
        if (sawFaces && sampling()) {
            LOG.debug("{}: samplePoints={} but the file has no non-degenerate faces; returning its {} vertices",
                file, options.samplePoints(), points);
        }
        PointCloud.Builder builder = PointCloud.builder().coordinates(xyz.toArray()).dropNonFinite(true);
        xyz = null;
        if (!attributesDropped) {
            for (int a = 0; a < attributeNames.size(); a++) {
                builder.attribute(attributeNames.get(a), attributeValues.get(a).toArray());
            }
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw PointCloudFormatException.of(file, e.getMessage(), e);
        }
    }
}
