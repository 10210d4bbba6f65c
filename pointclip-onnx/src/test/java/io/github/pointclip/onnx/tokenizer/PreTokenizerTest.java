package io.github.pointclip.onnx.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Expected pieces are what {@code regex.findall} gives for CLIP's pattern with
 * {@code regex.IGNORECASE} (the {@code regex} module, as openai/CLIP uses).
 */
class PreTokenizerTest {

    static Stream<Arguments> cases() {
        return Stream.of(
            Arguments.of("the chair's depth map", List.of("the", "chair", "'s", "depth", "map")),
            Arguments.of("don't stop 'ſ' it's", List.of("don", "'t", "stop", "'ſ", "'", "it", "'s")),
            Arguments.of("we'll i'd they're you've i'm", List.of("we", "'ll", "i", "'d", "they", "'re", "you", "'ve",
                "i", "'m")),
            // a punctuation run swallows the apostrophe, so no contraction follows it
            Arguments.of("!!'s", List.of("!!'", "s")),
            // special tokens only where a piece starts
            Arguments.of("a.<|endoftext|>", List.of("a", ".<|", "endoftext", "|>")),
            Arguments.of("<|endoftext|>x", List.of("<|endoftext|>", "x")),
            Arguments.of("x<|startoftext|>", List.of("x", "<|startoftext|>")),
            Arguments.of("<|ſtartoftext|>", List.of("<|ſtartoftext|>")),
            // digits one by one
            Arguments.of("1e-5, v2.0", List.of("1", "e", "-", "5", ",", "v", "2", ".", "0")),
            Arguments.of("\u0663\u00bd\u2460", List.of("\u0663", "\u00bd", "\u2460")),
            // letters of any script, supplementary characters whole
            Arguments.of("caf\u00e9 \u65e5\u672c\ud835\udd18x", List.of("caf\u00e9", "\u65e5\u672c\ud835\udd18x")),
            Arguments.of("\ud83d\ude00\ud83d\udc4d!", List.of("\ud83d\ude00\ud83d\udc4d!")),
            // a combining mark is neither letter nor number
            Arguments.of("e\u0301t\u00e9", List.of("e", "\u0301", "t\u00e9")),
            // U+0345 folds to a letter under IGNORECASE, so no alternative matches it
            Arguments.of("a\u0345b !!\u0345!!", List.of("a", "b", "!!", "!!")),
            Arguments.of("\u001c a", List.of("\u001c", "a")),
            Arguments.of("", List.of()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void splitsLikeClipPattern(String text, List<String> expected) {
        List<String> pieces = new ArrayList<>();
        PreTokenizer.split(text, (source, start, end) -> pieces.add(source.substring(start, end)));
        assertEquals(expected, pieces);
    }
}
