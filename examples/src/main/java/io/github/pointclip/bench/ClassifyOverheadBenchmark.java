package io.github.pointclip.bench;

import io.github.pointclip.Pipeline;
import io.github.pointclip.PointClip;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.encoder.Device;
import io.github.pointclip.internal.PipelineStages;
import io.github.pointclip.onnx.testmodels.FullClipModels;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * What {@code classify} adds to the image encoder (DESIGN §6: ≤ 3%): one cloud through the whole
 * pipeline against the image-encoder run alone on the same batch of views, with random-weight
 * models of the exact CLIP architecture generated on the fly (about 600 MB in a temp directory,
 * deleted afterwards). Text features are cached after the first call, as in real use.
 *
 * <p>Run: {@code java -jar examples/target/benchmarks.jar ClassifyOverheadBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 10)
public class ClassifyOverheadBenchmark {

    /** The CLIP image backbone. */
    @Param({"ViT-B/16"})
    public String backbone;

    /** The pipeline. */
    @Param({"v2"})
    public String pipeline;

    private Path dir;
    private PointClip clip;
    private PointCloud cloud;
    private float[] images;
    private int views;

    /**
     * Generates the models and opens the pipeline.
     *
     * @throws IOException if the temp directory cannot be written
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("pointclip-bench");
        FullClipModels.writeVisual(dir.resolve("visual.onnx"), backbone.equals("ViT-B/32") ? FullClipModels.VIT_B_32
            : FullClipModels.VIT_B_16, TinyClipModels.Layout.OPENAI, 1);
        FullClipModels.writeTextual(dir.resolve("textual.onnx"), FullClipModels.VIT_B_TEXT, TinyClipModels.Layout.OPENAI, 2);
        writeByteVocabulary(dir);
        clip = PointClip.builder().model(dir).device(Device.CPU).pipeline(Pipeline.preset(pipeline))
            .textCache(dir.resolve("text-cache")).build();
        cloud = ProjectionBenchmark.SyntheticClouds.noisyBoxSurface(1024, 7);
        views = clip.pipeline().projector().viewCount();
        images = PipelineStages.encoderInput(clip, List.of(cloud), null);
        clip.classify(cloud); // encodes and caches the class prompts
    }

    /** A byte-level vocabulary (no merges): enough for ids and end-of-text pooling. */
    static void writeByteVocabulary(Path dir) throws IOException {
        StringBuilder json = new StringBuilder("{");
        int id = 0;
        for (String suffix : new String[] {"", "</w>"}) {
            for (int b = 0; b < 256; b++) {
                json.append(id == 0 ? "" : ",").append('"').append(String.format("\\u%04x", byteSymbol(b)))
                    .append(suffix).append("\":").append(id++);
            }
        }
        json.append(",\"<|startoftext|>\":").append(id++).append(",\"<|endoftext|>\":").append(id).append('}');
        Files.writeString(dir.resolve("vocab.json"), json, StandardCharsets.UTF_8);
        try (Writer w = Files.newBufferedWriter(dir.resolve("merges.txt"), StandardCharsets.UTF_8)) {
            w.write("#version: 0.2\n");
        }
    }

    /** GPT-2's byte-to-unicode map. */
    private static int byteSymbol(int b) {
        if (b >= 33 && b <= 126 || b >= 161 && b <= 172 || b >= 174 && b <= 255) {
            return b;
        }
        int n = 0;
        for (int o = 0; o < b; o++) {
            if (!(o >= 33 && o <= 126 || o >= 161 && o <= 172 || o >= 174 && o <= 255)) {
                n++;
            }
        }
        return 256 + n;
    }

    /** @return logits of the whole pipeline for one cloud */
    @Benchmark
    public float[] classify() {
        return clip.classify(cloud).logits();
    }

    /** @return the image encoder alone on the same views */
    @Benchmark
    public float[] encoderOnly() {
        return PipelineStages.encodeImages(clip, images, views);
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
