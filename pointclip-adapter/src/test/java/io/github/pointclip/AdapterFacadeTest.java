package io.github.pointclip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.adapter.InterViewAdapter;
import io.github.pointclip.adapter.StateTensor;
import io.github.pointclip.adapter.checkpoint.AdapterCheckpoint;
import io.github.pointclip.adapter.checkpoint.SafeTensors;
import io.github.pointclip.adapter.train.PointClipFeatureExtractor;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.encoder.AdapterLoadException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code PointClip.builder().adapter(file)} with real checkpoints and a pure-Java fake model (core's fakes live in
 * core's tests, which other modules cannot see now that no test-jar is built).
 */
class AdapterFacadeTest {

    private static final int DIM = 4;

    /** Two 2×2 views: view v holds x+v, y+v, z+v, 1 of the first point. */
    private static final class TwoViewProjector implements io.github.pointclip.projection.spi.Projector {
        private final io.github.pointclip.projection.spi.ViewRig rig = io.github.pointclip.projection.spi.ViewRig.of(
            io.github.pointclip.projection.spi.View.of(0, 0, 0, 0, 0, 0),
            io.github.pointclip.projection.spi.View.of(1, 0, 0, 0, 0, 0));

        @Override
        public String name() {
            return "tiny";
        }

        @Override
        public io.github.pointclip.projection.spi.ViewRig views() {
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
            float[] o = out == null || out.length < outputLength() ? new float[outputLength()] : out;
            for (int v = 0; v < 2; v++) {
                o[4 * v] = cloud.x(0) + v;
                o[4 * v + 1] = cloud.y(0) + v;
                o[4 * v + 2] = cloud.z(0) + v;
                o[4 * v + 3] = 1;
            }
            return o;
        }

        @Override
        public Map<String, String> parameters() {
            return Map.of();
        }
    }

    /** Image feature i: the sum of the first channel's pixels with index = i mod DIM; text: the prompt's characters. */
    private static final class SumModel implements io.github.pointclip.encoder.ClipModel {
        @Override
        public String id() {
            return "sum-model";
        }

        @Override
        public io.github.pointclip.encoder.Backbone backbone() {
            return null;
        }

        @Override
        public io.github.pointclip.encoder.ImageEncoder imageEncoder() {
            return new io.github.pointclip.encoder.ImageEncoder() {
                @Override
                public int embeddingDim() {
                    return DIM;
                }

                @Override
                public int imageSize() {
                    return 4;
                }

                @Override
                public float[] encode(float[] pixels, int count) {
                    float[] f = new float[count * DIM];
                    int per = 3 * 4 * 4;
                    for (int n = 0; n < count; n++) {
                        for (int i = 0; i < 16; i++) {
                            f[n * DIM + i % DIM] += pixels[n * per + i] * (1 + i / 4);
                        }
                    }
                    return f;
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public io.github.pointclip.encoder.TextEncoder textEncoder() {
            return new io.github.pointclip.encoder.TextEncoder() {
                @Override
                public int embeddingDim() {
                    return DIM;
                }

                @Override
                public float[] encode(List<String> texts) {
                    float[] f = new float[texts.size() * DIM];
                    for (int i = 0; i < texts.size(); i++) {
                        String t = texts.get(i);
                        for (int c = 0; c < t.length(); c++) {
                            f[i * DIM + c % DIM] += t.charAt(c) / 100f;
                        }
                    }
                    return f;
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
        }
    }

    private static final List<String> CLASSES = List.of("cat", "emu");

    private static Pipeline tiny() {
        return Pipeline.of("tiny", new TwoViewProjector(), "a {}.");
    }

    private static Path save(Path file, Pipeline pipeline) throws IOException {
        AdapterCheckpoint.builder(InterViewAdapter.builder(2, DIM).seed(7).build())
            .classNames(CLASSES).pipeline(pipeline).build().save(file);
        return file;
    }

    @Test
    void aCheckpointIsUsedWithItsPipelineAndRefusedWithAnotherNamingTheFile(@TempDir Path dir) throws IOException {
        Path file = save(dir.resolve("tiny.safetensors"), tiny());
        PointCloud cloud = PointCloud.of(new float[] {0.3f, -0.2f, 0.5f});
        SumModel model = new SumModel();
        try (PointClip clip = PointClip.builder().model(model).pipeline(tiny()).classes(CLASSES).textCache(dir)
            .adapter(file).build()) {
            // the public few-shot path: what the trainer is given gives the facade's logits
            PointClipFeatureExtractor extractor = new PointClipFeatureExtractor(clip);
            float[] features = extractor.extract(List.of(cloud));
            float[] text = extractor.textFeatures(clip.prompts());
            float[] expected = AdapterCheckpoint.load(file).toHead().logits(features, 1, text, 2);
            assertArrayEquals(expected, clip.classify(cloud).logits(), "the adapter's logits");
        }
        AdapterLoadException e = assertThrows(AdapterLoadException.class, () -> PointClip.builder().model(model)
            .pipeline(tiny()).viewWeights(1f, 0.5f).classes(CLASSES).textCache(dir).adapter(file).build());
        assertEquals("adapter " + file + ": was trained with pipeline tiny+custom but this PointClip uses "
            + "tiny+custom; they differ in view weights", e.getMessage());
        assertEquals(file, e.file());
    }

    @Test
    void anOlderCheckpointWithItsNamesAndAPipelineNameIsStillUsable(@TempDir Path dir) throws IOException {
        AdapterCheckpoint cp = AdapterCheckpoint.builder(InterViewAdapter.builder(2, DIM).seed(7)
            .build()).classNames(CLASSES).pipeline("tiny").build();
        Map<String, StateTensor> old = new LinkedHashMap<>();
        cp.state().forEach((name, t) -> old.put(name.replace("global_f.0.bn.", "global_f.0."), t));
        Path file = dir.resolve("old.safetensors");
        SafeTensors.write(file, old, cp.metadata());
        SumModel model = new SumModel();
        try (PointClip clip = PointClip.builder().model(model).pipeline(tiny()).classes(CLASSES).textCache(dir)
            .adapter(file).build()) {
            assertEquals(2, clip.classify(PointCloud.of(new float[] {0, 0, 1})).logits().length);
        }
        AdapterLoadException e = assertThrows(AdapterLoadException.class, () -> PointClip.builder().model(model)
            .pipeline(Pipeline.of("other", new TwoViewProjector(), "a {}.")).classes(CLASSES)
            .textCache(dir).adapter(file).build());
        assertTrue(e.getMessage().startsWith("adapter " + file + ": was trained with pipeline 'tiny'"), e.getMessage());
    }

    @Test
    void aCorruptCheckpointIsATypedErrorNamingTheFileOnce(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("broken.safetensors");
        java.nio.file.Files.write(file, new byte[] {1, 2, 3});
        AdapterLoadException e = assertThrows(AdapterLoadException.class, () -> PointClip.builder()
            .model(new SumModel()).pipeline(tiny()).textCache(dir).adapter(file).build());
        assertEquals("adapter " + file + ": truncated: 3 bytes, not even a header length", e.getMessage());
        assertTrue(e.getCause() instanceof io.github.pointclip.adapter.checkpoint.CheckpointException);
    }
}
