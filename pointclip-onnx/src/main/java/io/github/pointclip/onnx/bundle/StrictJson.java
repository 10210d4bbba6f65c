package io.github.pointclip.onnx.bundle;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.onnx.internal.CauseMessages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads JSON documents field by field, failing with a {@link BundleException} that names the
 * file and the dotted path of the offending field. Unknown fields are errors, so that a typo
 * in a manifest is reported instead of silently ignored.
 */
final class StrictJson {

    static final ObjectMapper MAPPER = new ObjectMapper()
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Path file;
    private final String label;

    StrictJson(Path file) {
        this.file = file;
        this.label = null;
    }

    /** For documents that are not files, such as a fetched remote manifest; messages start with {@code label}. */
    StrictJson(String label) {
        this.file = null;
        this.label = label;
    }

    private BundleException fail(String reason, Throwable cause) {
        return new BundleException(file, label == null ? reason : label + ": " + reason, cause);
    }

    Path file() {
        return file;
    }

    /** Parses a file; syntax errors name the line and column. */
    JsonNode parse() throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in);
        }
    }

    JsonNode parse(InputStream in) throws BundleException {
        try {
            JsonNode node = MAPPER.readTree(in);
            if (node == null || node.isMissingNode()) {
                throw fail("empty JSON document", null);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw fail("malformed JSON: " + CauseMessages.json(e), e);
        } catch (IOException e) {
            throw fail("cannot read JSON: " + CauseMessages.of(e), e);
        }
    }

    BundleException error(String path, String reason) {
        return fail("field '" + path + "': " + reason, null);
    }

    static String child(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    JsonNode object(JsonNode node, String path, String... known) throws BundleException {
        if (node == null || !node.isObject()) {
            throw error(path.isEmpty() ? "(root)" : path, "expected a JSON object, found " + kind(node));
        }
        Set<String> allowed = Set.of(known);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw error(child(path, name), "unknown field (known here: " + new TreeSet<>(allowed) + ")");
            }
        }
        return node;
    }

    /** An object whose field names are data (such as file names), so any name is allowed. */
    JsonNode map(JsonNode node, String path) throws BundleException {
        if (node == null || !node.isObject()) {
            throw error(path, "expected a JSON object, found " + kind(node));
        }
        return node;
    }

    JsonNode required(JsonNode parent, String path, String field) throws BundleException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            throw error(child(path, field), "required field is missing");
        }
        return node;
    }

    static boolean present(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        return node != null && !node.isNull();
    }

    String string(JsonNode parent, String path, String field) throws BundleException {
        JsonNode node = required(parent, path, field);
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw error(child(path, field), "expected a non-empty string, found " + kind(node));
        }
        return node.asText();
    }

    long integer(JsonNode node, String path) throws BundleException {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw error(path, "expected an integer, found " + kind(node));
        }
        return node.asLong();
    }

    int positiveInt(JsonNode parent, String path, String field) throws BundleException {
        long v = integer(required(parent, path, field), child(path, field));
        if (v <= 0 || v > Integer.MAX_VALUE) {
            throw error(child(path, field), "expected a positive integer, found " + v);
        }
        return (int) v;
    }

    double finite(JsonNode parent, String path, String field) throws BundleException {
        JsonNode node = required(parent, path, field);
        if (!node.isNumber() || !Double.isFinite(node.asDouble())) {
            throw error(child(path, field), "expected a finite number, found " + kind(node));
        }
        return node.asDouble();
    }

    JsonNode array(JsonNode parent, String path, String field) throws BundleException {
        JsonNode node = required(parent, path, field);
        if (!node.isArray()) {
            throw error(child(path, field), "expected an array, found " + kind(node));
        }
        return node;
    }

    static String kind(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isTextual()) {
            return "the string \"" + node.asText() + "\"";
        }
        if (node.isContainerNode()) {
            return node.isArray() ? "an array" : "an object";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + node;
    }

    /**
     * Checks a path inside a bundle: relative, '/'-separated, no '..' or empty segments, so that
     * neither a manifest nor a download can reach outside the bundle directory.
     */
    String relativePath(JsonNode parent, String path, String field) throws BundleException {
        return relativePath(required(parent, path, field), child(path, field));
    }

    /** As {@link #relativePath(JsonNode, String, String)}, for a value already extracted. */
    String relativePath(JsonNode value, String path) throws BundleException {
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw error(path, "expected a non-empty string, found " + kind(value));
        }
        String problem = relativePathProblem(value.asText());
        if (problem != null) {
            throw error(path, problem);
        }
        return value.asText();
    }

    static String relativePathProblem(String value) {
        if (value.startsWith("/") || value.contains("\\") || value.contains(":")) {
            return "'" + value + "' must be a relative path with '/' separators";
        }
        for (String segment : value.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return "'" + value + "' must not contain empty, '.' or '..' segments";
            }
        }
        return null;
    }
}
