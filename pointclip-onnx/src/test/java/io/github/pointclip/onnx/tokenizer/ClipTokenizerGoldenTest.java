package io.github.pointclip.onnx.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real CLIP vocabulary ({@code ../shared/clip}) against the reference ids in
 * {@code ../shared/golden/tokenizer.json}, plus Unicode, emoji and HTML cases whose ids come from
 * openai/CLIP's {@code SimpleTokenizer} itself (Python 3.11, regex 2026.5.9, ftfy replaced by the
 * identity, as in the golden data).
 */
class ClipTokenizerGoldenTest {

    private static JsonNode golden;
    private static ClipTokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        golden = new ObjectMapper().readTree(SharedData.require("golden/tokenizer.json").toFile());
        tokenizer = ClipTokenizer.fromBpeVocab(SharedData.require("clip/" + golden.get("vocab_file").asText()));
    }

    static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).intValue();
        }
        return values;
    }

    static long[] longs(JsonNode array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).longValue();
        }
        return values;
    }

    static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    @Test
    void vocabularyIsTheOneTheGoldenIdsWereMadeWith() throws Exception {
        Path vocab = SharedData.require("clip/" + golden.get("vocab_file").asText());
        assertEquals(golden.get("vocab_sha256").asText(), sha256(vocab));
        assertEquals(golden.get("vocab_sha256").asText(), ClipTokenizer.BPE_VOCAB_SHA256);
        assertEquals(golden.get("vocab_size").intValue(), tokenizer.vocabSize());
        assertEquals(golden.get("sot").intValue(), tokenizer.startOfTextId());
        assertEquals(golden.get("eot").intValue(), tokenizer.endOfTextId());
        assertEquals(golden.get("context_length").intValue(), tokenizer.contextLength());
    }

    @Test
    void everyGoldenCase() {
        assertTrue(golden.get("cases").size() > 0);
        for (JsonNode c : golden.get("cases")) {
            String text = c.get("text").asText();
            int[] bpe = ints(c.get("bpe_ids"));
            assertArrayEquals(bpe, tokenizer.encode(text), text);
            assertArrayEquals(longs(c.get("tokens_77_truncated")), tokenizer.tokenize(text, true), text);
            if (c.get("too_long").booleanValue()) {
                TokenizerException e = assertThrows(TokenizerException.class, () -> tokenizer.tokenize(text), text);
                assertEquals(bpe.length + 2, e.tokenCount());
                assertEquals(text, e.text());
                assertTrue(e.getMessage().contains(text.substring(0, 40)), e.getMessage());
            } else {
                assertArrayEquals(longs(c.get("tokens_77_truncated")), tokenizer.tokenize(text), text);
            }
        }
    }

    @Test
    void goldenTooLongCaseIsTruncatedLikeOpenAi() {
        for (JsonNode c : golden.get("cases")) {
            if (!c.get("too_long").booleanValue()) {
                continue;
            }
            // truncate=True: [sot] + first 75 BPE ids + [eot], independently of the golden vector
            int[] bpe = ints(c.get("bpe_ids"));
            long[] expected = new long[77];
            expected[0] = tokenizer.startOfTextId();
            for (int i = 0; i < 75; i++) {
                expected[1 + i] = bpe[i];
            }
            expected[76] = tokenizer.endOfTextId();
            assertArrayEquals(expected, tokenizer.tokenize(c.get("text").asText(), true));
        }
    }

    @Test
    void batchEqualsRowsOfSingleTexts() {
        List<String> texts = new ArrayList<>();
        for (JsonNode c : golden.get("cases")) {
            texts.add(c.get("text").asText());
        }
        long[] batch = tokenizer.tokenize(texts, true);
        assertEquals(texts.size() * 77, batch.length);
        for (int row = 0; row < texts.size(); row++) {
            long[] single = tokenizer.tokenize(texts.get(row), true);
            for (int k = 0; k < 77; k++) {
                assertEquals(single[k], batch[row * 77 + k], texts.get(row));
            }
        }
    }

    static Stream<Arguments> referenceCases() {
        return Stream.of(
            // capital sigma: final only after a cased letter (Python's rule, not Java's)
            Arguments.of("a\u062f\u03a3", new int[] {64, 19872, 139, 481}),
            Arguments.of("A\u0301\u03a3", new int[] {320, 136, 479, 139, 480}),
            Arguments.of("Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e",
                new int[] {15304, 1075, 12138, 614, 711, 127, 119, 75, 13489}),
            Arguments.of("na\u00efve fa\u00e7ade \u2014 \u201cquoted\u201d \u2018single\u2019",
                new int[] {1097, 35689, 563, 778, 10067, 1928, 2005, 728, 506, 27706, 728, 507, 728, 502, 2688, 728, 503}),
            Arguments.of("\ud83d\ude00 emoji \ud83d\ude42\ud83d\udc4d\ud83c\udffd family \ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67",
                new int[] {7334, 16327, 32006, 43722, 1315, 25023, 26304, 964, 356}),
            Arguments.of("\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8",
                new int[] {39121, 44353, 34002, 252, 21575, 2429, 228, 47121, 32421, 486}),
            Arguments.of("\ud55c\uad6d\uc5b4 \ud14d\uc2a4\ud2b8",
                new int[] {15197, 250, 31871, 255, 31625, 368, 169, 227, 235, 20305, 39820}),
            Arguments.of("\u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac \u039f\u0394\u039f\u03a3 \u039f\u0394\u039f\u03a3. \u03a3",
                new int[] {138, 113, 138, 119, 138, 119, 138, 115, 138, 121, 138, 117, 138, 118, 138, 361, 138, 123, 138, 112, 138, 123, 139, 480, 138, 123, 138, 112, 138, 123, 139, 480, 269, 139, 481}),
            Arguments.of("\u0130stanbul \u01c5emal \u00df \u1e9e \ufb01",
                new int[] {328, 16384, 11231, 131, 228, 908, 566, 127, 509, 127, 509, 171, 105, 479}),
            Arguments.of("\u0663 \u096a \u00bd \u216b \u2460",
                new int[] {149, 352, 7410, 359, 33613, 158, 227, 375, 158, 239, 510}),
            Arguments.of("don't stop '\u017f' it's THEY'RE we'LL i'D",
                new int[] {847, 713, 1691, 6, 129, 379, 262, 585, 568, 889, 982, 649, 1342, 328, 1896}),
            Arguments.of("!!'s",
                new int[] {1443, 262, 338}),
            Arguments.of("a.<|endoftext|>",
                new int[] {320, 13, 27, 347, 40786, 4160, 91, 285}),
            Arguments.of("<|endoftext|>x <|STARTOFTEXT|>",
                new int[] {49407, 343, 49406}),
            Arguments.of("&lt;|endoftext|&gt;",
                new int[] {49407}),
            Arguments.of("&ampamp; &amp;amp; &#128512; &#x1F600; &#0; &#128; &#x110000; &#xD800; &#1; &#65534; &notit; &notin; &copy &COPY; &#12abc &#x; &# &",
                new int[] {261, 261, 7334, 7334, 39802, 6309, 39802, 39802, 126, 361, 585, 282, 17788, 487, 5811, 5811, 5334, 5, 258, 343, 282, 5, 258, 261}),
            Arguments.of("a\u0345b !!\u0345!!",
                new int[] {320, 321, 748, 748}),
            Arguments.of("\u001c a \u001d",
                new int[] {320}),
            Arguments.of("\u00a0nbsp\u2003em\u3000ideographic\u2028line",
                new int[] {6459, 4393, 2270, 1909, 78, 4245, 1148}),
            Arguments.of("tab\tsep\u000bvt\fff\rcr\u0085nel",
                new int[] {14724, 10434, 10291, 1304, 3483, 2693}),
            Arguments.of("https://example.com/path?q=1&r=2",
                new int[] {30901, 12441, 6228, 269, 2464, 270, 5035, 286, 336, 284, 272, 261, 337, 284, 273}),
            Arguments.of("C++ & C# 3.5mm",
                new int[] {322, 19056, 261, 322, 258, 274, 269, 276, 2848}),
            Arguments.of("\u200bzero\u200dwidth\ufeffbom",
                new int[] {9844, 5848, 728, 491, 23571, 171, 119, 379, 19469}),
            Arguments.of("combining e\u0301 vs \u00e9",
                new int[] {23561, 324, 136, 479, 1547, 4166}),
            Arguments.of("\u03a9 ohm \u03a9 omega K kelvin",
                new int[] {38065, 5648, 332, 38065, 13465, 330, 32859}),
            Arguments.of("\ud835\udd18\ud835\udd2b\ud835\udd26\ud835\udd20\ud835\udd2c\ud835\udd21\ud835\udd22 \ud835\udfd9\ud835\udfda",
                new int[] {6874, 242, 246, 6874, 242, 104, 6874, 242, 99, 6874, 242, 254, 6874, 242, 105, 6874, 242, 94, 6874, 242, 351, 6874, 253, 503, 6874, 253, 504}),
            Arguments.of("\u0000null\u0007bell\u007fdel",
                new int[] {444, 47376, 451, 3718, 477, 2003}),
            Arguments.of("  leading and trailing  ",
                new int[] {3833, 537, 37427}),
            Arguments.of("&#x41;&#65;&#x0041",
                new int[] {9583}),
            Arguments.of("&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa;",
                new int[] {261, 23126, 23126, 23126, 23126, 6727, 19336, 282}),
            Arguments.of("&ampbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb;",
                new int[] {261, 1174, 1174, 1174, 1174, 1174, 1174, 1174, 1174, 1174, 1174, 1174, 1174, 1174, 1174, 33535, 282}),
            Arguments.of("&nbsp;&nbsp;x",
                new int[] {343}));
    }

    @ParameterizedTest
    @MethodSource("referenceCases")
    void matchesOpenAiSimpleTokenizer(String text, int[] expected) {
        assertArrayEquals(expected, tokenizer.encode(text));
    }

    @ParameterizedTest
    @MethodSource("referenceCases")
    void decodingGivesBackTheNormalisedBytes(String text, int[] ignored) {
        // byte-level BPE loses nothing but the spaces between pieces (and U+0345, never encoded)
        String expected = TextNormalizer.normalize(text).replace(" ", "").replace("\u0345", "");
        String decoded = tokenizer.decode(tokenizer.encode(text));
        assertEquals(expected, decoded.replace(" ", ""));
        assertFalse(decoded.contains("</w>"));
    }
}
