package io.github.pointclip.encoder;

/**
 * A CLIP model was found (or was being downloaded) but cannot be used: a file of it is missing,
 * corrupt or does not match its declared checksum, the download failed, or the backend refused
 * it. The message names the model and what failed; the backend's exception (an
 * {@link java.io.IOException} such as the ONNX backend's {@code BundleException} or
 * {@code DownloadException}) is the {@linkplain #getCause() cause}.
 */
public class ModelLoadException extends PointClipException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, in the caller's terms
     * @param cause the backend's exception
     */
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
