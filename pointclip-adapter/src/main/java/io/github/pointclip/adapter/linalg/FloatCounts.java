package io.github.pointclip.adapter.linalg;

/**
 * Counting, per column, the rows whose value is above (or below) the row's threshold: the inner step of the
 * prompt search, where each candidate's count of correctly classified samples is a sum of such tests. SIMD
 * compares with {@code jdk.incubator.vector} resolved (about 3.5× faster), a plain loop otherwise; the same
 * counts either way. Thread-safe.
 */
public final class FloatCounts {
    private FloatCounts() {
    }

    /**
     * {@code counts[j] += 1} for every j in [from, to) with {@code values[offset + j] > threshold} (never for NaN).
     *
     * @param values the row's values
     * @param offset index of the row's column 0 in {@code values}
     * @param threshold the value to exceed (may be infinite)
     * @param counts per-column counts, updated in [from, to)
     * @param from first column
     * @param to one past the last column
     * @throws IllegalArgumentException if the columns fall outside {@code counts} or the row outside {@code values}
     */
    public static void addAbove(float[] values, int offset, float threshold, int[] counts, int from, int to) {
        checkRange(values, offset, counts, from, to);
        if (FloatMatmul.vectorised()) {
            VectorMatmul.addCompared(values, offset, threshold, true, counts, from, to);
        } else {
            addComparedPortable(values, offset, threshold, true, counts, from, to);
        }
    }

    /**
     * {@code counts[j] += 1} for every j in [from, to) with {@code values[offset + j] < threshold} (never for NaN).
     *
     * @param values the row's values
     * @param offset index of the row's column 0 in {@code values}
     * @param threshold the value to stay below (may be infinite)
     * @param counts per-column counts, updated in [from, to)
     * @param from first column
     * @param to one past the last column
     * @throws IllegalArgumentException if the columns fall outside {@code counts} or the row outside {@code values}
     */
    public static void addBelow(float[] values, int offset, float threshold, int[] counts, int from, int to) {
        checkRange(values, offset, counts, from, to);
        if (FloatMatmul.vectorised()) {
            VectorMatmul.addCompared(values, offset, threshold, false, counts, from, to);
        } else {
            addComparedPortable(values, offset, threshold, false, counts, from, to);
        }
    }

    private static void checkRange(float[] values, int offset, int[] counts, int from, int to) {
        if (from < 0 || to < from || to > counts.length || offset < 0 || (long) offset + to > values.length) {
            throw new IllegalArgumentException("columns [" + from + ", " + to + ") at offset " + offset + " outside "
                + values.length + " values or " + counts.length + " counts");
        }
    }

    static void addComparedPortable(float[] values, int offset, float threshold, boolean above, int[] counts,
            int from, int to) {
        if (above) {
            for (int j = from; j < to; j++) {
                counts[j] += values[offset + j] > threshold ? 1 : 0;
            }
        } else {
            for (int j = from; j < to; j++) {
                counts[j] += values[offset + j] < threshold ? 1 : 0;
            }
        }
    }
}
