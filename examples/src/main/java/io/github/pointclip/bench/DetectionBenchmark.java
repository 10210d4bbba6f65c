package io.github.pointclip.bench;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.detection.Box;
import io.github.pointclip.detection.ClusterProposer;
import io.github.pointclip.detection.SceneIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Detection's geometry on one thread, on a synthetic 10 × 8 × 3 m room of {@code points} points (floor,
 * walls and 40 box-shaped objects, 1 cm noise) with {@code boxes} proposals (a third of them rotated):
 * cropping every box through a {@link SceneIndex} built once, the same plus building the index, the
 * same by full scans (the brute force the index replaces), and the built-in {@link ClusterProposer}.
 * Targets (issue 14): 200 boxes from 1 M points ≤ 100 ms; the proposer on 1 M points ≤ 2 s.
 *
 * <p>Run: {@code java -jar examples/target/benchmarks.jar DetectionBenchmark -t 1}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class DetectionBenchmark {

    /** Scene size. */
    @Param({"1000000"})
    public int points;

    /** Proposals per scene. */
    @Param({"200"})
    public int boxes;

    private PointCloud scene;
    private SceneIndex index;
    private List<Box> proposals;
    private ClusterProposer proposer;

    /** Builds the room, the proposals and the index. */
    @Setup
    public void setUp() {
        scene = room(points, 7);
        SplittableRandom r = new SplittableRandom(11);
        proposals = new ArrayList<>();
        for (int i = 0; i < boxes; i++) {
            proposals.add(Box.of(r.nextDouble(0.5, 9.5), r.nextDouble(0.5, 7.5), r.nextDouble(0.3, 1.5),
                r.nextDouble(0.3, 2), r.nextDouble(0.3, 2), r.nextDouble(0.3, 2), i % 3 == 0 ? r.nextDouble(0, 3) : 0));
        }
        index = SceneIndex.of(scene);
        proposer = ClusterProposer.defaults();
    }

    /** A 10 × 8 × 3 m room: 40% floor, 30% walls, 30% on the surfaces of 40 boxes. */
    static PointCloud room(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] xyz = new float[3 * n];
        double[][] objects = new double[40][];
        for (int k = 0; k < objects.length; k++) {
            objects[k] = new double[] {1 + (k % 8) * 1.1, 1 + (k / 8) * 1.3, r.nextDouble(0.4, 0.9), r.nextDouble(0.4, 0.9),
                r.nextDouble(0.5, 1.8)};
        }
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble();
            double x;
            double y;
            double z;
            if (u < 0.4) {
                x = r.nextDouble(0, 10);
                y = r.nextDouble(0, 8);
                z = 0;
            } else if (u < 0.7) {
                int wall = r.nextInt(4);
                z = r.nextDouble(0, 3);
                x = wall < 2 ? r.nextDouble(0, 10) : wall == 2 ? 0 : 10;
                y = wall >= 2 ? r.nextDouble(0, 8) : wall == 0 ? 0 : 8;
            } else {
                double[] o = objects[r.nextInt(objects.length)];
                double[] p = {r.nextDouble(-o[2] / 2, o[2] / 2), r.nextDouble(-o[3] / 2, o[3] / 2), r.nextDouble(0, o[4])};
                int face = r.nextInt(5);
                if (face < 2) {
                    p[0] = face == 0 ? -o[2] / 2 : o[2] / 2;
                } else if (face < 4) {
                    p[1] = face == 2 ? -o[3] / 2 : o[3] / 2;
                } else {
                    p[2] = o[4];
                }
                x = o[0] + p[0];
                y = o[1] + p[1];
                z = p[2];
            }
            xyz[3 * i] = (float) (x + r.nextGaussian() * 0.01);
            xyz[3 * i + 1] = (float) (y + r.nextGaussian() * 0.01);
            xyz[3 * i + 2] = (float) (z + r.nextGaussian() * 0.01);
        }
        return PointCloud.of(xyz);
    }

    /** @return points found, so the JIT cannot drop the work */
    @Benchmark
    public long cropIndexed() {
        long found = 0;
        for (Box b : proposals) {
            found += index.indicesIn(b).length;
        }
        return found;
    }

    /** @return points found, building the index first */
    @Benchmark
    public long indexAndCrop() {
        SceneIndex fresh = SceneIndex.of(scene);
        long found = 0;
        for (Box b : proposals) {
            found += fresh.indicesIn(b).length;
        }
        return found;
    }

    /** @return points found by a full scan per box */
    @Benchmark
    public long cropBruteForce() {
        long found = 0;
        for (Box b : proposals) {
            found += SceneIndex.scan(scene, b).length;
        }
        return found;
    }

    /** @return the proposals of the built-in baseline */
    @Benchmark
    public List<Box> propose() {
        return proposer.propose(scene);
    }
}
