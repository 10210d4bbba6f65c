package io.github.pointclip.onnx.bundle;

import io.github.pointclip.onnx.internal.CauseMessages;
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
        super(modelFile, "model does not have the expected signature: " + join(problems));
        this.problems = List.copyOf(problems);
    }

    /** One line: the problem, or "(2 problems) 1) ...; 2) ..." when there are several. */
    private static String join(List<String> problems) {
        if (problems.size() == 1) {
            return CauseMessages.oneLine(problems.get(0));
        }
        StringBuilder out = new StringBuilder("(").append(problems.size()).append(" problems) ");
        for (int i = 0; i < problems.size(); i++) {
            out.append(i == 0 ? "" : "; ").append(i + 1).append(") ").append(CauseMessages.oneLine(problems.get(i)));
        }
        return out.toString();
    }

    /** @return one line per missing or mismatched input or output */
    public List<String> problems() {
        return problems;
    }
}
