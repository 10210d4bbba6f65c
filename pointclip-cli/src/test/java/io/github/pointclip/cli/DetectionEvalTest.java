package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.Pipeline;
import io.github.pointclip.PointClip;
import io.github.pointclip.detection.Box;
import io.github.pointclip.detection.BoxFiles;
import io.github.pointclip.detection.Detection;
import io.github.pointclip.detection.DetectionMetrics;
import io.github.pointclip.detection.LabelledBox;
import io.github.pointclip.detection.ScanNetScenes;
import io.github.pointclip.detection.SyntheticRoom;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectionEvalTest {

    @Test
    void apOfGroundTruthProposalsIsTheRankingOfCorrectLabelsAndTheJsonIsExactlyTheIssuesObject(@TempDir Path dir)
            throws IOException {
        System.setProperty("pointclip.cache", dir.resolve("cache").toString());
        Path model = DetectCommandTest.tinyModel(dir.resolve("model"));
        List<SyntheticRoom.Scene> rooms = rooms();
        Path[] layout = write(dir, rooms);
        Path data = layout[0];
        Path proposals = layout[1];
        // a scene without proposals ([] is allowed) and without ground truth of its own
        ScanNetScenes.write(data, "scene0002_00", rooms.get(0).points(), List.of());
        Files.writeString(proposals.resolve("scene0002_00_proposals.json"), "[]", StandardCharsets.UTF_8);
        Path report = dir.resolve("report");
        Object[] r = ProjectCommandTest.run("eval", "--task", "detection", "--dataset", "scannet", "--data",
            data.toString(), "--proposals", proposals.toString(), "--model", model.toString(), "--report",
            report.toString(), "--json");
        assertEquals(0, r[0], (String) r[2]);
        JsonNode json = DetectCommandTest.single((String) r[1]);
        assertEquals(List.of("scenes", "map25", "map50", "per_class"), DetectCommandTest.names(json));
        assertEquals(3, json.get("scenes").asInt());

        // expected, independently of DetectionMetrics' matching: with the ground truth as proposals every box
        // meets its own truth at IoU 1 (the rooms' objects do not overlap), so a detection is a hit exactly when
        // its label is right; per class, rank the detections by score and take the VOC area
        Map<String, Integer> gt = new LinkedHashMap<>();
        Map<String, List<double[]>> ranked = new LinkedHashMap<>(); // label -> [score, hit]
        try (PointClip clip = PointClip.builder().model(model).pipeline(Pipeline.v2()).build()) {
            for (SyntheticRoom.Scene room : rooms) {
                List<Box> boxes = new ArrayList<>();
                room.boxes().forEach(b -> boxes.add(b.box()));
                List<Detection> found = clip.detect(room.points(), boxes);
                assertEquals(boxes.size(), found.size(), "every object has ≥ 20 points");
                for (int i = 0; i < found.size(); i++) {
                    LabelledBox truth = room.boxes().get(i);
                    gt.merge(truth.label(), 1, Integer::sum);
                    ranked.computeIfAbsent(found.get(i).label(), k -> new ArrayList<>())
                        .add(new double[] {found.get(i).score(), truth.label().equals(found.get(i).label()) ? 1 : 0});
                }
            }
        }
        JsonNode perClass = json.get("per_class");
        assertEquals(gt.keySet(), new java.util.HashSet<>(DetectCommandTest.names(perClass)));
        double sum = 0;
        for (Map.Entry<String, Integer> e : gt.entrySet()) {
            List<double[]> list = new ArrayList<>(ranked.getOrDefault(e.getKey(), List.of()));
            list.sort(Comparator.comparingDouble((double[] d) -> -d[0]));
            double[] recall = new double[list.size()];
            double[] precision = new double[list.size()];
            int hits = 0;
            for (int i = 0; i < list.size(); i++) {
                hits += (int) list.get(i)[1];
                recall[i] = (double) hits / e.getValue();
                precision[i] = (double) hits / (i + 1);
            }
            double ap = DetectionMetrics.averagePrecision(recall, precision);
            JsonNode c = perClass.get(e.getKey());
            assertEquals(List.of("ap25", "ap50", "gt"), DetectCommandTest.names(c));
            assertEquals(e.getValue(), c.get("gt").asInt());
            assertEquals(ap, c.get("ap25").asDouble(), 1e-9, e.getKey());
            assertEquals(ap, c.get("ap50").asDouble(), 1e-9, e.getKey());
            sum += ap;
        }
        assertEquals(sum / gt.size(), json.get("map25").asDouble(), 1e-9);

        JsonNode written = new ObjectMapper().readTree(report.resolve("report.json").toFile());
        assertEquals(json.get("map50").asDouble(), written.get("map50").asDouble(), 0);
        assertTrue(written.get("provenance").get("model").asText().length() > 0);
        assertTrue(Files.size(report.resolve("scene0000_00.png")) > 1000);
        assertTrue(Files.readString(report.resolve("index.html")).contains("scene0001_00.png"));

        // the cluster proposer runs on the same scenes; a missing proposal file and a wrong dataset are bad input
        Object[] c = ProjectCommandTest.run("eval", "--task", "detection", "--dataset", "scannet", "--data",
            data.toString(), "--proposals", "cluster", "--model", model.toString(), "--limit", "1");
        assertEquals(0, c[0], (String) c[2]);
        assertTrue(((String) c[1]).startsWith("1 scenes: mAP@0.25"), (String) c[1]);
        Files.delete(proposals.resolve("scene0001_00_proposals.json"));
        Object[] missing = ProjectCommandTest.run("eval", "--task", "detection", "--dataset", "scannet", "--data",
            data.toString(), "--proposals", proposals.toString(), "--model", model.toString());
        assertEquals(2, missing[0], (String) missing[2]);
        assertTrue(((String) missing[2]).contains("scene0001_00_proposals.json"), (String) missing[2]);
        Object[] wrong = ProjectCommandTest.run("eval", "--task", "detection", "--dataset", "modelnet40", "--data",
            data.toString(), "--proposals", "cluster", "--model", model.toString());
        assertEquals(2, wrong[0]);
        assertEquals(1, ((String) wrong[2]).strip().lines().count(), (String) wrong[2]);
        Object[] noReport = ProjectCommandTest.run("eval", "--dataset", "modelnet40", "--data", data.toString(),
            "--model", model.toString());
        assertEquals(2, noReport[0]);
        assertTrue(((String) noReport[2]).contains("--report"), (String) noReport[2]);
    }

    /** Two synthetic scenes in the ScanNet layout, their ground truth as proposals; returns {data, proposals}. */
    private static Path[] scenes(Path dir) throws IOException {
        return write(dir, rooms());
    }

    private static List<SyntheticRoom.Scene> rooms() throws IOException {
        return List.of(DetectCommandTest.room(0, 1), DetectCommandTest.room(2, 2));
    }

    /** The rooms as scenes scene0000_00, … in the ScanNet layout, their ground truth as proposals; {data, proposals}. */
    private static Path[] write(Path dir, List<SyntheticRoom.Scene> rooms) throws IOException {
        Path data = dir.resolve("scannet");
        Path proposals = dir.resolve("proposals");
        for (int s = 0; s < rooms.size(); s++) {
            String id = String.format("scene%04d_00", s);
            ScanNetScenes.write(data, id, rooms.get(s).points(), rooms.get(s).boxes());
            List<Box> boxes = new ArrayList<>();
            rooms.get(s).boxes().forEach(b -> boxes.add(b.box()));
            BoxFiles.write(boxes, proposals.resolve(id + "_proposals.json"));
        }
        return new Path[] {data, proposals};
    }

    private static Object[] eval(Path model, Path[] scenes, String... extra) {
        List<String> args = new ArrayList<>(List.of("eval", "--task", "detection", "--dataset", "scannet", "--data",
            scenes[0].toString(), "--proposals", scenes[1].toString(), "--model", model.toString(), "--json"));
        args.addAll(List.of(extra));
        return ProjectCommandTest.run(args.toArray(new String[0]));
    }

    @Test
    void optionsThatDoNotApplyAreRefusedAndPromptsAreUsed(@TempDir Path dir) throws IOException {
        System.setProperty("pointclip.cache", dir.resolve("cache").toString());
        Path model = DetectCommandTest.tinyModel(dir.resolve("model"));
        Path[] scenes = scenes(dir);
        String[][] refused = {{"--split", "train"}, {"--points", "100"}, {"--fuse", "x.onnx"}, {"--skip-bad"},
            {"--workers", "2"}, {"--examples", "2"}, {"--cache", dir.toString()}, {"--no-cache"}, {"--layout", "fixed"},
            {"--variant", "obj_bg"}};
        for (String[] option : refused) {
            Object[] r = eval(model, scenes, option);
            assertEquals(2, r[0], option[0] + ": " + r[2]);
            assertEquals(1, ((String) r[2]).strip().lines().count(), (String) r[2]);
            assertTrue(((String) r[2]).contains(option[0] + " does not apply to --task detection"), (String) r[2]);
        }
        Object[] ignored = eval(model, scenes, "--min-cluster-points", "10");
        assertEquals(2, ignored[0], (String) ignored[2]);
        assertTrue(((String) ignored[2]).contains("--min-cluster-points applies to --proposals cluster only"),
            (String) ignored[2]);
        Object[] plain = eval(model, scenes);
        assertEquals(0, plain[0], (String) plain[2]);
        // the template written out as a library gives the same result; the prompts of the classes shifted by
        // one give another
        Map<String, List<String>> same = new LinkedHashMap<>();
        Map<String, List<String>> shifted = new LinkedHashMap<>();
        List<String> classes = ScanNetScenes.CLASSES;
        for (int i = 0; i < classes.size(); i++) {
            same.put(classes.get(i), List.of(Pipeline.v2().template().replace("{}", classes.get(i))));
            shifted.put(classes.get(i), List.of(Pipeline.v2().template().replace("{}",
                classes.get((i + 1) % classes.size()))));
        }
        Path sameFile = dir.resolve("same.json");
        Path shiftedFile = dir.resolve("shifted.json");
        new ObjectMapper().writeValue(sameFile.toFile(), same);
        new ObjectMapper().writeValue(shiftedFile.toFile(), shifted);
        Object[] withSame = eval(model, scenes, "--prompts", sameFile.toString());
        assertEquals(0, withSame[0], (String) withSame[2]);
        assertEquals(DetectCommandTest.single((String) plain[1]), DetectCommandTest.single((String) withSame[1]));
        Object[] withShifted = eval(model, scenes, "--prompts", shiftedFile.toString());
        assertEquals(0, withShifted[0], (String) withShifted[2]);
        assertTrue(!DetectCommandTest.single((String) plain[1]).equals(DetectCommandTest.single((String) withShifted[1])),
            (String) withShifted[1]);
        // a library that is not the 18 classes is refused, naming what is missing
        same.remove("sofa");
        new ObjectMapper().writeValue(sameFile.toFile(), same);
        Object[] missing = eval(model, scenes, "--prompts", sameFile.toString());
        assertEquals(2, missing[0], (String) missing[2]);
        assertTrue(((String) missing[2]).contains("missing: [sofa]"), (String) missing[2]);
    }

    @Test
    void aMissingFileStopsTheRunBeforeAnyOutput(@TempDir Path dir) throws IOException {
        System.setProperty("pointclip.cache", dir.resolve("cache").toString());
        Path model = DetectCommandTest.tinyModel(dir.resolve("model"));
        Path[] scenes = scenes(dir);
        Path report = dir.resolve("reports").resolve("r");
        // the second scene's proposals are missing: the first scene's picture must not be written
        Files.move(scenes[1].resolve("scene0001_00_proposals.json"), dir.resolve("moved.json"));
        Object[] r = eval(model, scenes, "--report", report.toString());
        assertEquals(2, r[0], (String) r[2]);
        assertTrue(((String) r[2]).contains("scene0001_00_proposals.json"), (String) r[2]);
        assertTrue(!Files.exists(report.getParent()), "nothing written for a failed run");
        // the same with the ground truth missing, into an existing report folder with an earlier report
        Files.move(dir.resolve("moved.json"), scenes[1].resolve("scene0001_00_proposals.json"));
        Object[] ok = eval(model, scenes, "--report", report.toString());
        assertEquals(0, ok[0], (String) ok[2]);
        String before = Files.readString(report.resolve("report.json"));
        Files.delete(scenes[0].resolve("scene0001_00_bbox.npy"));
        Files.delete(report.resolve("scene0000_00.png"));
        Object[] noTruth = eval(model, scenes, "--report", report.toString());
        assertEquals(2, noTruth[0], (String) noTruth[2]);
        assertTrue(((String) noTruth[2]).contains("scene0001_00_bbox.npy"), (String) noTruth[2]);
        assertEquals(before, Files.readString(report.resolve("report.json")), "the earlier report is untouched");
        assertTrue(!Files.exists(report.resolve("scene0000_00.png")), "no picture of the failed run");
        // a scene that fails mid-run, after the first scene's picture was drawn: the staging folder goes
        ScanNetScenes.write(scenes[0], "scene0001_00", DetectCommandTest.room(2, 2).points(), List.of());
        Files.writeString(scenes[0].resolve("scene0001_00_vert.npy"), "not an npy file", StandardCharsets.UTF_8);
        Object[] bad = eval(model, scenes, "--report", report.toString());
        assertEquals(2, bad[0], (String) bad[2]);
        assertTrue(((String) bad[2]).contains("scene0001_00_vert.npy"), (String) bad[2]);
        assertEquals(before, Files.readString(report.resolve("report.json")), "the earlier report is untouched");
        assertTrue(!Files.exists(report.resolve("scene0000_00.png")), "no picture of the failed run");
        try (var left = Files.list(report.getParent())) {
            assertEquals(1, left.count(), "no staging folder left behind");
        }
    }
}
