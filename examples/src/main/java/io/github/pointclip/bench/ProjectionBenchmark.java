package io.github.pointclip.bench;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.projection.RealisticProjector;
import io.github.pointclip.projection.SparsePerspectiveProjector;
import io.github.pointclip.projection.spi.BilinearResize;
import io.github.pointclip.projection.spi.Projector;
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
 * Projection of one cloud on one thread, with and without the resize to the encoder's
 * [V, 3, 224, 224] input. Targets (DESIGN §6): V2 incl. resize ≤ 2 ms, V1 ≤ 0.5 ms per cloud.
 *
 * <p>Run: {@code java -jar examples/target/benchmarks.jar ProjectionBenchmark -t 1}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ProjectionBenchmark {

    /** Which projector. */
    @Param({"v1", "v2"})
    public String projector;

    /** Points per cloud. */
    @Param({"1024"})
    public int points;

    private Projector p;
    private PointCloud cloud;
    private float[] maps;
    private float[] images;
    private BilinearResize resize;

    /** Builds the projector and a cloud of points on the surface of a box with noise. */
    @Setup
    public void setUp() {
        p = projector.equals("v1") ? SparsePerspectiveProjector.pointClipV1() : RealisticProjector.pointClipV2();
        cloud = SyntheticClouds.noisyBoxSurface(points, 42);
        maps = new float[p.outputLength()];
        images = new float[p.viewCount() * 3 * 224 * 224];
        resize = new BilinearResize(p.height(), p.width(), 224, 224);
    }

    /** @return the maps, so the JIT cannot drop the work */
    @Benchmark
    public float[] project() {
        return p.projectInto(cloud, maps);
    }

    /** @return the encoder input [V, 3, 224, 224] */
    @Benchmark
    public float[] projectAndResize() {
        p.projectInto(cloud, maps);
        resize.resizeReplicated(maps, 0, p.viewCount(), 3, images, 0);
        return images;
    }

    /** Synthetic clouds for benchmarks. */
    public static final class SyntheticClouds {
        private SyntheticClouds() {
        }

        /**
         * @param n points
         * @param seed random seed
         * @return points on the surface of a 1.2 × 0.8 × 0.5 box with Gaussian noise σ = 0.01
         */
        public static PointCloud noisyBoxSurface(int n, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            float[] half = {0.6f, 0.4f, 0.25f};
            float[] xyz = new float[3 * n];
            for (int i = 0; i < n; i++) {
                int face = random.nextInt(6);
                for (int a = 0; a < 3; a++) {
                    float v = (float) random.nextDouble(-half[a], half[a]);
                    if (a == face / 2) {
                        v = face % 2 == 0 ? -half[a] : half[a];
                    }
                    xyz[3 * i + a] = v + (float) (random.nextGaussian() * 0.01);
                }
            }
            return PointCloud.of(xyz);
        }
    }
}
