package io.github.pointclip.onnx.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Expected values are what Python 3.11 gives for {@code html.unescape} and for openai/CLIP's
 * {@code whitespace_clean(basic_clean(text)).lower()} without ftfy.
 */
class TextNormalizerTest {

    static Stream<Arguments> unescapeCases() {
        return Stream.of(
            Arguments.of("Fish &amp; chips &lt;tag&gt; &quot;quoted&quot;", "Fish & chips <tag> \"quoted\""),
            Arguments.of("no references", "no references"),
            // without semicolon, and the longest known prefix of an unknown name
            Arguments.of("&copy 2024 &ampx &notit; &notin;", "\u00a9 2024 &x \u00acit; \u2209"),
            Arguments.of("&COPY; &Copy; &unknown; &;", "\u00a9 &Copy; &unknown; &;"),
            // numeric references, decimal and hexadecimal, with and without semicolon
            Arguments.of("&#65;&#x42;&#X43&#0068;", "ABCD"),
            Arguments.of("&#128512; &#x1F600;", "\ud83d\ude00 \ud83d\ude00"),
            // HTML5 replacements: NUL, Windows-1252 range, surrogates, beyond Unicode, noncharacters
            Arguments.of("[&#0;][&#128;][&#x9f;][&#xD800;][&#x110000;][&#99999999999999999999;]",
                "[\ufffd][\u20ac][\u0178][\ufffd][\ufffd][\ufffd]"),
            Arguments.of("[&#1;][&#65534;][&#x10FFFF;][&#xb;][&#13;]", "[][][][][\r]"),
            // not references
            Arguments.of("&# &#x; &#xg; & x && ;", "&# &#x; &#xg; & x && ;"),
            Arguments.of("&#12abc", "\u000cabc"),
            // a name is at most 32 characters; the rest is text
            Arguments.of("&ampbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb;", "&bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb;"),
            Arguments.of("&amp;amp;", "&amp;"));
    }

    @ParameterizedTest
    @MethodSource("unescapeCases")
    void unescapesLikePythonHtmlUnescape(String text, String expected) {
        assertEquals(expected, HtmlUnescaper.unescape(text));
    }

    static Stream<Arguments> normalizeCases() {
        return Stream.of(
            Arguments.of("HELLO   World!!  multiple    spaces\tand\ttabs\nnewlines",
                "hello world!! multiple spaces and tabs newlines"),
            // unescaped twice, as CLIP does
            Arguments.of("&amp;amp; &amp;lt;", "& <"),
            // Unicode whitespace collapses; U+001C..U+001F are only trimmed at the ends
            Arguments.of("\u00a0a\u2003b\u3000c\u2028d\u0085e", "a b c d e"),
            Arguments.of("\u001c a\u001db \u001f", "a\u001db"),
            Arguments.of("  ", ""),
            Arguments.of("", ""),
            // Python's lower(): full mapping, final sigma only after a cased letter
            Arguments.of("\u0130STANBUL", "i\u0307stanbul"),
            Arguments.of("\u039f\u0394\u039f\u03a3 \u039f\u0394\u039f\u03a3. \u03a3", "\u03bf\u03b4\u03bf\u03c2 \u03bf\u03b4\u03bf\u03c2. \u03c3"),
            Arguments.of("a\u062f\u03a3", "a\u062f\u03c3"),
            Arguments.of("A\u0301\u03a3", "a\u0301\u03c2"),
            Arguments.of("A\u03a3B", "a\u03c3b"),
            Arguments.of("\u039f\u03a3\u2019", "\u03bf\u03c2\u2019"));
    }

    @ParameterizedTest
    @MethodSource("normalizeCases")
    void normalizesLikeOpenAiClipWithoutFtfy(String text, String expected) {
        assertEquals(expected, TextNormalizer.normalize(text));
    }

    @Test
    void rejectsUnpairedSurrogateNamingItsIndex() {
        TokenizerException e = assertThrows(TokenizerException.class, () -> TextNormalizer.normalize("ab\ud83dc"));
        assertEquals("ab\ud83dc", e.text());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("index 2"), e.getMessage());
    }
}
