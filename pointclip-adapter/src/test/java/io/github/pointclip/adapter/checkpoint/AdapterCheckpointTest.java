package io.github.pointclip.adapter.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.Pipeline;
import io.github.pointclip.adapter.InterViewAdapter;
import io.github.pointclip.adapter.StateTensor;
import io.github.pointclip.adapter.autograd.GradMode;
import io.github.pointclip.adapter.autograd.Tensor;
import io.github.pointclip.adapter.internal.AdapterNetworks;
import io.github.pointclip.encoder.FeatureAdapter;
import io.github.pointclip.encoder.FeatureAdapterLoader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterCheckpointTest {
    private static final int V = 3;
    private static final int C = 8;
    private static final List<String> CLASSES = List.of("chair", "lamp", "table");

    /** An adapter with non-trivial weights and running statistics (a few training-mode passes). */
    private static InterViewAdapter trained() {
        InterViewAdapter a = InterViewAdapter.builder(V, C).seed(3).build();
        Random r = new Random(1);
        for (int step = 0; step < 3; step++) {
            float[] x = new float[4 * V * C];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            try (GradMode.Scope ignored = GradMode.disable()) {
                AdapterNetworks.forward(a, Tensor.fromFloats(4, V * C, x), true);
            }
        }
        AdapterNetworks.parameters(a).get("fusion_ratio").set(1, 0.7);
        return a;
    }

    private static AdapterCheckpoint checkpoint(InterViewAdapter a) {
        return AdapterCheckpoint.builder(a).classNames(CLASSES).backbone("ViT-B/16").pipeline("v1").modelId("abc")
                .prompts(List.of(List.of("a chair"), List.of("a lamp"), List.of("a table")))
                .viewWeights(new float[] {1, 0.5f, 0.25f}).seed(42).shots(16).training(10, 7, 0.875).build();
    }

    @Test
    void integerMetadataSurvivesExactly(@TempDir Path dir) throws IOException {
        long seed = Long.MAX_VALUE - 12_345; // not representable in a double
        Path file = dir.resolve("big-seed.safetensors");
        AdapterCheckpoint.builder(trained()).classNames(CLASSES).seed(seed).shots(16).training(10, 7, 0.5).build()
            .save(file);
        AdapterCheckpoint loaded = AdapterCheckpoint.load(file);
        assertEquals(seed, loaded.seed());
        assertEquals(16, loaded.shots());
    }

    @Test
    void roundTripGivesTheSameLogitsThroughTheServiceLoader(@TempDir Path dir) throws IOException {
        InterViewAdapter a = trained();
        Path file = dir.resolve("adapter.safetensors");
        checkpoint(a).save(file);

        FeatureAdapterLoader loader = ServiceLoader.load(FeatureAdapterLoader.class).stream()
                .map(ServiceLoader.Provider::get).filter(l -> l.accepts(file)).findFirst().orElseThrow();
        FeatureAdapter head = loader.load(file);
        assertEquals(V, head.viewCount());
        assertEquals(C, head.embeddingDim());
        assertEquals("ViT-B/16", head.metadata().get("backbone"));
        assertEquals("v1", head.metadata().get("pipeline"));

        Random r = new Random(2);
        float[] x = new float[5 * V * C];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] text = new float[3 * C];
        for (int i = 0; i < text.length; i++) {
            text[i] = (float) r.nextGaussian();
        }
        float[] expected;
        try (GradMode.Scope ignored = GradMode.disable()) {
            expected = AdapterNetworks.logits(a, Tensor.fromFloats(5, V * C, x),
                    AdapterNetworks.repeatText(Tensor.fromFloats(3, C, text), V), false).toFloatArray();
        }
        assertArrayEquals(expected, head.logits(x, 5, text, 3));

        AdapterCheckpoint loaded = AdapterCheckpoint.load(file);
        assertEquals(CLASSES, loaded.classNames());
        assertEquals(List.of("a lamp"), loaded.prompts().get(1));
        assertArrayEquals(new float[] {1, 0.5f, 0.25f}, loaded.viewWeights());
        assertEquals(42, loaded.seed());
        assertEquals(16, loaded.shots());
        assertEquals("16", loaded.toHead().metadata().get("shots"));
        assertEquals(7, loaded.bestEpoch());
        assertEquals(0.875, loaded.validationAccuracy());
        assertEquals(a.stateDict(), loaded.state());
        loaded.checkCompatible(V, C, CLASSES);
    }

    @Test
    void fileIsStandardSafetensors(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("a.safetensors");
        checkpoint(trained()).save(file);
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8, "tensor data is aligned");
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        assertEquals("F32", header.get("view_f.2.weight").get("dtype").asText());
        assertEquals("[24,8]", header.get("view_f.2.weight").get("shape").toString());
        assertEquals("[3]", header.get("fusion_ratio").get("shape").toString());
        assertEquals(AdapterCheckpoint.FORMAT, header.get("__metadata__").get("format").asText());
        long end = 0;
        for (var it = header.fields(); it.hasNext();) {
            var e = it.next();
            if (!e.getKey().equals("__metadata__")) {
                end = Math.max(end, e.getValue().get("data_offsets").get(1).asLong());
            }
        }
        assertEquals(bytes.length, 8 + n + end);
        // the fusion ratio is the first tensor, little-endian floats
        long begin = header.get("fusion_ratio").get("data_offsets").get(0).asLong();
        float second = ByteBuffer.wrap(bytes, (int) (8 + n + begin + 4), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
        assertEquals(0.7f, second);
    }

    @Test
    void truncatedAndCorruptFilesNameTheFileAndTheProblem(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("good.safetensors");
        checkpoint(trained()).save(file);
        byte[] bytes = Files.readAllBytes(file);

        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 100));
        CheckpointException e = assertThrows(CheckpointException.class, () -> AdapterCheckpoint.load(truncated));
        assertTrue(e.getMessage().contains("truncated.safetensors") && e.getMessage().contains("truncated"),
                e.getMessage());
        assertEquals(truncated, e.file());

        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, Arrays.copyOf(bytes, 5));
        e = assertThrows(CheckpointException.class, () -> AdapterCheckpoint.load(tiny));
        assertTrue(e.getMessage().contains("tiny.safetensors") && e.getMessage().contains("truncated"), e.getMessage());

        Path headerCut = dir.resolve("header.safetensors");
        Files.write(headerCut, Arrays.copyOf(bytes, 60));
        e = assertThrows(CheckpointException.class, () -> AdapterCheckpoint.load(headerCut));
        assertTrue(e.getMessage().contains("truncated: header"), e.getMessage());

        Path garbled = dir.resolve("garbled.safetensors");
        byte[] g = bytes.clone();
        g[9] = '#';
        Files.write(garbled, g);
        e = assertThrows(CheckpointException.class, () -> AdapterCheckpoint.load(garbled));
        assertTrue(e.getMessage().contains("garbled.safetensors: corrupt header"), e.getMessage());

        Path notOne = dir.resolve("text.safetensors");
        Files.writeString(notOne, "hello, this is not a checkpoint at all");
        e = assertThrows(CheckpointException.class, () -> AdapterCheckpoint.load(notOne));
        assertTrue(e.getMessage().contains("not a safetensors file"), e.getMessage());

        Path foreign = dir.resolve("foreign.safetensors");
        SafeTensors.write(foreign, Map.of("w", new StateTensor(new int[] {2}, new float[] {1, 2})), Map.of());
        e = assertThrows(CheckpointException.class, () -> AdapterCheckpoint.load(foreign));
        assertTrue(e.getMessage().contains("not a PointCLIP adapter checkpoint"), e.getMessage());
    }

    @Test
    void aCutJsonHeaderIsOneLineWithLineAndColumn(@TempDir Path dir) throws IOException {
        // the header length is right but its JSON stops inside the first tensor's entry
        byte[] header = "{\"w\": {\"dtype\": \"F32\",\n \"shape\": [2]".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header).putFloat(1).putFloat(2);
        Path file = dir.resolve("cut.safetensors");
        Files.write(file, b.array());
        CheckpointException e = assertThrows(CheckpointException.class, () -> AdapterCheckpoint.load(file));
        String m = e.getMessage();
        assertTrue(m.startsWith(file + ": corrupt header: line 2, column "), m);
        assertTrue(m.contains("line 1, column 7"), m); // where the object that is not closed starts
        assertTrue(!m.contains("\n") && !m.contains("REDACTED") && !m.contains("Source:"), m);
    }

    @Test
    void mismatchedCheckpointsSayWhatDoesNotMatch(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("a.safetensors");
        AdapterCheckpoint cp = checkpoint(trained());
        cp.save(file);
        AdapterCheckpoint loaded = AdapterCheckpoint.load(file);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> loaded.checkCompatible(10, 512, List.of("chair", "lamp", "sofa")));
        String m = e.getMessage();
        assertTrue(m.contains("a.safetensors"), m);
        assertTrue(m.contains("trained for 3 views, the pipeline has 10"), m);
        assertTrue(m.contains("trained on 8-d features, the model gives 512"), m);
        assertTrue(m.contains("[chair, lamp, table]") && m.contains("sofa"), m);

        // metadata claiming 4 views over tensors of 3
        Map<String, String> meta = new LinkedHashMap<>(cp.metadata());
        meta.put("views", "4");
        meta.put("view_weights", "[]");
        Path lying = dir.resolve("lying.safetensors");
        SafeTensors.write(lying, cp.state(), meta);
        e = assertThrows(CheckpointException.class, () -> AdapterCheckpoint.load(lying));
        assertTrue(e.getMessage().contains("lying.safetensors") && e.getMessage().contains("fusion_ratio")
                && e.getMessage().contains("[3]") && e.getMessage().contains("[4]"), e.getMessage());

        // a missing tensor
        Map<String, StateTensor> state = new LinkedHashMap<>(cp.state());
        state.remove("view_f.0.bias");
        Path missing = dir.resolve("missing.safetensors");
        SafeTensors.write(missing, state, cp.metadata());
        e = assertThrows(CheckpointException.class, () -> AdapterCheckpoint.load(missing));
        assertTrue(e.getMessage().contains("missing tensor 'view_f.0.bias'"), e.getMessage());

        // a bad metadata number
        meta = new LinkedHashMap<>(cp.metadata());
        meta.put("embedding_dim", "eight");
        Path badMeta = dir.resolve("meta.safetensors");
        SafeTensors.write(badMeta, cp.state(), meta);
        e = assertThrows(CheckpointException.class, () -> AdapterCheckpoint.load(badMeta));
        assertTrue(e.getMessage().contains("'embedding_dim'") && e.getMessage().contains("eight"), e.getMessage());
    }

    @Test
    void saveIsAtomicAndLeavesNoTemporaryFiles(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("a.safetensors");
        checkpoint(trained()).save(file);
        InterViewAdapter second = InterViewAdapter.builder(V, C).seed(5).build();
        checkpoint(second).save(file);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
        assertEquals(second.stateDict(), AdapterCheckpoint.load(file).state(), "the second save replaced the first");
    }

    /** A V-view test projector, so that pipelines can be built without pointclip-projection. */
    static final class ViewsProjector implements io.github.pointclip.projection.spi.Projector {
        private final io.github.pointclip.projection.spi.ViewRig rig;

        ViewsProjector(int views) {
            io.github.pointclip.projection.spi.View[] v = new io.github.pointclip.projection.spi.View[views];
            for (int i = 0; i < views; i++) {
                v[i] = io.github.pointclip.projection.spi.View.of(i, 0, 0, 0, 0, 0);
            }
            rig = io.github.pointclip.projection.spi.ViewRig.of(v);
        }

        @Override
        public String name() {
            return "views";
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
        public float[] projectInto(io.github.pointclip.cloud.PointCloud cloud, float[] out) {
            return out == null || out.length < outputLength() ? new float[outputLength()] : out;
        }

        @Override
        public Map<String, String> parameters() {
            return Map.of("views", Integer.toString(rig.size()));
        }
    }

    @Test
    void thePipelineIsRecordedAndCheckedByValue(@TempDir Path dir) throws IOException {
        Pipeline pipeline = Pipeline.of("three", new ViewsProjector(V), "a {}.").withViewWeights(1, 0.5f, 0.25f);
        Path file = dir.resolve("a.safetensors");
        AdapterCheckpoint.builder(trained()).classNames(CLASSES).pipeline(pipeline).build().save(file);
        AdapterCheckpoint loaded = AdapterCheckpoint.load(file);
        assertEquals("three+custom", loaded.pipeline());
        assertEquals(pipeline.fingerprint(), loaded.pipelineFingerprint());
        assertEquals(pipeline.fingerprint(), loaded.metadata().get("pipeline_fingerprint"));
        loaded.checkPipeline(pipeline);
        loaded.checkPipeline(Pipeline.of("other label", new ViewsProjector(V), "a {}.").withViewWeights(1, 0.5f, 0.25f));
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> loaded.checkPipeline(pipeline.withViewWeights(1, 1, 1).withPointsPerCloud(0)));
        assertEquals(file + ": trained with pipeline three+custom, but the pipeline is three+custom; they differ in "
                + "points per cloud, view weights", e.getMessage());
        assertEquals(file, e.file());

        // a file from before pipelines were recorded by value: only the name is compared
        Path old = dir.resolve("old.safetensors");
        checkpoint(trained()).save(old);
        AdapterCheckpoint named = AdapterCheckpoint.load(old);
        assertEquals("", named.pipelineFingerprint());
        assertEquals(null, named.metadata().get("pipeline_fingerprint"));
        e = assertThrows(CheckpointException.class, () -> named.checkPipeline(pipeline));
        assertEquals(old + ": trained with pipeline 'v1', but the pipeline is 'three+custom'", e.getMessage());
        AdapterCheckpoint.load(writeNamed(dir, "three")).checkPipeline(pipeline);
    }

    private static Path writeNamed(Path dir, String pipelineName) throws IOException {
        Path file = dir.resolve(pipelineName + ".safetensors");
        AdapterCheckpoint.builder(trained()).classNames(CLASSES).pipeline(pipelineName).build().save(file);
        return file;
    }

    @Test
    void aDirectoryOrAnotherExtensionIsRefusedSayingThatSafetensorsIsExpected(@TempDir Path dir) throws IOException {
        CheckpointException e = assertThrows(CheckpointException.class, () -> AdapterCheckpoint.load(dir));
        assertEquals(dir + ": is a directory; expected an adapter checkpoint file (.safetensors)", e.getMessage());
        Path pth = dir.resolve("adapter.pth");
        checkpoint(trained()).save(dir.resolve("adapter.safetensors"));
        Files.copy(dir.resolve("adapter.safetensors"), pth);
        e = assertThrows(CheckpointException.class, () -> AdapterCheckpoint.load(pth));
        assertEquals(pth + ": unknown extension; an adapter checkpoint is a .safetensors file", e.getMessage());
        // through the class-path lookup PointClip uses
        IllegalArgumentException any = assertThrows(IllegalArgumentException.class,
                () -> FeatureAdapterLoader.loadAny(pth));
        assertEquals("no adapter loader reads " + pth + ": unknown extension, an adapter checkpoint is a .safetensors "
                + "file", any.getMessage());
        any = assertThrows(IllegalArgumentException.class, () -> FeatureAdapterLoader.loadAny(dir));
        assertEquals(dir + " is a directory; expected an adapter checkpoint file (.safetensors)", any.getMessage());
        assertEquals(dir.resolve("adapter.safetensors"), FeatureAdapterLoader.loadAny(dir.resolve("adapter.safetensors"))
                .source(), "the adapter knows its file, for messages");
    }
}
