package io.github.pointclip.prompts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pointclip.internal.AtomicFiles;
import io.github.pointclip.internal.Sha256;
import io.github.pointclip.prompt.PromptSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The outcome of {@link PromptGenerator#generate}: the prompt library, the report, and the provenance that
 * {@link #write} puts beside the library. Immutable.
 */
public final class GenerationResult {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PromptSet prompts;
    private final GenerationReport report;
    private final ObjectNode provenance;

    GenerationResult(PromptSet prompts, GenerationReport report, ObjectNode provenance) {
        this.prompts = Objects.requireNonNull(prompts);
        this.report = Objects.requireNonNull(report);
        this.provenance = provenance.deepCopy();
    }

    /** @return the library: the classes as given, in their order, each with its prompts */
    public PromptSet prompts() {
        return prompts;
    }

    /** @return what the run sent, read from the cache, kept and dropped */
    public GenerationReport report() {
        return report;
    }

    /**
     * @return the provenance (a copy): library version, date, server URL and model, system message and
     *     commands, parameters, requests and cache hits, per class what each step dropped
     */
    public ObjectNode provenance() {
        return provenance.deepCopy();
    }

    /**
     * A result with one more provenance entry, e.g. where the API key came from (never the key).
     *
     * @param field the entry's name (not one the generator writes)
     * @param value its value
     * @return the new result
     */
    public GenerationResult withProvenance(String field, String value) {
        if (provenance.has(field)) {
            throw new IllegalArgumentException("provenance already has '" + field + "'");
        }
        ObjectNode p = provenance.deepCopy();
        p.put(field, value);
        return new GenerationResult(prompts, report, p);
    }

    /**
     * The library as JSON {@code {"class": ["prompt", ...], ...}}, the form
     * {@link PromptSet#fromJson(Path)} reads.
     *
     * @param prompts a library
     * @return its JSON text, pretty-printed, with a final newline
     */
    public static byte[] libraryJson(PromptSet prompts) {
        ObjectNode root = JSON.createObjectNode();
        for (int c = 0; c < prompts.size(); c++) {
            ArrayNode a = root.putArray(prompts.classes().get(c));
            prompts.prompts(c).forEach(a::add);
        }
        try {
            String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
            return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serialises", e);
        }
    }

    /**
     * @param library the library file, e.g. {@code prompts.json}
     * @return the provenance file beside it, e.g. {@code prompts.provenance.json}
     */
    public static Path provenanceFile(Path library) {
        String name = library.getFileName().toString();
        String stem = name.toLowerCase(java.util.Locale.ROOT).endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return library.resolveSibling(stem + ".provenance.json");
    }

    /**
     * Checks that a library can be written to {@code library} and its provenance beside it, and creates the
     * folder they go into: call it before spending requests.
     *
     * @param library the library file
     * @throws IOException with a one-line message when the library or its provenance is a folder, a file stands
     *     where a parent folder should be, or the folder cannot be created
     */
    public static void checkOutput(Path library) throws IOException {
        for (Path f : new Path[] {library, provenanceFile(library)}) {
            if (java.nio.file.Files.isDirectory(f)) {
                throw new IOException("cannot write " + f + ": it is a folder; give a file name such as "
                    + f.resolve("prompts.json"));
            }
        }
        Path parent = library.toAbsolutePath().getParent();
        if (parent != null) {
            Folders.create(parent, "cannot write " + library);
        }
    }

    /**
     * Writes the library and then, beside it, its provenance ({@link #provenanceFile}), each atomically; parent
     * folders are created. The provenance records the library's SHA-256.
     *
     * @param library the library file
     * @throws IOException with a one-line message when writing fails; an existing library is then left as it
     *     was (when only the provenance fails, the new library stays and no provenance of the old one is left
     *     beside it)
     */
    public void write(Path library) throws IOException {
        checkOutput(library);
        byte[] bytes = libraryJson(prompts);
        ObjectNode p = provenance.deepCopy();
        ObjectNode output = p.putObject("output");
        output.put("file", library.getFileName().toString());
        output.put("sha256", Sha256.hex(Sha256.newDigest().digest(bytes)));
        byte[] provenanceBytes = (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(p) + "\n")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            AtomicFiles.write(library, out -> out.write(bytes));
        } catch (IOException e) {
            throw Folders.explain("cannot write " + library, e);
        }
        Path provenanceFile = provenanceFile(library);
        try {
            AtomicFiles.write(provenanceFile, out -> out.write(provenanceBytes));
        } catch (IOException e) {
            java.nio.file.Files.deleteIfExists(provenanceFile); // an old one would describe another library
            throw Folders.explain("wrote " + library + " but cannot write its provenance " + provenanceFile, e);
        }
    }
}
