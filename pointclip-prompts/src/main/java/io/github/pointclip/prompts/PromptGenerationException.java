package io.github.pointclip.prompts;

import io.github.pointclip.encoder.PointClipException;

/**
 * A generation run that cannot give a complete prompt library: post-processing left one or more classes
 * without any prompt. The message names them and says what dropped their answers; the report has the counts.
 * The responses stay in the cache, so a rerun with other post-processing settings sends no request.
 */
public class PromptGenerationException extends PointClipException {

    private static final long serialVersionUID = 1L;

    private final transient GenerationReport report;

    /**
     * @param message one line naming the classes
     * @param report the run's report
     */
    public PromptGenerationException(String message, GenerationReport report) {
        super(message, null);
        this.report = report;
    }

    /** @return the report of the run, with the counts of every class */
    public GenerationReport report() {
        return report;
    }
}
