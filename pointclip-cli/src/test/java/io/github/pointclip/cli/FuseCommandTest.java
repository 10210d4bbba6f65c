package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.PointClip;
import io.github.pointclip.Prediction;
import io.github.pointclip.io.NpyArray;
import io.github.pointclip.io.PointClouds;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code classify --encoder}, {@code classify --fuse} and {@code eval --fuse} on the tiny CLIP model. */
class FuseCommandTest {

    @TempDir
    Path dir;

    private Path model;
    private String chair;
    private String lamp;

    @BeforeEach
    void setUp() throws IOException {
        TinyClipModels.writeAll(dir.resolve("model"), TinyClipModels.SEED);
        model = dir.resolve("model/openai");
        Files.copy(SharedData.require("clip/bpe_simple_vocab_16e6.txt.gz"), model.resolve("bpe_simple_vocab_16e6.txt.gz"));
        chair = SharedData.require("golden/projection/chair_1024.npy").toString();
        lamp = SharedData.require("golden/projection/mn40_lamp_0127.npy").toString();
        System.setProperty("pointclip.cache", dir.resolve("cache").toString());
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("pointclip.cache");
    }

    private List<JsonNode> lines(Object[] r) throws IOException {
        assertEquals(0, r[0], (String) r[2]);
        List<JsonNode> out = new ArrayList<>();
        for (String line : ((String) r[1]).strip().lines().toList()) {
            out.add(new ObjectMapper().readTree(line));
        }
        return out;
    }

    private static float[] logits(JsonNode node) {
        float[] l = new float[node.get("logits").size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = (float) node.get("logits").get(i).asDouble();
        }
        return l;
    }

    @Test
    void classifyWithAnEncoderGivesTheFacadesCosineLogitsWithoutTheImageEncoder() throws IOException {
        Path encoder = FakeEncoderLoader.write(dir.resolve("enc.fakeenc"), TinyClipModels.EMBED_DIM);
        List<JsonNode> r = lines(ProjectCommandTest.run("classify", "--model", model.toString(), "--encoder",
            encoder.toString(), "--input", chair, lamp, "--labels", "table,chair,lamp", "--json", "--timings"));
        assertEquals(2, r.size());
        JsonNode t = r.get(0).get("timings_ms");
        assertTrue(t.has("point_encoder") && t.has("text_encoder") && !t.has("image_encoder") && !t.has("projection"),
            t.toString());
        try (PointClip clip = PointClip.builder().model(model).pointEncoder(encoder)
            .classes(List.of("table", "chair", "lamp")).build()) {
            for (int i = 0; i < 2; i++) {
                Prediction p = clip.classify(PointClouds.read(Path.of(i == 0 ? chair : lamp)));
                float[] cli = logits(r.get(i));
                for (int c = 0; c < 3; c++) {
                    assertEquals(p.logits()[c], cli[c], 1e-4);
                }
            }
        }
        Path wide = FakeEncoderLoader.write(dir.resolve("wide.fakeenc"), 16);
        Object[] bad = ProjectCommandTest.run("classify", "--model", model.toString(), "--encoder", wide.toString(),
            "--input", chair);
        assertEquals(2, bad[0]);
        assertTrue(((String) bad[2]).contains("embeds clouds into 16-d features, but the text encoder of model")
            && ((String) bad[2]).contains("gives 8-d"), (String) bad[2]);
    }

    @Test
    void classifyFusesUserLogitsRowByRow() throws IOException {
        String[] base = {"classify", "--model", model.toString(), "--input", chair, lamp, "--labels", "table,chair,lamp",
            "--json"};
        List<JsonNode> alone = lines(ProjectCommandTest.run(base));
        float[] other = {5, 0, -5, -1, 2, 0.5f};
        Path npy = dir.resolve("other.npy");
        NpyArray.write(npy, other, 2, 3);
        List<JsonNode> fused = lines(ProjectCommandTest.run(ProbeCommandTest.concat(base, "--fuse", npy.toString(),
            "--fuse-weight", "0.5")));
        for (int i = 0; i < 2; i++) {
            float[] a = logits(alone.get(i));
            float[] f = logits(fused.get(i));
            for (int c = 0; c < 3; c++) {
                assertEquals(a[c] + 0.5f * other[i * 3 + c], f[c], 1e-4);
            }
            assertEquals("logits", fused.get(i).get("fusion").get("kind").asText());
            assertEquals(0.5, fused.get(i).get("fusion").get("weight").asDouble());
        }
        // classify --json output is a logits file: fused with itself at weight 1 it doubles
        Path jsonl = dir.resolve("alone.jsonl");
        Files.writeString(jsonl, (String) ProjectCommandTest.run(base)[1]);
        List<JsonNode> doubled = lines(ProjectCommandTest.run(ProbeCommandTest.concat(base, "--fuse", jsonl.toString())));
        assertEquals(2 * logits(alone.get(1))[2], logits(doubled.get(1))[2], 1e-4);
        // the rows must follow the inputs: swapped inputs are refused, naming the row
        Object[] swapped = ProjectCommandTest.run("classify", "--model", model.toString(), "--input", lamp, chair,
            "--labels", "table,chair,lamp", "--fuse", jsonl.toString());
        assertEquals(2, swapped[0]);
        assertEquals("pointclip classify: " + jsonl + ": row 1 holds the logits of " + chair + ", not of " + lamp
            + " (one row per input, in order)", ((String) swapped[2]).strip());
        Object[] classes = ProjectCommandTest.run("classify", "--model", model.toString(), "--input", chair, lamp,
            "--labels", "table,lamp,chair", "--fuse", jsonl.toString());
        assertEquals(2, classes[0]);
        assertTrue(((String) classes[2]).contains("label 1 is 'chair' here but 'lamp' there"), (String) classes[2]);
        Object[] rows = ProjectCommandTest.run("classify", "--model", model.toString(), "--input", chair,
            "--labels", "table,chair,lamp", "--fuse", npy.toString());
        assertEquals(2, rows[0]);
        assertTrue(((String) rows[2]).contains("2 rows of logits, but 1 inputs"), (String) rows[2]);
        Path text = Files.writeString(dir.resolve("other.txt"), "1 2 3");
        Object[] unknown = ProjectCommandTest.run("classify", "--model", model.toString(), "--input", chair,
            "--fuse", text.toString());
        assertEquals(2, unknown[0]);
        assertEquals("pointclip classify: --fuse " + text + ": expected a point-encoder checkpoint (.safetensors) or "
            + "logits (.npy, .jsonl, .json)", ((String) unknown[2]).strip());
        Object[] weightAlone = ProjectCommandTest.run("classify", "--model", model.toString(), "--input", chair,
            "--fuse-weight", "2");
        assertEquals(2, weightAlone[0]);
        assertEquals("pointclip classify: --fuse-weight needs --fuse FILE", ((String) weightAlone[2]).strip());
    }

    @Test
    void classifyFusesAPointEncoder() throws IOException {
        Path encoder = FakeEncoderLoader.write(dir.resolve("enc.fakeenc"), TinyClipModels.EMBED_DIM);
        String[] base = {"classify", "--model", model.toString(), "--input", chair, "--labels", "table,chair,lamp",
            "--json"};
        float[] alone = logits(lines(ProjectCommandTest.run(base)).get(0));
        float[] enc = logits(lines(ProjectCommandTest.run(ProbeCommandTest.concat(base, "--encoder",
            encoder.toString()))).get(0));
        JsonNode fused = lines(ProjectCommandTest.run(ProbeCommandTest.concat(base, "--fuse", encoder.toString(),
            "--fuse-weight", "2"))).get(0);
        for (int c = 0; c < 3; c++) {
            assertEquals(alone[c] + 2 * enc[c], logits(fused)[c], 1e-3);
        }
        assertEquals("point_encoder", fused.get("fusion").get("kind").asText());
    }

    @Test
    void evalFusesLogitsInDatasetOrderAndRecordsBothAccuracies() throws IOException {
        Path data = ProbeCommandTest.shapes(dir.resolve("shapes"), false, 3, 0, 4); // flat: the test split, 9 shapes
        Path report = dir.resolve("report");
        String[] base = {"eval", "--model", model.toString(), "--data", data.toString(), "--dataset", "folder",
            "--report", report.toString(), "--no-cache", "--examples", "0", "--json"};
        Object[] alone = ProjectCommandTest.run(base);
        assertEquals(0, alone[0], (String) alone[2]);
        double aloneAccuracy = new ObjectMapper().readTree((String) alone[1]).get("accuracy").asDouble();
        // an oracle: logits 100 on each sample's true class (classes sorted: chair, cup, lamp; files s0..s2 each)
        float[] oracle = new float[9 * 3];
        for (int i = 0; i < 9; i++) {
            oracle[i * 3 + i / 3] = 100;
        }
        Path npy = dir.resolve("oracle.npy");
        NpyArray.write(npy, oracle, 9, 3);
        Object[] r = ProjectCommandTest.run(ProbeCommandTest.concat(base, "--fuse", npy.toString()));
        assertEquals(0, r[0], (String) r[2]);
        JsonNode node = new ObjectMapper().readTree((String) r[1]);
        assertEquals(1.0, node.get("accuracy").asDouble(), node.toString());
        JsonNode fusion = node.get("fusion");
        assertEquals(aloneAccuracy, fusion.get("accuracy_alone").asDouble(), 1e-12);
        assertEquals(npy.toString(), fusion.get("file").asText());
        JsonNode file = new ObjectMapper().readTree(report.resolve("report.json").toFile());
        assertEquals(1.0, file.get("accuracy").asDouble());
        assertEquals(aloneAccuracy, file.get("fusion").get("accuracy_alone").asDouble(), 1e-12);
        // a file of another length does not fit the dataset
        NpyArray.write(npy, new float[4 * 3], 4, 3);
        Object[] bad = ProjectCommandTest.run(ProbeCommandTest.concat(base, "--fuse", npy.toString()));
        assertEquals(2, bad[0]);
        assertTrue(((String) bad[2]).contains("4 rows of logits, but 9 samples in"), (String) bad[2]);
        // with a point encoder: runs the encoder over the samples
        Path encoder = FakeEncoderLoader.write(dir.resolve("enc.fakeenc"), TinyClipModels.EMBED_DIM);
        Object[] withEncoder = ProjectCommandTest.run(ProbeCommandTest.concat(base, "--fuse", encoder.toString(),
            "--fuse-weight", "0"));
        assertEquals(0, withEncoder[0], (String) withEncoder[2]);
        JsonNode zero = new ObjectMapper().readTree((String) withEncoder[1]);
        assertEquals(aloneAccuracy, zero.get("accuracy").asDouble(), 1e-12, "weight 0 leaves PointCLIP's answer");
        assertEquals("point_encoder", zero.get("fusion").get("kind").asText());
        assertFalse(((String) withEncoder[1]).contains("\n{"), "one JSON object");
    }
}
