package io.github.pointclip.onnx.tokenizer;

import java.util.Locale;

/**
 * CLIP's text clean-up before pre-tokenisation, as openai/CLIP's {@code basic_clean},
 * {@code whitespace_clean} and {@code lower}, without ftfy: HTML unescaping twice, trimming,
 * collapsing every whitespace run to one space, trimming again, lower-casing.
 *
 * <p>Two notions of whitespace are at play, as in the Python original: the pattern {@code \s} of
 * the {@code regex} module (the Unicode White_Space property) for collapsing, and
 * {@code str.strip()} (which also strips the separators U+001C–U+001F) for trimming.
 */
final class TextNormalizer {

    private static final char CAPITAL_SIGMA = '\u03a3';

    private TextNormalizer() {
    }

    /**
     * @param text raw text
     * @return the cleaned, lower-cased text
     * @throws TokenizerException if the text holds an unpaired surrogate (it has no UTF-8 form)
     */
    static String normalize(String text) {
        requireWellFormed(text);
        String unescaped = HtmlUnescaper.unescape(HtmlUnescaper.unescape(text));
        String collapsed = collapseWhitespace(strip(unescaped));
        return lowerCase(strip(collapsed));
    }

    /**
     * Python's {@code str.lower()}: the full lower-case mapping of each code point, with capital
     * sigma becoming final sigma only after a cased letter (skipping case-ignorable characters)
     * and not before one. Java's own Final_Sigma test looks further back, across uncased
     * letters, so sigma is decided here and everything else left to Java.
     */
    static String lowerCase(String text) {
        int sigma = text.indexOf(CAPITAL_SIGMA);
        if (sigma < 0) {
            return text.toLowerCase(Locale.ROOT);
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        int copied = 0;
        while (sigma >= 0) {
            out.append(text.substring(copied, sigma).toLowerCase(Locale.ROOT));
            out.append(isFinalSigma(text, sigma) ? '\u03c2' : '\u03c3');
            copied = sigma + 1;
            sigma = text.indexOf(CAPITAL_SIGMA, copied);
        }
        return out.append(text.substring(copied).toLowerCase(Locale.ROOT)).toString();
    }

    private static boolean isFinalSigma(String text, int at) {
        int before = at;
        int cp = -1;
        while (before > 0) {
            cp = text.codePointBefore(before);
            before -= Character.charCount(cp);
            if (!isCaseIgnorable(cp)) {
                break;
            }
            cp = -1;
        }
        if (cp < 0 || !isCased(cp)) {
            return false;
        }
        int after = at + 1;
        while (after < text.length()) {
            cp = text.codePointAt(after);
            after += Character.charCount(cp);
            if (!isCaseIgnorable(cp)) {
                return !isCased(cp);
            }
        }
        return true;
    }

    /** Unicode's Cased property. */
    private static boolean isCased(int cp) {
        return Character.isLowerCase(cp) || Character.isUpperCase(cp) || Character.isTitleCase(cp);
    }

    /** Unicode's Case_Ignorable property: marks, format characters, modifiers and mid-word punctuation. */
    private static boolean isCaseIgnorable(int cp) {
        switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK:
            case Character.ENCLOSING_MARK:
            case Character.FORMAT:
            case Character.MODIFIER_LETTER:
            case Character.MODIFIER_SYMBOL:
                return true;
            default:
                break;
        }
        // Word_Break MidLetter, MidNumLet and Single_Quote
        switch (cp) {
            case 0x27: case 0x2e: case 0x3a: case 0xb7: case 0x387: case 0x55f: case 0x5f4: case 0x2018:
            case 0x2019: case 0x2024: case 0x2027: case 0xfe13: case 0xfe52: case 0xfe55: case 0xff07:
            case 0xff0e: case 0xff1a:
                return true;
            default:
                return false;
        }
    }

    /**
     * @param cp a code point
     * @return whether it is White_Space, i.e. matched by {@code \s} in Python's {@code regex}
     */
    static boolean isRegexWhitespace(int cp) {
        return cp >= 0x9 && cp <= 0xd || cp == 0x20 || cp == 0x85 || cp == 0xa0 || cp == 0x1680
            || cp >= 0x2000 && cp <= 0x200a || cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f
            || cp == 0x3000;
    }

    /** Whitespace for Python's {@code str.strip()}: White_Space plus the separators U+001C–U+001F. */
    private static boolean isStripWhitespace(int cp) {
        return isRegexWhitespace(cp) || cp >= 0x1c && cp <= 0x1f;
    }

    private static void requireWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw TokenizerException.unpairedSurrogate(text, i);
            }
        }
    }

    // Every whitespace code point is in the BMP, so char-wise scanning is exact here.
    private static String strip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isStripWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && isStripWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static String collapseWhitespace(String text) {
        StringBuilder out = null;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (!isRegexWhitespace(c)) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            int end = i + 1;
            while (end < n && isRegexWhitespace(text.charAt(end))) {
                end++;
            }
            if (out == null) {
                if (c == ' ' && end == i + 1) {
                    continue; // a single space is already collapsed
                }
                out = new StringBuilder(n).append(text, 0, i);
            }
            out.append(' ');
            i = end - 1;
        }
        return out == null ? text : out.toString();
    }
}
