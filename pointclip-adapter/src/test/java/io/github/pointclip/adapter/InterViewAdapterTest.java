package io.github.pointclip.adapter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.adapter.Precision;
import io.github.pointclip.adapter.autograd.GradCheck;
import io.github.pointclip.adapter.autograd.GradMode;
import io.github.pointclip.adapter.autograd.Losses;
import io.github.pointclip.adapter.autograd.Tensor;
import io.github.pointclip.adapter.internal.AdapterNetworks;
import io.github.pointclip.adapter.optim.Sgd;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InterViewAdapterTest {

    @Test
    void parametersFollowTheReferenceModule() {
        InterViewAdapter a = InterViewAdapter.builder(3, 4).seed(1).build();
        assertEquals(List.of("fusion_ratio", "global_f.0.bn.weight", "global_f.0.bn.bias", "global_f.3.weight",
                "global_f.3.bias", "global_f.4.weight", "global_f.4.bias", "view_f.0.weight", "view_f.0.bias",
                "view_f.2.weight", "view_f.2.bias"), new ArrayList<>(AdapterNetworks.parameters(a).keySet()));
        Map<String, StateTensor> state = a.stateDict();
        assertArrayEquals(new int[] {3}, state.get("fusion_ratio").shape());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, state.get("fusion_ratio").data());
        assertArrayEquals(new int[] {4, 12}, state.get("global_f.3.weight").shape());
        assertArrayEquals(new int[] {12, 4}, state.get("view_f.2.weight").shape());
        assertArrayEquals(new int[] {12}, state.get("view_f.2.bias").shape());
        assertArrayEquals(new float[] {1, 1, 1, 1}, state.get("global_f.4.running_var").data());
        // PyTorch's Linear init: U(±1/√fan_in) for weight and bias
        for (float w : state.get("global_f.3.weight").data()) {
            assertTrue(Math.abs(w) <= 1 / Math.sqrt(12));
        }
        for (float w : state.get("view_f.2.bias").data()) {
            assertTrue(Math.abs(w) <= 1 / Math.sqrt(4));
        }
    }

    @Test
    void stateRoundTripsAndRejectsMismatches() {
        InterViewAdapter a = InterViewAdapter.builder(3, 4).seed(1).build();
        InterViewAdapter b = InterViewAdapter.builder(3, 4).seed(2).build();
        Tensor x = randomFeatures(5, 12, 3);
        AdapterNetworks.forward(a, x, true); // moves the running statistics
        assertNotEquals(a.stateDict(), b.stateDict());
        b.loadState(a.stateDict());
        assertEquals(a.stateDict(), b.stateDict());
        assertArrayEquals(AdapterNetworks.forward(a, x, false).toFloatArray(), AdapterNetworks.forward(b, x, false).toFloatArray());

        Map<String, StateTensor> missing = new LinkedHashMap<>(a.stateDict());
        missing.remove("view_f.0.bias");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.loadState(missing)).getMessage()
                .contains("view_f.0.bias"));
        Map<String, StateTensor> wrong = new LinkedHashMap<>(a.stateDict());
        wrong.put("fusion_ratio", new StateTensor(new int[] {4}, new float[4]));
        assertThrows(IllegalArgumentException.class, () -> b.loadState(wrong));
        Map<String, StateTensor> extra = new LinkedHashMap<>(a.stateDict());
        extra.put("adapter.extra", new StateTensor(new int[] {1}, new float[1]));
        assertThrows(IllegalArgumentException.class, () -> b.loadState(extra));
    }

    @Test
    void outputIsOneUnitVectorPerSampleAndInferenceIsDeterministic() {
        InterViewAdapter a = InterViewAdapter.builder(3, 4).seed(1).build();
        Tensor x = randomFeatures(6, 12, 4);
        Tensor train = AdapterNetworks.forward(a, x, true);
        for (int i = 0; i < 6; i++) {
            double s = 0;
            for (int j = 0; j < 12; j++) {
                s += train.get(i, j) * train.get(i, j);
            }
            assertEquals(1.0, s, 1e-5);
        }
        try (GradMode.Scope ignored = GradMode.disable()) {
            assertArrayEquals(AdapterNetworks.forward(a, x, false).toFloatArray(), AdapterNetworks.forward(a, x, false).toFloatArray());
            assertTrue(!AdapterNetworks.forward(a, x, false).requiresGrad());
        }
    }

    @Test
    void logitsUseTextRepeatedOverViewsAndNormalisedOverAll() {
        // with adapter ratio 0 the output is x/‖x‖, so logit_c = 100/√V · Σ_v ⟨x_v, t_c⟩ / (‖x‖·‖t_c‖)
        int v = 3;
        int c = 4;
        InterViewAdapter a = InterViewAdapter.builder(v, c).adapterRatio(0).precision(Precision.DOUBLE).build();
        Tensor x = GradCheck.random(2, v * c, 5, false);
        Tensor text = GradCheck.random(3, c, 6, false);
        Tensor logits = AdapterNetworks.logits(a, x, AdapterNetworks.repeatText(text, v), false);
        for (int b = 0; b < 2; b++) {
            double xNorm = 0;
            for (int j = 0; j < v * c; j++) {
                xNorm += x.get(b, j) * x.get(b, j);
            }
            for (int k = 0; k < 3; k++) {
                double tNorm = 0;
                double dot = 0;
                for (int j = 0; j < c; j++) {
                    tNorm += text.get(k, j) * text.get(k, j);
                    for (int view = 0; view < v; view++) {
                        dot += x.get(b, view * c + j) * text.get(k, j);
                    }
                }
                assertEquals(100 / Math.sqrt(v) * dot / Math.sqrt(xNorm * tNorm), logits.get(b, k), 1e-10);
            }
        }
    }

    @Test
    void wholeAdapterAndLossPassGradientCheck() {
        int v = 3;
        int c = 4;
        InterViewAdapter a = InterViewAdapter.builder(v, c).dropout(0).precision(Precision.DOUBLE).seed(3).build();
        Tensor x = GradCheck.random(5, v * c, 7, true);
        Tensor text = AdapterNetworks.repeatText(GradCheck.random(4, c, 8, false), v);
        int[] labels = {0, 3, 1, 2, 3};
        List<Tensor> inputs = new ArrayList<>(AdapterNetworks.parameters(a).values());
        inputs.add(x);
        GradCheck.check("adapter + label-smoothing CE",
                () -> Losses.labelSmoothingCrossEntropy(AdapterNetworks.logits(a, x, text, true), labels, 0.2),
                inputs.toArray(new Tensor[0]));
        // in training, a shift of the first BatchNorm's output is cancelled by the second one's batch mean
        for (double g : AdapterNetworks.parameters(a).get("global_f.0.bn.bias").gradToDoubleArray()) {
            assertEquals(0.0, g, 1e-12);
        }
        double maxRatioGrad = 0;
        for (double g : AdapterNetworks.parameters(a).get("fusion_ratio").gradToDoubleArray()) {
            maxRatioGrad = Math.max(maxRatioGrad, Math.abs(g));
        }
        assertTrue(maxRatioGrad > 1e-6, "fusion ratio gradient " + maxRatioGrad);
    }

    @Test
    void learnsASeparableProblem() {
        Problem p = new Problem(5, 4, 16, 40, 11);
        InterViewAdapter a = InterViewAdapter.builder(4, 16).seed(1).build();
        double before = p.accuracy(a);
        train(a, p, 300);
        double after = p.accuracy(a);
        assertTrue(before < 0.6, "the problem should not be solved zero-shot, accuracy " + before);
        assertTrue(after >= 0.98, "train accuracy " + after);
    }

    @Test
    void trainingIsBitReproducibleForAFixedSeed() {
        Problem p = new Problem(5, 4, 16, 8, 12);
        InterViewAdapter a = InterViewAdapter.builder(4, 16).seed(9).build();
        InterViewAdapter b = InterViewAdapter.builder(4, 16).seed(9).build();
        train(a, p, 20);
        train(b, p, 20);
        assertEquals(a.stateDict(), b.stateDict());
        InterViewAdapter other = InterViewAdapter.builder(4, 16).seed(10).build();
        train(other, p, 20);
        assertNotEquals(a.stateDict(), other.stateDict());
    }

    private static void train(InterViewAdapter a, Problem p, int steps) {
        Sgd sgd = new Sgd(AdapterNetworks.parameters(a).values(), 0.01, 0.9, 5e-4);
        Random order = new Random(4);
        int batch = 20;
        for (int s = 0; s < steps; s++) {
            int[] labels = new int[batch];
            Tensor x = Tensor.zeros(Precision.FLOAT, batch, p.dim);
            for (int i = 0; i < batch; i++) {
                int n = order.nextInt(p.labels.length);
                labels[i] = p.labels[n];
                for (int j = 0; j < p.dim; j++) {
                    x.set(i * p.dim + j, p.features.get(n, j));
                }
            }
            sgd.zeroGrad();
            Losses.labelSmoothingCrossEntropy(AdapterNetworks.logits(a, x, p.text, true), labels, 0.2).backward();
            sgd.step();
        }
    }

    private static Tensor randomFeatures(int rows, int cols, long seed) {
        Random r = new Random(seed);
        Tensor t = Tensor.zeros(Precision.FLOAT, rows, cols);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, r.nextGaussian());
        }
        return t;
    }

    /**
     * K classes; text features are random prototypes, but the view features carry the class in a different
     * random direction per class, so zero-shot is near chance and the adapter must learn the mapping.
     */
    private static final class Problem {
        final int dim;
        final Tensor text;
        final Tensor features;
        final int[] labels;

        Problem(int classes, int views, int channels, int perClass, long seed) {
            Random r = new Random(seed);
            dim = views * channels;
            Tensor prototypes = Tensor.zeros(Precision.FLOAT, classes, channels);
            for (int i = 0; i < prototypes.size(); i++) {
                prototypes.set(i, r.nextGaussian());
            }
            text = AdapterNetworks.repeatText(prototypes, views);
            double[][] signal = new double[classes][dim];
            for (double[] s : signal) {
                for (int j = 0; j < dim; j++) {
                    s[j] = r.nextGaussian();
                }
            }
            labels = new int[classes * perClass];
            features = Tensor.zeros(Precision.FLOAT, labels.length, dim);
            for (int n = 0; n < labels.length; n++) {
                labels[n] = n % classes;
                for (int j = 0; j < dim; j++) {
                    features.set(n * dim + j, signal[labels[n]][j] + 0.5 * r.nextGaussian());
                }
            }
        }

        double accuracy(InterViewAdapter a) {
            try (GradMode.Scope ignored = GradMode.disable()) {
                Tensor logits = AdapterNetworks.logits(a, features, text, false);
                int correct = 0;
                for (int n = 0; n < labels.length; n++) {
                    int best = 0;
                    for (int k = 1; k < logits.cols(); k++) {
                        if (logits.get(n, k) > logits.get(n, best)) {
                            best = k;
                        }
                    }
                    correct += best == labels[n] ? 1 : 0;
                }
                return correct / (double) labels.length;
            }
        }
    }
}
