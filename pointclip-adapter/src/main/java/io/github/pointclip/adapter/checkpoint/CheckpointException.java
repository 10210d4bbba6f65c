package io.github.pointclip.adapter.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint that cannot be used: truncated or corrupt, in an unknown format, or incompatible with the model
 * it is meant for. The message names the file and says what does not match.
 */
public final class CheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * @param file the checkpoint file
     * @param reason what is wrong
     */
    public CheckpointException(Path file, String reason) {
        super(file + ": " + reason);
        this.file = file;
    }

    /**
     * @param file the checkpoint file
     * @param reason what is wrong
     * @param cause the underlying failure
     */
    public CheckpointException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
    }

    /** @return the checkpoint file */
    public Path file() {
        return file;
    }
}
