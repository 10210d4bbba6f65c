package io.github.pointclip.prompt;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.internal.JsonMessages;
import io.github.pointclip.io.FileFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The classes to recognise and, for each, the prompts whose text features are averaged into
 * the class's feature (prompt ensembling: mean of the L2-normalised features). Immutable.
 *
 * <p>Prompts come from templates ({@code "point cloud depth map of a {}."} with {@code {}}
 * replaced by the label, {@code _} in labels replaced by a space, as the references do) or are
 * given per class, e.g. from a JSON library {@code {"class": ["prompt", …], …}}.
 */
public final class PromptSet {

    /** The PointCLIP zero-shot template. */
    public static final String POINTCLIP_TEMPLATE = "point cloud depth map of a {}.";

    private final List<String> classes;
    private final List<List<String>> prompts;
    private final List<String> templates;

    private PromptSet(List<String> classes, List<List<String>> prompts, List<String> templates) {
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("a prompt set needs at least one class");
        }
        if (new java.util.HashSet<>(classes).size() != classes.size()) {
            throw new IllegalArgumentException("duplicate class names in " + classes);
        }
        for (int i = 0; i < classes.size(); i++) {
            if (classes.get(i).isBlank()) {
                throw new IllegalArgumentException("class " + i + " has a blank name");
            }
            if (prompts.get(i).isEmpty()) {
                throw new IllegalArgumentException("class '" + classes.get(i) + "' has no prompt");
            }
        }
        this.classes = List.copyOf(classes);
        List<List<String>> copy = new ArrayList<>();
        prompts.forEach(p -> copy.add(List.copyOf(p)));
        this.prompts = Collections.unmodifiableList(copy);
        this.templates = List.copyOf(templates);
    }

    /**
     * One template for all classes.
     *
     * @param template text with {@code {}} where the label goes
     * @param classes the class labels
     * @return the prompt set
     */
    public static PromptSet fromTemplate(String template, List<String> classes) {
        return fromTemplates(List.of(template), classes);
    }

    /**
     * Several templates per class, ensembled.
     *
     * @param templates texts with {@code {}} where the label goes
     * @param classes the class labels
     * @return the prompt set
     */
    public static PromptSet fromTemplates(List<String> templates, List<String> classes) {
        if (templates.isEmpty()) {
            throw new IllegalArgumentException("no template given");
        }
        for (String t : templates) {
            if (!t.contains("{}")) {
                throw new IllegalArgumentException("template '" + t + "' has no {} placeholder for the label");
            }
        }
        List<List<String>> prompts = new ArrayList<>();
        for (String c : classes) {
            List<String> p = new ArrayList<>();
            for (String t : templates) {
                p.add(fill(t, c));
            }
            prompts.add(p);
        }
        return new PromptSet(classes, prompts, templates);
    }

    /**
     * Explicit prompts per class, in the map's iteration order.
     *
     * @param promptsByClass class → prompts
     * @return the prompt set
     */
    public static PromptSet fromPrompts(Map<String, List<String>> promptsByClass) {
        return new PromptSet(new ArrayList<>(promptsByClass.keySet()), new ArrayList<>(promptsByClass.values()),
            List.of());
    }

    /**
     * Reads a JSON prompt library {@code {"class": ["prompt", …], …}} (class order as in the
     * file), such as PointCLIP V2's LLM-generated prompts.
     *
     * @param file the JSON file
     * @return the prompt set
     * @throws FileFormatException if the file is not such an object (with line and column)
     * @throws IOException if reading fails
     */
    public static PromptSet fromJson(Path file) throws IOException {
        Map<String, List<String>> map = new LinkedHashMap<>();
        try (JsonParser p = new ObjectMapper().getFactory().createParser(file.toFile())) {
            expect(file, p, p.nextToken(), JsonToken.START_OBJECT, "a JSON object {\"class\": [\"prompt\", ...]}");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String cls = p.currentName();
                expect(file, p, p.nextToken(), JsonToken.START_ARRAY, "an array of prompts for class '" + cls + "'");
                List<String> prompts = new ArrayList<>();
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    expect(file, p, t, JsonToken.VALUE_STRING, "a prompt string in class '" + cls + "'");
                    prompts.add(p.getText());
                }
                if (map.put(cls, prompts) != null) {
                    throw FileFormatException.atLine(file, p.currentLocation().getLineNr(),
                        "class '" + cls + "' appears twice");
                }
            }
        } catch (JsonProcessingException e) {
            throw FileFormatException.atLine(file, JsonMessages.line(e), "invalid JSON: " + JsonMessages.of(e), e);
        }
        if (map.isEmpty()) {
            throw FileFormatException.of(file, "prompt library has no class", null);
        }
        try {
            return fromPrompts(map);
        } catch (IllegalArgumentException e) {
            throw FileFormatException.of(file, e.getMessage(), e);
        }
    }

    private static void expect(Path file, JsonParser p, JsonToken actual, JsonToken wanted, String what)
        throws FileFormatException {
        if (actual != wanted) {
            throw FileFormatException.atLine(file, p.currentLocation().getLineNr(),
                "expected " + what + ", found " + (actual == null ? "end of file" : actual.asString() == null
                    ? actual.name() : actual.asString()));
        }
    }

    /**
     * Fills a template the way the references do: {@code _} in the label becomes a space.
     *
     * @param template text with {@code {}}
     * @param label the class label
     * @return the prompt
     */
    public static String fill(String template, String label) {
        return template.replace("{}", label.replace('_', ' '));
    }

    /**
     * The same prompts for other labels: the templates applied to {@code labels}, or, for a set
     * without templates, {@code fallbackTemplate}.
     *
     * @param labels the new labels
     * @param fallbackTemplate template used when this set has none
     * @return the prompt set
     */
    public PromptSet withClasses(List<String> labels, String fallbackTemplate) {
        return fromTemplates(templates.isEmpty() ? List.of(fallbackTemplate) : templates, labels);
    }

    /**
     * Replaces one class's prompts (as a prompt search does).
     *
     * @param classIndex the class
     * @param newPrompts its prompts
     * @return a new prompt set
     */
    public PromptSet withPrompts(int classIndex, List<String> newPrompts) {
        Objects.checkIndex(classIndex, classes.size());
        List<List<String>> p = new ArrayList<>(prompts);
        p.set(classIndex, newPrompts);
        return new PromptSet(classes, p, List.of());
    }

    /** @return the class labels, in order */
    public List<String> classes() {
        return classes;
    }

    /**
     * @param classIndex the class
     * @return its prompts
     */
    public List<String> prompts(int classIndex) {
        return prompts.get(classIndex);
    }

    /** @return the templates this set was made from, empty for explicit prompts */
    public List<String> templates() {
        return templates;
    }

    /** @return the number of classes */
    public int size() {
        return classes.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromptSet && ((PromptSet) o).classes.equals(classes) && ((PromptSet) o).prompts.equals(prompts);
    }

    @Override
    public int hashCode() {
        return classes.hashCode() * 31 + prompts.hashCode();
    }

    @Override
    public String toString() {
        return "PromptSet[" + classes.size() + " classes, " + prompts.stream().mapToInt(List::size).sum() + " prompts]";
    }
}
