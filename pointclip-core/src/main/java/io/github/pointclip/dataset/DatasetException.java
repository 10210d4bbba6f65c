package io.github.pointclip.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A dataset's files are missing or inconsistent: a directory or file that does not exist (with
 * the file list that named it), an unreadable HDF5 file, {@code data} and {@code label} of
 * different lengths, a label outside the class list, data of the wrong shape, an empty class
 * folder. Carries the offending path and what was wrong.
 */
public class DatasetException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final transient Path namedBy;
    /** What was wrong, without the path. */
    private final String reason;

    /**
     * @param path the file or directory at fault
     * @param reason what was wrong, without the path
     */
    public DatasetException(Path path, String reason) {
        this(path, null, reason, null);
    }

    /**
     * @param path the file or directory at fault
     * @param reason what was wrong, without the path
     * @param cause the underlying exception, or null
     */
    public DatasetException(Path path, String reason, Throwable cause) {
        this(path, null, reason, cause);
    }

    /**
     * @param path the file or directory at fault
     * @param namedBy the file list that named {@code path}, or null
     * @param reason what was wrong, without the path
     * @param cause the underlying exception, or null
     */
    public DatasetException(Path path, Path namedBy, String reason, Throwable cause) {
        super(path + ": " + reason + (namedBy == null ? "" : " (named in " + namedBy + ")"), cause);
        this.path = path;
        this.namedBy = namedBy;
        this.reason = reason;
    }

    /** @return the file or directory at fault */
    public Path path() {
        return path;
    }

    /** @return the file list that named {@link #path()}, if it came from one */
    public Optional<Path> namedBy() {
        return Optional.ofNullable(namedBy);
    }

    /** @return what was wrong, without the path */
    public String reason() {
        return reason;
    }
}
