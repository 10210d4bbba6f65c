package io.github.pointclip.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pointclip.Pipeline;
import io.github.pointclip.PointClip;
import io.github.pointclip.Version;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.detection.Box;
import io.github.pointclip.detection.BoxFiles;
import io.github.pointclip.detection.ClusterProposer;
import io.github.pointclip.detection.Detection;
import io.github.pointclip.detection.DetectionMetrics;
import io.github.pointclip.detection.DetectionOptions;
import io.github.pointclip.detection.LabelledBox;
import io.github.pointclip.detection.ScanNetScenes;
import io.github.pointclip.detection.SceneIndex;
import io.github.pointclip.detection.TopView;
import io.github.pointclip.detection.UpAxis;
import io.github.pointclip.detection.ZeroShotDetector;
import io.github.pointclip.internal.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code pointclip eval --task detection}: zero-shot detection on scenes in the ScanNet detection
 * layout ({@code <scene>_vert.npy}, {@code <scene>_bbox.npy}), with proposals from
 * {@code DIR/<scene>_proposals.json} or the built-in cluster proposer; per-class AP at IoU 0.25 and 0.5
 * (VoteNet/ScanNet rule) and mAP over the classes with ground truth. Classes: scannet18, no "no
 * object" class, no score threshold, at least 20 points per box. With {@code --json}, stdout is exactly
 * {@code {"scenes", "map25", "map50", "per_class": {class: {"ap25", "ap50", "gt"}}}}; with
 * {@code --report DIR}, {@code report.json} (the same plus provenance), top views of the first
 * {@value #TOP_VIEWS} scenes and {@code index.html}.
 */
final class DetectionEval implements Callable<Integer> {

    /** Scenes drawn in the report at most. */
    static final int TOP_VIEWS = 24;

    /** Suffix of a scene's proposal file. */
    static final String PROPOSALS = "_proposals.json";

    /** Options of {@code eval} that detection has no use for: refused rather than silently ignored. */
    private static final List<String> NOT_FOR_DETECTION = List.of("--split", "--points", "--fuse", "--fuse-weight",
        "--skip-bad", "--workers", "--examples", "--cache", "--no-cache", "--layout", "--variant", "--adapter");

    private final EvalCommand eval;

    DetectionEval(EvalCommand eval) {
        this.eval = eval;
    }

    @Override
    public Integer call() throws Exception {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        Path data = eval.datasetOptions.data;
        if (!"scannet".equalsIgnoreCase(eval.datasetOptions.dataset)) {
            throw new PointClipCli.BadInputException("eval --task detection reads --dataset scannet (the ScanNet "
                + "detection layout: <scene>_vert.npy, <scene>_bbox.npy), got '" + eval.datasetOptions.dataset + "'");
        }
        if (eval.proposals == null) {
            throw new PointClipCli.BadInputException("eval --task detection needs --proposals DIR (with "
                + "<scene>_proposals.json files) or --proposals cluster");
        }
        for (String option : NOT_FOR_DETECTION) {
            if (eval.spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new PointClipCli.BadInputException(option + " does not apply to --task detection, which "
                    + "classifies every point of each box of each scene (docs/detection.md)");
            }
        }
        if (eval.limit != null && eval.limit < 1) {
            throw new PointClipCli.BadInputException("--limit must be positive, got " + eval.limit);
        }
        if (eval.report != null && Files.exists(eval.report) && !Files.isDirectory(eval.report)) {
            throw new PointClipCli.BadInputException("--report " + eval.report + " exists and is not a directory");
        }
        Path proposalDir = eval.proposals.equalsIgnoreCase("cluster") ? null : Path.of(eval.proposals);
        if (proposalDir != null && !Files.isDirectory(proposalDir)) {
            throw new PointClipCli.BadInputException("--proposals " + eval.proposals + " is neither a directory of "
                + "<scene>" + PROPOSALS + " files nor 'cluster'");
        }
        if (proposalDir != null) {
            ClusterOptions.refuse(eval.spec, "--proposals DIR");
        }
        List<String> scenes = ScanNetScenes.sceneIds(data);
        if (scenes.isEmpty()) {
            throw new PointClipCli.BadInputException("--data " + data + " holds no <scene>" + ScanNetScenes.VERT + " files");
        }
        if (eval.limit != null && eval.limit < scenes.size()) {
            scenes = scenes.subList(0, eval.limit);
        }
        Pipeline p = eval.pipelineOptions.pipeline("v2", null);
        DetectionOptions.Builder ob = DetectionOptions.builder().batchSize(eval.modelOptions.batch);
        if (eval.promptsOption.prompts != null) { // a library of exactly the 18 classes, in their order
            ob.prompts(eval.promptsOption.forClasses(p, eval.pipelineOptions.template != null, ScanNetScenes.CLASSES));
        } else {
            ob.classes(ScanNetScenes.CLASSES);
        }
        DetectionOptions options = ob.build();
        ClusterProposer proposer = proposalDir == null ? eval.cluster.proposer(UpAxis.Z, eval.seed) : null;
        // every scene's boxes and proposals are read before the model loads: a missing or bad file stops the
        // run before any work, and before any output
        List<List<LabelledBox>> truths = new ArrayList<>();
        List<List<Box>> given = new ArrayList<>();
        for (String id : scenes) {
            truths.add(ScanNetScenes.readBoxes(data, id));
            given.add(proposalDir == null ? null : proposals(proposalDir, id));
        }
        DetectionMetrics metrics = new DetectionMetrics(ScanNetScenes.CLASSES, 0.25, 0.5);
        PrintWriter out = eval.spec.commandLine().getOut();
        PrintWriter err = eval.spec.commandLine().getErr();
        List<String> drawn = new ArrayList<>();
        String modelId;
        Path staging = eval.report == null ? null : staging(eval.report);
        boolean done = false;
        try {
            try (PointClip clip = eval.modelOptions.pointClip().pipeline(p).classes(options.classes()).build();
                 ProgressBar bar = new ProgressBar(err, "eval detection", scenes.size(), "scenes")) {
                modelId = clip.model().id();
                ZeroShotDetector detector = new ZeroShotDetector(clip, options);
                for (int s = 0; s < scenes.size(); s++) {
                    String id = scenes.get(s);
                    PointCloud points = ScanNetScenes.readScene(data, id);
                    List<LabelledBox> truth = truths.get(s);
                    List<Box> boxes = proposalDir == null ? proposer.propose(points) : given.get(s);
                    List<Detection> found = detector.detect(SceneIndex.of(points), boxes,
                        io.github.pointclip.detection.DetectionListener.NONE);
                    metrics.add(truth, found);
                    if (staging != null && drawn.size() < TOP_VIEWS) {
                        TopView.write(points, truth, found, 900, staging.resolve(id + ".png"));
                        drawn.add(id);
                    }
                    bar.update(s + 1, id);
                }
            }
            DetectionMetrics.Result r = metrics.result();
            ObjectNode result = json(r);
            if (staging != null) {
                writeReport(staging, result, r, p, modelId, drawn);
                publish(staging, eval.report);
            }
            done = true;
            if (eval.json) {
                out.println(new ObjectMapper().writeValueAsString(result));
            } else {
                out.println(summary(r));
            }
            out.flush();
            return 0;
        } finally {
            if (staging != null && !done) {
                deleteTree(staging);
            }
        }
    }

    /** A fresh hidden folder beside the report folder, where the report is written before it is moved into place. */
    private static Path staging(Path report) throws IOException {
        Path absolute = report.toAbsolutePath();
        Path parent = absolute.getParent();
        Files.createDirectories(parent);
        return Files.createTempDirectory(parent, "." + absolute.getFileName() + ".partial-");
    }

    /** Moves the finished report's files into the report folder (each move atomic), then drops the staging folder. */
    private static void publish(Path staging, Path report) throws IOException {
        Files.createDirectories(report);
        List<Path> files;
        try (java.util.stream.Stream<Path> list = Files.list(staging)) {
            files = list.sorted().toList();
        }
        // the pictures first and report.json last: a report.json always comes with its pictures
        List<Path> ordered = new ArrayList<>();
        files.stream().filter(f -> !f.getFileName().toString().equals("report.json")).forEach(ordered::add);
        files.stream().filter(f -> f.getFileName().toString().equals("report.json")).forEach(ordered::add);
        for (Path f : ordered) {
            Files.move(f, report.resolve(f.getFileName().toString()), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        Files.delete(staging);
    }

    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // best effort: a leftover hidden staging folder is harmless
        }
    }

    private static List<Box> proposals(Path dir, String scene) throws IOException {
        Path file = dir.resolve(scene + PROPOSALS);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no proposals for scene " + scene);
        }
        return BoxFiles.read(file);
    }

    /**
     * @param r the metrics
     * @return {@code {"scenes", "map25", "map50", "per_class": {class: {"ap25", "ap50", "gt"}}}}
     */
    static ObjectNode json(DetectionMetrics.Result r) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("scenes", r.scenes());
        o.put("map25", r.meanAp(0.25));
        o.put("map50", r.meanAp(0.5));
        ObjectNode perClass = o.putObject("per_class");
        for (String c : r.classes()) {
            ObjectNode one = perClass.putObject(c);
            one.put("ap25", r.ap(c, 0.25));
            one.put("ap50", r.ap(c, 0.5));
            one.put("gt", r.groundTruth(c));
        }
        return o;
    }

    private String summary(DetectionMetrics.Result r) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%d scenes: mAP@0.25 %.2f%%, mAP@0.5 %.2f%% over "
            + "%d classes with ground truth", r.scenes(), 100 * r.meanAp(0.25), 100 * r.meanAp(0.5), r.classes().size()));
        for (String c : r.classes()) {
            s.append(String.format(Locale.ROOT, "%n  %-14s AP@0.25 %6.2f%%  AP@0.5 %6.2f%%  (%d boxes)", c,
                100 * r.ap(c, 0.25), 100 * r.ap(c, 0.5), r.groundTruth(c)));
        }
        if (eval.report != null) {
            s.append(System.lineSeparator()).append("report: ").append(eval.report.resolve("index.html"));
        }
        return s.toString();
    }

    private void writeReport(Path dir, ObjectNode result, DetectionMetrics.Result r, Pipeline p, String modelId,
            List<String> drawn) throws IOException {
        ObjectNode report = result.deepCopy();
        ObjectNode provenance = report.putObject("provenance");
        provenance.put("version", Version.get());
        provenance.put("model", modelId);
        provenance.put("pipeline", p.name());
        provenance.put("pipeline_fingerprint", p.fingerprint());
        provenance.put("data", eval.datasetOptions.data.toAbsolutePath().toString());
        provenance.put("proposals", eval.proposals);
        provenance.put("seed", eval.seed);
        provenance.put("classes", "scannet18");
        if (eval.promptsOption.prompts != null) {
            provenance.put("prompts", eval.promptsOption.prompts.toAbsolutePath().toString());
        }
        provenance.put("min_points", DetectionOptions.DEFAULT_MIN_POINTS);
        provenance.put("iou_rule", "VoteNet/ScanNet: best-IoU match, taken box is a false positive, IoU > threshold, "
            + "VOC 2010+ area");
        ArrayNode views = report.putArray("top_views");
        drawn.forEach(d -> views.add(d + ".png"));
        String text = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report);
        AtomicFiles.write(dir.resolve("report.json"), o -> o.write(text.getBytes(StandardCharsets.UTF_8)));
        StringBuilder html = new StringBuilder("<!doctype html><meta charset=\"utf-8\"><title>PointCLIP detection</title>"
            + "<style>body{font-family:sans-serif}td,th{padding:2px 10px;text-align:right}img{max-width:440px;margin:4px}"
            + "</style><h1>Zero-shot detection</h1>");
        html.append(String.format(Locale.ROOT, "<p>%d scenes, model %s, pipeline %s, proposals %s: "
            + "<b>mAP@0.25 %.2f%%</b>, <b>mAP@0.5 %.2f%%</b></p>", r.scenes(), escape(modelId), escape(p.name()),
            escape(eval.proposals), 100 * r.meanAp(0.25), 100 * r.meanAp(0.5)));
        html.append("<table><tr><th>class</th><th>AP@0.25</th><th>AP@0.5</th><th>boxes</th></tr>");
        for (String c : r.classes()) {
            html.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.2f</td><td>%.2f</td><td>%d</td></tr>", escape(c),
                100 * r.ap(c, 0.25), 100 * r.ap(c, 0.5), r.groundTruth(c)));
        }
        html.append("</table><h2>Top views</h2><p>dashed black: ground truth; solid: detections with label and score"
            + "</p>");
        for (String d : drawn) {
            html.append("<figure style=\"display:inline-block\"><img src=\"").append(escape(d)).append(".png\"><figcaption>")
                .append(escape(d)).append("</figcaption></figure>");
        }
        String page = html.toString();
        AtomicFiles.write(dir.resolve("index.html"), o -> o.write(page.getBytes(StandardCharsets.UTF_8)));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
