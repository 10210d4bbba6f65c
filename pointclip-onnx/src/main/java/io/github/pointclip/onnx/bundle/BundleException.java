package io.github.pointclip.onnx.bundle;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model bundle is unusable: a file is missing, malformed or does not match what the bundle
 * declares. Carries the file concerned (or the bundle directory) and what was wrong.
 */
public class BundleException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String reason;

    /**
     * @param file the file or directory concerned, or null when none applies
     * @param reason what was wrong, without the file name
     */
    public BundleException(Path file, String reason) {
        this(file, reason, null);
    }

    /**
     * @param file the file or directory concerned, or null when none applies
     * @param reason what was wrong, without the file name
     * @param cause the underlying cause, or null
     */
    public BundleException(Path file, String reason, Throwable cause) {
        super(file == null ? reason : file + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    /** @return the file or directory concerned, or null */
    public Path file() {
        return file;
    }

    /** @return what was wrong, without the file name */
    public String reason() {
        return reason;
    }
}
