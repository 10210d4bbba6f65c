package io.github.pointclip.onnx.bundle;

import java.util.List;

/**
 * No model bundle could be resolved. The message lists every place that was tried and why it failed. Unchecked,
 * as its base {@link io.github.pointclip.encoder.ModelNotFoundException}, which is what
 * {@code PointClip.builder().build()} lets through.
 */
public class ModelNotFoundException extends io.github.pointclip.encoder.ModelNotFoundException {

    private static final long serialVersionUID = 1L;

    /**
     * @param attempts one line per resolution step, in order, saying what was tried and the outcome
     */
    public ModelNotFoundException(List<String> attempts) {
        super("no CLIP model bundle found; tried, in order:\n  " + String.join("\n  ", attempts), attempts, null);
    }
}
