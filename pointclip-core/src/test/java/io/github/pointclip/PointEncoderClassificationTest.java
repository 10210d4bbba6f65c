package io.github.pointclip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.encoder.Backbone;
import io.github.pointclip.encoder.ClipModel;
import io.github.pointclip.encoder.FeatureAdapter;
import io.github.pointclip.encoder.ImageEncoder;
import io.github.pointclip.encoder.PointEncoderLoadException;
import io.github.pointclip.encoder.TextEncoder;
import io.github.pointclip.internal.PipelineStages;
import io.github.pointclip.prompt.PromptSet;
import io.github.pointclip.testing.FakePointEncoderLoader;
import io.github.pointclip.testing.FakePointEncoderLoader.FirstPointEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code PointClip.builder().pointEncoder(...)}: cosine logits in CLIP's space, without the image encoder. */
class PointEncoderClassificationTest {

    static final int DIM = 4;

    /** A model whose image encoder must never be asked for; text features are a fixed function of the text. */
    static final class TextOnlyModel implements ClipModel {
        @Override
        public String id() {
            return "text-only";
        }

        @Override
        public Backbone backbone() {
            return null;
        }

        @Override
        public ImageEncoder imageEncoder() {
            throw new AssertionError("the image encoder was asked for");
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
                    float[] out = new float[texts.size() * DIM];
                    for (int i = 0; i < texts.size(); i++) {
                        System.arraycopy(text(texts.get(i)), 0, out, i * DIM, DIM);
                    }
                    return out;
                }

                @Override
                public void close() {
                }
            };
        }

        /** A prompt's raw feature: its length in one slot, a constant in another, by its first letter. */
        static float[] text(String prompt) {
            float[] f = new float[DIM];
            f[prompt.charAt(2) % DIM] = 2;
            f[prompt.length() % DIM] += prompt.length() / 5f;
            return f;
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
        }
    }

    private static PointClip.Builder builder(Path cache) {
        return PointClip.builder().model(new TextOnlyModel()).pipeline(Pipeline.of("tiny", new PointClipFacadeTest.TinyProjector(), "a {}."))
            .classes(List.of("cat", "big_dog", "emu")).textCache(cache);
    }

    @Test
    void logitsAreScaledCosinesOfTheEmbeddingAndTheTextFeatures(@TempDir Path cache) {
        FirstPointEncoder encoder = new FirstPointEncoder(DIM, null, null);
        PointCloud cloud = PointCloud.of(new float[] {0.3f, -0.8f, 0.5f, 9, 9, 9});
        try (PointClip clip = builder(cache).pointEncoder(encoder).build()) {
            Prediction p = clip.classify(cloud);
            double[] e = {0.3, -0.8, 0.5, 1};
            String[] prompts = {"a cat.", "a big dog.", "a emu."};
            for (int c = 0; c < 3; c++) {
                float[] t = TextOnlyModel.text(prompts[c]);
                double dot = 0, ne = 0, nt = 0;
                for (int i = 0; i < DIM; i++) {
                    dot += e[i] * t[i];
                    ne += e[i] * e[i];
                    nt += t[i] * t[i];
                }
                assertEquals(100 * dot / Math.sqrt(ne * nt), p.logits()[c], 1e-4, "class " + c);
            }
            assertEquals(List.of("cat", "big_dog", "emu"), p.labels());
            // open vocabulary and batches give the same logits as single clouds
            Prediction open = clip.classify(cloud, List.of("emu", "cat"));
            assertEquals(p.logits()[2], open.logits()[0], 1e-6);
            assertEquals(p.logits()[0], open.logits()[1], 1e-6);
            List<Prediction> all = clip.classifyAll(List.of(cloud, PointCloud.of(new float[] {1, 0, 0})));
            assertEquals(p.logits()[1], all.get(0).logits()[1], 1e-6);
            assertSame(encoder, clip.pointEncoder().orElseThrow());
            Embedding emb = clip.embed(cloud);
            assertEquals(1, emb.viewCount());
            assertEquals(0.3 / Math.sqrt(0.09 + 0.64 + 0.25 + 1), emb.fused()[0], 1e-6);
        }
        assertFalse(encoder.closed(), "an encoder passed in is the caller's");
    }

    @Test
    void cloudsAreCutToThePipelinesPointsAndBatched(@TempDir Path cache) {
        FirstPointEncoder encoder = new FirstPointEncoder(DIM, null, null);
        float[] big = new float[3 * 2000];
        try (PointClip clip = builder(cache).pointEncoder(encoder).batchSize(2).build()) {
            clip.classifyAll(List.of(PointCloud.of(big), PointCloud.of(new float[30]), PointCloud.of(big)));
        }
        assertEquals(List.of(1024, 10, 1024), encoder.seen);
    }

    @Test
    void theImageStagesDoNotExistWithAPointEncoder(@TempDir Path cache) {
        try (PointClip clip = builder(cache).pointEncoder(new FirstPointEncoder(DIM, null, null)).build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PipelineStages.imageFeatures(clip, List.of(PointCloud.of(new float[3]))));
            assertTrue(e.getMessage().contains("point encoder"), e.getMessage());
            // text features still are there (the CLI times them)
            assertEquals(3 * DIM, PipelineStages.textFeatures(clip, clip.prompts()).length);
        }
    }

    @Test
    void anEncoderOfAnotherWidthIsRefusedNamingBoth(@TempDir Path cache) throws Exception {
        PointEncoderLoadException e = assertThrows(PointEncoderLoadException.class,
            () -> builder(cache).pointEncoder(new FirstPointEncoder(6, null, null)).build());
        assertEquals("point encoder: embeds clouds into 6-d features, but the text encoder of model text-only gives 4-d "
            + "features; the encoder must be trained against this CLIP model", e.getMessage());
        Path file = Files.writeString(cache.resolve("wide.fakeenc"), "8");
        int open = FakePointEncoderLoader.OPEN.get();
        e = assertThrows(PointEncoderLoadException.class, () -> builder(cache).pointEncoder(file).build());
        assertTrue(e.getMessage().startsWith("point encoder " + file + ": embeds clouds into 8-d"), e.getMessage());
        assertEquals(file, e.file());
        assertEquals(open, FakePointEncoderLoader.OPEN.get(), "the encoder loaded for a failed build is closed");
    }

    @Test
    void aCheckpointIsLoadedThroughTheLoaderAndClosedWithTheFacade(@TempDir Path cache) throws Exception {
        Path file = Files.writeString(cache.resolve("enc.fakeenc"), "4");
        int open = FakePointEncoderLoader.OPEN.get();
        PointClip clip = builder(cache).pointEncoder(file).build();
        assertEquals(open + 1, FakePointEncoderLoader.OPEN.get());
        assertEquals(file, clip.pointEncoder().orElseThrow().source());
        assertEquals(3, clip.classify(PointCloud.of(new float[] {1, 2, 3})).labels().size());
        clip.close();
        assertEquals(open, FakePointEncoderLoader.OPEN.get(), "closed with the facade that loaded it");
    }

    @Test
    void badCheckpointsAreTypedAndNamed(@TempDir Path cache) throws Exception {
        Path missing = cache.resolve("none.fakeenc");
        PointEncoderLoadException e = assertThrows(PointEncoderLoadException.class,
            () -> builder(cache).pointEncoder(missing).build());
        assertEquals("point encoder " + missing + ": file not found", e.getMessage());
        Path corrupt = Files.writeString(cache.resolve("bad.fakeenc"), "corrupt");
        e = assertThrows(PointEncoderLoadException.class, () -> builder(cache).pointEncoder(corrupt).build());
        assertEquals("point encoder " + corrupt + ": truncated header", e.getMessage());
        Path unknown = Files.writeString(cache.resolve("enc.bin"), "4");
        e = assertThrows(PointEncoderLoadException.class, () -> builder(cache).pointEncoder(unknown).build());
        assertTrue(e.getMessage().contains("unknown extension"), e.getMessage());
    }

    @Test
    void anAdapterAndAPointEncoderContradictEachOther(@TempDir Path cache) {
        FeatureAdapter adapter = new FeatureAdapter() {
            @Override
            public int viewCount() {
                return 10;
            }

            @Override
            public int embeddingDim() {
                return DIM;
            }

            @Override
            public float[] logits(float[] features, int clouds, float[] text, int classes) {
                return new float[clouds * classes];
            }

            @Override
            public java.util.Map<String, String> metadata() {
                return java.util.Map.of();
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> builder(cache).adapter(adapter).pointEncoder(new FirstPointEncoder(DIM, null, null)).build());
        assertTrue(e.getMessage().contains("not both"), e.getMessage());
    }

    @Test
    void customPromptsWork(@TempDir Path cache) {
        PromptSet set = PromptSet.fromTemplate("a {}.", List.of("cat", "emu"));
        try (PointClip clip = builder(cache).prompts(set).pointEncoder(new FirstPointEncoder(DIM, null, null)).build()) {
            assertEquals(List.of("cat", "emu"), clip.classify(PointCloud.of(new float[] {1, 1, 1})).labels());
        }
    }
}
