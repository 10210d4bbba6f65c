package io.github.pointclip.encoder;

import java.util.List;

/**
 * No CLIP model could be found: none at the path given, none configured, none in the cache, and
 * none could be downloaded (or downloads were off). The message lists every place that was tried
 * and says how to give one: {@code PointClip.builder().model(Path)} in the API, {@code --model DIR}
 * or {@code --backbone NAME} on the command line (docs/models.md).
 *
 * <p>A {@link ClipModelProvider} throws it (or a subclass, such as the ONNX backend's
 * {@code io.github.pointclip.onnx.bundle.ModelNotFoundException}) from
 * {@link ClipModelProvider#open}; the facade passes it on unchanged.
 */
public class ModelNotFoundException extends PointClipException {

    private static final long serialVersionUID = 1L;

    private final List<String> attempts;

    /**
     * @param message what was looked for, in the caller's terms
     * @param attempts one line per place tried, in order, with the outcome
     * @param cause the underlying failure, or null
     */
    public ModelNotFoundException(String message, List<String> attempts, Throwable cause) {
        super(message, cause);
        this.attempts = List.copyOf(attempts);
    }

    /** @return one line per place tried, in order, with the outcome */
    public List<String> attempts() {
        return attempts;
    }
}
