package io.github.pointclip.onnx.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed vocabulary files give a {@link VocabularyFormatException} naming file, line and problem. */
class VocabularyFormatTest {

    @TempDir
    Path dir;

    private VocabularyFormatException loadHuggingFace(Path vocab, Path merges) {
        return assertThrows(VocabularyFormatException.class, () -> ClipTokenizer.fromHuggingFace(vocab, merges));
    }

    private Path validVocab() throws IOException {
        Path vocab = dir.resolve("vocab.json");
        SmallVocabulary.writeVocabJson(vocab, SmallVocabulary.tokens());
        return vocab;
    }

    @Test
    void mergeLineWithoutTwoTokens() throws IOException {
        Path merges = dir.resolve("merges.txt");
        Files.writeString(merges, "#version: 0.2\nl o\nlo w</w> x\n");
        VocabularyFormatException e = loadHuggingFace(validVocab(), merges);
        assertEquals(merges, e.file());
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("merges.txt:3") && e.getMessage().contains("lo w</w> x"), e.getMessage());
    }

    @Test
    void mergeOfUnknownToken() throws IOException {
        Path merges = dir.resolve("merges.txt");
        Files.writeString(merges, "#version: 0.2\nl o\nq z\n");
        VocabularyFormatException e = loadHuggingFace(validVocab(), merges);
        assertEquals(3, e.line());
        assertTrue(e.reason().contains("\"qz\""), e.reason());
    }

    @Test
    void vocabJsonWithNonIntegerIdNamesItsLine() throws IOException {
        Path vocab = dir.resolve("vocab.json");
        Files.writeString(vocab, "{\n\"a\": 0,\n\"b\": \"one\"\n}\n");
        Path merges = dir.resolve("merges.txt");
        Files.writeString(merges, "#version: 0.2\n");
        VocabularyFormatException e = loadHuggingFace(vocab, merges);
        assertEquals(vocab, e.file());
        assertEquals(3, e.line());
        assertTrue(e.reason().contains("\"b\""), e.reason());
    }

    @Test
    void vocabJsonSyntaxErrorNamesItsLine() throws IOException {
        Path vocab = dir.resolve("vocab.json");
        Files.writeString(vocab, "{\n\"a\": 0,\n\"b\" 1\n}\n");
        VocabularyFormatException e = loadHuggingFace(vocab, dir.resolve("merges.txt"));
        assertEquals(3, e.line());
    }

    @Test
    void vocabJsonWithRepeatedId() throws IOException {
        Path vocab = dir.resolve("vocab.json");
        Files.writeString(vocab, "{\"a\": 0,\n\"b\": 0}");
        VocabularyFormatException e = loadHuggingFace(vocab, dir.resolve("merges.txt"));
        assertEquals(2, e.line());
        assertTrue(e.reason().contains("already given to \"a\""), e.reason());
    }

    @Test
    void vocabularyWithoutSpecialTokens() throws IOException {
        List<String> tokens = new ArrayList<>(SmallVocabulary.tokens());
        tokens.remove("<|endoftext|>");
        Path vocab = dir.resolve("vocab.json");
        SmallVocabulary.writeVocabJson(vocab, tokens);
        Path merges = dir.resolve("merges.txt");
        SmallVocabulary.writeMergesTxt(merges, List.of(SmallVocabulary.MERGES));
        VocabularyFormatException e = loadHuggingFace(vocab, merges);
        assertTrue(e.reason().contains("<|endoftext|>"), e.reason());
    }

    @Test
    void bpeGzBadMergeNamesItsLine() throws IOException {
        Path gz = dir.resolve("bad.txt.gz");
        SmallVocabulary.writeBpeGz(gz, List.of("l o", "lo w</w>", "oops"));
        VocabularyFormatException e = assertThrows(VocabularyFormatException.class, () -> ClipTokenizer.fromBpeVocab(gz));
        assertEquals(4, e.line());
    }

    @Test
    void bpeGzThatIsNotGzip() throws IOException {
        Path gz = dir.resolve("plain.txt.gz");
        Files.writeString(gz, "header\nl o\n");
        VocabularyFormatException e = assertThrows(VocabularyFormatException.class, () -> ClipTokenizer.fromBpeVocab(gz));
        assertTrue(e.reason().contains("gzip"), e.reason());
    }

    @Test
    void mergesTxtThatIsNotUtf8NamesItsLine() throws IOException {
        Path merges = dir.resolve("merges.txt");
        byte[] header = "#version: 0.2\nl o\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = {(byte) 0xff, ' ', 'x', '\n'};
        byte[] content = new byte[header.length + bad.length];
        System.arraycopy(header, 0, content, 0, header.length);
        System.arraycopy(bad, 0, content, header.length, bad.length);
        Files.write(merges, content);
        VocabularyFormatException e = loadHuggingFace(validVocab(), merges);
        assertEquals(3, e.line());
    }

    @Test
    void tokenizerJsonWithoutModel() throws IOException {
        Path json = dir.resolve("tokenizer.json");
        Files.writeString(json, "{\"version\": \"1.0\"}");
        VocabularyFormatException e = assertThrows(VocabularyFormatException.class,
            () -> ClipTokenizer.fromTokenizerJson(json));
        assertTrue(e.reason().contains("model"), e.reason());
    }

    @Test
    void tokenizerJsonWithOtherModelType() throws IOException {
        Path json = dir.resolve("tokenizer.json");
        Files.writeString(json, "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}");
        VocabularyFormatException e = assertThrows(VocabularyFormatException.class,
            () -> ClipTokenizer.fromTokenizerJson(json));
        assertTrue(e.reason().contains("WordPiece"), e.reason());
    }
}
