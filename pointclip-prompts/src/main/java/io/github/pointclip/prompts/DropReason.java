package io.github.pointclip.prompts;

/**
 * Why post-processing dropped a candidate prompt, in the order the steps run. A candidate is one sentence of
 * an answer after cleaning (numbering, bullets, quotes and lead-ins stripped; an answer of several sentences
 * gives several candidates; an answer the server marked as a refusal, or cut off, is one candidate).
 */
public enum DropReason {
    /**
     * The server cut the answer at {@code max_tokens} ({@code finish_reason: "length"}) and it does not end
     * with {@code .}, {@code !} or {@code ?}: a sentence fragment. The whole answer is one candidate.
     */
    CUT_OFF("cut off"),
    /** The server marked the answer as a refusal, or the sentence refuses ("I'm sorry, I can't…"). */
    REFUSAL("refusals"),
    /** A lead-in or filler and nothing else ("Here are five captions:", "Sure!"). */
    PREAMBLE("preambles"),
    /** Nothing left after cleaning (no letter). */
    EMPTY("empty"),
    /** The class name is not in it, with {@code requireClassName} on. */
    NO_CLASS_NAME("without class name"),
    /** Longer than the text encoder's context, with truncation off (or not even its first word fits). */
    TOO_LONG("too long"),
    /** Equal to an earlier one of the class, ignoring case and whitespace. */
    DUPLICATE("duplicates"),
    /** Beyond the per-class cap, which is applied last. */
    OVER_CAP("over cap");

    private final String label;

    DropReason(String label) {
        this.label = label;
    }

    /** @return a short plural label for reports, e.g. {@code duplicates} */
    public String label() {
        return label;
    }

    /** @return the key in the provenance file, e.g. {@code duplicates} or {@code too_long} */
    public String key() {
        return label.replace(' ', '_');
    }
}
