package io.github.pointclip.encoder;

/**
 * The CLIP model had to be downloaded and the network failed: the connection was refused, the host
 * is unknown, or the connection timed out or broke. Unlike its base {@link ModelLoadException},
 * nothing is wrong with the model or the request, and trying again later (or with
 * {@code offline(true)} and a model in the cache, or an explicit {@code model(Path)}) may succeed.
 * The message says what happened and to which address, e.g. {@code cannot download the CLIP model:
 * connection refused to https://huggingface.co/...}; the backend's exception (the ONNX backend's
 * {@code NetworkException}) is the {@linkplain #getCause() cause}.
 *
 * <p>A {@link ClipModelProvider} throws it from {@link ClipModelProvider#open}; the facade passes it
 * on unchanged.
 */
public class ModelDownloadException extends ModelLoadException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and the address, in the caller's terms
     * @param cause the backend's exception
     */
    public ModelDownloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
