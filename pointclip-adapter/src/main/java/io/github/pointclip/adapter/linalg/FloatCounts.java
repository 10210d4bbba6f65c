package io.github.pointclip.adapter.linalg;

/**
 * Counting, per column, the rows whose value lies in the row's open interval: the inner step of the prompt
 * search, where each candidate's count of correctly classified samples is a sum of such tests. SIMD compares
 * with {@code jdk.incubator.vector} resolved (about 3.5× faster), a plain loop otherwise; the same counts
 * either way. Thread-safe.
 */
public final class FloatCounts {
    private FloatCounts() {
    }

    /**
     * {@code counts[j] += 1} for every j in [from, to) with {@code lo < values[offset + j] < hi} (NaN is in no
     * interval).
     *
     * @param values the row's values
     * @param offset index of the row's column 0 in {@code values}
     * @param lo exclusive lower bound (may be −∞)
     * @param hi exclusive upper bound (may be +∞)
     * @param counts per-column counts, updated in [from, to)
     * @param from first column
     * @param to one past the last column
     */
    public static void addInRange(float[] values, int offset, float lo, float hi, int[] counts, int from, int to) {
        if (FloatMatmul.vectorised()) {
            VectorMatmul.addInRange(values, offset, lo, hi, counts, from, to);
        } else {
            addInRangePortable(values, offset, lo, hi, counts, from, to);
        }
    }

    static void addInRangePortable(float[] values, int offset, float lo, float hi, int[] counts, int from, int to) {
        for (int j = from; j < to; j++) {
            float v = values[offset + j];
            counts[j] += v > lo && v < hi ? 1 : 0;
        }
    }
}
