package io.github.pointclip.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts that run without a Spark session: the .npy retrieval index, the serialisable spec, model identity. */
class EmbeddingIndexTest {

    @TempDir
    Path dir;

    /** Unit vectors at known angles to the query (1, 0): cosines cos(θ) in a known order. */
    private static EmbeddingIndex angles() {
        double[] degrees = {90, 10, 180, 45, 10, 60};
        float[] data = new float[2 * degrees.length];
        for (int i = 0; i < degrees.length; i++) {
            data[2 * i] = (float) Math.cos(Math.toRadians(degrees[i]));
            data[2 * i + 1] = (float) Math.sin(Math.toRadians(degrees[i]));
        }
        return EmbeddingIndex.of(data, List.of("a", "b", "c", "d", "e", "f"));
    }

    @Test
    void searchRanksByCosineWithTiesInIndexOrderAndSurvivesTheNpyExport() throws IOException {
        EmbeddingIndex index = angles();
        // the query need not be normalised
        List<EmbeddingIndex.Hit> hits = index.search(new float[] {3, 0}, 4);
        assertEquals(List.of("b", "e", "d", "f"), hits.stream().map(EmbeddingIndex.Hit::path).toList());
        assertEquals(Math.cos(Math.toRadians(10)), hits.get(0).similarity(), 1e-6);
        assertEquals(Math.cos(Math.toRadians(60)), hits.get(3).similarity(), 1e-6);
        assertEquals(6, index.search(new float[] {1, 0}, 100).size());

        Path npy = dir.resolve("sub").resolve("shapes.npy");
        Files.createDirectories(npy.getParent());
        index.write(npy);
        assertTrue(Files.isRegularFile(dir.resolve("sub").resolve("shapes.paths.txt")));
        EmbeddingIndex back = EmbeddingIndex.load(npy);
        assertEquals(index.paths(), back.paths());
        assertEquals(hits, back.search(new float[] {3, 0}, 4));

        assertThrows(IllegalArgumentException.class, () -> index.search(new float[] {1, 0, 0}, 1));
        Files.write(EmbeddingIndex.pathsFile(npy), List.of("a", "b"));
        IOException e = assertThrows(IOException.class, () -> EmbeddingIndex.load(npy));
        assertTrue(e.getMessage().contains("lists 2 paths but") && e.getMessage().contains("6 embeddings"),
            e.getMessage());
    }

    @Test
    void theSpecSurvivesJavaSerialisationAndRefusesWhatWouldFailOnTheExecutors() throws Exception {
        PointClipSpec spec = PointClipSpec.builder().model("s3a://models/clip").pipeline("v1")
            .prompts(Map.of("chair", List.of("a chair", "a seat"))).viewWeights(1, 2, 3, 4, 5, 6).batchSize(12)
            .threads(2).points(2048).embedding(true).build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(spec);
        }
        Object back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = in.readObject();
        }
        assertEquals(spec, back);
        assertEquals(spec.hashCode(), back.hashCode());
        assertEquals(spec.modelKey(), ((PointClipSpec) back).modelKey());
        assertEquals(List.of("chair"), ((PointClipSpec) back).classes());
        // what is read or written does not choose the model: one model per executor for both
        assertEquals(spec.modelKey(), spec.toBuilder().embedding(false).seed(7).build().modelKey());

        assertThrows(IllegalArgumentException.class, () -> PointClipSpec.builder().build());
        IllegalArgumentException pipeline = assertThrows(IllegalArgumentException.class,
            () -> PointClipSpec.builder().model("m").pipeline("v3").build());
        assertTrue(pipeline.getMessage().contains("v3"), pipeline.getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> PointClipSpec.builder().model("m").pipeline("v1").viewWeights(1, 2).build());
        assertThrows(IllegalArgumentException.class, () -> PointClipSpec.builder().model("m").labels(List.of("a", " ")).build());
        assertThrows(IllegalArgumentException.class, () -> PointClipSpec.builder().model("m").batchSize(0).build());
    }
    @Test
    void aModelReplacedAtTheSamePathHasAnotherIdentity() throws IOException {
        Path model = dir.resolve("model");
        Files.createDirectories(model.resolve("onnx"));
        Files.writeString(model.resolve("onnx").resolve("visual.onnx"), "weights v1");
        Files.writeString(model.resolve("config.json"), "{}");
        String first = ExecutorModels.identity(model);
        assertEquals(first, ExecutorModels.identity(model), "stable while nothing changes");
        Files.writeString(model.resolve("onnx").resolve("visual.onnx"), "weights v2, retrained");
        assertTrue(!first.equals(ExecutorModels.identity(model)), "a replaced file changes the identity");
    }
}
