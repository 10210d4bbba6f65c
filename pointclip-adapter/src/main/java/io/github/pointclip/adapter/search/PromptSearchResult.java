package io.github.pointclip.adapter.search;

import java.util.Arrays;

/**
 * The outcome of a {@link PromptSearch}: for each class the chosen candidate (or −1 where the initial
 * feature was kept), the resulting class features and the validation accuracy before and after.
 * Immutable.
 */
public final class PromptSearchResult {

    private final int[] chosen;
    private final float[] textFeatures;
    private final int initialCorrect;
    private final int correct;
    private final int samples;
    private final long trials;
    private final int accepted;

    PromptSearchResult(int[] chosen, float[] textFeatures, int initialCorrect, int correct, int samples, long trials,
                       int accepted) {
        this.chosen = chosen.clone();
        this.textFeatures = textFeatures.clone();
        this.initialCorrect = initialCorrect;
        this.correct = correct;
        this.samples = samples;
        this.trials = trials;
        this.accepted = accepted;
    }

    /**
     * @param classIndex a class
     * @return index of the chosen candidate in that class's list, or −1 if the initial feature was kept
     */
    public int chosen(int classIndex) {
        return chosen[classIndex];
    }

    /** @return the chosen candidate of every class, −1 where the initial one was kept (a copy) */
    public int[] chosen() {
        return chosen.clone();
    }

    /** @return the class features after the search, [C, D] (a copy) */
    public float[] textFeatures() {
        return textFeatures.clone();
    }

    /** @return samples classified correctly with the initial features */
    public int initialCorrect() {
        return initialCorrect;
    }

    /** @return samples classified correctly with the chosen features */
    public int correct() {
        return correct;
    }

    /** @return validation samples */
    public int samples() {
        return samples;
    }

    /** @return {@code initialCorrect / samples} */
    public double initialAccuracy() {
        return (double) initialCorrect / samples;
    }

    /** @return {@code correct / samples} */
    public double accuracy() {
        return (double) correct / samples;
    }

    /** @return candidates evaluated, over all passes */
    public long trials() {
        return trials;
    }

    /** @return trials that strictly improved and were kept */
    public int accepted() {
        return accepted;
    }

    @Override
    public String toString() {
        return "PromptSearchResult[" + initialCorrect + " → " + correct + "/" + samples + ", " + trials + " trials, "
            + accepted + " accepted, chosen " + Arrays.toString(chosen) + "]";
    }
}
