package io.github.pointclip.onnx.bundle;

import java.io.IOException;
import java.util.List;

/**
 * No model bundle could be resolved. The message lists every place that was tried and why it failed, then
 * says how to get a model: a catalogue backbone ({@code --backbone} / {@code .backbone(...)}), which is downloaded on
 * first use, {@code pointclip models download}, or an exported directory ({@code --model} / {@code .model(Path)}).
 */
public class ModelNotFoundException extends IOException {

    private static final long serialVersionUID = 1L;

    /** How to get a model, in the words of both the API and the command line. */
    static final String HINT = "To get a model: choose a catalogue backbone (" + ModelCatalog.names() + ") with --backbone "
        + "or .backbone(...), which downloads it on first use, or fetch it ahead with `pointclip models download "
        + "ViT-B/16`; or pass an exported model directory with --model DIR or .model(Path). See docs/models.md.";

    private final List<String> attempts;

    /**
     * @param attempts one line per resolution step, in order, saying what was tried and the outcome
     */
    public ModelNotFoundException(List<String> attempts) {
        super("no CLIP model bundle found; tried, in order:\n  " + String.join("\n  ", attempts) + "\n" + HINT);
        this.attempts = List.copyOf(attempts);
    }

    /** @return one line per resolution step, in order */
    public List<String> attempts() {
        return attempts;
    }
}
