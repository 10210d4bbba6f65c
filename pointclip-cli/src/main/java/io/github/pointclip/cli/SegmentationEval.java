package io.github.pointclip.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pointclip.PointClip;
import io.github.pointclip.dataset.PartDataset;
import io.github.pointclip.dataset.PartSample;
import io.github.pointclip.dataset.Split;
import io.github.pointclip.internal.AtomicFiles;
import io.github.pointclip.projection.spi.SegmentationProjector;
import io.github.pointclip.segmentation.PartCategory;
import io.github.pointclip.segmentation.PartPrompts;
import io.github.pointclip.segmentation.PartSegmentation;
import io.github.pointclip.segmentation.SegmentationLayout;
import io.github.pointclip.segmentation.SegmentationMetrics;
import io.github.pointclip.segmentation.SegmentationOptions;
import io.github.pointclip.segmentation.SegmentationResult;
import io.github.pointclip.segmentation.SegmentationSheet;
import io.github.pointclip.segmentation.ShapeScore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code eval --task segmentation}: zero-shot part segmentation on ShapeNetPart's test split
 * (SEGMENTATION.md §7, §11). Every shape is segmented with its category's official parts, the default
 * template, view weights 1.0 and all its points; the figures are shape IoU averaged per category (category
 * mIoU), over categories (class mIoU) and over shapes (instance mIoU), and accuracy. The report pictures
 * the first {@code --examples} shapes, predicted parts beside the ground truth.
 */
final class SegmentationEval implements Callable<Integer> {

    /** Options of {@code eval} that belong to classification or detection (a refusal, never silently ignored). */
    private static final List<String> NOT_FOR_SEGMENTATION = List.of("--variant", "--adapter", "--pipeline", "--kernel",
        "--kernel-size", "--sigma", "--view-weights", "--template", "--prompts", "--proposals", "--skip-bad", "--workers",
        "--cache", "--no-cache", "--fuse", "--fuse-weight");

    private final EvalCommand eval;

    SegmentationEval(EvalCommand eval) {
        this.eval = eval;
    }

    @Override
    public Integer call() throws Exception {
        SegmentationLayout layout = layout();
        if (!"shapenetpart".equalsIgnoreCase(eval.datasetOptions.dataset)) {
            throw new PointClipCli.BadInputException("--task segmentation evaluates --dataset shapenetpart, got '"
                + eval.datasetOptions.dataset + "'");
        }
        for (String option : NOT_FOR_SEGMENTATION) {
            if (eval.spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new PointClipCli.BadInputException(option + " does not apply to --task segmentation, which uses "
                    + "each category's official parts, the default template and view weights 1.0");
            }
        }
        if (eval.examples < 0) {
            throw new PointClipCli.BadInputException("--examples must be >= 0, got " + eval.examples);
        }
        if (eval.limit != null && eval.limit < 1) {
            throw new PointClipCli.BadInputException("--limit must be positive, got " + eval.limit);
        }
        if (eval.report != null && Files.exists(eval.report) && !Files.isDirectory(eval.report)) {
            throw new PointClipCli.BadInputException("--report " + eval.report + " exists and is not a directory");
        }
        Split split = split();
        int points = eval.spec.commandLine().getParseResult().hasMatchedOption("--points") ? eval.pipelineOptions.points : 0;
        if (points < 0) {
            throw new PointClipCli.BadInputException("--points must be ≥ 0 (0 = all points), got " + points);
        }
        PartDataset ds = PartDataset.open(eval.datasetOptions.data, split);
        int total = eval.limit == null ? ds.size() : Math.min(eval.limit, ds.size());
        SegmentationOptions options = SegmentationOptions.builder().layout(layout).pointsPerCloud(points).build();
        SegmentationMetrics metrics = new SegmentationMetrics();
        List<Picture> pictures = new ArrayList<>();
        PrintWriter out = eval.spec.commandLine().getOut();
        PrintWriter err = eval.spec.commandLine().getErr();
        try (PointClip clip = eval.modelOptions.pointClip().build();
             ProgressBar bar = new ProgressBar(err, "eval shapenetpart " + split.folderName(), total, "shapes");
             Stream<PartSample> shapes = ds.partStream().limit(total)) {
            Iterator<PartSample> it = shapes.iterator();
            int done = 0;
            while (it.hasNext()) {
                PartSample s;
                try {
                    s = it.next();
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
                PartCategory category = s.category();
                PartPrompts prompts = PartPrompts.of(category.name(), category.partNames());
                PartSegmentation seg = clip.segment(s.cloud(), prompts, options);
                int[] truth = points > 0 && points < s.size()
                    ? java.util.Arrays.copyOf(s.parts(), points) : s.parts();
                ShapeScore score = metrics.add(category, seg.labels(), truth);
                if (eval.report != null && pictures.size() < eval.examples) {
                    pictures.add(new Picture(s, seg.labels(), truth, score.iou()));
                }
                bar.update(++done, null);
            }
        }
        SegmentationResult result = metrics.result();
        ObjectNode json = toJson(result);
        if (eval.report != null) {
            writeReport(json, result, pictures, options);
        }
        if (eval.json) {
            out.println(new ObjectMapper().writeValueAsString(json));
        } else {
            out.println(summary(result));
        }
        out.flush();
        return 0;
    }

    private SegmentationLayout layout() {
        try {
            return eval.layout == null ? SegmentationLayout.FIXED : SegmentationLayout.parse(eval.layout);
        } catch (IllegalArgumentException e) {
            throw new PointClipCli.BadInputException("--layout: " + e.getMessage());
        }
    }

    private Split split() {
        for (Split s : Split.values()) {
            if (s.folderName().equalsIgnoreCase(eval.split) || s.name().equalsIgnoreCase(eval.split)) {
                return s;
            }
        }
        throw new PointClipCli.BadInputException("unknown --split '" + eval.split + "'; known: train, test, val");
    }

    /**
     * @param r the figures
     * @return {@code {"shapes", "class_miou", "instance_miou", "accuracy", "per_category": {cat: {"miou",
     *     "accuracy", "shapes"}}}}, in percent
     */
    static ObjectNode toJson(SegmentationResult r) {
        ObjectNode node = new ObjectMapper().createObjectNode();
        node.put("shapes", r.shapes());
        node.put("class_miou", r.classMiou());
        node.put("instance_miou", r.instanceMiou());
        node.put("accuracy", r.accuracy());
        ObjectNode per = node.putObject("per_category");
        for (SegmentationResult.CategoryScore c : r.perCategory()) {
            ObjectNode one = per.putObject(c.category());
            one.put("miou", c.miou());
            one.put("accuracy", c.accuracy());
            one.put("shapes", c.shapes());
        }
        return node;
    }

    private static String summary(SegmentationResult r) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
            "%d shapes: class mIoU %.2f %%, instance mIoU %.2f %%, accuracy %.2f %%", r.shapes(), r.classMiou(),
            r.instanceMiou(), r.accuracy()));
        for (SegmentationResult.CategoryScore c : r.perCategory()) {
            s.append(String.format(Locale.ROOT, "%n  %-11s %4d shapes  mIoU %6.2f %%  accuracy %6.2f %%", c.category(),
                c.shapes(), c.miou(), c.accuracy()));
        }
        return s.toString();
    }

    /** report.json, index.html with the per-category table, and predicted-vs-truth pictures of the first shapes. */
    private void writeReport(ObjectNode json, SegmentationResult r, List<Picture> pictures, SegmentationOptions options)
            throws IOException {
        Path dir = eval.report;
        Files.createDirectories(dir);
        ObjectNode report = json.deepCopy();
        report.put("task", "segmentation");
        report.put("dataset", "shapenetpart");
        report.put("layout", options.layout().id());
        report.put("template", PartPrompts.DEFAULT_TEMPLATE);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        byte[] reportBytes = mapper.writeValueAsBytes(report);
        AtomicFiles.write(dir.resolve("report.json"), o -> o.write(reportBytes));
        SegmentationProjector projector = SegmentationProjector.load();
        StringBuilder html = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\">"
            + "<title>Part segmentation: ShapeNetPart</title><style>body{font-family:sans-serif}td,th{padding:2px 8px;"
            + "text-align:right}th:first-child,td:first-child{text-align:left}</style></head><body>"
            + "<h1>Zero-shot part segmentation: ShapeNetPart</h1>");
        html.append(String.format(Locale.ROOT, "<p>%d shapes, layout %s. Class mIoU <b>%.2f %%</b>, instance mIoU "
            + "<b>%.2f %%</b>, accuracy %.2f %%.</p>", r.shapes(), options.layout().id(), r.classMiou(), r.instanceMiou(),
            r.accuracy()));
        html.append("<table><tr><th>category</th><th>shapes</th><th>mIoU %</th><th>accuracy %</th></tr>");
        for (SegmentationResult.CategoryScore c : r.perCategory()) {
            html.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%.2f</td><td>%.2f</td></tr>",
                escape(c.category()), c.shapes(), c.miou(), c.accuracy()));
        }
        html.append("</table><h2>Predicted parts (top) and ground truth (bottom)</h2>");
        for (int i = 0; i < pictures.size(); i++) {
            Picture p = pictures.get(i);
            // FIXED whatever the evaluated layout: each point drawn at its own pixel, with its own visibility
            var projection = projector.project(p.cloud(), SegmentationLayout.FIXED);
            String predicted = "shape-" + i + "-predicted.png", truth = "shape-" + i + "-truth.png";
            SegmentationSheet.write(projection, p.predicted(), dir.resolve(predicted));
            SegmentationSheet.write(projection, p.truth(), dir.resolve(truth));
            html.append(String.format(Locale.ROOT, "<h3>%s (%s), shape IoU %.2f %%</h3><img src=\"%s\"><br><img src=\"%s\">",
                escape(p.id()), escape(p.category()), 100 * p.iou(), predicted, truth));
        }
        html.append("</body></html>\n");
        byte[] htmlBytes = html.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve("index.html"), o -> o.write(htmlBytes));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** A shape kept for the report's pictures. */
    private record Picture(String id, String category, io.github.pointclip.cloud.PointCloud cloud, int[] predicted,
                           int[] truth, double iou) {
        Picture(PartSample s, int[] predicted, int[] truth, double iou) {
            this(s.id(), s.category().name(), truth.length < s.size() ? s.cloud().first(truth.length) : s.cloud(),
                predicted, truth, iou);
        }
    }
}
