package io.github.pointclip.segmentation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The parts to segment a cloud into: a category, the part names (echoed in the output exactly as
 * given) and one sentence per part that the text encoder turns into the part's feature
 * (SEGMENTATION.md §4). Immutable.
 *
 * <pre>{@code
 * PartPrompts.of("chair", List.of("back", "seat", "leg"));          // the default template
 * PartPrompts.fromTemplate("a {part} of a {category}", "chair", parts); // another template
 * PartPrompts.ofSentences("chair", parts, List.of("the back rest", "the seat pad", "a chair leg"));
 * }</pre>
 */
public final class PartPrompts {

    /** The default template of the reference: {@value}. */
    public static final String DEFAULT_TEMPLATE = "point cloud depth map of the {part} of a {category}.";

    private final String category;
    private final List<String> parts;
    private final List<String> sentences;

    private PartPrompts(String category, List<String> parts, List<String> sentences) {
        this.category = category;
        this.parts = parts;
        this.sentences = sentences;
    }

    /**
     * Parts prompted with {@link #DEFAULT_TEMPLATE}.
     *
     * @param category the category, e.g. {@code chair}
     * @param parts the part names, at least one, no duplicates
     * @return the prompts
     * @throws IllegalArgumentException if a name is blank or repeated
     */
    public static PartPrompts of(String category, List<String> parts) {
        return fromTemplate(DEFAULT_TEMPLATE, category, parts);
    }

    /**
     * Parts prompted with a template: {@code {part}} and {@code {category}} are replaced by the names,
     * with {@code _} turned into a space. A template without {@code {category}} is valid.
     *
     * @param template the template, containing {@code {part}}
     * @param category the category
     * @param parts the part names
     * @return the prompts
     * @throws IllegalArgumentException if the template has no {@code {part}}, or a name is blank or repeated
     */
    public static PartPrompts fromTemplate(String template, String category, List<String> parts) {
        Objects.requireNonNull(template, "template");
        if (!template.contains("{part}")) {
            throw new IllegalArgumentException("the part template must contain {part}: '" + template + "'");
        }
        List<String> names = checkParts(parts);
        String cat = checkCategory(category);
        List<String> sentences = new ArrayList<>(names.size());
        for (String part : names) {
            sentences.add(fill(template, cat, part));
        }
        return new PartPrompts(cat, names, List.copyOf(sentences));
    }

    /**
     * Parts with explicit sentences, one per part in the same order.
     *
     * @param category the category
     * @param parts the part names
     * @param sentences one sentence per part
     * @return the prompts
     * @throws IllegalArgumentException if the counts differ, or a name or sentence is blank, or a name repeated
     */
    public static PartPrompts ofSentences(String category, List<String> parts, List<String> sentences) {
        List<String> names = checkParts(parts);
        Objects.requireNonNull(sentences, "sentences");
        if (sentences.size() != names.size()) {
            throw new IllegalArgumentException(names.size() + " parts " + names + " but " + sentences.size()
                + " sentences: give one sentence per part");
        }
        for (int i = 0; i < sentences.size(); i++) {
            if (sentences.get(i) == null || sentences.get(i).isBlank()) {
                throw new IllegalArgumentException("the sentence of part '" + names.get(i) + "' is blank");
            }
        }
        return new PartPrompts(checkCategory(category), names, List.copyOf(sentences));
    }

    /**
     * @param template text with {@code {part}} and optionally {@code {category}}
     * @param category the category name
     * @param part the part name
     * @return the sentence, {@code _} replaced by a space in both names
     */
    public static String fill(String template, String category, String part) {
        return template.replace("{part}", part.replace('_', ' ')).replace("{category}", category.replace('_', ' '));
    }

    private static List<String> checkParts(List<String> parts) {
        Objects.requireNonNull(parts, "parts");
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no parts given: name at least one part");
        }
        Set<String> seen = new HashSet<>();
        for (String p : parts) {
            if (p == null || p.isBlank()) {
                throw new IllegalArgumentException("a part name is blank in " + parts);
            }
            if (!seen.add(p)) {
                throw new IllegalArgumentException("part '" + p + "' is named twice in " + parts);
            }
        }
        return List.copyOf(parts);
    }

    private static String checkCategory(String category) {
        if (category == null || category.isBlank()) {
            throw new IllegalArgumentException("the category is blank");
        }
        return category;
    }

    /** @return the category */
    public String category() {
        return category;
    }

    /** @return the part names, as given */
    public List<String> parts() {
        return parts;
    }

    /** @return one sentence per part */
    public List<String> sentences() {
        return sentences;
    }

    /** @return the number of parts P */
    public int size() {
        return parts.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartPrompts && ((PartPrompts) o).category.equals(category)
            && ((PartPrompts) o).parts.equals(parts) && ((PartPrompts) o).sentences.equals(sentences);
    }

    @Override
    public int hashCode() {
        return Objects.hash(category, parts, sentences);
    }

    @Override
    public String toString() {
        return "PartPrompts[" + category + ": " + parts + "]";
    }
}
