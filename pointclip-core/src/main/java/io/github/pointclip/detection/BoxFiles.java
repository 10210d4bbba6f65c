package io.github.pointclip.detection;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pointclip.internal.AtomicFiles;
import io.github.pointclip.internal.JsonMessages;
import io.github.pointclip.io.FileFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes boxes as JSON:
 * {@code [{"center": [x, y, z], "size": [dx, dy, dz], "heading": 0.0, "score": 0.9}, ...]}.
 * {@code heading} is optional (default 0; radians, counter-clockwise about +z, any finite value),
 * {@code score} is optional, and {@code null} (Python's {@code None}) means the same as leaving it
 * out (then the box has none and the class probability is not scaled); {@code []} is a valid file. Any
 * other key, a missing key, any other non-number (a {@code null} centre, size or heading included),
 * NaN or infinity, a value beyond the float range of scene points, or a negative size is refused with
 * a message naming the file and the box (e.g. {@code boxes[2].size[0]}).
 */
public final class BoxFiles {

    private static final Set<String> KEYS = Set.of("center", "size", "heading", "score");

    private BoxFiles() {
    }

    /**
     * @param file a boxes JSON file
     * @return its boxes, in order
     * @throws FileFormatException if the file is not such a list (naming the box and what was wrong)
     * @throws IOException if reading fails
     */
    public static List<Box> read(Path file) throws IOException {
        JsonNode root;
        ObjectMapper mapper = new ObjectMapper().enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);
        try {
            root = mapper.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw FileFormatException.atLine(file, JsonMessages.line(e), "not JSON: " + JsonMessages.reason(e), e);
        }
        return parse(file, root);
    }

    /**
     * @param file the file the tree came from, for messages
     * @param root the parsed JSON
     * @return the boxes
     * @throws FileFormatException if the tree is not a list of boxes
     */
    static List<Box> parse(Path file, JsonNode root) throws FileFormatException {
        if (root == null || !root.isArray()) {
            throw FileFormatException.of(file, "expected a JSON array of boxes [{\"center\": [x, y, z], \"size\": "
                + "[dx, dy, dz], \"heading\": h, \"score\": s}, ...]", null);
        }
        List<Box> boxes = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode node = root.get(i);
            String where = "boxes[" + i + "]";
            if (!node.isObject()) {
                throw FileFormatException.of(file, where + " is not an object", null);
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                String key = it.next();
                if (!KEYS.contains(key)) {
                    throw FileFormatException.of(file, where + " has the unknown key '" + key
                        + "'; known: center, size, heading, score", null);
                }
            }
            double[] c = triple(file, node, where, "center");
            double[] s = triple(file, node, where, "size");
            for (int k = 0; k < 3; k++) {
                if (s[k] < 0) {
                    throw FileFormatException.of(file, where + ".size[" + k + "] is " + s[k] + ": sizes must be ≥ 0", null);
                }
            }
            double heading = node.has("heading") ? number(file, node.get("heading"), where + ".heading") : 0;
            Box box;
            try {
                box = Box.of(c[0], c[1], c[2], s[0], s[1], s[2], heading);
            } catch (IllegalArgumentException e) { // a corner beyond the float range
                throw FileFormatException.of(file, where + ": " + e.getMessage(), e);
            }
            if (node.has("score") && !node.get("score").isNull()) { // null: no score, as Python writes None
                box = box.withScore(number(file, node.get("score"), where + ".score"));
            }
            boxes.add(box);
        }
        return boxes;
    }

    private static double[] triple(Path file, JsonNode node, String where, String key) throws FileFormatException {
        JsonNode a = node.get(key);
        if (a == null) {
            throw FileFormatException.of(file, where + " has no \"" + key + "\"", null);
        }
        if (!a.isArray() || a.size() != 3) {
            throw FileFormatException.of(file, where + "." + key + " must be an array of 3 numbers, got " + a, null);
        }
        double[] v = new double[3];
        for (int k = 0; k < 3; k++) {
            v[k] = number(file, a.get(k), where + "." + key + "[" + k + "]");
            if (Math.abs(v[k]) > Float.MAX_VALUE) {
                throw FileFormatException.of(file, where + "." + key + "[" + k + "] is " + v[k] + ": beyond the float "
                    + "range (±" + Float.MAX_VALUE + ") of scene points", null);
            }
        }
        return v;
    }

    private static double number(Path file, JsonNode n, String where) throws FileFormatException {
        if (n == null || !n.isNumber()) {
            throw FileFormatException.of(file, where + " is not a number: " + n, null);
        }
        double v = n.doubleValue();
        if (!Double.isFinite(v)) {
            throw FileFormatException.of(file, where + " is " + v + "; it must be finite", null);
        }
        return v;
    }

    /**
     * @param boxes boxes
     * @return them as the JSON list this class reads ({@code score} only for boxes that have one)
     */
    public static ArrayNode toJson(List<Box> boxes) {
        ArrayNode array = new ObjectMapper().createArrayNode();
        for (Box b : boxes) {
            ObjectNode o = array.addObject();
            put(o, b);
            b.score().ifPresent(s -> o.put("score", s));
        }
        return array;
    }

    /**
     * Puts a box's {@code center}, {@code size} and {@code heading} into a JSON object.
     *
     * @param o the object
     * @param b the box
     */
    public static void put(ObjectNode o, Box b) {
        o.putArray("center").add(b.centerX()).add(b.centerY()).add(b.centerZ());
        o.putArray("size").add(b.sizeX()).add(b.sizeY()).add(b.sizeZ());
        o.put("heading", b.heading());
    }

    /**
     * Writes boxes as JSON, atomically.
     *
     * @param boxes the boxes
     * @param file the target
     * @throws IOException if writing fails
     */
    public static void write(List<Box> boxes, Path file) throws IOException {
        String text = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson(boxes));
        AtomicFiles.write(file, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
