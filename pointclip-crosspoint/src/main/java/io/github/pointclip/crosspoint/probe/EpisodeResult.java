package io.github.pointclip.crosspoint.probe;

/**
 * The outcome of few-shot episodes, as CrossPoint reports it: the mean and the standard deviation
 * over episodes of the query accuracy.
 *
 * @param accuracies each episode's query accuracy, in [0, 1], in episode order (copied in and out)
 * @param mean their mean
 * @param std their population standard deviation (NumPy's {@code np.std}, as CrossPoint prints it)
 * @param ways N, classes per episode
 * @param shots K, support samples per class
 * @param queries Q, query samples per class
 * @param seed the seed the episodes were drawn with
 */
public record EpisodeResult(double[] accuracies, double mean, double std, int ways, int shots, int queries,
        long seed) {

    /**
     * @param accuracies per-episode accuracies
     * @param mean their mean
     * @param std their population standard deviation
     * @param ways N
     * @param shots K
     * @param queries Q
     * @param seed the seed
     */
    public EpisodeResult {
        accuracies = accuracies.clone();
    }

    /**
     * @param accuracies per-episode accuracies
     * @param ways N
     * @param shots K
     * @param queries Q
     * @param seed the seed
     * @return the result with the mean and population standard deviation computed
     */
    public static EpisodeResult of(double[] accuracies, int ways, int shots, int queries, long seed) {
        double sum = 0;
        for (double a : accuracies) {
            sum += a;
        }
        double mean = sum / accuracies.length;
        double sq = 0;
        for (double a : accuracies) {
            sq += (a - mean) * (a - mean);
        }
        return new EpisodeResult(accuracies, mean, Math.sqrt(sq / accuracies.length), ways, shots, queries, seed);
    }

    @Override
    public double[] accuracies() {
        return accuracies.clone();
    }

    /** @return the number of episodes */
    public int episodes() {
        return accuracies.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EpisodeResult r && java.util.Arrays.equals(accuracies, r.accuracies) && ways == r.ways
            && shots == r.shots && queries == r.queries && seed == r.seed;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(accuracies) * 31 + java.util.Objects.hash(ways, shots, queries, seed);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%d-way %d-shot: %.2f ± %.2f %% over %d episodes", ways, shots,
            100 * mean, 100 * std, accuracies.length);
    }
}
