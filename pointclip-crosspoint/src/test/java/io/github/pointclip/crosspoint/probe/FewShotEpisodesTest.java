package io.github.pointclip.crosspoint.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FewShotEpisodesTest {

    @Test
    void episodesHaveTheProtocolsShape() {
        int[] labels = labels(8, 12);
        List<Episode> episodes = FewShotEpisodes.builder().ways(3).shots(4).queries(5).episodes(20).seed(7).build()
            .sample(labels, 8);
        assertEquals(20, episodes.size());
        for (Episode e : episodes) {
            int[] classes = e.classes();
            assertEquals(3, classes.length);
            assertEquals(3, java.util.Arrays.stream(classes).distinct().count(), "distinct classes");
            assertEquals(12, e.support().length);
            assertEquals(15, e.query().length);
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 12; i++) {
                assertEquals(classes[i / 4], labels[e.support()[i]], "support is class-major");
                assertTrue(seen.add(e.support()[i]));
            }
            for (int i = 0; i < 15; i++) {
                assertEquals(classes[i / 5], labels[e.query()[i]], "query is class-major");
                assertTrue(seen.add(e.query()[i]), "query and support are disjoint, no repeats");
            }
        }
    }

    @Test
    void theSameSeedDrawsTheSameEpisodesAndAnotherSeedOthers() {
        LabelledFeatures pool = LinearProbeTest.clusters(6, 15, 6, 1.5, 9); // overlapping: accuracies vary
        FewShotEpisodes.Builder b = FewShotEpisodes.builder().ways(4).shots(3).queries(6).episodes(8);
        EpisodeResult first = b.seed(42).build().run(pool);
        EpisodeResult again = b.seed(42).build().run(pool);
        assertEquals(first, again);
        assertArrayEquals(first.accuracies(), again.accuracies());
        assertEquals(b.seed(42).build().sample(pool.labels(), 6), b.seed(42).build().sample(pool.labels(), 6));
        assertNotEquals(b.seed(42).build().sample(pool.labels(), 6), b.seed(43).build().sample(pool.labels(), 6));
        assertTrue(first.std() > 0, "overlapping classes: episodes differ, " + first);
        assertEquals(8, first.episodes());
    }

    @Test
    void classesAreDrawnUniformly() {
        // 10 eligible classes, 3 ways: each class is in an episode with probability 3/10
        List<Episode> episodes = FewShotEpisodes.builder().ways(3).shots(1).queries(1).episodes(3000).seed(1).build()
            .sample(labels(10, 2), 10);
        int[] count = new int[10];
        episodes.forEach(e -> java.util.Arrays.stream(e.classes()).forEach(c -> count[c]++));
        for (int c : count) {
            assertEquals(900, c, 90, java.util.Arrays.toString(count)); // 900 ± 3.6 σ
        }
    }

    @Test
    void separableFeaturesScorePerfectlyInEveryEpisode() {
        LabelledFeatures pool = LinearProbeTest.clusters(8, 30, 8, 0.2, 5);
        EpisodeResult r = FewShotEpisodes.builder().build().run(pool); // 5-way 10-shot 20 queries, 10 episodes
        assertEquals(1.0, r.mean());
        assertEquals(0.0, r.std());
        assertEquals(10, r.episodes());
    }

    @Test
    void meanAndPopulationStandardDeviation() {
        EpisodeResult r = EpisodeResult.of(new double[] {0.5, 1.0, 0.75, 0.75}, 5, 1, 1, 0);
        assertEquals(0.75, r.mean(), 1e-15);
        assertEquals(Math.sqrt(0.125 / 4), r.std(), 1e-15); // np.std, ddof = 0
    }

    @Test
    void tooFewSamplesPerClassIsExplained() {
        int[] labels = labels(6, 4);
        labels[0] = 1; // class 0 keeps 3 samples, class 1 has 5
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> FewShotEpisodes.builder().ways(5).shots(2).queries(3).build().sample(labels, 6));
        assertEquals("5-way 2-shot episodes with 3 queries need 5 classes with at least 5 samples each, but only 1 of 6 "
            + "have (the largest class has 5)", e.getMessage());
    }

    @Test
    void aDatasetRunEncodesOnlyTheDrawnSamples() throws Exception {
        MemoryDataset pool = MemoryDataset.clusters("pool", 10, 30, 3);
        CentroidEncoder encoder = new CentroidEncoder();
        FewShotEpisodes episodes = FewShotEpisodes.builder().ways(3).shots(2).queries(3).episodes(2).seed(5).build();
        EpisodeResult r = episodes.run(encoder, pool);
        Set<Integer> drawn = new HashSet<>();
        for (Episode e : episodes.sample(pool.labels(), 10)) {
            java.util.Arrays.stream(e.support()).forEach(drawn::add);
            java.util.Arrays.stream(e.query()).forEach(drawn::add);
        }
        assertEquals(drawn.size(), encoder.encoded);
        assertTrue(encoder.encoded <= 30);
        // the same as encoding everything first
        LabelledFeatures all = EncoderFeatures.builder().encoder(new CentroidEncoder()).build().extract(pool);
        assertEquals(episodes.run(all), r);
        assertEquals(1.0, r.mean());
    }

    private static int[] labels(int classes, int perClass) {
        int[] l = new int[classes * perClass];
        for (int i = 0; i < l.length; i++) {
            l[i] = i % classes;
        }
        return l;
    }
}
