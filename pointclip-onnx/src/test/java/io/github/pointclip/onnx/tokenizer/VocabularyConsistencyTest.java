package io.github.pointclip.onnx.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A vocabulary whose tokens are not exactly what its merge rules make is refused with one line:
 * 512 byte symbols + one token per merge + the special tokens, every id used once. The shared-data
 * case (CLIP's own merges.txt cut in half) is in {@link HuggingFaceFormatTest}.
 */
class VocabularyConsistencyTest {

    @TempDir
    Path dir;

    private static final List<String> MERGES = List.of(SmallVocabulary.MERGES);

    private static void assertOneLine(String message) {
        assertFalse(message.contains("\n"), message);
    }

    @Test
    void mergesTxtCutShortIsRefused() throws IOException {
        Path vocab = dir.resolve("vocab.json");
        Path merges = dir.resolve("merges.txt");
        SmallVocabulary.writeVocabJson(vocab, SmallVocabulary.tokens());
        SmallVocabulary.writeMergesTxt(merges, MERGES.subList(0, 4));
        VocabularyFormatException e = assertThrows(VocabularyFormatException.class,
            () -> ClipTokenizer.fromHuggingFace(vocab, merges));
        assertEquals(merges, e.file());
        assertOneLine(e.getMessage());
        // 522 tokens = 512 + 8 + 2; with 4 rules they account for 518, and 4 tokens from "lowe r</w>" on are unexplained
        assertTrue(e.getMessage().contains("vocab.json has 522 tokens but merges.txt accounts for 512 byte symbols + 4 merge "
            + "rules + 2 special tokens = 518: 4 tokens, from \"lower</w>\" (id 516)"), e.getMessage());
    }

    @Test
    void theIntactSmallVocabularyStillLoads() throws IOException {
        SmallVocabulary.writeHuggingFace(dir);
        ClipTokenizer t = ClipTokenizer.fromDirectory(dir);
        assertEquals(522, t.vocabSize());
        assertEquals(SmallVocabulary.LOWER_EOW, t.encode("lower")[0]);
    }

    @Test
    void tokenFromNoMergeIsRefused() throws IOException {
        List<String> tokens = new ArrayList<>(SmallVocabulary.tokens());
        tokens.add(520, "zebra"); // specials move to 521, 522
        Path vocab = dir.resolve("vocab.json");
        Path merges = dir.resolve("merges.txt");
        SmallVocabulary.writeVocabJson(vocab, tokens);
        SmallVocabulary.writeMergesTxt(merges, MERGES);
        VocabularyFormatException e = assertThrows(VocabularyFormatException.class,
            () -> ClipTokenizer.fromHuggingFace(vocab, merges));
        assertOneLine(e.getMessage());
        assertTrue(e.reason().contains("1 tokens, from \"zebra\" (id 520), are made by no merge rule"), e.reason());
    }

    @Test
    void unusedIdIsRefused() throws IOException {
        Path vocab = dir.resolve("vocab.json");
        List<String> tokens = SmallVocabulary.tokens();
        StringBuilder json = new StringBuilder("{");
        for (int id = 0; id < tokens.size(); id++) {
            int written = id < 520 ? id : id + 1; // the special tokens at 521 and 522: id 520 unused
            json.append(id == 0 ? "" : ",\n").append(SmallVocabulary.jsonString(tokens.get(id))).append(": ").append(written);
        }
        Files.writeString(vocab, json.append("}\n"));
        Path merges = dir.resolve("merges.txt");
        SmallVocabulary.writeMergesTxt(merges, MERGES);
        VocabularyFormatException e = assertThrows(VocabularyFormatException.class,
            () -> ClipTokenizer.fromHuggingFace(vocab, merges));
        assertOneLine(e.getMessage());
        assertTrue(e.reason().contains("uses ids up to 522 but has only 522 tokens") && e.reason().contains("id 520 is unused"),
            e.reason());
    }

    @Test
    void bpeGzWhoseRulesRepeatATokenIsRefused() throws IOException {
        // "abc" made twice: openai/CLIP would give it the later id and leave a hole in the ids
        Path gz = dir.resolve("bpe.txt.gz");
        SmallVocabulary.writeBpeGz(gz, List.of("a b", "b c", "ab c", "a bc"));
        VocabularyFormatException e = assertThrows(VocabularyFormatException.class, () -> ClipTokenizer.fromBpeVocab(gz));
        assertOneLine(e.getMessage());
        assertTrue(e.reason().contains("4 merge rules but they make only 3 distinct tokens"), e.reason());
    }

    private Path tokenizerJson(List<String> merges, List<String> addedTokens) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        ArrayNode added = root.putArray("added_tokens");
        List<String> tokens = SmallVocabulary.tokens();
        int next = tokens.size();
        for (String extra : addedTokens) {
            added.addObject().put("id", next++).put("content", extra).put("special", true);
        }
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < tokens.size(); id++) {
            vocab.put(tokens.get(id), id);
        }
        ArrayNode m = model.putArray("merges");
        merges.forEach(m::add);
        Path file = dir.resolve("tokenizer.json");
        mapper.writeValue(file.toFile(), root);
        return file;
    }

    @Test
    void tokenizerJsonMergesCutShortIsRefusedAndAddedTokensCountAsSpecial() throws IOException {
        Path cut = tokenizerJson(MERGES.subList(0, 6), List.of());
        VocabularyFormatException e = assertThrows(VocabularyFormatException.class, () -> ClipTokenizer.fromTokenizerJson(cut));
        assertOneLine(e.getMessage());
        assertTrue(e.reason().contains("model.vocab with added_tokens has 522 tokens but model.merges accounts for 512 byte "
            + "symbols + 6 merge rules + 2 special tokens = 520"), e.reason());

        ClipTokenizer withPad = ClipTokenizer.fromTokenizerJson(tokenizerJson(MERGES, List.of("<|pad|>")));
        assertEquals(523, withPad.vocabSize());
        assertEquals(Arrays.toString(new int[] {SmallVocabulary.LOW_EOW}), Arrays.toString(withPad.encode("low")));
    }
}
