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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The non-encoder share of {@link PointClip#segment} measured as CPU time within one run, which a loaded
 * machine does not inflate the way it does wall-clock JMH figures: a 2048-point chair, a random-weight ViT-B/16
 * of the exact CLIP architecture with {@code token_embeds} ({@code FullClipModels}), the encoder on one thread
 * ({@code threads(1)}: ONNX Runtime computes on the calling thread). Per repetition, interleaved: the whole
 * {@code segment} call and {@code encodeTokens} alone on the same 10 views, as the calling thread's CPU time and
 * the process's; then the projection with the encoder input, and the back-projection, alone on one thread.
 *
 * <p>Run: {@code java -cp examples/target/benchmarks.jar io.github.pointclip.bench.SegmentCpuShare [repetitions]}
 */
public final class SegmentCpuShare {

    private static final PartPrompts PARTS = PartPrompts.of("chair", List.of("back", "seat pad", "leg", "armrest"));

    private SegmentCpuShare() {
    }

    /**
     * @param args optional: repetitions of the segment / encoder pair (default 3)
     * @throws IOException if the models cannot be written
     */
    public static void main(String[] args) throws IOException {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Path dir = Files.createTempDirectory("pointclip-cpu-share");
        try {
            FullClipModels.writeVisual(dir.resolve("visual.onnx"), FullClipModels.VIT_B_16, TinyClipModels.Layout.OPENAI,
                1, true);
            FullClipModels.writeTextual(dir.resolve("textual.onnx"), FullClipModels.VIT_B_TEXT,
                TinyClipModels.Layout.OPENAI, 2);
            ClassifyOverheadBenchmark.writeByteVocabulary(dir);
            try (PointClip clip = PointClip.builder().model(dir).device(Device.CPU).threads(1)
                .textCache(dir.resolve("text-cache")).build()) {
                PointCloud cloud = SegmentOverheadBenchmark.chair(2048, 3);
                SegmentationProjectorV2 projector = new SegmentationProjectorV2();
                SegmentationProjection projection = projector.project(cloud, SegmentationLayout.FIXED);
                float[] images = new float[10 * 3 * 224 * 224];
                projection.copyEncoderInput(images, 0);
                float[] tokens = clip.model().imageEncoder().encodeTokens(images, 10);
                int dim = clip.model().imageEncoder().embeddingDim();
                int g = (int) Math.round(Math.sqrt(tokens.length / (10.0 * dim) - 1));
                BackProjection back = new BackProjection(g, 224);
                float[] text = new float[PARTS.size() * dim];
                SplittableRandom random = new SplittableRandom(5);
                for (int i = 0; i < text.length; i++) {
                    text[i] = (float) random.nextGaussian();
                }
                float[] ones = new float[10];
                Arrays.fill(ones, 1f);
                clip.segment(cloud, PARTS); // warm-up; encodes and caches the part prompts
                long segThread = 0, segProcess = 0, encThread = 0, encProcess = 0;
                for (int r = 0; r < reps; r++) {
                    long t0 = threads.getCurrentThreadCpuTime(), p0 = os.getProcessCpuTime();
                    clip.segment(cloud, PARTS);
                    segThread += threads.getCurrentThreadCpuTime() - t0;
                    segProcess += os.getProcessCpuTime() - p0;
                    t0 = threads.getCurrentThreadCpuTime();
                    p0 = os.getProcessCpuTime();
                    clip.model().imageEncoder().encodeTokens(images, 10);
                    encThread += threads.getCurrentThreadCpuTime() - t0;
                    encProcess += os.getProcessCpuTime() - p0;
                }
                int stageReps = 30;
                for (int r = 0; r < stageReps; r++) { // warm-up of the stages alone
                    projector.project(cloud, SegmentationLayout.FIXED).copyEncoderInput(images, 0);
                    back.pointLogits(tokens, dim, text, PARTS.size(), projection, ones);
                }
                long proj = 0, backProject = 0;
                for (int r = 0; r < stageReps; r++) {
                    long t0 = threads.getCurrentThreadCpuTime();
                    projector.project(cloud, SegmentationLayout.FIXED).copyEncoderInput(images, 0);
                    long t1 = threads.getCurrentThreadCpuTime();
                    back.pointLogits(tokens, dim, text, PARTS.size(), projection, ones);
                    proj += t1 - t0;
                    backProject += threads.getCurrentThreadCpuTime() - t1;
                }
                double ms = 1e-6;
                double seg = segThread * ms / reps, enc = encThread * ms / reps;
                System.out.printf(Locale.ROOT, "segment, calling thread CPU:  %.0f ms per cloud (process %.0f ms)%n",
                    seg, segProcess * ms / reps);
                System.out.printf(Locale.ROOT, "encodeTokens, calling thread: %.0f ms per 10 views (process %.0f ms)%n",
                    enc, encProcess * ms / reps);
                System.out.printf(Locale.ROOT, "non-encoder share of segment (thread CPU): %.1f %% (%.0f ms)%n",
                    100 * (seg - enc) / seg, seg - enc);
                System.out.printf(Locale.ROOT, "non-encoder share of segment (process CPU): %.1f %%%n",
                    100.0 * (segProcess - encProcess) / segProcess);
                System.out.printf(Locale.ROOT, "projection + encoder input alone, one thread: %.1f ms per cloud%n",
                    proj * ms / stageReps);
                System.out.printf(Locale.ROOT, "back-projection alone, one thread: %.1f ms per cloud%n",
                    backProject * ms / stageReps);
                System.out.printf(Locale.ROOT, "stages alone / encoder: %.2f %%%n",
                    100 * (proj + backProject) * ms / stageReps / enc);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
