package io.github.pointclip.bench;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.io.PointClouds;
import io.github.pointclip.projection.SegmentationProjectorV2;
import io.github.pointclip.projection.spi.SegmentationProjection;
import io.github.pointclip.segmentation.SegmentationLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The segmentation projection of one 2048-point cloud on one thread (SEGMENTATION.md §2: 10 views of a
 * 112×224×224 grid, max pool, Gaussian, crop and resize, per-point cells, pixels and flags).
 *
 * <p>Run: {@code java -jar examples/target/benchmarks.jar SegmentationProjectionBenchmark -t 1}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SegmentationProjectionBenchmark {

    /** Which cloud: a noisy box surface, or a ShapeNetPart-like chair (from {@code -Dcloud=FILE} if given). */
    @Param({"box", "chair"})
    public String cloud;

    /** Points per cloud. */
    @Param({"2048"})
    public int points;

    /** The layout. */
    @Param({"fixed"})
    public String layout;

    private final SegmentationProjectorV2 projector = new SegmentationProjectorV2();
    private PointCloud input;
    private SegmentationLayout l;

    /**
     * Builds the cloud.
     *
     * @throws IOException if {@code -Dcloud} names an unreadable file
     */
    @Setup
    public void setUp() throws IOException {
        String file = System.getProperty("cloud");
        if (cloud.equals("chair") && file != null && Files.exists(Path.of(file))) {
            input = PointClouds.read(Path.of(file));
        } else {
            input = cloud.equals("chair") ? SegmentOverheadBenchmark.chair(points, 3)
                : ProjectionBenchmark.SyntheticClouds.noisyBoxSurface(points, 42);
        }
        l = SegmentationLayout.parse(layout);
    }

    /** @return the projection */
    @Benchmark
    public SegmentationProjection project() {
        return projector.project(input, l);
    }
}
