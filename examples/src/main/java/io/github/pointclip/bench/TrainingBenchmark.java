package io.github.pointclip.bench;

import io.github.pointclip.adapter.InterViewAdapter;
import io.github.pointclip.adapter.Precision;
import io.github.pointclip.adapter.autograd.ComputeThreads;
import io.github.pointclip.adapter.autograd.Losses;
import io.github.pointclip.adapter.autograd.Tensor;
import io.github.pointclip.adapter.internal.AdapterNetworks;
import io.github.pointclip.adapter.optim.Sgd;
import io.github.pointclip.adapter.train.FeatureSet;
import io.github.pointclip.adapter.train.FewShotTrainer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Few-shot adapter training on cached (here synthetic) features at PointCLIP's size: 16-shot × 40 classes,
 * 10 views × 512, batch 32, so 20 steps per epoch. Target (DESIGN §6): 250 epochs ≤ 2 minutes on 2 cores,
 * i.e. ≤ 24 ms per step. {@code step} is one optimiser step (forward, backward, SGD update);
 * {@code fiveEpochs} is a whole {@link FewShotTrainer} run of 5 epochs (100 steps plus setup), so a full run
 * is about 50 times that.
 *
 * <p>The fork resolves {@code jdk.incubator.vector}, so the SIMD product kernels run; for the portable kernels
 * (same results, bit for bit) replace the fork's arguments with
 * {@code -jvmArgsAppend "-Xmx2g -Dpointclip.vector=false"}.
 *
 * <p>Run: {@code java -jar examples/target/benchmarks.jar TrainingBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class TrainingBenchmark {
    private static final int VIEWS = 10;
    private static final int DIM = 512;
    private static final int CLASSES = 40;
    private static final int BATCH = 32;

    /** Threads for the large products (1 or 2). */
    @Param({"1", "2"})
    public int threads;

    private InterViewAdapter adapter;
    private Sgd sgd;
    private Tensor x;
    private Tensor text;
    private int[] labels;
    private ComputeThreads helper;
    private FeatureSet features;
    private float[] textFeatures;

    /** Synthetic features, text and one adapter; the helper thread is opened here when threads = 2. */
    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom r = new SplittableRandom(1);
        adapter = InterViewAdapter.builder(VIEWS, DIM).seed(1).build();
        textFeatures = new float[CLASSES * DIM];
        for (int c = 0; c < CLASSES; c++) {
            double norm = 0;
            for (int j = 0; j < DIM; j++) {
                float v = (float) r.nextGaussian();
                textFeatures[c * DIM + j] = v;
                norm += v * v;
            }
            for (int j = 0; j < DIM; j++) {
                textFeatures[c * DIM + j] /= (float) Math.sqrt(norm);
            }
        }
        text = AdapterNetworks.repeatText(Tensor.fromFloats(CLASSES, DIM, textFeatures), VIEWS);
        x = Tensor.zeros(Precision.FLOAT, BATCH, VIEWS * DIM);
        for (int i = 0; i < x.size(); i++) {
            x.set(i, r.nextGaussian());
        }
        labels = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            labels[i] = r.nextInt(CLASSES);
        }
        sgd = new Sgd(AdapterNetworks.parameters(adapter).values(), 0.01, 0.9, 5e-4);
        int rows = 16 * CLASSES;
        float[] f = new float[rows * VIEWS * DIM];
        int[] l = new int[rows];
        for (int i = 0; i < rows; i++) {
            l[i] = i % CLASSES;
            for (int j = 0; j < VIEWS * DIM; j++) {
                f[i * VIEWS * DIM + j] = (float) r.nextGaussian();
            }
        }
        List<String> names = IntStream.range(0, CLASSES).mapToObj(c -> "class" + c).toList();
        features = new FeatureSet(f, l, VIEWS, DIM, names);
        if (threads > 1) {
            helper = ComputeThreads.open();
        }
    }

    /** Stops the helper thread. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (helper != null) {
            helper.close();
        }
    }

    /** @return the loss of one step: forward, backward, SGD update at batch 32 */
    @Benchmark
    public double step() {
        sgd.zeroGrad();
        Tensor loss = Losses.labelSmoothingCrossEntropy(AdapterNetworks.logits(adapter, x, text, true), labels, 0.2);
        loss.backward();
        sgd.step();
        return loss.get(0);
    }

    /** @return the kept epoch of a 5-epoch run of the trainer (100 steps) on 640 synthetic rows */
    @Benchmark
    @Measurement(iterations = 3, time = 5)
    public int fiveEpochs() {
        return FewShotTrainer.builder().epochs(5).threads(threads).seed(2).build().train(features, null, textFeatures)
                .bestEpoch();
    }
}
