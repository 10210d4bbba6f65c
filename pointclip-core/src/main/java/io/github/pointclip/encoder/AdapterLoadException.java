package io.github.pointclip.encoder;

import java.nio.file.Path;

/**
 * A few-shot adapter checkpoint cannot be used: missing, a directory, of an unknown kind (a
 * {@code .safetensors} file is expected), corrupt, or trained for another pipeline, view count or
 * feature width than the {@link io.github.pointclip.PointClip} it is given to. The message names
 * the file and says what does not match.
 */
public class AdapterLoadException extends PointClipException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * @param file the checkpoint, or null for an adapter passed as an object
     * @param reason what is wrong, without the file name
     * @param cause the underlying failure, or null
     */
    public AdapterLoadException(Path file, String reason, Throwable cause) {
        super((file == null ? "adapter" : "adapter " + file) + ": " + reason, cause);
        this.file = file;
    }

    /** @return the checkpoint file, or null for an adapter passed as an object */
    public Path file() {
        return file;
    }
}
