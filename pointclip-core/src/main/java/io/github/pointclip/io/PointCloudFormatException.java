package io.github.pointclip.io;

import java.nio.file.Path;

/**
 * A point-cloud or array file is malformed. Carries the file, where in it the problem is (a
 * 1-based line number for text formats, a byte offset for binary ones) and what was wrong.
 */
public class PointCloudFormatException extends FileFormatException {

    private static final long serialVersionUID = 1L;

    private PointCloudFormatException(Path file, long line, long byteOffset, String reason, Throwable cause) {
        super(file, line, byteOffset, reason, cause);
    }

    /**
     * @param file the file
     * @param line 1-based line number
     * @param reason what was wrong
     * @return the exception
     */
    public static PointCloudFormatException atLine(Path file, long line, String reason) {
        return new PointCloudFormatException(file, line, -1, reason, null);
    }

    /**
     * @param file the file
     * @param byteOffset offset of the problem from the start of the file
     * @param reason what was wrong
     * @return the exception
     */
    public static PointCloudFormatException atByte(Path file, long byteOffset, String reason) {
        return new PointCloudFormatException(file, -1, byteOffset, reason, null);
    }

    /**
     * @param file the file
     * @param reason what was wrong with the file as a whole
     * @param cause underlying cause, or null
     * @return the exception
     */
    public static PointCloudFormatException of(Path file, String reason, Throwable cause) {
        return new PointCloudFormatException(file, -1, -1, reason, cause);
    }
}
