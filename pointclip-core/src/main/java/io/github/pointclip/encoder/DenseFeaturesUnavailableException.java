package io.github.pointclip.encoder;

/**
 * The image model has no per-patch (dense) features, which zero-shot part segmentation needs: it
 * has neither a {@code token_embeds} output nor a {@code last_hidden_state} output whose final
 * layer norm and projection could be found in the model. The message names the model file, the
 * missing output and how to export it, on one line. Bad input (CLI exit code 2), not a bug.
 */
public class DenseFeaturesUnavailableException extends PointClipException {

    private static final long serialVersionUID = 1L;

    /** @param message what is missing and how to get it, naming the model file */
    public DenseFeaturesUnavailableException(String message) {
        super(message, null);
    }
}
