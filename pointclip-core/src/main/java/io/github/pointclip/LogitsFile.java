package io.github.pointclip;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.internal.JsonMessages;
import io.github.pointclip.io.FileFormatException;
import io.github.pointclip.io.NpyArray;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Logits another model computed, read from a file, for {@linkplain Prediction#fuse fusion} with
 * PointCLIP's: one row per cloud, one column per class. Two formats:
 * <ul>
 *   <li>{@code .npy}: a float (or integer) array [N, C] in C order; a 1-D array [C] is one row. It
 *       carries no class names: its columns must be in the order of the classes it is fused with;
 *       only their number can be checked.</li>
 *   <li>JSON lines (any other extension, e.g. {@code .jsonl}), as {@code pointclip classify --json}
 *       writes them: one object per line with {@code "logits": [numbers]}, and optionally
 *       {@code "labels": [names]} (then the same on every line, and checked against the classes it is
 *       fused with, in order) and {@code "input": "file"} (checked against the input it is fused
 *       with, where the caller knows it). Blank lines are skipped; other fields are ignored.</li>
 * </ul>
 * Rows are in the order of the inputs (for {@code classify}) or of the dataset's samples (for
 * {@code eval}). Every value must be finite. Immutable.
 */
public final class LogitsFile {

    private final Path file;
    private final int rows;
    private final int classes;
    private final float[] values;
    private final List<String> labels;
    private final List<String> inputs;

    private LogitsFile(Path file, int rows, int classes, float[] values, List<String> labels, List<String> inputs) {
        this.file = file;
        this.rows = rows;
        this.classes = classes;
        this.values = values;
        this.labels = labels;
        this.inputs = inputs;
    }

    /**
     * Reads a logits file.
     *
     * @param file a {@code .npy} array or a JSON-lines file
     * @return the logits
     * @throws java.nio.file.NoSuchFileException if it does not exist
     * @throws FormatException if it is malformed: not a 1-D or 2-D array, rows of different lengths, a
     *     non-finite value, different labels on two lines, no rows (the message names the file and the
     *     line)
     * @throws IOException if it cannot be read
     */
    public static LogitsFile read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".npy") ? readNpy(file) : readJsonLines(file);
    }

    private static LogitsFile readNpy(Path file) throws IOException {
        NpyArray a = NpyArray.read(file);
        int[] shape = a.shape();
        if (shape.length != 1 && shape.length != 2) {
            throw new FormatException(file, -1, "expected logits [N, C] (or [C] for one cloud), got an array of shape "
                + java.util.Arrays.toString(shape));
        }
        int rows = shape.length == 1 ? 1 : shape[0];
        int classes = shape[shape.length - 1];
        if (rows == 0 || classes == 0) {
            throw new FormatException(file, -1, "empty logits array of shape " + java.util.Arrays.toString(shape));
        }
        float[] v = a.data();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new FormatException(file, -1, "logit " + i % classes + " of row " + i / classes + " is " + v[i]
                    + "; logits must be finite");
            }
        }
        return new LogitsFile(file, rows, classes, v, null, null);
    }

    private static LogitsFile readJsonLines(Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<float[]> rows = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        boolean anyInput = false;
        List<String> labels = null;
        int labelsLine = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = mapper.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new FormatException(file, number, "not a JSON object: " + JsonMessages.reason(e), e);
                }
                if (node == null || !node.isObject()) {
                    throw new FormatException(file, number, "expected a JSON object with \"logits\" per line");
                }
                JsonNode l = node.get("logits");
                if (l == null || !l.isArray() || l.isEmpty()) {
                    throw new FormatException(file, number, "no \"logits\" array");
                }
                float[] row = new float[l.size()];
                for (int c = 0; c < row.length; c++) {
                    JsonNode v = l.get(c);
                    if (!v.isNumber() || !Double.isFinite(v.asDouble()) || !Float.isFinite((float) v.asDouble())) {
                        throw new FormatException(file, number, "logit " + c + " is " + v + "; logits must be finite "
                            + "numbers");
                    }
                    row[c] = (float) v.asDouble();
                }
                if (!rows.isEmpty() && row.length != rows.get(0).length) {
                    throw new FormatException(file, number, row.length + " logits, but the first row has "
                        + rows.get(0).length);
                }
                JsonNode names = node.get("labels");
                if (names != null) {
                    List<String> these = new ArrayList<>();
                    for (JsonNode n : names) {
                        these.add(n.asText());
                    }
                    if (these.size() != row.length) {
                        throw new FormatException(file, number, these.size() + " labels but " + row.length + " logits");
                    }
                    if (labels == null) {
                        labels = List.copyOf(these);
                        labelsLine = number;
                    } else if (!labels.equals(these)) {
                        throw new FormatException(file, number, "the labels differ from those of line " + labelsLine
                            + ": " + Prediction.firstDifference(these, labels));
                    }
                }
                JsonNode input = node.get("input");
                anyInput |= input != null;
                inputs.add(input == null ? null : input.asText());
                rows.add(row);
            }
        }
        if (rows.isEmpty()) {
            throw new FormatException(file, -1, "no logits: expected one JSON object per line, as "
                + "'pointclip classify --json' writes them, or a .npy array [N, C]");
        }
        int classes = rows.get(0).length;
        float[] v = new float[rows.size() * classes];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, v, i * classes, classes);
        }
        return new LogitsFile(file, rows.size(), classes, v, labels,
            anyInput ? java.util.Collections.unmodifiableList(inputs) : null);
    }

    /** @return the file read */
    public Path file() {
        return file;
    }

    /** @return the number of rows (clouds) */
    public int rows() {
        return rows;
    }

    /** @return the number of columns (classes) */
    public int classes() {
        return classes;
    }

    /**
     * @param row a row index
     * @return its logits (a copy)
     */
    public float[] logits(int row) {
        Objects.checkIndex(row, rows);
        float[] out = new float[classes];
        System.arraycopy(values, row * classes, out, 0, classes);
        return out;
    }

    /** @return the class names the file records (JSON lines with {@code "labels"}), else empty */
    public Optional<List<String>> labels() {
        return Optional.ofNullable(labels);
    }

    /**
     * @param row a row index
     * @return the input the row records (JSON lines with {@code "input"}), else empty
     */
    public Optional<String> input(int row) {
        Objects.checkIndex(row, rows);
        return inputs == null ? Optional.empty() : Optional.ofNullable(inputs.get(row));
    }

    /**
     * Checks that the columns can be fused with predictions over {@code classes}: as many, and, where
     * the file names them, the same names in the same order.
     *
     * @param classes the classes of the other model, in order
     * @throws IllegalArgumentException if they do not match (the message names the file and the first
     *     difference)
     */
    public void checkClasses(List<String> classes) {
        if (labels != null && !labels.equals(classes)) {
            throw new IllegalArgumentException(file + ": its logits are over other classes than the ones they are "
                + "fused with: " + Prediction.firstDifference(labels, classes));
        }
        if (this.classes != classes.size()) {
            throw new IllegalArgumentException(file + ": " + this.classes + " logits per row, but they are fused with "
                + classes.size() + " classes (columns must be the classes in order)");
        }
    }

    /**
     * Checks the number of rows against the clouds they are fused with.
     *
     * @param expected clouds fused
     * @param what what the rows must follow, for the message, e.g. {@code "inputs"}
     * @throws IllegalArgumentException if the counts differ (the message names the file)
     */
    public void checkRows(int expected, String what) {
        if (rows != expected) {
            throw new IllegalArgumentException(file + ": " + rows + " rows of logits, but " + expected + " " + what
                + " (one row per cloud, in order)");
        }
    }

    /**
     * @param row a row index
     * @param classes the classes the row is over, in order (checked with {@link #checkClasses})
     * @return the row as a prediction
     */
    public Prediction prediction(int row, List<String> classes) {
        checkClasses(classes);
        return Prediction.of(classes, logits(row));
    }

    /** A logits file is malformed; the message names the file and, for JSON lines, the line. */
    public static final class FormatException extends FileFormatException {
        private static final long serialVersionUID = 1L;

        FormatException(Path file, long line, String reason) {
            super(file, line, -1, reason, null);
        }

        FormatException(Path file, long line, String reason, Throwable cause) {
            super(file, line, -1, reason, cause);
        }
    }
}
