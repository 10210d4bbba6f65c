package io.github.pointclip.crosspoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.adapter.StateTensor;
import io.github.pointclip.adapter.checkpoint.CheckpointException;
import io.github.pointclip.encoder.PointEncoder;
import io.github.pointclip.encoder.PointEncoderLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pre-training on small synthetic shapes: the losses fall, runs are reproducible and resumable, checkpoints load. */
class CrossPointPretrainerTest {
    private static final EncoderConfig POINTNET = EncoderConfig.pointNet().withWidths(new int[] {16, 16, 32}, 64, 32);
    private static final EncoderConfig DGCNN = EncoderConfig.dgcnn().withWidths(new int[] {8, 8}, 32, 32).withK(8);

    @TempDir
    Path dir;

    private static CrossPointPretrainer.Builder small(EncoderConfig c, int epochs) {
        return CrossPointPretrainer.builder().encoder(c).epochs(epochs).batchSize(8).points(64).seed(3)
                .learningRate(3e-3);
    }

    @Test
    void pointNetLossesFallOnAFixedSeed() throws IOException {
        Synthetic data = new Synthetic(32, 64, 8, 1);
        PretrainResult result = small(POINTNET, 12).build().pretrain(data.clouds, data.targets);
        List<PretrainEpoch> h = result.history();
        assertEquals(12, h.size());
        PretrainEpoch first = h.get(0);
        PretrainEpoch last = h.get(h.size() - 1);
        // chance level of NT-Xent over 2B = 16 rows is log(15) ≈ 2.71
        assertTrue(first.cmidLoss() > 2.0, "first epoch cmid " + first.cmidLoss());
        assertTrue(last.cmidLoss() < 0.8 * first.cmidLoss(), "cmid " + first.cmidLoss() + " → " + last.cmidLoss());
        assertTrue(last.imidLoss() < first.imidLoss(), "imid " + first.imidLoss() + " → " + last.imidLoss());
        assertEquals(0.0, h.get(0).learningRate() - 3e-3, 1e-15);
        assertTrue(last.learningRate() < 3e-4, "cosine schedule towards 0: " + last.learningRate());
    }

    /**
     * The ablations: a loss weighted 0 sends no gradient, so (without weight decay) its head's parameters end where
     * they started while the other head's move; the weights are recorded, and (1, 1) is the paper's sum.
     */
    @Test
    void aLossWeightedZeroLeavesItsHeadUntouched() throws IOException {
        Synthetic data = new Synthetic(16, 64, 8, 4);
        CrossPointCheckpoint start = small(POINTNET, 2).weightDecay(0).build().initialCheckpoint(8);
        CrossPointCheckpoint cmidOnly = small(POINTNET, 2).weightDecay(0).lossWeights(0, 1).build()
                .pretrain(data.clouds, data.targets).checkpoint();
        CrossPointCheckpoint imidOnly = small(POINTNET, 2).weightDecay(0).lossWeights(1, 0).build()
                .pretrain(data.clouds, data.targets).checkpoint();
        CrossPointCheckpoint both = small(POINTNET, 2).weightDecay(0).build().pretrain(data.clouds, data.targets)
                .checkpoint();
        for (String p : new String[] {".0.weight", ".0.bias", ".1.weight", ".1.bias", ".3.weight", ".3.bias"}) {
            assertArrayEquals(start.state().get("inv_head" + p).data(), cmidOnly.state().get("inv_head" + p).data(),
                    "inv_head" + p + " with IMID weighted 0");
            assertArrayEquals(start.state().get("clip_head" + p).data(), imidOnly.state().get("clip_head" + p).data(),
                    "clip_head" + p + " with CMID weighted 0");
            assertFalse(java.util.Arrays.equals(start.state().get("clip_head" + p).data(),
                    cmidOnly.state().get("clip_head" + p).data()), "clip_head" + p + " trains");
            assertFalse(java.util.Arrays.equals(start.state().get("inv_head" + p).data(),
                    both.state().get("inv_head" + p).data()), "inv_head" + p + " trains");
        }
        assertEquals("0.00000", cmidOnly.metadata().get("imid_weight"));
        assertEquals("1.00000", cmidOnly.metadata().get("cmid_weight"));
        assertFalse(both.metadata().containsKey("imid_weight"), "the paper's sum records no weights");
        assertThrows(IllegalArgumentException.class, () -> CrossPointPretrainer.builder().lossWeights(0, 0));
        assertThrows(IllegalArgumentException.class, () -> CrossPointPretrainer.builder().lossWeights(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> CrossPointPretrainer.builder().lossWeights(1, Double.NaN));
    }

    @Test
    void dgcnnTrainsAndTheSameSeedGivesTheSameRun() throws IOException {
        Synthetic data = new Synthetic(16, 64, 8, 2);
        PretrainResult a = small(DGCNN, 2).build().pretrain(data.clouds, data.targets);
        PretrainResult b = small(DGCNN, 2).threads(2).build().pretrain(data.clouds, data.targets);
        for (int e = 0; e < 2; e++) {
            assertEquals(a.history().get(e).cmidLoss(), b.history().get(e).cmidLoss(), 0.0, "epoch " + e);
            assertEquals(a.history().get(e).imidLoss(), b.history().get(e).imidLoss(), 0.0, "epoch " + e);
        }
        assertEquals("dgcnn", a.checkpoint().metadata().get("encoder"));
    }

    @Test
    void aResumedRunEndsWhereAnUninterruptedOneDoes() throws IOException {
        Synthetic data = new Synthetic(16, 64, 8, 3);
        PretrainResult straight = small(POINTNET, 3).build().pretrain(data.clouds, data.targets);
        Path state = dir.resolve("run.state.safetensors");
        // stop the first run after its second epoch by interrupting the training thread
        PretrainListener stopAfterTwo = new PretrainListener() {
            @Override
            public void onEpoch(PretrainEpoch stats) {
                if (stats.epoch() == 1) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        assertThrows(CancellationException.class, () -> small(POINTNET, 3).stateFile(state, true)
                .listener(stopAfterTwo).build().pretrain(data.clouds, data.targets));
        assertTrue(Thread.interrupted(), "the interrupt flag is kept");
        List<Integer> started = new ArrayList<>();
        PretrainResult resumed = small(POINTNET, 3).stateFile(state, true).listener(new PretrainListener() {
            @Override
            public void onStart(int firstEpoch, int epochs, int stepsPerEpoch) {
                started.add(firstEpoch);
            }
        }).build().pretrain(data.clouds, data.targets);
        assertEquals(List.of(2), started);
        assertEquals(3, resumed.history().size());
        assertEquals(straight.history().get(1).cmidLoss(), resumed.history().get(1).cmidLoss(), 0.0);
        // the third epoch after a resume: the same up to the optimiser moments' rounding to float
        assertEquals(straight.history().get(2).cmidLoss(), resumed.history().get(2).cmidLoss(), 1e-4);
        Map<String, StateTensor> s1 = straight.checkpoint().state();
        Map<String, StateTensor> s2 = resumed.checkpoint().state();
        assertEquals(s1.keySet(), s2.keySet());
        float[] w1 = s1.get("clip_head.3.weight").data();
        float[] w2 = s2.get("clip_head.3.weight").data();
        assertArrayEquals(w1, w2, 1e-4f);

        // another run's settings are refused, naming the file
        CheckpointException e = assertThrows(CheckpointException.class, () -> small(POINTNET, 4).stateFile(state, true)
                .build().pretrain(data.clouds, data.targets));
        assertTrue(e.getMessage().contains(state.toString()) && e.getMessage().contains("another run"), e.getMessage());
    }

    @Test
    void theCheckpointLoadsThroughTheServiceAndEncodesLikeTheTrainedNetwork() throws Exception {
        Synthetic data = new Synthetic(16, 64, 8, 4);
        PretrainResult result = small(POINTNET, 1).provenance("dataset", "synthetic").build()
                .pretrain(data.clouds, data.targets);
        Path file = dir.resolve("enc.safetensors");
        result.checkpoint().save(file);
        try (PointEncoder encoder = PointEncoderLoader.loadAny(file)) {
            assertEquals(8, encoder.embeddingDim());
            assertEquals(64, encoder.featureDim());
            assertEquals(file, encoder.source());
            assertEquals("synthetic", encoder.metadata().get("dataset"));
            assertEquals("synthetic", encoder.metadata().get("clip_model"));
            assertEquals("3", encoder.metadata().get("seed"));
            float[] f = encoder.features(data.clouds);
            float[] again = result.checkpoint().toEncoder(null).features(data.clouds);
            assertArrayEquals(again, f);
            assertEquals(16 * 8, encoder.embed(data.clouds).length);
            // a cloud's features do not depend on its batch, nor on the thread
            float[] one = encoder.features(List.of(data.clouds.get(5)));
            assertArrayEquals(java.util.Arrays.copyOfRange(f, 5 * 64, 6 * 64), one, 1e-6f);
            float[][] parallel = new float[2][];
            Thread[] threads = new Thread[2];
            for (int t = 0; t < 2; t++) {
                int id = t;
                threads[t] = new Thread(() -> parallel[id] = encoder.features(data.clouds));
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            assertArrayEquals(f, parallel[0]);
            assertArrayEquals(f, parallel[1]);
        }
    }

    @Test
    void badInputIsRefused() {
        Synthetic data = new Synthetic(4, 64, 8, 5);
        assertThrows(IllegalArgumentException.class, () -> small(POINTNET, 1).build()
                .pretrain(data.clouds.subList(0, 3), data.targets));
        assertThrows(IllegalArgumentException.class, () -> small(DGCNN.withK(80), 1).build());
        assertThrows(IllegalArgumentException.class, () -> CrossPointPretrainer.builder().batchSize(1));
        assertThrows(IllegalArgumentException.class, () -> EncoderConfig.preset("pointnet++"));
    }
}
