package io.github.pointclip.crosspoint.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.dataset.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearProbeTest {

    /** Gaussian clusters in {@code dim} dimensions, centres far apart on the axes. */
    static LabelledFeatures clusters(int classes, int perClass, int dim, double spread, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[classes * perClass * dim];
        int[] labels = new int[classes * perClass];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % classes;
            for (int d = 0; d < dim; d++) {
                double centre = d == labels[i] % dim ? 3 : 0;
                v[i * dim + d] = (float) (centre + spread * r.nextGaussian() + 5); // an offset standardisation removes
            }
        }
        return LabelledFeatures.of(v, dim, labels);
    }

    @Test
    void linearlySeparableClustersAreClassifiedPerfectly() {
        LabelledFeatures train = clusters(4, 30, 8, 0.3, 1);
        LabelledFeatures test = clusters(4, 50, 8, 0.3, 2);
        ProbeResult r = LinearProbe.builder().build().evaluate(train, test);
        assertEquals(1.0, r.accuracy());
        assertEquals(1.0, r.meanClassAccuracy());
        assertEquals(1.0, r.trainAccuracy());
        assertEquals(120, r.trainSamples());
        assertEquals(200, r.testSamples());
        assertTrue(r.converged(), "converged in " + r.iterations());
    }

    /**
     * Fewer rows than features (and two of them repeated, so the span has fewer dimensions than rows): the fit in
     * the rows' span reaches the minimiser of the fit over all features.
     */
    @Test
    void fewerRowsThanFeaturesReachTheFullFitsMinimiser() {
        LabelledFeatures base = clusters(5, 6, 64, 1.0, 3);
        float[] v = java.util.Arrays.copyOf(base.valuesUnsafe(), 32 * 64);
        System.arraycopy(v, 0, v, 30 * 64, 2 * 64);
        int[] labels = new int[32];
        for (int i = 0; i < 32; i++) {
            labels[i] = base.label(i % 30);
        }
        LabelledFeatures train = LabelledFeatures.of(v, 64, labels);
        LabelledFeatures test = clusters(5, 20, 64, 1.0, 4);
        LinearProbe probe = LinearProbe.builder().tolerance(1e-8).maxIterations(20_000).build();
        LinearClassifier reduced = probe.fit(train, true);
        LinearClassifier full = probe.fit(train, false);
        assertTrue(reduced.converged() && full.converged(), reduced.iterations() + " and " + full.iterations() + " iterations");
        assertEquals(full.objective(), reduced.objective(), 1e-9 * Math.abs(full.objective()));
        double[] w = full.weights();
        double[] wr = reduced.weights();
        double largest = java.util.Arrays.stream(w).map(Math::abs).max().orElseThrow();
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], wr[i], 1e-5 * largest, "weight " + i);
        }
        assertArrayEquals(full.biases(), reduced.biases(), 1e-5);
        for (int i = 0; i < test.rows(); i++) {
            assertArrayEquals(full.scores(test.valuesUnsafe(), i * 64), reduced.scores(test.valuesUnsafe(), i * 64),
                1e-4, "row " + i);
        }
        assertArrayEquals(full.predict(test), reduced.predict(test));
    }

    @Test
    void twoSymmetricPointsGiveTheAnalyticWeights() {
        // rows x = +1 (class 1) and x = −1 (class 0): by symmetry b = 0 and W = (−a, a), and the minimum of
        // ½‖W‖² + C Σ log(1 + e^(−2a)) = a² + 2C log(1 + e^(−2a)) is where a = 2C σ(−2a)
        for (double c : new double[] {0.1, 1, 10}) {
            double a = solve(c);
            LabelledFeatures two = LabelledFeatures.of(new float[] {1, -1}, 1, new int[] {1, 0});
            LinearClassifier fit = LinearProbe.builder().c(c).tolerance(1e-12).build().fit(two);
            assertTrue(fit.converged());
            double[] w = fit.weights();
            assertEquals(-a, w[0], 1e-9, "C = " + c);
            assertEquals(a, w[1], 1e-9, "C = " + c);
            assertEquals(0, fit.biases()[0], 1e-12);
            assertEquals(0, fit.biases()[1], 1e-12);
            double[] s = fit.scores(new float[] {1}, 0);
            assertEquals(2 * a, s[1] - s[0], 1e-9); // P(class 1 | x = 1) = σ(2a)
        }
    }

    /** Bisection for a = 2C σ(−2a) on [0, 2C]: the left side minus the right grows strictly. */
    private static double solve(double c) {
        double lo = 0;
        double hi = 2 * c;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            double g = mid - 2 * c / (1 + Math.exp(2 * mid));
            if (g > 0) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return (lo + hi) / 2;
    }

    @Test
    void standardisationIsFoldedIntoTheRawWeights() {
        // the same two points, scaled by 4 and shifted by 10: standardisation undoes it, so the raw weights
        // are the analytic ones divided by 4 and the bias moves the boundary to x = 10
        LabelledFeatures two = LabelledFeatures.of(new float[] {14, 6}, 1, new int[] {1, 0});
        LinearClassifier fit = LinearProbe.builder().tolerance(1e-12).build().fit(two);
        double a = solve(1);
        assertEquals(a / 4, fit.weights()[1], 1e-9);
        double[] s = fit.scores(new float[] {10}, 0);
        assertEquals(0, s[1] - s[0], 1e-9);
        assertEquals(fit.biases()[1] + 10 * fit.weights()[1], s[1], 1e-9);
    }

    @Test
    void theResultDoesNotDependOnTheThreadCount() {
        LabelledFeatures noisy = clusters(5, 40, 12, 2.0, 3); // overlapping: a real optimisation
        LinearClassifier one = LinearProbe.builder().threads(1).build().fit(noisy);
        LinearClassifier three = LinearProbe.builder().threads(3).build().fit(noisy);
        assertArrayEquals(one.weights(), three.weights());
        assertArrayEquals(one.biases(), three.biases());
        assertEquals(one.iterations(), three.iterations());
        assertTrue(one.iterations() > 5, "a real optimisation: " + one.iterations());
    }

    @Test
    void aClassWithoutTrainingRowsIsNeverPredicted() {
        LabelledFeatures all = clusters(3, 20, 3, 0.2, 4);
        int[] keep = java.util.stream.IntStream.range(0, all.rows()).filter(i -> all.label(i) != 1).toArray();
        LinearClassifier fit = LinearProbe.builder().build().fit(all.subset(keep));
        assertEquals(3, fit.classes());
        assertEquals(Double.NEGATIVE_INFINITY, fit.biases()[1]);
        for (int p : fit.predict(all)) {
            assertTrue(p != 1);
        }
        assertEquals(2 / 3.0, fit.accuracy(all), 1e-12);
    }

    @Test
    void badInputIsRefusedWithAReason() {
        LabelledFeatures one = LabelledFeatures.of(new float[] {1, 2}, 1, new int[] {0, 0});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> LinearProbe.builder().build().fit(one));
        assertTrue(e.getMessage().contains("at least two classes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> LabelledFeatures.of(new float[] {1, Float.NaN}, 1, new int[] {0, 1}));
        assertEquals("feature 0 of row 1 is NaN; features must be finite", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LabelledFeatures.of(new float[3], 2, new int[] {0, 1}));
        assertTrue(e.getMessage().contains("3 feature values are not 2 rows of 2"), e.getMessage());
        LabelledFeatures a = clusters(2, 3, 2, 0.1, 1);
        LabelledFeatures b = clusters(2, 3, 3, 0.1, 1);
        e = assertThrows(IllegalArgumentException.class, () -> LinearProbe.builder().build().evaluate(a, b));
        assertEquals("training features are 2-d but test features 3-d", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LinearProbe.builder().c(0).build());
        assertThrows(IllegalArgumentException.class, () -> LinearProbe.builder().threads(0).build());
    }

    @Test
    void encoderConvenienceProbesADatasetsFeatures() throws Exception {
        MemoryDataset train = MemoryDataset.clusters("train", 4, 10, 1);
        MemoryDataset test = MemoryDataset.clusters("test", 4, 5, 2);
        CentroidEncoder encoder = new CentroidEncoder();
        List<String> events = new ArrayList<>();
        ProbeResult r = LinearProbe.builder().listener(new ProbeListener() {
            @Override
            public void started(Stage stage, int total) {
                events.add(stage + " " + total);
            }
        }).build().evaluate(encoder, train, test);
        assertEquals(1.0, r.accuracy());
        assertEquals(4, r.dim());
        assertEquals(60, encoder.encoded);
        assertEquals(List.of("FEATURES 40", "FEATURES 20", "TRAINING 1000"), events);
        LabelledFeatures embedded = EncoderFeatures.builder().encoder(encoder).output(EncoderFeatures.Output.EMBEDDING)
            .batchSize(3).build().extract(test);
        assertEquals(3, embedded.dim());
        assertEquals(test.classNames(), embedded.classNames());
        assertEquals(Split.TRAIN, test.split());
        // the first cloud's embedding is its centroid, near the class centre (0, 0, 0)
        assertEquals(0, embedded.value(0, 0), 0.05);
        assertEquals(2 * 3 / 4.0, embedded.value(3, 2), 0.05);
    }
}
