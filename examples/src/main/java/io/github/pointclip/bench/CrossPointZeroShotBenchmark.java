package io.github.pointclip.bench;

import io.github.pointclip.Pipeline;
import io.github.pointclip.PointClip;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.crosspoint.CrossPointPretrainer;
import io.github.pointclip.crosspoint.EncoderConfig;
import io.github.pointclip.encoder.Device;
import io.github.pointclip.onnx.testmodels.FullClipModels;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Zero-shot classification of one cloud (1024 points) in CLIP space with a CrossPoint point encoder (the
 * {@code pointnet} preset, 512-d CMID head; random weights, which cost what trained ones do) against PointCLIP V2
 * (10 depth maps through ViT-B/16), both with random-weight models of the exact CLIP architecture generated on
 * the fly (about 600 MB in a temp directory, deleted afterwards) and the 40 ModelNet40 class prompts cached after
 * the first call, as in real use. The ratio of the two is the figure of docs/crosspoint.md.
 *
 * <p>Run: {@code java -jar examples/target/benchmarks.jar CrossPointZeroShotBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
public class CrossPointZeroShotBenchmark {
    private Path dir;
    private PointClip v2;
    private PointClip crossPoint;
    private PointCloud cloud;

    /**
     * Generates the models and the encoder checkpoint and opens both recognisers.
     *
     * @throws IOException if the temp directory cannot be written
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("pointclip-bench");
        Path model = dir.resolve("model");
        Files.createDirectories(model);
        FullClipModels.writeVisual(model.resolve("visual.onnx"), FullClipModels.VIT_B_16, TinyClipModels.Layout.OPENAI,
            1);
        FullClipModels.writeTextual(model.resolve("textual.onnx"), FullClipModels.VIT_B_TEXT,
            TinyClipModels.Layout.OPENAI, 2);
        ClassifyOverheadBenchmark.writeByteVocabulary(model);
        v2 = PointClip.builder().model(model).device(Device.CPU).pipeline(Pipeline.v2())
            .textCache(dir.resolve("text-cache")).build();
        Path encoder = dir.resolve("crosspoint.safetensors");
        int clipDim = v2.model().textEncoder().embeddingDim(); // 512 for ViT-B/16
        CrossPointPretrainer.builder().encoder(EncoderConfig.pointNet()).points(1024).seed(0)
            .provenance("model_id", v2.model().id()).build().initialCheckpoint(clipDim).save(encoder);
        crossPoint = PointClip.builder().model(model).device(Device.CPU).pointEncoder(encoder)
            .textCache(dir.resolve("text-cache")).build();
        cloud = ProjectionBenchmark.SyntheticClouds.noisyBoxSurface(1024, 7);
        crossPoint.classify(cloud);
        v2.classify(cloud);
    }

    /** @return logits of PointCLIP V2 with ViT-B/16 for one cloud */
    @Benchmark
    public float[] v2VitB16() {
        return v2.classify(cloud).logits();
    }

    /** @return logits of the CrossPoint encoder for the same cloud, against the same class prompts */
    @Benchmark
    public float[] pointEncoder() {
        return crossPoint.classify(cloud).logits();
    }

    /**
     * Closes the models and deletes the generated files.
     *
     * @throws IOException if deleting fails
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        crossPoint.close();
        v2.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
