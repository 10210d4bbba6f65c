package io.github.pointclip.encoder;

import java.nio.file.Path;

/**
 * A point-encoder checkpoint cannot be used: missing, a directory, of an unknown kind (a
 * {@code .safetensors} file is expected), corrupt, or aligned with a CLIP space of another width
 * than the text encoder of the {@link io.github.pointclip.PointClip} it is given to. The message
 * names the file and says what does not match.
 */
public class PointEncoderLoadException extends PointClipException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * @param file the checkpoint, or null for an encoder passed as an object
     * @param reason what is wrong, without the file name
     * @param cause the underlying failure, or null
     */
    public PointEncoderLoadException(Path file, String reason, Throwable cause) {
        super((file == null ? "point encoder" : "point encoder " + file) + ": " + reason, cause);
        this.file = file;
    }

    /** @return the checkpoint file, or null for an encoder passed as an object */
    public Path file() {
        return file;
    }
}
