package io.github.pointclip.onnx.tokenizer;

/**
 * Splits normalised text into the pieces that BPE encodes, exactly as CLIP's pattern
 * <pre>{@code <\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+}</pre>
 * with {@code re.IGNORECASE} in Python's {@code regex} module. Written as a scanner rather than a
 * {@link java.util.regex.Pattern} because Java's {@code \s} and case-insensitive matching differ
 * from that module's: here {@code \s} is White_Space, U+017F (long s) matches {@code s}, and
 * U+0345 (combining ypogegrammeni, whose case fold is a letter) matches no alternative at all.
 *
 * <p>Letters and numbers are the Unicode general categories L* and N* of the running JVM
 * (Unicode 13 on Java 17); characters assigned in later Unicode versions may split differently.
 */
final class PreTokenizer {

    /** Receives the pieces in order. */
    interface Sink {
        /**
         * @param text the normalised text
         * @param start index of the piece's first char
         * @param end index after the piece's last char
         */
        void piece(String text, int start, int end);
    }

    static final String START_OF_TEXT = "<|startoftext|>";
    static final String END_OF_TEXT = "<|endoftext|>";

    private static final String[] CONTRACTIONS = {"'s", "'t", "'re", "'ve", "'m", "'ll", "'d"};

    private static final int SKIPPED = 0;
    private static final int LETTER = 1;
    private static final int NUMBER = 2;
    private static final int OTHER = 3;

    private PreTokenizer() {
    }

    /**
     * @param text normalised text (see {@link TextNormalizer})
     * @param sink receives every piece
     */
    static void split(String text, Sink sink) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            int literal = c == '<' ? matchSpecial(text, i) : c == '\'' ? matchContraction(text, i) : 0;
            if (literal > 0) {
                sink.piece(text, i, i + literal);
                i += literal;
                continue;
            }
            int cp = text.codePointAt(i);
            int kind = classify(cp);
            int end = i + Character.charCount(cp);
            if (kind == LETTER || kind == OTHER) {
                while (end < n) {
                    int next = text.codePointAt(end);
                    if (classify(next) != kind) {
                        break;
                    }
                    end += Character.charCount(next);
                }
            }
            if (kind != SKIPPED) {
                sink.piece(text, i, end);
            }
            i = end;
        }
    }

    private static int classify(int cp) {
        switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER:
            case Character.LOWERCASE_LETTER:
            case Character.TITLECASE_LETTER:
            case Character.MODIFIER_LETTER:
            case Character.OTHER_LETTER:
                return LETTER;
            case Character.DECIMAL_DIGIT_NUMBER:
            case Character.LETTER_NUMBER:
            case Character.OTHER_NUMBER:
                return NUMBER;
            default:
                return cp == 0x345 || TextNormalizer.isRegexWhitespace(cp) ? SKIPPED : OTHER;
        }
    }

    private static int matchSpecial(String text, int at) {
        if (regionMatchesIgnoreCase(text, at, START_OF_TEXT)) {
            return START_OF_TEXT.length();
        }
        return regionMatchesIgnoreCase(text, at, END_OF_TEXT) ? END_OF_TEXT.length() : 0;
    }

    private static int matchContraction(String text, int at) {
        for (String contraction : CONTRACTIONS) {
            if (regionMatchesIgnoreCase(text, at, contraction)) {
                return contraction.length();
            }
        }
        return 0;
    }

    /** Case-insensitive as the {@code regex} module is for these ASCII literals. */
    private static boolean regionMatchesIgnoreCase(String text, int at, String literal) {
        if (at + literal.length() > text.length()) {
            return false;
        }
        for (int k = 0; k < literal.length(); k++) {
            char expected = literal.charAt(k);
            char actual = text.charAt(at + k);
            if (actual != expected && Character.toLowerCase(actual) != expected
                && !(expected == 's' && actual == '\u017f')) {
                return false;
            }
        }
        return true;
    }
}
