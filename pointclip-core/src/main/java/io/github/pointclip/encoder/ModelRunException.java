package io.github.pointclip.encoder;

/**
 * A model that loaded failed while encoding: its runtime refused a batch, or it returned an output of
 * another name or shape than its signature promised. The model file is not what it claims to be (or
 * the backend cannot run it); the message names the file and what went wrong, on one line, with the
 * backend's exception as the cause.
 */
public class ModelRunException extends PointClipException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the model file
     * @param cause the backend's exception, or null
     */
    public ModelRunException(String message, Throwable cause) {
        super(message, cause);
    }
}
