package io.github.pointclip.adapter.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SearchTest {

    /** A small problem; {@code integer} gives small integer values, so ties are exact and frequent. */
    private static final class Problem {
        final int n;
        final int views;
        final int dim;
        final int classes;
        final float[] features;
        final int[] labels;
        final float[] text;
        final List<float[]> candidates = new ArrayList<>();

        Problem(long seed, int n, int views, int dim, int classes, boolean integer, double signal) {
            Random r = new Random(seed);
            this.n = n;
            this.views = views;
            this.dim = dim;
            this.classes = classes;
            features = new float[n * views * dim];
            labels = new int[n];
            text = new float[classes * dim];
            float[] proto = new float[classes * dim];
            for (int i = 0; i < proto.length; i++) {
                proto[i] = value(r, integer);
                text[i] = integer ? proto[i] : proto[i] + (float) (0.5 * r.nextGaussian());
            }
            for (int s = 0; s < n; s++) {
                labels[s] = r.nextInt(classes);
                for (int v = 0; v < views; v++) {
                    for (int i = 0; i < dim; i++) {
                        float x = value(r, integer);
                        if (r.nextDouble() < signal) {
                            x = proto[labels[s] * dim + i];
                        }
                        features[(s * views + v) * dim + i] = x;
                    }
                }
            }
            for (int c = 0; c < classes; c++) {
                int k = r.nextInt(7);
                float[] cand = new float[k * dim];
                for (int j = 0; j < k; j++) {
                    if (j > 0 && r.nextInt(4) == 0) { // a duplicate of an earlier candidate: a certain tie
                        System.arraycopy(cand, r.nextInt(j) * dim, cand, j * dim, dim);
                        continue;
                    }
                    for (int i = 0; i < dim; i++) {
                        cand[j * dim + i] = r.nextDouble() < signal ? proto[c * dim + i] : value(r, integer);
                    }
                }
                candidates.add(cand);
            }
        }

        private static float value(Random r, boolean integer) {
            return integer ? r.nextInt(3) - 1 : (float) r.nextGaussian();
        }

        SearchData data(float scale) {
            return SearchData.fromNormalisedFeatures(features, n, views, dim, labels, classes, scale);
        }
    }

    @Test
    void promptSearchEqualsBruteForce() {
        int checked = 0;
        for (long seed = 0; seed < 40; seed++) {
            boolean integer = seed % 2 == 0;
            double signal = (seed % 4) / 4.0 + 0.1;
            Problem p = new Problem(seed, 30 + (int) seed, 1 + (int) (seed % 3), 4 + (int) (seed % 5), 2 + (int) (seed % 6),
                integer, signal);
            // views 1 and 4 keep 1/√V exact, so integer problems have exact logits and real ties
            float scale = p.views == 2 ? (float) Math.sqrt(2) : (float) Math.sqrt(p.views);
            float[] w = new float[p.views];
            for (int v = 0; v < w.length; v++) {
                w[v] = integer ? 1 + v % 2 : 0.25f * (v + 1);
            }
            float[] g = BruteForce.fused(p.features, p.n, p.views, p.dim, w, scale);
            for (int passes = 1; passes <= 3; passes++) {
                int[] expected = BruteForce.promptSearch(g, p.n, p.dim, p.text, p.classes, p.candidates, p.labels, passes);
                for (long cache : new long[] {0, 1L << 20}) {
                    for (int threads : new int[] {1, 2}) {
                        PromptSearchResult r = PromptSearch.builder().passes(passes).threads(threads).cacheBytes(cache)
                            .build().search(p.data(scale), w, p.text, p.candidates);
                        String where = "seed " + seed + ", passes " + passes + ", cache " + cache + ", threads " + threads;
                        assertArrayEquals(java.util.Arrays.copyOf(expected, p.classes), r.chosen(), where);
                        assertEquals(expected[p.classes], r.correct(), where);
                        assertEquals(BruteForce.correctFused(g, p.n, p.dim, p.text, p.classes, p.labels), r.initialCorrect());
                        assertEquals(BruteForce.correctFused(g, p.n, p.dim, r.textFeatures(), p.classes, p.labels),
                            r.correct(), where);
                        long k = p.candidates.stream().mapToLong(a -> a.length / p.dim).sum();
                        assertEquals(passes * k, r.trials());
                        checked++;
                    }
                }
            }
        }
        assertEquals(40 * 3 * 4, checked);
    }

    @Test
    void promptSearchKeepsTheEarlierOfTiedCandidatesAndRunsTwoPassesInOrder() {
        // 2 classes, 1 dim: sample 0 (class 0) has g = 1, sample 1 (class 1) has g = -1.
        // initial t0 = -1, t1 = 1: both wrong.
        float[] f = {1, -1};
        SearchData data = SearchData.fromNormalisedFeatures(f, 2, 1, 1, new int[] {0, 1}, 2, 1f);
        float[] initial = {-1, 1};
        // class 0: candidates 0 (no change), 2 and 3 (both fix sample 0: tie, the earlier wins)
        // class 1: candidate -1 fixes sample 1 only after class 0 changed... it is right already by then
        List<float[]> cand = List.of(new float[] {-1, 2, 3}, new float[] {1, -1});
        PromptSearchResult r = PromptSearch.builder().build().search(data, new float[] {1}, initial, cand);
        int[] expected = BruteForce.promptSearch(BruteForce.fused(f, 2, 1, 1, new float[] {1}, 1f), 2, 1, initial, 2, cand,
            new int[] {0, 1}, 2);
        assertArrayEquals(java.util.Arrays.copyOf(expected, 2), r.chosen());
        assertEquals(1, r.chosen(0));
        assertEquals(0, r.initialCorrect());
        assertEquals(expected[2], r.correct());
        assertEquals(2 * 5, r.trials());
    }

    @Test
    void viewSearchEqualsBruteForceAndWalksViewZeroOutermost() {
        for (long seed = 0; seed < 24; seed++) {
            boolean integer = seed % 2 == 0;
            Problem p = new Problem(seed, 20 + (int) seed, 1 + (int) (seed % 4), 3 + (int) (seed % 4), 2 + (int) (seed % 5),
                integer, 0.3);
            SearchData data = p.data(100f);
            for (int steps : new int[] {1, 2, 4}) {
                float[] expected = BruteForce.viewSearch(p.features, p.n, p.views, p.dim, p.text, p.classes, 100f, p.labels,
                    steps, 1.0);
                ViewWeightResult r = ViewWeightSearch.builder().steps(steps).threads(1 + (int) (seed % 3)).build()
                    .search(data, p.text);
                assertArrayEquals(expected, r.weights().orElse(null), "seed " + seed + ", steps " + steps);
                assertEquals(BruteForce.correctPerView(p.features, p.n, p.views, p.dim, p.text, p.classes, expected, 100f,
                    p.labels), r.correct());
                assertEquals((long) Math.pow(steps, p.views), r.trials());
            }
        }
    }

    @Test
    void viewSearchTiesKeepTheFirstGridPointAndOrderIsViewZeroOutermost() {
        // 2 views, 1 dim, 2 classes; one sample with view features +1, -1; t0 = 1, t1 = -1:
        // logit0 = (w0 - w1)·k, logit1 = -(w0 - w1)·k
        float[] f = {1, -1};
        float[] text = {1, -1};
        SearchData data = SearchData.fromNormalisedFeatures(f, 1, 2, 1, new int[] {1}, 2, 100f);
        ViewWeightResult r = ViewWeightSearch.builder().steps(4).build().search(data, text);
        // class 1 is right iff w1 > w0 (equal logits go to class 0)
        assertArrayEquals(new float[] {0.25f, 0.5f}, r.weights().orElseThrow());
        assertEquals(1, r.correct());

        // all points tie (one class): the very first grid point is kept
        SearchData one = SearchData.fromNormalisedFeatures(new float[] {1, 2, 3}, 1, 3, 1, new int[] {0}, 1, 100f);
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f},
            ViewWeightSearch.builder().build().search(one, new float[] {1}).weights().orElseThrow());

        // right iff w0 - 3·w1 + w2 >= 0 (a tie goes to class 0): with view 0 outermost and the last fastest
        // the first such point is (0.25, 0.25, 0.5); the reverse order would reach (0.5, 0.25, 0.25) first
        SearchData three = SearchData.fromNormalisedFeatures(new float[] {1, -3, 1}, 1, 3, 1, new int[] {0}, 2, 100f);
        ViewWeightResult t = ViewWeightSearch.builder().build().search(three, new float[] {1, -1});
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.5f}, t.weights().orElseThrow());
        assertEquals(1, t.correct());
    }

    @Test
    void viewSearchSelectsNothingWhenEveryTrialScoresZeroAsTheReference() {
        // 2 views, 1 dim, 2 classes, one sample of class 1 with view features +1, +1; t0 = 1, t1 = -1:
        // logit0 = (w0 + w1)·k > 0 > logit1 for every positive weight, so no trial is right
        SearchData data = SearchData.fromNormalisedFeatures(new float[] {1, 1}, 1, 2, 1, new int[] {1}, 2, 100f);
        for (int threads : new int[] {1, 3}) {
            ViewWeightResult r = ViewWeightSearch.builder().steps(4).threads(threads).build()
                .search(data, new float[] {1, -1});
            assertTrue(r.weights().isEmpty(), r.toString());
            assertEquals(0, r.correct());
            assertEquals(0.0, r.accuracy());
            assertEquals(16, r.trials(), "every trial still ran");
            assertTrue(r.toString().contains("none selected"), r.toString());
        }
        assertEquals(null, BruteForce.viewSearch(new float[] {1, 1}, 1, 2, 1, new float[] {1, -1}, 2, 100f,
            new int[] {1}, 4, 1.0), "the brute-force reference agrees");
    }

    @Test
    void fusedFeaturesAreNotRenormalisedAfterWeighting() {
        float[] raw = {3, 4, 0, 2}; // 1 sample, 2 views, D = 2
        SearchData data = SearchData.fromRawFeatures(raw, 1, 2, 2, new int[] {0}, 1, 100f);
        // per-view normalised: (0.6, 0.8), (0, 1); weights (1, 0.5); scale 100/√2
        float[] g = data.fused(new float[] {1f, 0.5f});
        float k = (float) (100 / Math.sqrt(2));
        assertEquals(0.6f * k, g[0], 1e-4);
        assertEquals((0.8f + 0.5f) * k, g[1], 1e-4);
        assertTrue(Math.abs(Math.hypot(g[0], g[1]) - 1) > 1, "not renormalised");
    }

    @Test
    void listenerSeesProgressUpToTheTotal() {
        Problem p = new Problem(3, 40, 2, 5, 4, false, 0.5);
        List<long[]> calls = new ArrayList<>();
        SearchListener l = (done, total, best, samples) -> calls.add(new long[] {done, total, best, samples});
        PromptSearchResult r = PromptSearch.builder().listener(l).build().search(p.data(10f), new float[] {1, 1}, p.text,
            p.candidates);
        assertTrue(!calls.isEmpty());
        long[] last = calls.get(calls.size() - 1);
        assertEquals(r.trials(), last[0]);
        assertEquals(r.trials(), last[1]);
        assertEquals(r.correct(), last[2]);
        for (int i = 1; i < calls.size(); i++) {
            assertTrue(calls.get(i)[0] >= calls.get(i - 1)[0]);
            assertTrue(calls.get(i)[2] >= calls.get(i - 1)[2]);
        }
        calls.clear();
        ViewWeightResult v = ViewWeightSearch.builder().listener(l).build().search(p.data(10f), p.text);
        assertEquals(16, calls.get(calls.size() - 1)[0]);
        assertEquals(16, calls.get(calls.size() - 1)[1]);
        assertEquals(v.correct(), calls.get(calls.size() - 1)[2]);
    }

    @Test
    void badInputIsRefused() {
        Problem p = new Problem(1, 10, 2, 3, 3, false, 0.5);
        SearchData data = p.data(100f);
        assertThrows(IllegalArgumentException.class,
            () -> SearchData.fromNormalisedFeatures(p.features, 10, 2, 4, p.labels, 3, 100f));
        assertThrows(IllegalArgumentException.class,
            () -> SearchData.fromNormalisedFeatures(p.features, 10, 2, 3, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 100f));
        assertThrows(IllegalArgumentException.class, () -> ViewWeightSearch.builder().build().search(data, new float[5]));
        assertThrows(IllegalArgumentException.class,
            () -> PromptSearch.builder().build().search(data, new float[] {1}, p.text, p.candidates));
        assertThrows(IllegalArgumentException.class,
            () -> PromptSearch.builder().build().search(data, new float[] {1, 1}, p.text, p.candidates.subList(0, 2)));
        assertThrows(IllegalArgumentException.class, () -> PromptSearch.builder().passes(0));
    }
}
