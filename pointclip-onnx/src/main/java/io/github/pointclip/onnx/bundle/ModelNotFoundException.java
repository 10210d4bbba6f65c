package io.github.pointclip.onnx.bundle;

import java.io.IOException;
import java.util.List;

/** No model bundle could be resolved. The message lists every place that was tried and why it failed. */
public class ModelNotFoundException extends IOException {

    private static final long serialVersionUID = 1L;

    private final List<String> attempts;

    /**
     * @param attempts one line per resolution step, in order, saying what was tried and the outcome
     */
    public ModelNotFoundException(List<String> attempts) {
        super("no CLIP model bundle found; tried, in order:\n  " + String.join("\n  ", attempts));
        this.attempts = List.copyOf(attempts);
    }

    /** @return one line per resolution step, in order */
    public List<String> attempts() {
        return attempts;
    }
}
