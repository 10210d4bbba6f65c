package io.github.pointclip.onnx.bundle;

import java.util.List;

/**
 * No model bundle could be resolved. The message lists every place that was tried and why it failed, then
 * says how to get a model: a catalogue backbone ({@code --backbone} / {@code .backbone(...)}), which is downloaded on
 * first use, {@code pointclip models download}, or an exported directory ({@code --model} / {@code .model(Path)}).
 * Unchecked, as its base {@link io.github.pointclip.encoder.ModelNotFoundException}, which is what
 * {@code PointClip.builder().build()} lets through.
 */
public class ModelNotFoundException extends io.github.pointclip.encoder.ModelNotFoundException {

    private static final long serialVersionUID = 1L;

    /** How to get a model, in the words of both the API and the command line. */
    static final String HINT = "To get a model: choose a catalogue backbone (" + ModelCatalog.names() + ") with --backbone "
        + "or .backbone(...), which downloads it on first use, or fetch it ahead with `pointclip models download "
        + "ViT-B/16`; or pass an exported model directory with --model DIR or .model(Path). See docs/models.md.";

    /**
     * @param attempts one line per resolution step, in order, saying what was tried and the outcome
     */
    public ModelNotFoundException(List<String> attempts) {
        super("no CLIP model bundle found; tried, in order: " + numbered(attempts) + ". " + HINT, attempts, null);
    }

    private static String numbered(List<String> attempts) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < attempts.size(); i++) {
            b.append(i == 0 ? "" : "; ").append(i + 1).append(") ").append(attempts.get(i));
        }
        return b.toString();
    }
}
