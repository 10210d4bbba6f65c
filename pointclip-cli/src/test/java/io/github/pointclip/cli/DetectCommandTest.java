package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.Pipeline;
import io.github.pointclip.PointClip;
import io.github.pointclip.Prediction;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.dataset.Datasets;
import io.github.pointclip.dataset.Split;
import io.github.pointclip.detection.Box;
import io.github.pointclip.detection.BoxFiles;
import io.github.pointclip.detection.Detection;
import io.github.pointclip.detection.DetectionOptions;
import io.github.pointclip.detection.LabelledBox;
import io.github.pointclip.detection.ScanNetScenes;
import io.github.pointclip.detection.SceneIndex;
import io.github.pointclip.detection.SyntheticRoom;
import io.github.pointclip.detection.UpAxis;
import io.github.pointclip.io.PointClouds;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectCommandTest {

    @TempDir
    static Path shared;
    static Path model;
    static Path sceneFile;
    static SyntheticRoom.Scene room;
    /** The room's ground truth as proposals with score 0.5, then a 20-point and a 19-point cluster's boxes. */
    static List<Box> proposals;
    static Path boxesFile;

    static Path tinyModel(Path dir) throws IOException {
        TinyClipModels.writeAll(dir, TinyClipModels.SEED);
        dir = dir.resolve("openai");
        Files.copy(SharedData.require("clip/bpe_simple_vocab_16e6.txt.gz"), dir.resolve("bpe_simple_vocab_16e6.txt.gz"));
        return dir;
    }

    /** A room of ModelNet shapes from the shared mini set (seeded), starting at the given shape. */
    static SyntheticRoom.Scene room(int skip, long seed) throws IOException {
        return SyntheticRoom.build(SyntheticRoom.shapes(Datasets.modelNet40(SharedData.require("data/modelnet40-mini"),
            Split.TEST), skip, 4), seed);
    }

    @BeforeAll
    static void setUp() throws IOException {
        System.setProperty("pointclip.cache", shared.resolve("cache").toString());
        model = tinyModel(shared.resolve("model"));
        SyntheticRoom.Scene base = room(0, 3);
        // two small clusters outside the room: 20 points and 19 points
        float[] xyz = base.points().toArray();
        float[] more = new float[xyz.length + 3 * 39];
        System.arraycopy(xyz, 0, more, 0, xyz.length);
        for (int i = 0; i < 39; i++) {
            more[xyz.length + 3 * i] = i < 20 ? 10 + 0.01f * i : 20 + 0.01f * i;
            more[xyz.length + 3 * i + 1] = 10;
            more[xyz.length + 3 * i + 2] = 0.01f * (i % 5);
        }
        room = new SyntheticRoom.Scene(PointCloud.of(more), base.boxes());
        sceneFile = shared.resolve("room.npy");
        PointClouds.writeNpy(room.points(), sceneFile);
        proposals = new ArrayList<>();
        for (LabelledBox b : room.boxes()) {
            proposals.add(b.box().withScore(0.5));
        }
        proposals.add(Box.of(10.1, 10, 0.02, 0.3, 0.1, 0.1));
        proposals.add(Box.of(20.3, 10, 0.02, 0.5, 0.1, 0.1));
        boxesFile = shared.resolve("boxes.json");
        BoxFiles.write(proposals, boxesFile);
    }

    static JsonNode single(String stdout) throws IOException {
        assertEquals(1, stdout.strip().lines().count(), "one line on stdout: " + stdout);
        return new ObjectMapper().readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .readValue(stdout);
    }

    private static Object[] detect(String... extra) {
        List<String> args = new ArrayList<>(List.of("detect", "--model", model.toString(), "--scene", sceneFile.toString()));
        args.addAll(List.of(extra));
        return ProjectCommandTest.run(args.toArray(new String[0]));
    }

    private static PointClip clip() {
        return PointClip.builder().model(model).pipeline(Pipeline.v2().withPointsPerCloud(0)).build();
    }

    /** The crop of a box turned as the issue says, classified with the V2 preset on all its points. */
    private static Prediction reference(PointClip clip, Box box, List<String> labels, UpAxis up) {
        int[] inside = SceneIndex.scan(room.points(), box);
        float[] xyz = new float[3 * inside.length];
        for (int i = 0; i < inside.length; i++) {
            PointCloud s = room.points();
            int p = inside[i];
            xyz[3 * i] = s.x(p);
            xyz[3 * i + 1] = up == UpAxis.Z ? s.z(p) : s.y(p);
            xyz[3 * i + 2] = up == UpAxis.Z ? -s.y(p) : s.z(p);
        }
        return clip.classify(PointCloud.of(xyz), labels);
    }

    @Test
    void jsonHasEveryBoxWithEnoughPointsClassifiedAsClassifyWouldOnTheTurnedCrop() throws IOException {
        Object[] r = detect("--boxes", boxesFile.toString(), "--json", "--batch", "20");
        assertEquals(0, r[0], (String) r[2]);
        JsonNode json = single((String) r[1]);
        assertEquals(sceneFile.toString(), json.get("input").asText());
        JsonNode list = json.get("detections");
        // the room's boxes and the 20-point box; the 19-point box is dropped
        assertEquals(room.boxes().size() + 1, list.size(), list.toString());
        try (PointClip clip = clip()) {
            for (int i = 0; i < list.size(); i++) {
                JsonNode d = list.get(i);
                Box box = proposals.get(i);
                assertEquals(box.centerX(), d.get("center").get(0).asDouble(), 0);
                assertEquals(box.sizeZ(), d.get("size").get(2).asDouble(), 0);
                assertEquals(0.0, d.get("heading").asDouble(), 0);
                assertEquals(SceneIndex.scan(room.points(), box).length, d.get("points").asInt());
                Prediction expected = reference(clip, box, ScanNetScenes.CLASSES, UpAxis.Z);
                JsonNode probabilities = d.get("probabilities");
                assertEquals(18, probabilities.size());
                for (int c = 0; c < 18; c++) {
                    assertEquals(expected.probabilities()[c], probabilities.get(c).floatValue(), 1e-5, "box " + i);
                }
                assertEquals(expected.label(), d.get("label").asText());
                double factor = box.score().orElse(1);
                assertEquals(expected.probabilities()[expected.labelIndex()] * factor, d.get("score").asDouble(), 1e-5);
            }
            assertEquals(20, list.get(list.size() - 1).get("points").asInt(), "exactly min-points is kept");

            // the API gives the same, batched differently
            List<Detection> api = clip.detect(room.points(), proposals);
            assertEquals(list.size(), api.size());
            for (int i = 0; i < api.size(); i++) {
                assertEquals(list.get(i).get("label").asText(), api.get(i).label());
                assertEquals(list.get(i).get("score").asDouble(), api.get(i).score(), 1e-5);
            }
            // y up: the crops are not turned
            List<Detection> y = clip.detect(room.points(), proposals, DetectionOptions.builder().upAxis(UpAxis.Y).build());
            Prediction untouched = reference(clip, proposals.get(0), ScanNetScenes.CLASSES, UpAxis.Y);
            assertArrayEquals(untouched.probabilities(), y.get(0).probabilities(), 1e-5f);
            assertNotEquals(api.get(0).probabilities()[0], y.get(0).probabilities()[0]);
        }
    }

    @Test
    void noObjectIsTheLastClassAndItsBoxesAreDroppedThresholdAndLabelsApply() throws IOException {
        Object[] r = detect("--boxes", boxesFile.toString(), "--json", "--no-object", "--labels", "chair,table,sofa");
        assertEquals(0, r[0], (String) r[2]);
        JsonNode list = single((String) r[1]).get("detections");
        try (PointClip clip = clip()) {
            List<String> labels = List.of("chair", "table", "sofa", "no object");
            int expected = 0;
            for (Box b : proposals) {
                if (SceneIndex.scan(room.points(), b).length >= 20
                    && reference(clip, b, labels, UpAxis.Z).labelIndex() != 3) {
                    expected++;
                }
            }
            assertEquals(expected, list.size());
        }
        for (JsonNode d : list) {
            assertEquals(4, d.get("probabilities").size());
            assertNotEquals("no object", d.get("label").asText());
        }
        // a threshold between the scores keeps exactly those at or above it
        Object[] all = detect("--boxes", boxesFile.toString(), "--json");
        List<Double> scores = new ArrayList<>();
        single((String) all[1]).get("detections").forEach(d -> scores.add(d.get("score").asDouble()));
        scores.sort(null);
        double t = scores.get(scores.size() / 2);
        Object[] cut = detect("--boxes", boxesFile.toString(), "--json", "--score-threshold", Double.toString(t));
        JsonNode kept = single((String) cut[1]).get("detections");
        assertEquals(scores.stream().filter(s -> s >= t).count(), kept.size());
        kept.forEach(d -> assertTrue(d.get("score").asDouble() >= t));
    }

    @Test
    void aPromptLibraryEnsemblesEachClasssPrompts(@TempDir Path dir) throws IOException {
        Path library = dir.resolve("prompts.json");
        Files.writeString(library, "{\"chair\": [\"a chair.\", \"a seat with a back.\"], \"bed\": [\"a bed.\"]}",
            StandardCharsets.UTF_8);
        Object[] r = detect("--boxes", boxesFile.toString(), "--json", "--prompts", library.toString());
        assertEquals(0, r[0], (String) r[2]);
        JsonNode list = single((String) r[1]).get("detections");
        io.github.pointclip.prompt.PromptSet set = io.github.pointclip.prompt.PromptSet.fromJson(library);
        try (PointClip clip = PointClip.builder().model(model).pipeline(Pipeline.v2().withPointsPerCloud(0))
            .prompts(set).build()) {
            Box box = proposals.get(1);
            int[] inside = SceneIndex.scan(room.points(), box);
            float[] xyz = new float[3 * inside.length];
            for (int i = 0; i < inside.length; i++) {
                xyz[3 * i] = room.points().x(inside[i]);
                xyz[3 * i + 1] = room.points().z(inside[i]);
                xyz[3 * i + 2] = -room.points().y(inside[i]);
            }
            Prediction expected = clip.classify(PointCloud.of(xyz));
            JsonNode p = list.get(1).get("probabilities");
            assertEquals(2, p.size());
            assertEquals(expected.probabilities()[0], p.get(0).floatValue(), 1e-5);
            assertEquals(expected.probabilities()[1], p.get(1).floatValue(), 1e-5);
        }
        Object[] both = detect("--boxes", boxesFile.toString(), "--prompts", library.toString(), "--template", "a {}");
        assertEquals(2, both[0], (String) both[2]);
    }

    @Test
    void writesThePlyWithWireframesAndTheTopViewAndRunsTheClusterProposer(@TempDir Path dir) throws IOException {
        Path ply = dir.resolve("out.ply");
        Path png = dir.resolve("top.png");
        Object[] r = detect("--boxes", boxesFile.toString(), "--output-ply", ply.toString(), "--png", png.toString());
        assertEquals(0, r[0], (String) r[2]);
        String text = (String) r[1];
        assertTrue(text.strip().endsWith("detections from " + proposals.size() + " boxes"), text);
        PointCloud written = PointClouds.read(ply);
        assertTrue(written.size() > room.points().size(), "scene points plus wireframe points");
        float[] box = written.attribute("box");
        float[] wire = written.attribute("wireframe");
        int inFirst = 0;
        for (int i = 0; i < room.points().size(); i++) {
            assertEquals(0f, wire[i]);
            if (box[i] == 0) {
                inFirst++;
            }
        }
        assertEquals(SceneIndex.scan(room.points(), proposals.get(0)).length, inFirst);
        assertEquals(1f, wire[written.size() - 1]);
        assertTrue(ImageIO.read(png.toFile()).getWidth() > 100);

        Object[] c = detect("--proposals", "cluster", "--json");
        assertEquals(0, c[0], (String) c[2]);
        assertTrue(single((String) c[1]).get("detections").size() >= 3, (String) c[1]);
    }

    @Test
    void badInputIsOneLineAndExitTwo(@TempDir Path dir) throws IOException {
        Path negative = dir.resolve("negative.json");
        Files.writeString(negative, "[{\"center\": [0, 0, 0], \"size\": [1, -1, 1]}]", StandardCharsets.UTF_8);
        Path nan = dir.resolve("nan.json");
        Files.writeString(nan, "[{\"center\": [0, NaN, 0], \"size\": [1, 1, 1]}]", StandardCharsets.UTF_8);
        Path emptyScene = dir.resolve("empty.xyz");
        Files.writeString(emptyScene, "", StandardCharsets.UTF_8);
        Path extraKey = dir.resolve("key.json");
        Files.writeString(extraKey, "[{\"centre\": [0, 0, 0], \"size\": [1, 1, 1]}]", StandardCharsets.UTF_8);
        String[][] cases = {
            {"--boxes", negative.toString()}, {"--boxes", nan.toString()}, {"--boxes", extraKey.toString()},
            {"--boxes", boxesFile.toString(), "--classes", "nyu1000"}, {"--proposals", "votenet"},
            {"--boxes", boxesFile.toString(), "--min-points", "0"}, {"--boxes", boxesFile.toString(), "--up-axis", "x"},
            {"--boxes", boxesFile.toString(), "--png", dir.resolve("top.jpg").toString()},
            {"--boxes", boxesFile.toString(), "--points", "2048"},
            {"--boxes", boxesFile.toString(), "--labels", "chair,no object"},
            {"--proposals", "cluster", "--cluster-tolerance", "0"},
            {"--proposals", "cluster", "--max-planes", "-1"},
            {"--boxes", boxesFile.toString(), "--max-extent", "3"},
        };
        String[] expected = {"size[1]", "NaN", "centre", "nyu1000", "votenet", "--min-points", "--up-axis", ".png",
            "--points", "pass --no-object to add it", "--cluster-tolerance", "--max-planes",
            "--max-extent applies to --proposals cluster only"};
        for (int i = 0; i < cases.length; i++) {
            Object[] r = detect(cases[i]);
            String err = ((String) r[2]).strip();
            assertEquals(2, r[0], String.join(" ", cases[i]) + ": " + err);
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.contains(expected[i]), err);
            assertTrue(!err.contains("noObject("), "no Java API hint on the command line: " + err);
        }
        Object[] r = ProjectCommandTest.run("detect", "--model", model.toString(), "--scene", emptyScene.toString(),
            "--boxes", boxesFile.toString());
        assertEquals(2, r[0], (String) r[2]);
        assertEquals(1, ((String) r[2]).strip().lines().count(), (String) r[2]);
        // neither --boxes nor --proposals
        r = ProjectCommandTest.run("detect", "--model", model.toString(), "--scene", sceneFile.toString());
        assertEquals(2, r[0]);
    }

    @Test
    void jsonKeysAreExactlyTheDocumentedOnes() throws IOException {
        Object[] r = detect("--boxes", boxesFile.toString(), "--json");
        JsonNode json = single((String) r[1]);
        assertEquals(List.of("input", "detections"), names(json));
        assertEquals(List.of("center", "size", "heading", "label", "score", "points", "probabilities"),
            names(json.get("detections").get(0)));
    }

    /** What classify gives the kept boxes' crops with chair, table and "no object" prompted by {@code nothing}. */
    private static List<float[]> keptWithNoObjectPrompts(List<String> nothing) {
        String template = Pipeline.v2().template();
        Map<String, List<String>> prompts = new LinkedHashMap<>();
        prompts.put("chair", List.of(template.replace("{}", "chair")));
        prompts.put("table", List.of(template.replace("{}", "table")));
        prompts.put("no object", nothing);
        io.github.pointclip.prompt.PromptSet set = io.github.pointclip.prompt.PromptSet.fromPrompts(prompts);
        List<float[]> expected = new ArrayList<>();
        try (PointClip clip = PointClip.builder().model(model).pipeline(Pipeline.v2().withPointsPerCloud(0))
            .prompts(set).build()) {
            for (Box box : proposals) {
                int[] inside = SceneIndex.scan(room.points(), box);
                if (inside.length < DetectionOptions.DEFAULT_MIN_POINTS) {
                    continue;
                }
                float[] xyz = new float[3 * inside.length];
                for (int i = 0; i < inside.length; i++) {
                    xyz[3 * i] = room.points().x(inside[i]);
                    xyz[3 * i + 1] = room.points().z(inside[i]);
                    xyz[3 * i + 2] = -room.points().y(inside[i]);
                }
                Prediction p = clip.classify(PointCloud.of(xyz));
                if (p.labelIndex() != 2) { // boxes labelled "no object" are dropped: --no-object is implied
                    expected.add(p.probabilities());
                }
            }
        }
        return expected;
    }

    @Test
    void noObjectPromptsImplyNoObjectAndPromptItAsClassifyWould() throws IOException {
        // the tiny test model is random: take the first pair of prompts that leaves some boxes to compare
        String[][] candidates = {{"an empty corner of a room.", "a depth map of nothing."}, {"a wall.", "the floor."},
            {"nothing.", "air."}, {"x", "y"}, {"a point cloud of clutter.", "noise."}};
        for (String[] nothing : candidates) {
            List<float[]> expected = keptWithNoObjectPrompts(List.of(nothing));
            if (expected.isEmpty()) {
                continue;
            }
            Object[] r = detect("--boxes", boxesFile.toString(), "--json", "--labels", "chair,table",
                "--no-object-prompt", nothing[0], "--no-object-prompt", nothing[1]);
            assertEquals(0, r[0], (String) r[2]);
            JsonNode list = single((String) r[1]).get("detections");
            assertEquals(expected.size(), list.size(), list.toString());
            for (int i = 0; i < list.size(); i++) {
                JsonNode p = list.get(i).get("probabilities");
                assertEquals(3, p.size(), "chair, table, then no object");
                for (int c = 0; c < 3; c++) {
                    assertEquals(expected.get(i)[c], p.get(c).floatValue(), 1e-5, "detection " + i);
                }
                assertNotEquals("no object", list.get(i).get("label").asText());
            }
            return;
        }
        throw new AssertionError("every candidate 'no object' prompt took every box; add a candidate");
    }

    @Test
    void helpHidesThePointsOptionThatDetectRefuses() {
        Object[] r = ProjectCommandTest.run("detect", "--help");
        assertEquals(0, r[0], (String) r[2]);
        String help = (String) r[1];
        assertTrue(help.contains("--min-points") && help.contains("--cluster-tolerance"), help);
        assertTrue(!help.contains("--points="), help);
        assertTrue(!help.contains("Points per cloud"), help);
        // eval's help names every layout it reads, and what its seed does for detection
        Object[] e = ProjectCommandTest.run("eval", "--help");
        String evalHelp = (String) e[1];
        assertTrue(evalHelp.contains("--dataset=modelnet40|scanobjectnn|folder|scannet|shapenetpart"), evalHelp);
        assertTrue(evalHelp.contains("the ScanNet detection layout"), evalHelp);
        assertTrue(evalHelp.replaceAll("\\s+", " ").contains("the proposer's RANSAC seed"), evalHelp);
        // the other commands keep the shared option as it is
        String fewshot = (String) ProjectCommandTest.run("fewshot", "--help")[1];
        assertTrue(fewshot.contains("--dataset=modelnet40|scanobjectnn|folder") && !fewshot.contains("scannet"),
            fewshot);
    }

    static List<String> names(JsonNode o) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = o.fieldNames(); it.hasNext();) {
            out.add(it.next());
        }
        return out;
    }
}
