package io.github.pointclip.bench;

import io.github.pointclip.PointClip;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.encoder.Device;
import io.github.pointclip.onnx.testmodels.FullClipModels;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import io.github.pointclip.projection.SegmentationProjectorV2;
import io.github.pointclip.projection.spi.SegmentationProjection;
import io.github.pointclip.segmentation.BackProjection;
import io.github.pointclip.segmentation.PartPrompts;
import io.github.pointclip.segmentation.SegmentationLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
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
 * What {@code segment} adds to the image encoder (issue 13: ≤ 10 % for a 2048-point cloud): the whole
 * {@link PointClip#segment} call against {@code encodeTokens} alone on the same 10 views, with a
 * random-weight ViT-B/16 of the exact CLIP architecture (with a {@code token_embeds} output) generated on
 * the fly; plus the non-encoder stages alone (projection with the encoder input, back-projection). Text
 * features are cached after the first call, as in real use.
 *
 * <p>Run: {@code java -jar examples/target/benchmarks.jar SegmentOverheadBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 10)
public class SegmentOverheadBenchmark {

    private static final PartPrompts PARTS = PartPrompts.of("chair", List.of("back", "seat pad", "leg", "armrest"));

    private Path dir;
    private PointClip clip;
    private PointCloud cloud;
    private float[] images;
    private float[] tokens;
    private float[] text;
    private int dim;
    private SegmentationProjection projection;
    private final SegmentationProjectorV2 projector = new SegmentationProjectorV2();
    private BackProjection back;

    /**
     * Generates the models and opens the facade.
     *
     * @throws IOException if the temp directory cannot be written
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("pointclip-bench");
        FullClipModels.writeVisual(dir.resolve("visual.onnx"), FullClipModels.VIT_B_16, TinyClipModels.Layout.OPENAI, 1,
            true);
        FullClipModels.writeTextual(dir.resolve("textual.onnx"), FullClipModels.VIT_B_TEXT, TinyClipModels.Layout.OPENAI, 2);
        ClassifyOverheadBenchmark.writeByteVocabulary(dir);
        clip = PointClip.builder().model(dir).device(Device.CPU).textCache(dir.resolve("text-cache")).build();
        cloud = chair(2048, 3);
        projection = projector.project(cloud, SegmentationLayout.FIXED);
        images = new float[10 * 3 * 224 * 224];
        projection.copyEncoderInput(images, 0);
        tokens = clip.model().imageEncoder().encodeTokens(images, 10);
        dim = clip.model().imageEncoder().embeddingDim();
        int g = (int) Math.round(Math.sqrt(tokens.length / (10.0 * dim) - 1));
        back = new BackProjection(g, 224);
        text = new float[PARTS.size() * dim];
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < text.length; i++) {
            text[i] = (float) random.nextGaussian();
        }
        clip.segment(cloud, PARTS); // encodes and caches the part prompts
    }

    /** @return the labels of the whole call */
    @Benchmark
    public int[] segment() {
        return clip.segment(cloud, PARTS).labels();
    }

    /** @return the dense image encoder alone on the same 10 views */
    @Benchmark
    public float[] encoderOnly() {
        return clip.model().imageEncoder().encodeTokens(images, 10);
    }

    /** @return the projection and the encoder input, the first non-encoder stage */
    @Benchmark
    public float[] projectAndPrepare() {
        float[] out = new float[10 * 3 * 224 * 224];
        projector.project(cloud, SegmentationLayout.FIXED).copyEncoderInput(out, 0);
        return out;
    }

    /** @return the back-projection of given tokens and text, the second non-encoder stage */
    @Benchmark
    public double[] backProject() {
        return back.pointLogits(tokens, dim, text, PARTS.size(), projection, ones());
    }

    private static float[] ones() {
        float[] w = new float[10];
        Arrays.fill(w, 1f);
        return w;
    }

    /**
     * A chair-like cloud: seat, back and four legs, points spread over the surfaces in that order.
     *
     * @param n points
     * @param seed random seed
     * @return the cloud
     */
    static PointCloud chair(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] boxes = {
            {-0.5f, 0.0f, -0.5f, 0.5f, 0.08f, 0.5f}, // seat
            {-0.5f, 0.08f, 0.42f, 0.5f, 0.9f, 0.5f}, // back
            {-0.5f, -0.7f, -0.5f, -0.42f, 0f, -0.42f}, // legs
            {0.42f, -0.7f, -0.5f, 0.5f, 0f, -0.42f},
            {-0.5f, -0.7f, 0.42f, -0.42f, 0f, 0.5f},
            {0.42f, -0.7f, 0.42f, 0.5f, 0f, 0.5f}};
        float[] xyz = new float[3 * n];
        for (int i = 0; i < n; i++) {
            float[] b = boxes[i < n * 2 / 5 ? 0 : i < n * 4 / 5 ? 1 : 2 + i % 4];
            for (int a = 0; a < 3; a++) {
                xyz[3 * i + a] = (float) random.nextDouble(b[a], b[a + 3]);
            }
        }
        return PointCloud.of(xyz);
    }

    /**
     * Closes the model and deletes the generated files.
     *
     * @throws IOException if deleting fails
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        clip.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
