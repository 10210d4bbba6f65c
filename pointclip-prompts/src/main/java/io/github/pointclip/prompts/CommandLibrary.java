package io.github.pointclip.prompts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pointclip.internal.JsonMessages;
import io.github.pointclip.io.FileFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The commands sent to the language model: families of templates with {@code {}} where the class name goes
 * (written naturally: {@code flower_pot} is sent as {@code flower pot}) and, optionally, {@code {a}} (or
 * {@code {A}} at the start of a sentence) where its indefinite article goes ({@link #article}: "of {a} {}"
 * gives "of an airplane", "of a chair"), and an optional system message. Immutable.
 *
 * <p>{@link #pointClipV2()} holds the four families of the PointCLIP V2 paper, caption generation, question
 * answering, paraphrase generation and words-to-sentence, each with five or six phrasings written for depth
 * maps and point clouds. A library file has the same JSON form as the built-in one:
 * <pre>{@code
 * {"system": "optional instructions sent before every command",
 *  "caption-generation": ["Describe a depth map of a {} in one sentence.", ...],
 *  "my-family": ["...{}...", ...]}
 * }</pre>
 */
public final class CommandLibrary {

    /** The resource holding the built-in library, beside this class. */
    public static final String POINTCLIP_V2_RESOURCE = "pointclip-v2-commands.json";

    private static final String SYSTEM_KEY = "system";

    /**
     * One command.
     *
     * @param family the family it belongs to, e.g. {@code caption-generation}
     * @param template its text, with {@code {}} where the class name goes and optionally {@code {a}} for its article
     */
    public record Command(String family, String template) {

        /** @throws IllegalArgumentException when the template has no {@code {}} */
        public Command {
            Objects.requireNonNull(family, "family");
            Objects.requireNonNull(template, "template");
            if (!template.contains("{}")) {
                throw new IllegalArgumentException("command '" + template + "' of family '" + family
                    + "' has no {} placeholder for the class name");
            }
        }

        /**
         * @param className the class as given ({@code _} becomes a space)
         * @return the command for that class: {@code {}} replaced by its name, {@code {a}} (or {@code {A}}) by the
         *     article that goes before it
         */
        public String forClass(String className) {
            String name = naturalName(className);
            String a = article(name);
            return template.replace("{a}", a).replace("{A}", a.substring(0, 1).toUpperCase(java.util.Locale.ROOT)
                + a.substring(1)).replace("{}", name);
        }
    }

    private final String system;
    private final Map<String, List<String>> families;

    private CommandLibrary(String system, Map<String, List<String>> families) {
        if (families.isEmpty()) {
            throw new IllegalArgumentException("a command library needs at least one family");
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : families.entrySet()) {
            if (e.getKey().isBlank()) {
                throw new IllegalArgumentException("a command family has a blank name");
            }
            if (e.getValue().isEmpty()) {
                throw new IllegalArgumentException("command family '" + e.getKey() + "' is empty");
            }
            for (String t : e.getValue()) {
                new Command(e.getKey(), t); // checks the placeholder
            }
            copy.put(e.getKey(), List.copyOf(e.getValue()));
        }
        this.system = system == null || system.isBlank() ? null : system;
        this.families = java.util.Collections.unmodifiableMap(copy);
    }

    /** @return PointCLIP V2's four command families written for depth maps, with their system message */
    public static CommandLibrary pointClipV2() {
        try (InputStream in = CommandLibrary.class.getResourceAsStream(POINTCLIP_V2_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + POINTCLIP_V2_RESOURCE + " is missing from the jar");
            }
            return parse(new ObjectMapper().readTree(in), POINTCLIP_V2_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in command library", e);
        }
    }

    /**
     * @param system the system message, or null for none
     * @param families family name → templates, in order
     * @return the library
     * @throws IllegalArgumentException when a family is empty or a template has no {@code {}}
     */
    public static CommandLibrary of(String system, Map<String, List<String>> families) {
        return new CommandLibrary(system, families);
    }

    /**
     * Reads a library file (the form is in the class documentation).
     *
     * @param file the JSON file
     * @return the library
     * @throws FileFormatException when it is not such a library (naming the file, and the line for JSON errors)
     * @throws IOException when it cannot be read
     */
    public static CommandLibrary fromJson(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw FileFormatException.atLine(file, JsonMessages.line(e), "invalid JSON: " + JsonMessages.reason(e), e);
        }
        try {
            return parse(root, file.toString());
        } catch (IllegalArgumentException e) {
            throw FileFormatException.of(file, e.getMessage(), e);
        }
    }

    private static CommandLibrary parse(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a command library is a JSON object {\"system\": \"...\", "
                + "\"family\": [\"command with {}\", ...], ...}");
        }
        String system = null;
        Map<String, List<String>> families = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(SYSTEM_KEY)) {
                if (!e.getValue().isTextual()) {
                    throw new IllegalArgumentException("\"system\" must be a string");
                }
                system = e.getValue().asText();
                continue;
            }
            if (!e.getValue().isArray()) {
                throw new IllegalArgumentException("family '" + e.getKey() + "' must be an array of command strings");
            }
            List<String> commands = new ArrayList<>();
            for (JsonNode c : e.getValue()) {
                if (!c.isTextual()) {
                    throw new IllegalArgumentException("family '" + e.getKey() + "' holds a non-string command: " + c);
                }
                commands.add(c.asText());
            }
            families.put(e.getKey(), commands);
        }
        return new CommandLibrary(system, families);
    }

    /**
     * This library with the families of another added: a family of both gets the other's commands appended
     * (without repeating one); the other's system message wins when it has one.
     *
     * @param other the commands to add
     * @return the combined library
     */
    public CommandLibrary plus(CommandLibrary other) {
        Map<String, List<String>> merged = new LinkedHashMap<>();
        families.forEach((k, v) -> merged.put(k, new ArrayList<>(v)));
        other.families.forEach((k, v) -> {
            List<String> list = merged.computeIfAbsent(k, x -> new ArrayList<>());
            v.stream().filter(t -> !list.contains(t)).forEach(list::add);
        });
        return new CommandLibrary(other.system != null ? other.system : system, merged);
    }

    /** @return the system message sent before each command, or null for none */
    public String system() {
        return system;
    }

    /** @return family name → templates, in order; unmodifiable */
    public Map<String, List<String>> families() {
        return families;
    }

    /** @return every command, family after family */
    public List<Command> commands() {
        List<Command> out = new ArrayList<>();
        families.forEach((f, ts) -> ts.forEach(t -> out.add(new Command(f, t))));
        return List.copyOf(out);
    }

    /** @return the number of commands */
    public int size() {
        return families.values().stream().mapToInt(List::size).sum();
    }

    /** @return the library in its file form */
    public ObjectNode toJson() {
        ObjectNode root = new ObjectMapper().createObjectNode();
        if (system != null) {
            root.put(SYSTEM_KEY, system);
        }
        families.forEach((f, ts) -> ts.forEach(root.putArray(f)::add));
        return root;
    }

    /**
     * The indefinite article before a name by a simple rule: {@code an} before a vowel letter (a, e, i, o, u; x is a consonant letter here, so "a xbox"),
     * else {@code a} ("an airplane", "a chair", "an ottoman"); exceptions by sound ("an hour", "a unit") are not
     * known: write such templates without {@code {a}}.
     *
     * @param name a name as the commands write it, e.g. {@code airplane}
     * @return {@code a} or {@code an}
     */
    public static String article(String name) {
        String n = name.strip();
        return !n.isEmpty() && "aeiouAEIOU".indexOf(n.charAt(0)) >= 0 ? "an" : "a";
    }

    /**
     * @param className a class name as given
     * @return it as the model and the prompts read it: {@code _} becomes a space, as in the references' templates
     */
    public static String naturalName(String className) {
        return className.replace('_', ' ').strip();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CommandLibrary c && Objects.equals(c.system, system) && c.families.equals(families);
    }

    @Override
    public int hashCode() {
        return Objects.hash(system, families);
    }

    @Override
    public String toString() {
        return "CommandLibrary[" + families.size() + " families, " + size() + " commands]";
    }
}
