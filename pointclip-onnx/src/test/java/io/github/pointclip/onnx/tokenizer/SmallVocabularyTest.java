package io.github.pointclip.onnx.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encodes with the hand-made {@link SmallVocabulary}; every expected id is worked out by hand
 * from the merge ranks (printable ASCII byte {@code c} has id {@code c - 33}, plus 256 with
 * {@code </w>}).
 */
class SmallVocabularyTest {

    private static final int SOT = SmallVocabulary.START_OF_TEXT;
    private static final int EOT = SmallVocabulary.END_OF_TEXT;

    @TempDir
    static Path dir;

    private static ClipTokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        SmallVocabulary.writeHuggingFace(dir);
        tokenizer = ClipTokenizer.fromHuggingFace(dir.resolve("vocab.json"), dir.resolve("merges.txt"));
    }

    private static int ascii(char c) {
        return c - 33;
    }

    private static int asciiEndOfWord(char c) {
        return c - 33 + 256;
    }

    @Test
    void sizesAndSpecialIds() {
        assertEquals(522, tokenizer.vocabSize());
        assertEquals(SOT, tokenizer.startOfTextId());
        assertEquals(EOT, tokenizer.endOfTextId());
        assertEquals(77, tokenizer.contextLength());
    }

    @Test
    void appliesMergesInRankOrder() {
        // l o w</w> -> lo w</w> -> low</w>
        assertArrayEquals(new int[] {SmallVocabulary.LOW_EOW}, tokenizer.encode("low"));
        // l o w e r</w> -> lo w e r</w> -> lo w er</w> (rank 2 before "lo w", rank 3) -> low er</w> -> lower</w>
        assertArrayEquals(new int[] {SmallVocabulary.LOWER_EOW}, tokenizer.encode("lower"));
        // n e w e r</w> -> n e w er</w> -> ne w er</w> -> new er</w>; no rule for (new, er</w>)
        assertArrayEquals(new int[] {SmallVocabulary.NEW, SmallVocabulary.ER_EOW}, tokenizer.encode("newer"));
        // "lo" alone: l o</w>; (l, o</w>) has no rule
        assertArrayEquals(new int[] {ascii('l'), asciiEndOfWord('o')}, tokenizer.encode("lo"));
    }

    @Test
    void mergesAllOccurrencesLeftToRightWithoutOverlap() {
        // a a a -> aa a</w>; a a a a -> aa a a</w> (the last pair is (a, a</w>), another rule)
        assertArrayEquals(new int[] {SmallVocabulary.AA, asciiEndOfWord('a')}, tokenizer.encode("aaa"));
        assertArrayEquals(new int[] {SmallVocabulary.AA, ascii('a'), asciiEndOfWord('a')}, tokenizer.encode("aaaa"));
        assertArrayEquals(new int[] {SmallVocabulary.AA, SmallVocabulary.AA, asciiEndOfWord('a')},
            tokenizer.encode("aaaaa"));
    }

    @Test
    void normalisesAndSplitsBeforeEncoding() {
        // "lower, new!" after lower-casing; "new" ends in w</w> so (ne, w</w>) has no rule
        assertArrayEquals(new int[] {SmallVocabulary.LOWER_EOW, asciiEndOfWord(','), SmallVocabulary.NE,
            asciiEndOfWord('w'), asciiEndOfWord('!')}, tokenizer.encode("  Lower,\t NEW!  "));
        assertArrayEquals(new int[] {ascii('i'), asciiEndOfWord('t'), ascii('\''), asciiEndOfWord('s')},
            tokenizer.encode("IT'S"));
        assertArrayEquals(new int[] {asciiEndOfWord('<'), SmallVocabulary.LOW_EOW, asciiEndOfWord('>')},
            tokenizer.encode("&lt;low&gt;"));
        assertArrayEquals(new int[] {SOT, SmallVocabulary.LOW_EOW, EOT}, tokenizer.encode("<|startoftext|>low<|endoftext|>"));
        assertArrayEquals(new int[0], tokenizer.encode(" \n "));
    }

    @Test
    void encodesUtf8BytesThroughTheByteAlphabet() {
        // é = C3 A9: printable bytes come first in the alphabet (94 ASCII, 12 from A1, then AE on),
        // so C3 has id 94 + 12 + (0xC3 - 0xAE) = 127 and A9 has 94 + (0xA9 - 0xA1) = 102, 358 with </w>
        assertArrayEquals(new int[] {127, 358}, tokenizer.encode("\u00e9"));
        // ā = C4 81: C4 has id 128; the non-printable bytes follow the 188 printable ones in byte
        // order (0x00-0x20 are 33 of them, then 0x7F, 0x80, 0x81), so 81 has id 188 + 33 + 2
        assertArrayEquals(new int[] {128, 188 + 33 + 2 + 256}, tokenizer.encode("\u0101"));
    }

    @Test
    void padsWithZerosAfterEndOfText() {
        long[] ids = tokenizer.tokenize("lower newer");
        long[] expected = new long[77];
        expected[0] = SOT;
        expected[1] = SmallVocabulary.LOWER_EOW;
        expected[2] = SmallVocabulary.NEW;
        expected[3] = SmallVocabulary.ER_EOW;
        expected[4] = EOT;
        assertArrayEquals(expected, ids);
        assertArrayEquals(new long[] {SOT, EOT, 0, 0, 0}, tokenizer.withContextLength(5).tokenize(""));
    }

    @Test
    void tooLongTextIsAnErrorUnlessTruncated() {
        ClipTokenizer five = tokenizer.withContextLength(5);
        assertArrayEquals(new long[] {SOT, 513, 513, 513, EOT}, five.tokenize("low low low"));
        TokenizerException e = assertThrows(TokenizerException.class, () -> five.tokenize("low low low low"));
        assertEquals(6, e.tokenCount());
        assertEquals("low low low low", e.text());
        assertTrue(e.getMessage().contains("\"low low low low\"") && e.getMessage().contains("6 tokens"),
            e.getMessage());
        // openai/CLIP truncate=True: the first 5 of [sot, low x4, eot], the last replaced by eot
        assertArrayEquals(new long[] {SOT, 513, 513, 513, EOT}, five.tokenize("low low low low", true));
    }

    @Test
    void batchIsRowsOfContextLength() {
        ClipTokenizer four = tokenizer.withContextLength(4);
        long[] batch = four.tokenize(List.of("low", "aaa", "newer lower"), true);
        assertArrayEquals(new long[] {
            SOT, 513, EOT, 0,
            SOT, SmallVocabulary.AA, asciiEndOfWord('a'), EOT,
            SOT, SmallVocabulary.NEW, SmallVocabulary.ER_EOW, EOT}, batch);
        assertThrows(TokenizerException.class, () -> four.tokenize(List.of("low", "newer lower"), false));
    }

    @Test
    void tokenizeIntoOverwritesItsRowOnly() {
        long[] out = new long[9];
        java.util.Arrays.fill(out, -7);
        tokenizer.withContextLength(4).tokenizeInto("low", false, out, 3);
        assertArrayEquals(new long[] {-7, -7, -7, SOT, 513, EOT, 0, -7, -7}, out);
    }

    @Test
    void decodesBackToWords() {
        assertEquals("lower newer , \u00e9 ", tokenizer.decode(tokenizer.encode("Lower newer, \u00e9")));
        assertEquals("<|startoftext|>low <|endoftext|>", tokenizer.decode(new int[] {SOT, 513, EOT}));
        assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {522}));
    }

    @Test
    void openAiFormatGivesTheSameIds() throws IOException {
        Path gz = dir.resolve("small.txt.gz");
        SmallVocabulary.writeBpeGz(gz, List.of(SmallVocabulary.MERGES));
        ClipTokenizer fromGz = ClipTokenizer.fromBpeVocab(gz);
        assertEquals(522, fromGz.vocabSize());
        for (String text : List.of("lower newer", "aaaaa", "it's <|endoftext|> \u00e9\u0101")) {
            assertArrayEquals(tokenizer.encode(text), fromGz.encode(text), text);
        }
    }

    @Test
    void fromDirectoryFindsHuggingFaceFilesAndNamesWhatItExpects(@TempDir Path empty) throws IOException {
        assertArrayEquals(tokenizer.encode("lower"), ClipTokenizer.fromDirectory(dir).encode("lower"));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> ClipTokenizer.fromDirectory(empty));
        assertTrue(e.getMessage().contains("merges.txt"), e.getMessage());
    }

    @Test
    void concurrentUseGivesTheSameIds() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            texts.add("lower " + "a".repeat(i % 17) + " newer " + i);
        }
        List<int[]> expected = new ArrayList<>();
        ClipTokenizer fresh = ClipTokenizer.fromHuggingFace(dir.resolve("vocab.json"), dir.resolve("merges.txt"));
        for (String text : texts) {
            expected.add(fresh.encode(text));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<int[]>>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    List<int[]> ids = new ArrayList<>();
                    for (String text : texts) {
                        ids.add(tokenizer.encode(text));
                    }
                    return ids;
                }));
            }
            for (Future<List<int[]>> result : results) {
                List<int[]> ids = result.get();
                for (int i = 0; i < texts.size(); i++) {
                    assertArrayEquals(expected.get(i), ids.get(i), texts.get(i));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
