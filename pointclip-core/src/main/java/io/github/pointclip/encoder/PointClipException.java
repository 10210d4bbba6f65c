package io.github.pointclip.encoder;

/**
 * Base of the failures the {@link io.github.pointclip.PointClip} facade reports in the caller's
 * terms: {@link ModelNotFoundException} (no model where it looked), {@link ModelLoadException} (a
 * model was found but cannot be used), {@link AdapterLoadException} (a few-shot adapter checkpoint
 * cannot be used). Unchecked, so that {@code build()} stays one call; the message is one line
 * (a model search lists its attempts below it), and the underlying I/O or backend error is the
 * {@linkplain #getCause() cause}. Bad arguments remain {@link IllegalArgumentException}s and use
 * after {@code close()} an {@link IllegalStateException}.
 */
public class PointClipException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in the caller's terms
     * @param cause the underlying failure, or null
     */
    public PointClipException(String message, Throwable cause) {
        super(message, cause);
    }
}
