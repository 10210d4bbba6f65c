package io.github.pointclip.bench;

import io.github.pointclip.adapter.Precision;
import io.github.pointclip.adapter.autograd.ComputeThreads;
import io.github.pointclip.adapter.autograd.Ops;
import io.github.pointclip.adapter.autograd.PointOps;
import io.github.pointclip.adapter.autograd.Tensor;
import io.github.pointclip.adapter.optim.AdamW;
import io.github.pointclip.crosspoint.CloudAugmentation;
import io.github.pointclip.crosspoint.EncoderConfig;
import io.github.pointclip.crosspoint.internal.CrossPointNet;
import io.github.pointclip.crosspoint.internal.NtXent;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * One CrossPoint pre-training step at the reference's batch: 32 clouds × 1024 points, two augmented copies
 * each (so 65,536 points through the backbone), IMID and CMID NT-Xent losses (CLIP width 512, ViT-B's),
 * backward, AdamW update; the copies are augmented once in the set-up, so the step is the network's cost only
 * (augmenting 64 clouds takes a few milliseconds). {@code encoder}: {@code pointnet} (3→64→64→64→128→1024) or
 * {@code dgcnn-lite} (EdgeConv 32, 32, 64, 128, k = 20, 512-wide embedding); {@code threads}: 1, or 2 with the
 * helper thread of the large products and the k-NN search.
 *
 * <p>Run: {@code java -jar examples/target/benchmarks.jar CrossPointBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx12g", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
public class CrossPointBenchmark {
    private static final int BATCH = 32;
    private static final int POINTS = 1024;
    private static final int CLIP_DIM = 512;

    /** The backbone preset. */
    @Param({"pointnet", "dgcnn-lite"})
    public String encoder;

    /** Compute threads (1 or 2). */
    @Param({"2"})
    public int threads;

    private CrossPointNet net;
    private AdamW adam;
    private Tensor x;
    private Tensor image;
    private Tensor average;
    private ComputeThreads helper;

    /** The network, a batch of augmented synthetic clouds, image targets; the helper thread when threads = 2. */
    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom r = new SplittableRandom(1);
        net = new CrossPointNet(EncoderConfig.preset(encoder), CLIP_DIM, Precision.FLOAT, r);
        adam = new AdamW(net.parameters().values(), 1e-3, 0.9, 0.999, 1e-8, 1e-6);
        float[] xyz = new float[2 * BATCH * POINTS * 3];
        CloudAugmentation aug = CloudAugmentation.crossPoint();
        for (int i = 0; i < BATCH; i++) {
            float[] cloud = new float[POINTS * 3];
            for (int p = 0; p < POINTS; p++) {
                // a random ellipsoid surface per cloud
                double u = r.nextDouble(-1, 1);
                double a = r.nextDouble(0, 2 * Math.PI);
                double s = Math.sqrt(1 - u * u);
                cloud[3 * p] = (float) (s * Math.cos(a) * (1 + i % 3));
                cloud[3 * p + 1] = (float) u;
                cloud[3 * p + 2] = (float) (s * Math.sin(a) * (1 + i % 5));
            }
            for (int copy = 0; copy < 2; copy++) {
                System.arraycopy(aug.apply(cloud, POINTS, r), 0, xyz, (copy * BATCH + i) * POINTS * 3, POINTS * 3);
            }
        }
        x = Tensor.fromFloats(2 * BATCH * POINTS, 3, xyz);
        float[] img = new float[BATCH * CLIP_DIM];
        for (int i = 0; i < img.length; i++) {
            img[i] = (float) r.nextGaussian();
        }
        image = Tensor.fromFloats(BATCH, CLIP_DIM, img);
        average = Tensor.zeros(Precision.FLOAT, BATCH, 2 * BATCH);
        for (int i = 0; i < BATCH; i++) {
            average.set(i * 2 * BATCH + i, 0.5);
            average.set(i * 2 * BATCH + BATCH + i, 0.5);
        }
        helper = threads > 1 ? ComputeThreads.open() : null;
    }

    /** Closes the helper thread. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (helper != null) {
            helper.close();
        }
    }

    /**
     * One optimiser step, as {@code CrossPointPretrainer} takes it.
     *
     * @return the loss (consumed by JMH)
     */
    @Benchmark
    public double step() {
        adam.zeroGrad();
        Tensor features = net.features(x, POINTS, true);
        Tensor imid = NtXent.stacked(net.imid(features, true), 0.1);
        Tensor cmid = NtXent.stacked(PointOps.concatRows(Ops.matmul(average, net.cmid(features, true)), image), 0.1);
        Tensor loss = Ops.add(imid, cmid);
        loss.backward();
        adam.step();
        return loss.get(0);
    }
}
