package io.github.pointclip.onnx.bundle;

import java.nio.file.Path;
import java.util.List;

/**
 * An ONNX model's inputs or outputs do not match what its bundle expects. The message lists
 * every problem found, not only the first.
 */
public class ModelSignatureException extends BundleException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /**
     * @param modelFile the model file, or null when the model was not loaded from a file
     * @param problems one line per missing or mismatched input or output; not empty
     */
    public ModelSignatureException(Path modelFile, List<String> problems) {
        super(modelFile, "model does not have the expected signature:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** @return one line per missing or mismatched input or output */
    public List<String> problems() {
        return problems;
    }
}
