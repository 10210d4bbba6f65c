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
        super(file + (line >= 0 ? ":" + line : byteOffset >= 0 ? " at byte " + byteOffset : "") + ": " + reason,
            cause);
        this.file = file;
        this.line = line;
        this.byteOffset = byteOffset;
        this.reason = reason;
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
