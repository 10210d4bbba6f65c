package io.github.pointclip.crosspoint.probe;

import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.encoder.PointEncoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * N-way K-shot evaluation of frozen features as CrossPoint reports it: each episode draws N classes,
 * then K support and Q query samples of each (disjoint, without replacement), trains a
 * {@link LinearProbe} on the support (standardised with the support's statistics) and measures its
 * accuracy on the query; the result is the mean ± standard deviation over the episodes. CrossPoint
 * draws episodes from the training split (defaults there: 5 ways, 10 shots, 20 queries, 10 runs;
 * the paper reports 5/10-way × 10/20-shot).
 *
 * <p>Episodes are drawn with a {@link SplittableRandom} of the seed, from the labels alone, so the
 * same seed and labels give the same episodes, whatever the features. Only classes with at least
 * K + Q samples can be drawn.
 *
 * <p>Immutable and thread-safe.
 */
public final class FewShotEpisodes {

    private final int ways;
    private final int shots;
    private final int queries;
    private final int episodes;
    private final long seed;
    private final LinearProbe probe;
    private final ProbeListener listener;

    private FewShotEpisodes(Builder b) {
        this.ways = b.ways;
        this.shots = b.shots;
        this.queries = b.queries;
        this.episodes = b.episodes;
        this.seed = b.seed;
        this.probe = b.probe.toBuilder().listener(ProbeListener.NONE).build();
        this.listener = b.listener;
    }

    /** @return a builder with CrossPoint's defaults: 5 ways, 10 shots, 20 queries, 10 episodes, seed 0 */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Draws the episodes.
     *
     * @param labels the pool's labels
     * @param classes the number of classes of the pool
     * @return the episodes
     * @throws IllegalArgumentException if fewer than N classes have K + Q samples (the message says how many do)
     */
    public List<Episode> sample(int[] labels, int classes) {
        int per = shots + queries;
        List<List<Integer>> byClass = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " of sample " + i + " is outside [0, "
                    + classes + ")");
            }
            byClass.get(labels[i]).add(i);
        }
        int[] eligible = java.util.stream.IntStream.range(0, classes).filter(k -> byClass.get(k).size() >= per)
            .toArray();
        if (eligible.length < ways) {
            throw new IllegalArgumentException(ways + "-way " + shots + "-shot episodes with " + queries
                + " queries need " + ways + " classes with at least " + per + " samples each, but "
                + (eligible.length == 0 ? "none has" : "only " + eligible.length + " of " + classes + " have")
                + " (the largest class has " + byClass.stream().mapToInt(List::size).max().orElse(0) + ")");
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Episode> out = new ArrayList<>(episodes);
        for (int e = 0; e < episodes; e++) {
            int[] pool = eligible.clone();
            partialShuffle(pool, ways, random);
            int[] chosen = Arrays.copyOf(pool, ways);
            int[] support = new int[ways * shots];
            int[] query = new int[ways * queries];
            for (int w = 0; w < ways; w++) {
                int[] members = byClass.get(chosen[w]).stream().mapToInt(Integer::intValue).toArray();
                partialShuffle(members, per, random);
                System.arraycopy(members, 0, support, w * shots, shots);
                System.arraycopy(members, shots, query, w * queries, queries);
            }
            out.add(new Episode(chosen, support, query));
        }
        return out;
    }

    /** Moves a uniform random choice of {@code count} elements, in random order, to the front. */
    private static void partialShuffle(int[] a, int count, SplittableRandom random) {
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(a.length - i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * Runs the episodes on features.
     *
     * @param pool the labelled features episodes are drawn from
     * @return the per-episode accuracies, their mean and standard deviation
     * @throws IllegalArgumentException if fewer than N classes have K + Q samples
     */
    public EpisodeResult run(LabelledFeatures pool) {
        Objects.requireNonNull(pool, "pool");
        return run(pool, sample(pool.labelsUnsafe(), pool.classes()), null);
    }

    private EpisodeResult run(LabelledFeatures pool, List<Episode> drawn, int[] rowOf) {
        double[] accuracies = new double[drawn.size()];
        listener.started(ProbeListener.Stage.EPISODES, drawn.size());
        for (int e = 0; e < drawn.size(); e++) {
            Episode episode = drawn.get(e);
            List<String> names = new ArrayList<>(ways);
            for (int c : episode.classes()) {
                names.add(pool.classNames().get(c));
            }
            LabelledFeatures support = pool.select(rows(episode.support(), rowOf), episodeLabels(shots), names);
            LabelledFeatures query = pool.select(rows(episode.query(), rowOf), episodeLabels(queries), names);
            accuracies[e] = probe.fit(support).accuracy(query);
            listener.progress(ProbeListener.Stage.EPISODES, e + 1, drawn.size());
        }
        return EpisodeResult.of(accuracies, ways, shots, queries, seed);
    }

    private static int[] rows(int[] indices, int[] rowOf) {
        if (rowOf == null) {
            return indices;
        }
        int[] out = new int[indices.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = rowOf[indices[i]];
        }
        return out;
    }

    private int[] episodeLabels(int perClass) {
        int[] out = new int[ways * perClass];
        for (int i = 0; i < out.length; i++) {
            out[i] = i / perClass;
        }
        return out;
    }

    /**
     * Runs the episodes on a dataset, encoding only the samples they draw (each once, in index order).
     *
     * @param features how to encode
     * @param pool the dataset episodes are drawn from (CrossPoint: the training split)
     * @return the result
     * @throws IOException if a sample cannot be read
     * @throws IllegalArgumentException if fewer than N classes have K + Q samples
     */
    public EpisodeResult run(EncoderFeatures features, Dataset pool) throws IOException {
        List<Episode> drawn = sample(pool.labels(), pool.classNames().size());
        java.util.TreeSet<Integer> needed = new java.util.TreeSet<>();
        for (Episode e : drawn) {
            Arrays.stream(e.support()).forEach(needed::add);
            Arrays.stream(e.query()).forEach(needed::add);
        }
        int[] indices = needed.stream().mapToInt(Integer::intValue).toArray();
        int[] rowOf = new int[pool.size()];
        Arrays.fill(rowOf, -1);
        for (int r = 0; r < indices.length; r++) {
            rowOf[indices[r]] = r;
        }
        return run(features.extract(pool, indices), drawn, rowOf);
    }

    /**
     * Runs the episodes on a dataset with the encoder's global features (first 1024 points, 32 clouds per run).
     *
     * @param encoder the frozen encoder
     * @param pool the dataset episodes are drawn from
     * @return the result
     * @throws IOException if a sample cannot be read
     */
    public EpisodeResult run(PointEncoder encoder, Dataset pool) throws IOException {
        return run(EncoderFeatures.builder().encoder(encoder).listener(listener).build(), pool);
    }

    /** Builds {@link FewShotEpisodes}; validates in {@link #build()}. */
    public static final class Builder {
        private int ways = 5;
        private int shots = 10;
        private int queries = 20;
        private int episodes = 10;
        private long seed;
        private LinearProbe probe = LinearProbe.builder().build();
        private ProbeListener listener = ProbeListener.NONE;

        private Builder() {
        }

        /**
         * @param ways N, classes per episode; default 5
         * @return this builder
         */
        public Builder ways(int ways) {
            this.ways = ways;
            return this;
        }

        /**
         * @param shots K, support samples per class; default 10
         * @return this builder
         */
        public Builder shots(int shots) {
            this.shots = shots;
            return this;
        }

        /**
         * @param queries Q, query samples per class; default 20
         * @return this builder
         */
        public Builder queries(int queries) {
            this.queries = queries;
            return this;
        }

        /**
         * @param episodes how many episodes; default 10
         * @return this builder
         */
        public Builder episodes(int episodes) {
            this.episodes = episodes;
            return this;
        }

        /**
         * @param seed the seed the episodes are drawn with; default 0
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @param probe the classifier settings trained on each support set (its listener is not used); default
         *     {@link LinearProbe#builder()}'s
         * @return this builder
         */
        public Builder probe(LinearProbe probe) {
            this.probe = Objects.requireNonNull(probe, "probe");
            return this;
        }

        /**
         * @param listener progress: {@link ProbeListener.Stage#FEATURES} while encoding, then
         *     {@link ProbeListener.Stage#EPISODES}; default none
         * @return this builder
         */
        public Builder listener(ProbeListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @return the evaluation
         * @throws IllegalArgumentException if ways is below 2, or shots, queries or episodes below 1
         */
        public FewShotEpisodes build() {
            if (ways < 2) {
                throw new IllegalArgumentException("ways must be >= 2, got " + ways);
            }
            if (shots < 1 || queries < 1 || episodes < 1) {
                throw new IllegalArgumentException("shots, queries and episodes must be >= 1, got " + shots + ", "
                    + queries + ", " + episodes);
            }
            return new FewShotEpisodes(this);
        }
    }
}
