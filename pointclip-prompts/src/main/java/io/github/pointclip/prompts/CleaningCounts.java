package io.github.pointclip.prompts;

/**
 * What the cleaning and splitting steps did to the answers, step by step (see {@link DropReason} for what the
 * later steps dropped). An answer counts once per step however many of its lines the step changed.
 *
 * @param numberingStripped answers that lost list numbers or bullets ({@code 1.}, {@code 2)}, {@code -})
 * @param quotesStripped answers that lost surrounding quotes
 * @param labelsStripped answers that lost labels ({@code Caption:}) or lead-ins ({@code Here is a caption:})
 * @param answersSplit answers that gave more than one candidate (several lines or sentences)
 * @param sentencesAdded candidates beyond one per answer that the splitting gave:
 *     {@code candidates = answers + sentencesAdded}
 */
public record CleaningCounts(int numberingStripped, int quotesStripped, int labelsStripped, int answersSplit,
                             int sentencesAdded) {

    /** Nothing changed. */
    public static final CleaningCounts NONE = new CleaningCounts(0, 0, 0, 0, 0);

    /**
     * @param other more counts
     * @return the sums
     */
    public CleaningCounts plus(CleaningCounts other) {
        return new CleaningCounts(numberingStripped + other.numberingStripped, quotesStripped + other.quotesStripped,
            labelsStripped + other.labelsStripped, answersSplit + other.answersSplit, sentencesAdded + other.sentencesAdded);
    }
}
