package io.github.pointclip.onnx.tokenizer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * A hand-made CLIP-style vocabulary for tests that run without the shared data: the 256 byte
 * symbols (ids 0–255, printable Latin-1 bytes first), the same with {@code </w>} (256–511), eight
 * merge rules (512–519) and the special tokens (520, 521).
 */
public final class SmallVocabulary {

    /** The merge rules, rank order. */
    static final String[] MERGES = {"l o", "lo w</w>", "e r</w>", "lo w", "low er</w>", "n e", "ne w", "a a"};
    static final int LO = 512;
    static final int LOW_EOW = 513;
    static final int ER_EOW = 514;
    static final int LOW = 515;
    static final int LOWER_EOW = 516;
    static final int NE = 517;
    static final int NEW = 518;
    static final int AA = 519;
    static final int START_OF_TEXT = 520;
    static final int END_OF_TEXT = 521;

    private SmallVocabulary() {
    }

    /** @return the merge rules, rank order, as "a b" lines */
    public static String[] mergeRules() {
        return MERGES.clone();
    }

    /** @return the byte values in vocabulary order, by the GPT-2 definition */
    static List<Integer> byteOrder() {
        List<Integer> order = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            if (isPrintable(b)) {
                order.add(b);
            }
        }
        for (int b = 0; b < 256; b++) {
            if (!isPrintable(b)) {
                order.add(b);
            }
        }
        return order;
    }

    /** @return the character standing for byte {@code b} */
    static String symbol(int b) {
        if (isPrintable(b)) {
            return String.valueOf((char) b);
        }
        int shifted = 0;
        for (int other = 0; other < b; other++) {
            if (!isPrintable(other)) {
                shifted++;
            }
        }
        return String.valueOf((char) (256 + shifted));
    }

    private static boolean isPrintable(int b) {
        return b >= 33 && b <= 126 || b >= 161 && b <= 172 || b >= 174 && b <= 255;
    }

    /** @return all tokens in id order */
    static List<String> tokens() {
        List<String> tokens = new ArrayList<>();
        for (int b : byteOrder()) {
            tokens.add(symbol(b));
        }
        for (int b : byteOrder()) {
            tokens.add(symbol(b) + "</w>");
        }
        for (String merge : MERGES) {
            tokens.add(merge.replace(" ", ""));
        }
        tokens.add("<|startoftext|>");
        tokens.add("<|endoftext|>");
        return tokens;
    }

    /** Writes {@code vocab.json} and {@code merges.txt} into {@code dir}. */
    public static void writeHuggingFace(Path dir) throws IOException {
        writeVocabJson(dir.resolve("vocab.json"), tokens());
        writeMergesTxt(dir.resolve("merges.txt"), List.of(MERGES));
    }

    /** Writes openai/CLIP's format: a header line, then one merge per line. */
    static void writeBpeGz(Path file, List<String> merges) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(("test-vocabulary#version: 0.2\n" + String.join("\n", merges)).getBytes(StandardCharsets.UTF_8));
        }
    }

    static void writeVocabJson(Path file, List<String> tokens) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("{");
            for (int id = 0; id < tokens.size(); id++) {
                out.write((id == 0 ? "\n" : ",\n") + jsonString(tokens.get(id)) + ": " + id);
            }
            out.write("\n}\n");
        }
    }

    static void writeMergesTxt(Path file, List<String> merges) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("#version: 0.2\n");
            for (String merge : merges) {
                out.write(merge + "\n");
            }
        }
    }

    static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
