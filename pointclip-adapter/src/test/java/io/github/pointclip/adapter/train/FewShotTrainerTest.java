package io.github.pointclip.adapter.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.adapter.InterViewAdapter;
import io.github.pointclip.adapter.autograd.Tensor;
import io.github.pointclip.adapter.internal.AdapterNetworks;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FewShotTrainerTest {

    private static FewShotTrainer.Builder quick() {
        return FewShotTrainer.builder().epochs(40).batchSize(16).learningRate(0.05);
    }

    @Test
    void learnsASeparableProblem() {
        Synthetic problem = new Synthetic(1);
        FeatureSet train = problem.sample(16, 0.3, 2);
        FeatureSet test = problem.sample(50, 0.3, 3);
        Tensor text = AdapterNetworks.repeatText(Tensor.fromFloats(Synthetic.CLASSES, Synthetic.DIM, problem.text),
                Synthetic.VIEWS);
        InterViewAdapter untrained = InterViewAdapter.builder(Synthetic.VIEWS, Synthetic.DIM).build();
        double before = AdapterNetworks.accuracy(untrained, test, text);
        TrainingResult result = quick().seed(4).build().train(train, null, problem.text);
        double after = AdapterNetworks.accuracy(result.adapter(), test, text);
        assertTrue(after >= 0.98, "accuracy after training " + after + " (before " + before + ")");
        assertTrue(before < 0.7, "the problem is not solved zero-shot: " + before);
        List<EpochStats> h = result.history();
        assertTrue(h.get(h.size() - 1).loss() < h.get(1).loss(), "loss falls");
        assertEquals(39, result.bestEpoch(), "without validation the last epoch is kept");
    }

    @Test
    void sameSeedGivesBitIdenticalWeights() {
        Synthetic problem = new Synthetic(1);
        FeatureSet train = problem.sample(8, 0.3, 2);
        FeatureSet val = problem.sample(4, 0.3, 5);
        var a = quick().epochs(6).seed(9).build().train(train, val, problem.text).adapter().stateDict();
        var b = quick().epochs(6).seed(9).build().train(train, val, problem.text).adapter().stateDict();
        var c = quick().epochs(6).seed(10).build().train(train, val, problem.text).adapter().stateDict();
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void keepsTheBestValidationEpochAndReportsProgress() {
        Synthetic problem = new Synthetic(2);
        FeatureSet train = problem.sample(8, 0.8, 2);
        FeatureSet val = problem.sample(10, 0.8, 6);
        List<EpochStats> seen = new ArrayList<>();
        int[] steps = new int[1];
        int[] started = new int[2];
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onStart(int epochs, int stepsPerEpoch) {
                started[0] = epochs;
                started[1] = stepsPerEpoch;
            }

            @Override
            public void onStep(int epoch, int step, double loss) {
                steps[0]++;
            }

            @Override
            public void onEpoch(EpochStats stats) {
                seen.add(stats);
            }
        };
        TrainingResult r = quick().epochs(12).listener(listener).seed(3).build().train(train, val, problem.text);
        assertEquals(12, started[0]);
        assertEquals(2, started[1], "32 rows in batches of 16");
        assertEquals(24, steps[0]);
        assertEquals(r.history(), seen);
        double max = seen.stream().mapToDouble(EpochStats::validationAccuracy).max().orElseThrow();
        int firstMax = 0;
        while (seen.get(firstMax).validationAccuracy() != max) {
            firstMax++;
        }
        assertEquals(firstMax, r.bestEpoch(), "the earliest epoch with the highest validation accuracy");
        assertEquals(max, r.bestValidationAccuracy());
        Tensor text = AdapterNetworks.repeatText(Tensor.fromFloats(Synthetic.CLASSES, Synthetic.DIM, problem.text),
                Synthetic.VIEWS);
        assertEquals(max, AdapterNetworks.accuracy(r.adapter(), val, text), "the kept weights are the best epoch's");
        assertEquals(1e-5, seen.get(0).learningRate(), 1e-12, "warm-up epoch");
        assertEquals(0.05, seen.get(1).learningRate(), 1e-12);
    }

    @Test
    void twoThreadsGiveTheSameWeightsAsOne() {
        // large enough for the products to be split over the helper thread
        int views = 4;
        int dim = 192;
        java.util.Random r = new java.util.Random(8);
        float[] f = new float[64 * views * dim];
        int[] labels = new int[64];
        for (int i = 0; i < 64; i++) {
            labels[i] = i % 3;
            for (int j = 0; j < views * dim; j++) {
                f[i * views * dim + j] = (float) (r.nextGaussian() + (j % 3 == labels[i] ? 1 : 0));
            }
        }
        FeatureSet train = new FeatureSet(f, labels, views, dim, List.of("a", "b", "c"));
        float[] text = new float[3 * dim];
        for (int i = 0; i < text.length; i++) {
            text[i] = (float) r.nextGaussian() / 14;
        }
        var one = FewShotTrainer.builder().epochs(2).threads(1).seed(1).build().train(train, null, text);
        var two = FewShotTrainer.builder().epochs(2).threads(2).seed(1).build().train(train, null, text);
        assertEquals(one.adapter().stateDict(), two.adapter().stateDict());
    }

    @Test
    void rejectsMismatchedInputs() {
        Synthetic problem = new Synthetic(1);
        FeatureSet train = problem.sample(4, 0.3, 2);
        FewShotTrainer t = quick().build();
        assertThrows(IllegalArgumentException.class, () -> t.train(train, null, new float[5]));
        assertThrows(IllegalArgumentException.class, () -> FewShotTrainer.builder().batchSize(1).build());
    }

    @Test
    void aLossThatIsNoLongerFiniteStopsTrainingWithWhereItHappened() {
        Synthetic problem = new Synthetic(1);
        FeatureSet train = problem.sample(8, 0.3, 2);
        TrainingDivergedException e = org.junit.jupiter.api.Assertions.assertThrows(TrainingDivergedException.class,
            () -> quick().epochs(5).learningRate(1e30).seed(3).build().train(train, null, problem.text));
        assertTrue(!Double.isFinite(e.loss()), "loss " + e.loss());
        assertTrue(e.getMessage().startsWith("training diverged: loss " + e.loss() + " at epoch " + e.epoch()
            + ", step " + e.step()), e.getMessage());
        assertTrue(e.epoch() >= 1, "epoch 0 runs at 1e-5 of the rate, epoch 1 at the full rate: " + e.epoch());
    }
}
