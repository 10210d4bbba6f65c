package io.github.pointclip.onnx.tokenizer;

/**
 * A text cannot be tokenized: it is longer than the context length (and truncation was not asked
 * for), or it is not valid Unicode. The message quotes the text, abbreviated when long.
 */
public class TokenizerException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Longest part of the text that a message quotes. */
    private static final int QUOTED_CHARS = 80;

    private final String text;
    private final int tokenCount;

    TokenizerException(String message, String text, int tokenCount) {
        super(message);
        this.text = text;
        this.tokenCount = tokenCount;
    }

    static TokenizerException tooLong(String text, int tokenCount, int contextLength) {
        return new TokenizerException("text has " + tokenCount + " tokens with start and end of text, more than"
            + " the context length " + contextLength + " (ask for truncation to cut it): " + quote(text),
            text, tokenCount);
    }

    static TokenizerException unpairedSurrogate(String text, int index) {
        return new TokenizerException("text is not valid Unicode: unpaired surrogate at index " + index + ": "
            + quote(text), text, -1);
    }

    /**
     * @param text any text
     * @return the text in double quotes, cut to its first 80 characters followed by an ellipsis
     *     and the full length when longer
     */
    static String quote(String text) {
        if (text.length() <= QUOTED_CHARS) {
            return '"' + text + '"';
        }
        int end = QUOTED_CHARS;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // do not split a surrogate pair
        }
        return '"' + text.substring(0, end) + "…\" (" + text.length() + " characters)";
    }

    /** @return the text that could not be tokenized, in full */
    public String text() {
        return text;
    }

    /**
     * @return the number of tokens the text needs including start and end of text, or −1 when the
     *     problem is not its length
     */
    public int tokenCount() {
        return tokenCount;
    }
}
