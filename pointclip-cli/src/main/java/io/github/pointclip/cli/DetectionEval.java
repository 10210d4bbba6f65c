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
        if (eval.adapter != null) {
            throw new PointClipCli.BadInputException("--adapter does not apply to --task detection");
        }
        if (eval.datasetOptions.variant != null) {
            throw new PointClipCli.BadInputException("--variant applies to --dataset scanobjectnn only");
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
        List<String> scenes = ScanNetScenes.sceneIds(data);
        if (scenes.isEmpty()) {
            throw new PointClipCli.BadInputException("--data " + data + " holds no <scene>" + ScanNetScenes.VERT + " files");
        }
        if (eval.limit != null && eval.limit < scenes.size()) {
            scenes = scenes.subList(0, eval.limit);
        }
        Pipeline p = eval.pipelineOptions.pipeline("v2", null);
        DetectionOptions options = DetectionOptions.builder().classes(ScanNetScenes.CLASSES)
            .batchSize(eval.modelOptions.batch).build();
        ClusterProposer proposer = proposalDir == null ? ClusterProposer.builder().upAxis(UpAxis.Z).seed(eval.seed).build()
            : null;
        DetectionMetrics metrics = new DetectionMetrics(ScanNetScenes.CLASSES, 0.25, 0.5);
        PrintWriter out = eval.spec.commandLine().getOut();
        PrintWriter err = eval.spec.commandLine().getErr();
        List<String> drawn = new ArrayList<>();
        String modelId;
        try (PointClip clip = eval.modelOptions.pointClip().pipeline(p).classes(options.classes()).build();
             ProgressBar bar = new ProgressBar(err, "eval detection", scenes.size(), "scenes")) {
            modelId = clip.model().id();
            ZeroShotDetector detector = new ZeroShotDetector(clip, options);
            for (int s = 0; s < scenes.size(); s++) {
                String id = scenes.get(s);
                PointCloud points = ScanNetScenes.readScene(data, id);
                List<LabelledBox> truth = ScanNetScenes.readBoxes(data, id);
                List<Box> boxes = proposalDir == null ? proposer.propose(points) : proposals(proposalDir, id);
                List<Detection> found = detector.detect(SceneIndex.of(points), boxes,
                    io.github.pointclip.detection.DetectionListener.NONE);
                metrics.add(truth, found);
                if (eval.report != null && drawn.size() < TOP_VIEWS) {
                    TopView.write(points, truth, found, 900, eval.report.resolve(id + ".png"));
                    drawn.add(id);
                }
                bar.update(s + 1, id);
            }
        }
        DetectionMetrics.Result r = metrics.result();
        ObjectNode result = json(r);
        if (eval.report != null) {
            writeReport(result, r, p, modelId, drawn);
        }
        if (eval.json) {
            out.println(new ObjectMapper().writeValueAsString(result));
        } else {
            out.println(summary(r));
        }
        out.flush();
        return 0;
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

    private void writeReport(ObjectNode result, DetectionMetrics.Result r, Pipeline p, String modelId, List<String> drawn)
            throws IOException {
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
        provenance.put("min_points", DetectionOptions.DEFAULT_MIN_POINTS);
        provenance.put("iou_rule", "VoteNet/ScanNet: best-IoU match, taken box is a false positive, IoU > threshold, "
            + "VOC 2010+ area");
        ArrayNode views = report.putArray("top_views");
        drawn.forEach(d -> views.add(d + ".png"));
        String text = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report);
        AtomicFiles.write(eval.report.resolve("report.json"), o -> o.write(text.getBytes(StandardCharsets.UTF_8)));
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
        AtomicFiles.write(eval.report.resolve("index.html"), o -> o.write(page.getBytes(StandardCharsets.UTF_8)));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
