package io.github.pointclip.onnx.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes the CLIP vocabulary in Hugging Face's layouts ({@code vocab.json} + {@code merges.txt},
 * {@code tokenizer.json} with merges as strings or as pairs), derived here from the shared
 * {@code bpe_simple_vocab_16e6.txt.gz} the way openai/CLIP numbers tokens, and checks that every
 * layout gives the ids of the gz-loaded tokenizer.
 */
class HuggingFaceFormatTest {

    @TempDir
    static Path dir;

    private static ClipTokenizer fromGz;
    private static List<String> texts;

    @BeforeAll
    static void writeHuggingFaceFiles() throws IOException {
        Path gz = SharedData.require("clip/bpe_simple_vocab_16e6.txt.gz");
        fromGz = ClipTokenizer.fromBpeVocab(gz);
        JsonNode golden = new ObjectMapper().readTree(SharedData.require("golden/tokenizer.json").toFile());
        texts = new ArrayList<>();
        for (JsonNode c : golden.get("cases")) {
            texts.add(c.get("text").asText());
        }
        texts.addAll(List.of("Caf\u00e9 \ud83d\ude00\ud83d\udc4d\ud83c\udffd \u65e5\u672c\u8a9e \ud55c\uad6d\uc5b4",
            "don't &lt;|endoftext|&gt; \u039f\u0394\u039f\u03a3"));

        String[] lines;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
        }
        List<String> merges = Arrays.asList(lines).subList(1, 49152 - 256 - 2 + 1);
        List<String> tokens = new ArrayList<>();
        for (int b : SmallVocabulary.byteOrder()) {
            tokens.add(SmallVocabulary.symbol(b));
        }
        for (int b : SmallVocabulary.byteOrder()) {
            tokens.add(SmallVocabulary.symbol(b) + "</w>");
        }
        for (String merge : merges) {
            tokens.add(merge.replace(" ", ""));
        }
        tokens.add("<|startoftext|>");
        tokens.add("<|endoftext|>");

        SmallVocabulary.writeVocabJson(dir.resolve("vocab.json"), tokens);
        SmallVocabulary.writeMergesTxt(dir.resolve("merges.txt"), merges);

        ObjectMapper mapper = new ObjectMapper();
        for (boolean pairs : new boolean[] {false, true}) {
            ObjectNode root = mapper.createObjectNode();
            ArrayNode added = root.putArray("added_tokens");
            added.addObject().put("id", 49406).put("content", "<|startoftext|>").put("special", true);
            added.addObject().put("id", 49407).put("content", "<|endoftext|>").put("special", true);
            ObjectNode model = root.putObject("model");
            model.put("type", "BPE").put("end_of_word_suffix", "</w>");
            ObjectNode vocab = model.putObject("vocab");
            for (int id = 0; id < tokens.size() - 2; id++) { // special tokens only in added_tokens
                vocab.put(tokens.get(id), id);
            }
            ArrayNode mergeArray = model.putArray("merges");
            for (String merge : merges) {
                if (pairs) {
                    String[] parts = merge.split(" ");
                    mergeArray.addArray().add(parts[0]).add(parts[1]);
                } else {
                    mergeArray.add(merge);
                }
            }
            Path subdir = Files.createDirectories(dir.resolve(pairs ? "pairs" : "strings"));
            mapper.writeValue(subdir.resolve("tokenizer.json").toFile(), root);
        }
    }

    private static void assertSameIds(ClipTokenizer other) {
        assertEquals(fromGz.vocabSize(), other.vocabSize());
        assertEquals(fromGz.startOfTextId(), other.startOfTextId());
        assertEquals(fromGz.endOfTextId(), other.endOfTextId());
        for (String text : texts) {
            assertArrayEquals(fromGz.encode(text), other.encode(text), text);
            assertArrayEquals(fromGz.tokenize(text, true), other.tokenize(text, true), text);
        }
    }

    @Test
    void vocabJsonAndMergesTxt() throws IOException {
        assertSameIds(ClipTokenizer.fromHuggingFace(dir.resolve("vocab.json"), dir.resolve("merges.txt")));
    }

    @Test
    void tokenizerJsonWithStringMerges() throws IOException {
        assertSameIds(ClipTokenizer.fromTokenizerJson(dir.resolve("strings/tokenizer.json")));
    }

    @Test
    void tokenizerJsonWithPairMerges() throws IOException {
        assertSameIds(ClipTokenizer.fromDirectory(dir.resolve("pairs")));
    }

    /** The reported failure: merges.txt cut in half loaded silently and changed the ranking. */
    @Test
    void mergesTxtCutInHalfIsRefused() throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("merges.txt"));
        Path cut = Files.createDirectories(dir.resolve("cut"));
        Files.copy(dir.resolve("vocab.json"), cut.resolve("vocab.json"));
        Files.write(cut.resolve("merges.txt"), lines.subList(0, 1 + 48894 / 2));
        VocabularyFormatException e = assertThrows(VocabularyFormatException.class, () -> ClipTokenizer.fromDirectory(cut));
        assertEquals(cut.resolve("merges.txt"), e.file());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("vocab.json has 49408 tokens but merges.txt accounts for 512 byte symbols + "
            + "24447 merge rules + 2 special tokens = 24961: 24447 tokens"), e.getMessage());
    }

    @Test
    void directoryWithTheOpenAiFile() throws IOException {
        Path clipDir = SharedData.require("clip");
        assertSameIds(ClipTokenizer.fromDirectory(clipDir));
    }
}
