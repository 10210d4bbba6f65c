package io.github.pointclip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.encoder.Backbone;
import io.github.pointclip.encoder.ClipModel;
import io.github.pointclip.encoder.ImageEncoder;
import io.github.pointclip.encoder.TextEncoder;
import io.github.pointclip.internal.PipelineStages;
import io.github.pointclip.projection.spi.Projector;
import io.github.pointclip.projection.spi.View;
import io.github.pointclip.projection.spi.ViewRig;
import io.github.pointclip.prompt.PromptSet;
import io.github.pointclip.testing.QuadrantImageEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The facade's arithmetic against the references' formulation, with pure-Java fake encoders. */
class PointClipFacadeTest {

    static final int DIM = 4;
    static final int SIZE = 6;

    /** Two 2×2 "views": view v is filled with x+v, y+v, z+v, 1 of the first point. */
    static final class TinyProjector implements Projector {
        final ViewRig rig = ViewRig.of(View.of(0, 0, 0, 0, 0, 0), View.of(1, 0, 0, 0, 0, 0));

        @Override
        public String name() {
            return "tiny";
        }

        @Override
        public ViewRig views() {
            return rig;
        }

        @Override
        public int height() {
            return 2;
        }

        @Override
        public int width() {
            return 2;
        }

        @Override
        public float[] projectInto(PointCloud cloud, float[] out) {
            if (out == null || out.length < outputLength()) {
                out = new float[outputLength()];
            }
            for (int v = 0; v < 2; v++) {
                out[4 * v] = cloud.x(0) + v;
                out[4 * v + 1] = cloud.y(0) + v;
                out[4 * v + 2] = cloud.z(0) + v;
                out[4 * v + 3] = 1;
            }
            return out;
        }

        @Override
        public Map<String, String> parameters() {
            return Map.of();
        }
    }

    /** Image features: the mean of each resized image's four quadrants' first channel. Text: a hash. */
    static final class FakeModel implements ClipModel {
        final AtomicInteger textCalls = new AtomicInteger();
        final QuadrantImageEncoder imageEncoder = new QuadrantImageEncoder(DIM, SIZE);
        boolean closed;

        @Override
        public String id() {
            return "fake-model";
        }

        @Override
        public Backbone backbone() {
            return null;
        }

        @Override
        public ImageEncoder imageEncoder() {
            return imageEncoder;
        }

        @Override
        public TextEncoder textEncoder() {
            return new TextEncoder() {
                @Override
                public int embeddingDim() {
                    return DIM;
                }

                @Override
                public float[] encode(List<String> texts) {
                    textCalls.addAndGet(texts.size());
                    float[] out = new float[texts.size() * DIM];
                    for (int i = 0; i < texts.size(); i++) {
                        out[i * DIM + i % DIM] = 3f;
                        out[i * DIM + (texts.get(i).length() % DIM)] += 1f + texts.get(i).length() / 10f;
                    }
                    return out;
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public float logitScale() {
            return 100f;
        }

        @Override
        public String executionDevice() {
            return "cpu";
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static PointClip clip(FakeModel model, Path cache, float... weights) {
        Pipeline p = Pipeline.of("tiny", new TinyProjector(), "a {}.");
        if (weights.length > 0) {
            p = p.withViewWeights(weights);
        }
        return PointClip.builder().model(model).pipeline(p).classes(List.of("cat", "big_dog", "emu"))
            .textCache(cache).build();
    }

    @Test
    void logitsEqualTheConcatenatedViewsAgainstTheRepeatedTextFeature(@TempDir Path cache) {
        FakeModel model = new FakeModel();
        PointCloud cloud = PointCloud.of(new float[] {0.2f, -0.7f, 0.4f});
        try (PointClip clip = clip(model, cache, 0.75f, 0.25f)) {
            Prediction p = clip.classify(cloud);
            assertEquals(List.of("cat", "big_dog", "emu"), p.labels());
            // reference formulation: image = concat_v(w_v·f_v/|f_v|) [V·D]; text = repeat_V(t_c/|t_c|) normalised over V·D
            float[][] views = expectedViewFeatures(cloud);
            float[] w = {0.75f, 0.25f};
            String[] prompts = {"a cat.", "a big dog.", "a emu."};
            float[] text = model.textEncoder().encode(List.of(prompts));
            for (int c = 0; c < 3; c++) {
                double[] t = normalise(java.util.Arrays.copyOfRange(text, c * DIM, c * DIM + DIM));
                double[] repeated = new double[2 * DIM];
                for (int v = 0; v < 2; v++) {
                    System.arraycopy(t, 0, repeated, v * DIM, DIM);
                }
                repeated = normalise(repeated);
                double logit = 0;
                for (int v = 0; v < 2; v++) {
                    double[] f = normalise(views[v]);
                    for (int i = 0; i < DIM; i++) {
                        logit += w[v] * f[i] * repeated[v * DIM + i];
                    }
                }
                assertEquals(100 * logit, p.logits()[c], 1e-4, "class " + c);
            }
            double sum = 0;
            for (float prob : p.probabilities()) {
                sum += prob;
            }
            assertEquals(1.0, sum, 1e-6);
            assertEquals(p.ranking().get(0).index(), p.labelIndex());
        }
        assertTrue(!model.closed, "a model passed in is owned by the caller");
    }

    /** The fake image encoder on the resized (6×6, align-corners) 2×2 maps of the tiny projector. */
    private static float[][] expectedViewFeatures(PointCloud cloud) {
        float[][] out = new float[2][DIM];
        for (int v = 0; v < 2; v++) {
            double[] corner = {cloud.x(0) + v, cloud.y(0) + v, cloud.z(0) + v, 1};
            for (int r = 0; r < SIZE; r++) {
                for (int c = 0; c < SIZE; c++) {
                    double a = r / 5.0, b = c / 5.0;
                    double value = (1 - a) * ((1 - b) * corner[0] + b * corner[1]) + a * ((1 - b) * corner[2] + b * corner[3]);
                    out[v][(r < 3 ? 0 : 2) + (c < 3 ? 0 : 1)] += (float) (value / 9);
                }
            }
        }
        return out;
    }

    private static double[] normalise(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return normalise(d);
    }

    private static double[] normalise(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] / Math.sqrt(s);
        }
        return out;
    }

    @Test
    void classifyAllBatchesViewsOfSeveralCloudsAndMatchesSingleCalls(@TempDir Path cache) {
        FakeModel model = new FakeModel();
        List<PointCloud> clouds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clouds.add(PointCloud.of(new float[] {i * 0.1f, 1 - i * 0.2f, 0.3f}));
        }
        try (PointClip clip = clip(model, cache)) {
            List<Prediction> all = clip.classifyAll(clouds);
            assertEquals(1, model.imageEncoder.runs.get(), "5 clouds x 2 views fit one run of 32");
            for (int i = 0; i < clouds.size(); i++) {
                assertArrayEquals(clip.classify(clouds.get(i)).logits(), all.get(i).logits(), 1e-5f);
            }
        }
    }

    @Test
    void textFeaturesAreEncodedOnceAndReusedFromDisk(@TempDir Path cache) {
        FakeModel first = new FakeModel();
        PointCloud cloud = PointCloud.of(new float[] {0, 0, 0});
        float[] logits;
        try (PointClip clip = clip(first, cache)) {
            logits = clip.classify(cloud).logits();
            clip.classify(cloud);
            assertEquals(3, first.textCalls.get());
        }
        FakeModel second = new FakeModel();
        try (PointClip clip = clip(second, cache)) {
            assertArrayEquals(logits, clip.classify(cloud).logits());
            assertEquals(0, second.textCalls.get(), "all three prompts come from the disk cache");
        }
    }

    @Test
    void openVocabularyLabelsUseTheTemplate(@TempDir Path cache) {
        FakeModel model = new FakeModel();
        try (PointClip clip = clip(model, cache)) {
            Prediction p = clip.classify(PointCloud.of(new float[] {0, 0, 1}), List.of("mug", "traffic_cone"));
            assertEquals(List.of("mug", "traffic_cone"), p.labels());
            assertEquals(2, p.logits().length);
        }
    }

    @Test
    void ensemblingAveragesNormalisedPromptFeatures(@TempDir Path cache) {
        FakeModel model = new FakeModel();
        try (PointClip clip = clip(model, cache)) {
            PromptSet set = PromptSet.fromTemplates(List.of("a {}.", "one {} here"), List.of("cat"));
            float[] got = PipelineStages.textFeatures(clip, set);
            float[] raw = model.textEncoder().encode(List.of("a cat.", "one cat here"));
            double[] a = normalise(java.util.Arrays.copyOfRange(raw, 0, DIM));
            double[] b = normalise(java.util.Arrays.copyOfRange(raw, DIM, 2 * DIM));
            double[] mean = new double[DIM];
            for (int i = 0; i < DIM; i++) {
                mean[i] = a[i] + b[i];
            }
            double[] want = normalise(mean);
            for (int i = 0; i < DIM; i++) {
                assertEquals(want[i], got[i], 1e-6);
            }
        }
    }

    @Test
    void wrongViewWeightCountAndUseAfterCloseAreRejected(@TempDir Path cache) {
        FakeModel model = new FakeModel();
        assertThrows(IllegalArgumentException.class, () -> clip(model, cache, 1f, 1f, 1f));
        PointClip clip = clip(model, cache);
        clip.close();
        assertThrows(IllegalStateException.class, () -> clip.classify(PointCloud.of(new float[] {0, 0, 0})));
    }

    @Test
    void corruptCacheFilesAreIgnored(@TempDir Path cache) throws Exception {
        FakeModel model = new FakeModel();
        PointCloud cloud = PointCloud.of(new float[] {0.5f, 0, 0});
        float[] logits;
        try (PointClip clip = clip(model, cache)) {
            logits = clip.classify(cloud).logits();
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(cache)) {
            for (Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                java.nio.file.Files.write(f, new byte[] {1, 2, 3});
            }
        }
        FakeModel again = new FakeModel();
        try (PointClip clip = clip(again, cache)) {
            assertArrayEquals(logits, clip.classify(cloud).logits());
            assertEquals(3, again.textCalls.get(), "corrupt entries are recomputed");
        }
    }

    /** A stand-in adapter that records nothing; only its metadata, shape and file matter here. */
    private static io.github.pointclip.encoder.FeatureAdapter adapterTrainedWith(Map<String, String> metadata,
        int views, Path file) {
        return new io.github.pointclip.encoder.FeatureAdapter() {
            @Override
            public int viewCount() {
                return views;
            }

            @Override
            public int embeddingDim() {
                return DIM;
            }

            @Override
            public float[] logits(float[] rawImageFeatures, int clouds, float[] textFeatures, int classes) {
                return new float[clouds * classes];
            }

            @Override
            public Map<String, String> metadata() {
                return metadata;
            }

            @Override
            public Path source() {
                return file;
            }
        };
    }

    private static io.github.pointclip.encoder.FeatureAdapter adapterTrainedWith(Pipeline pipeline, Path file) {
        return adapterTrainedWith(Map.of("pipeline", pipeline.name(), "pipeline_fingerprint", pipeline.fingerprint()),
            pipeline.projector().viewCount(), file);
    }

    @Test
    void anAdapterAcceptsOnlyThePipelineItWasTrainedWithByValue(@TempDir Path cache) {
        FakeModel model = new FakeModel();
        Path file = Path.of("runs", "tiny-adapter.safetensors");
        Pipeline tiny = Pipeline.of("tiny", new TinyProjector(), "a {}.");
        try (PointClip clip = PointClip.builder().model(model).pipeline(tiny).classes(List.of("cat", "emu"))
            .textCache(cache).adapter(adapterTrainedWith(tiny, file)).build()) {
            assertEquals(tiny, clip.pipeline());
        }
        // the same label, other view weights: another pipeline, refused naming the file, both and what differs
        io.github.pointclip.encoder.AdapterLoadException weights = assertThrows(
            io.github.pointclip.encoder.AdapterLoadException.class, () -> PointClip.builder().model(model)
                .pipeline(tiny.withViewWeights(0.5f, 1f)).textCache(cache).adapter(adapterTrainedWith(tiny, file)).build());
        assertEquals(file, weights.file());
        assertTrue(weights.getMessage().startsWith("adapter " + file + ": ")
            && weights.getMessage().endsWith("they differ in view weights"), weights.getMessage());
        // the builder's own overrides count too
        io.github.pointclip.encoder.AdapterLoadException points = assertThrows(
            io.github.pointclip.encoder.AdapterLoadException.class, () -> PointClip.builder().model(model)
                .pipeline(tiny).pointsPerCloud(0).textCache(cache).adapter(adapterTrainedWith(tiny, file)).build());
        assertTrue(points.getMessage().endsWith("they differ in points per cloud"), points.getMessage());
        io.github.pointclip.encoder.AdapterLoadException template = assertThrows(
            io.github.pointclip.encoder.AdapterLoadException.class, () -> PointClip.builder().model(model)
                .pipeline(tiny.withTemplate("the {}.")).textCache(cache).adapter(adapterTrainedWith(tiny, file)).build());
        assertTrue(template.getMessage().endsWith("they differ in template"), template.getMessage());
        // without a pipeline the adapter's is taken, and a custom one cannot be rebuilt from the checkpoint
        io.github.pointclip.encoder.AdapterLoadException custom = assertThrows(
            io.github.pointclip.encoder.AdapterLoadException.class, () -> PointClip.builder().model(model)
                .textCache(cache).adapter(adapterTrainedWith(tiny, file)).build());
        assertTrue(custom.getMessage().contains(file + ": was trained with the custom pipeline 'tiny+custom'")
            && custom.getMessage().contains(".pipeline("), custom.getMessage());
    }

    @Test
    void anAdapterFromBeforePipelinesWereRecordedByValueIsMatchedByName(@TempDir Path cache) {
        FakeModel model = new FakeModel();
        Path file = Path.of("old.safetensors");
        Pipeline tiny = Pipeline.of("tiny", new TinyProjector(), "a {}.");
        // an old file recorded the label of a custom pipeline: the custom pipeline of that label is accepted
        try (PointClip clip = PointClip.builder().model(model).pipeline(tiny).classes(List.of("cat", "emu"))
            .textCache(cache).adapter(adapterTrainedWith(Map.of("pipeline", "tiny"), 2, file)).build()) {
            assertEquals("tiny+custom", clip.pipeline().name());
        }
        io.github.pointclip.encoder.AdapterLoadException other = assertThrows(
            io.github.pointclip.encoder.AdapterLoadException.class, () -> PointClip.builder().model(model)
                .pipeline(tiny).textCache(cache).adapter(adapterTrainedWith(Map.of("pipeline", "v1-fewshot"), 2, file))
                .build());
        assertEquals("adapter " + file + ": was trained with pipeline 'v1-fewshot' but this PointClip uses "
            + "'tiny+custom'", other.getMessage());
    }

    @Test
    void anAdapterForAnotherViewCountOrWidthIsRefusedNamingItsFile(@TempDir Path cache) {
        FakeModel model = new FakeModel();
        Path file = Path.of("ten-views.safetensors");
        Pipeline tiny = Pipeline.of("tiny", new TinyProjector(), "a {}.");
        io.github.pointclip.encoder.AdapterLoadException e = assertThrows(
            io.github.pointclip.encoder.AdapterLoadException.class, () -> PointClip.builder().model(model)
                .pipeline(tiny).textCache(cache).adapter(adapterTrainedWith(Map.of(), 10, file)).build());
        assertEquals("adapter " + file + ": trained for 10 views, but pipeline tiny+custom has 2", e.getMessage());
    }

    @Test
    void anAdapterFileNoLoaderReadsThatIsMissingOrADirectoryIsReportedByName(@TempDir Path dir) throws Exception {
        Path text = java.nio.file.Files.writeString(dir.resolve("notes.txt"), "not a checkpoint");
        // core alone registers no FeatureAdapterLoader
        io.github.pointclip.encoder.AdapterLoadException none = assertThrows(
            io.github.pointclip.encoder.AdapterLoadException.class,
            () -> PointClip.builder().model(new FakeModel()).textCache(dir).adapter(text).build());
        assertTrue(none.getMessage().contains("no adapter loader reads " + text) && none.getMessage().contains(
            ".safetensors"), none.getMessage());
        assertEquals(text, none.file());
        Path missing = dir.resolve("missing.safetensors");
        io.github.pointclip.encoder.AdapterLoadException gone = assertThrows(
            io.github.pointclip.encoder.AdapterLoadException.class,
            () -> PointClip.builder().model(new FakeModel()).textCache(dir).adapter(missing).build());
        assertTrue(gone.getCause() instanceof java.nio.file.NoSuchFileException, gone.toString());
        assertEquals("adapter " + missing + ": file not found", gone.getMessage());
        io.github.pointclip.encoder.AdapterLoadException folder = assertThrows(
            io.github.pointclip.encoder.AdapterLoadException.class,
            () -> PointClip.builder().model(new FakeModel()).textCache(dir).adapter(dir).build());
        assertEquals("adapter " + dir + ": is a directory; expected an adapter checkpoint file (.safetensors)",
            folder.getMessage());
    }
}
