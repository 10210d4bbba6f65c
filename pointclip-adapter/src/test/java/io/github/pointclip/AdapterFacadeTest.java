package io.github.pointclip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.adapter.InterViewAdapter;
import io.github.pointclip.adapter.StateTensor;
import io.github.pointclip.adapter.checkpoint.AdapterCheckpoint;
import io.github.pointclip.adapter.checkpoint.SafeTensors;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.encoder.AdapterLoadException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code PointClip.builder().adapter(file)} with real checkpoints and core's fake model. */
class AdapterFacadeTest {

    private static final List<String> CLASSES = List.of("cat", "emu");

    private static Pipeline tiny() {
        return Pipeline.of("tiny", new PointClipFacadeTest.TinyProjector(), "a {}.");
    }

    private static Path save(Path file, Pipeline pipeline) throws IOException {
        AdapterCheckpoint.builder(InterViewAdapter.builder(2, PointClipFacadeTest.DIM).seed(7).build())
            .classNames(CLASSES).pipeline(pipeline).build().save(file);
        return file;
    }

    @Test
    void aCheckpointIsUsedWithItsPipelineAndRefusedWithAnotherNamingTheFile(@TempDir Path dir) throws IOException {
        Path file = save(dir.resolve("tiny.safetensors"), tiny());
        PointCloud cloud = PointCloud.of(new float[] {0.3f, -0.2f, 0.5f});
        PointClipFacadeTest.FakeModel model = new PointClipFacadeTest.FakeModel();
        try (PointClip clip = PointClip.builder().model(model).pipeline(tiny()).classes(CLASSES).textCache(dir)
            .adapter(file).build()) {
            float[] features = clip.imageFeatures(List.of(cloud));
            float[] text = clip.textFeatures(clip.prompts());
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
        AdapterCheckpoint cp = AdapterCheckpoint.builder(InterViewAdapter.builder(2, PointClipFacadeTest.DIM).seed(7)
            .build()).classNames(CLASSES).pipeline("tiny").build();
        Map<String, StateTensor> old = new LinkedHashMap<>();
        cp.state().forEach((name, t) -> old.put(name.replace("global_f.0.bn.", "global_f.0."), t));
        Path file = dir.resolve("old.safetensors");
        SafeTensors.write(file, old, cp.metadata());
        PointClipFacadeTest.FakeModel model = new PointClipFacadeTest.FakeModel();
        try (PointClip clip = PointClip.builder().model(model).pipeline(tiny()).classes(CLASSES).textCache(dir)
            .adapter(file).build()) {
            assertEquals(2, clip.classify(PointCloud.of(new float[] {0, 0, 1})).logits().length);
        }
        AdapterLoadException e = assertThrows(AdapterLoadException.class, () -> PointClip.builder().model(model)
            .pipeline(Pipeline.of("other", new PointClipFacadeTest.TinyProjector(), "a {}.")).classes(CLASSES)
            .textCache(dir).adapter(file).build());
        assertTrue(e.getMessage().startsWith("adapter " + file + ": was trained with pipeline 'tiny'"), e.getMessage());
    }

    @Test
    void aCorruptCheckpointIsATypedErrorNamingTheFileOnce(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("broken.safetensors");
        java.nio.file.Files.write(file, new byte[] {1, 2, 3});
        AdapterLoadException e = assertThrows(AdapterLoadException.class, () -> PointClip.builder()
            .model(new PointClipFacadeTest.FakeModel()).pipeline(tiny()).textCache(dir).adapter(file).build());
        assertEquals("adapter " + file + ": truncated: 3 bytes, not even a header length", e.getMessage());
        assertTrue(e.getCause() instanceof io.github.pointclip.adapter.checkpoint.CheckpointException);
    }
}
