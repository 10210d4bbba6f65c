package io.github.pointclip.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file the library reads is malformed. Carries the file, where in it the problem is (a
 * 1-based line number for text formats, a byte offset for binary ones, or neither when the
 * file as a whole is wrong) and what was wrong. Subclasses name the kind of file.
 */
public class FileFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Most characters of file content {@link #quote(CharSequence)} shows. */
    public static final int MAX_QUOTED_CHARS = 60;

    /** Longest reason kept in a message; longer ones are cut, so a message stays one readable line. */
    private static final int MAX_REASON_CHARS = 1000;

    private final transient Path file;
    private final long line;
    private final long byteOffset;
    private final String reason;

    /**
     * @param file the file
     * @param line 1-based line, or −1
     * @param byteOffset byte offset, or −1
     * @param reason what was wrong
     * @param cause underlying cause, or null
     */
    protected FileFormatException(Path file, long line, long byteOffset, String reason, Throwable cause) {
        super(file + (line >= 0 ? ":" + line : byteOffset >= 0 ? " at byte " + byteOffset : "") + ": "
            + oneLine(reason), cause);
        this.file = file;
        this.line = line;
        this.byteOffset = byteOffset;
        this.reason = oneLine(reason);
    }

    /**
     * Quotes file content for an error message: printable ASCII is kept, every other character
     * (control bytes, line breaks, non-ASCII) is escaped as <code>&#92;xNN</code> or <code>&#92;uNNNN</code>, and
     * content longer than {@value #MAX_QUOTED_CHARS} characters is cut with "...". The result is
     * wrapped in single quotes and always fits on one line.
     *
     * @param content the content, e.g. a header token; null gives {@code 'null'}
     * @return the quoted content
     */
    public static String quote(CharSequence content) {
        return quote(content, MAX_QUOTED_CHARS);
    }

    /**
     * Quotes file content as {@link #quote(CharSequence)} does, showing at most {@code maxChars}
     * characters (e.g. for a library's message that may repeat file content).
     *
     * @param content the content; null gives {@code 'null'}
     * @param maxChars most characters shown, at least 1
     * @return the quoted content
     */
    public static String quote(CharSequence content, int maxChars) {
        if (content == null) {
            return "'null'";
        }
        int shown = Math.min(content.length(), Math.max(1, maxChars));
        StringBuilder b = new StringBuilder(shown + 8).append('\'');
        for (int i = 0; i < shown; i++) {
            char c = content.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                b.append(c);
            } else if (c < 0x100) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        if (content.length() > shown) {
            b.append("...");
        }
        return b.append('\'').toString();
    }

    /**
     * The safety net for messages: escapes control and line-break characters (other Unicode,
     * such as the "≥" of a message, is kept) and cuts an overlong reason.
     */
    private static String oneLine(String reason) {
        if (reason == null) {
            return null;
        }
        StringBuilder b = null;
        int end = Math.min(reason.length(), MAX_REASON_CHARS);
        for (int i = 0; i < end; i++) {
            char c = reason.charAt(i);
            int type = Character.getType(c);
            boolean unsafe = type == Character.CONTROL || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.PRIVATE_USE || type == Character.UNASSIGNED;
            if (unsafe && b == null) {
                b = new StringBuilder(end + 16).append(reason, 0, i);
            }
            if (b != null) {
                if (unsafe) {
                    b.append(String.format(c < 0x100 ? "\\x%02x" : "\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
        }
        if (b == null && end == reason.length()) {
            return reason;
        }
        String kept = b == null ? reason.substring(0, end) : b.toString();
        return end < reason.length() ? kept + "... (" + (reason.length() - end) + " more characters)" : kept;
    }

    /**
     * @param file the file
     * @param line 1-based line number
     * @param reason what was wrong
     * @return the exception
     */
    public static FileFormatException atLine(Path file, long line, String reason) {
        return new FileFormatException(file, line, -1, reason, null);
    }

    /**
     * @param file the file
     * @param line 1-based line number, or −1 when unknown
     * @param reason what was wrong
     * @param cause underlying cause, or null
     * @return the exception
     */
    public static FileFormatException atLine(Path file, long line, String reason, Throwable cause) {
        return new FileFormatException(file, line, -1, reason, cause);
    }

    /**
     * @param file the file
     * @param byteOffset offset of the problem from the start of the file
     * @param reason what was wrong
     * @return the exception
     */
    public static FileFormatException atByte(Path file, long byteOffset, String reason) {
        return new FileFormatException(file, -1, byteOffset, reason, null);
    }

    /**
     * @param file the file
     * @param reason what was wrong with the file as a whole
     * @param cause underlying cause, or null
     * @return the exception
     */
    public static FileFormatException of(Path file, String reason, Throwable cause) {
        return new FileFormatException(file, -1, -1, reason, cause);
    }

    /** @return the malformed file */
    public Path file() {
        return file;
    }

    /** @return the 1-based line of the problem, or −1 */
    public long line() {
        return line;
    }

    /** @return the byte offset of the problem, or −1 */
    public long byteOffset() {
        return byteOffset;
    }

    /** @return what was wrong, without the location */
    public String reason() {
        return reason;
    }
}
