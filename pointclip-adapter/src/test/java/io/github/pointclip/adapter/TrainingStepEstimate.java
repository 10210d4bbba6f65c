package io.github.pointclip.adapter;

import io.github.pointclip.adapter.Precision;
import io.github.pointclip.adapter.autograd.Losses;
import io.github.pointclip.adapter.autograd.Tensor;
import io.github.pointclip.adapter.internal.AdapterNetworks;
import io.github.pointclip.adapter.optim.Sgd;
import java.util.Random;

/**
 * Rough cost of one adapter training step at PointCLIP's size (batch 32, V = 10, C = 512, K = 40), extrapolated
 * to 16-shot ModelNet40 (250 epochs × 640/32 steps). A main method, not a test: timings do not belong in the
 * test suite. Run with the test class path, e.g.
 * {@code java -cp pointclip-adapter/target/classes:pointclip-adapter/target/test-classes:$EJML_JARS
 * io.github.pointclip.adapter.TrainingStepEstimate}.
 */
public final class TrainingStepEstimate {
    private TrainingStepEstimate() {
    }

    /**
     * @param args optional: number of timed steps (default 60), threads 1 or 2 (default 1)
     */
    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        try (io.github.pointclip.adapter.autograd.ComputeThreads helper = threads > 1
                ? io.github.pointclip.adapter.autograd.ComputeThreads.open() : null) {
            run(steps);
        }
    }

    private static void run(int steps) {
        int batch = 32;
        int views = 10;
        int channels = 512;
        int classes = 40;
        Random r = new Random(1);
        InterViewAdapter adapter = InterViewAdapter.builder(views, channels).seed(1).build();
        Tensor text = Tensor.zeros(Precision.FLOAT, classes, channels);
        for (int i = 0; i < text.size(); i++) {
            text.set(i, r.nextGaussian());
        }
        Tensor repeated = AdapterNetworks.repeatText(text, views);
        Tensor x = Tensor.zeros(Precision.FLOAT, batch, views * channels);
        for (int i = 0; i < x.size(); i++) {
            x.set(i, r.nextGaussian());
        }
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = r.nextInt(classes);
        }
        Sgd sgd = new Sgd(AdapterNetworks.parameters(adapter).values(), 0.01, 0.9, 5e-4);
        for (int i = 0; i < 30; i++) {
            step(adapter, sgd, x, repeated, labels);
        }
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu = mx.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            step(adapter, sgd, x, repeated, labels);
        }
        double perStep = (System.nanoTime() - start) / 1e9 / steps;
        double cpuPerStep = (mx.getCurrentThreadCpuTime() - cpu) / 1e9 / steps;
        int total = 250 * (640 / 32);
        // with a contended machine, the calling thread's CPU time is a better guide than wall time
        System.out.printf("one step: %.2f ms wall, %.2f ms CPU on the calling thread; %d steps (250 epochs × 20): "
                + "%.1f s wall (target ≤ 120 s)%n", perStep * 1e3, cpuPerStep * 1e3, total, perStep * total);
    }

    private static void step(InterViewAdapter adapter, Sgd sgd, Tensor x, Tensor text, int[] labels) {
        sgd.zeroGrad();
        Losses.labelSmoothingCrossEntropy(AdapterNetworks.logits(adapter, x, text, true), labels, 0.2).backward();
        sgd.step();
    }
}
