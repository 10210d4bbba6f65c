package io.github.pointclip.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pointclip.eval.EvaluationResult;
import io.github.pointclip.eval.Provenance;
import io.github.pointclip.eval.PublishedResults;
import io.github.pointclip.eval.SkippedSample;
import io.github.pointclip.eval.Timings;
import io.github.pointclip.internal.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes an evaluation report directory: {@code report.json} ({@link ReportJson}),
 * {@code confusion.png} and {@code per-class.png} ({@link Charts}), one contact sheet per example
 * under {@code examples/}, and {@code index.html} showing everything, with the published figure
 * beside the measured one when the setting matches one. Every file is written atomically, the
 * HTML last, so an interrupted write never leaves a page pointing at missing images.
 */
public final class EvaluationReport {

    /** File name of the JSON report. */
    public static final String JSON = "report.json";
    /** File name of the HTML page. */
    public static final String HTML = "index.html";
    /** File name of the confusion-matrix chart. */
    public static final String CONFUSION = "confusion.png";
    /** File name of the per-class accuracy chart. */
    public static final String PER_CLASS = "per-class.png";

    private EvaluationReport() {
    }

    /**
     * Writes the report.
     *
     * @param result the evaluation result (with timings and provenance)
     * @param dir the report directory (created when missing; files in it are replaced)
     * @param examples samples to show as contact sheets
     * @return the JSON written to {@code report.json}
     * @throws IOException if a file cannot be written
     */
    public static ObjectNode write(EvaluationResult result, Path dir, List<Example> examples) throws IOException {
        Files.createDirectories(dir);
        Charts.writePng(Charts.confusion(result), dir.resolve(CONFUSION));
        Charts.writePng(Charts.perClass(result), dir.resolve(PER_CLASS));
        List<ObjectNode> exampleNodes = new ArrayList<>();
        List<String> sheets = new ArrayList<>();
        int right = 0, wrong = 0;
        for (Example e : examples) {
            String name = "examples/" + (e.correct() ? "correct-" + ++right : "wrong-" + ++wrong) + ".png";
            ContactSheet.write(e.maps(), dir.resolve(name));
            sheets.add(name);
            ObjectNode node = ReportJson.mapper().createObjectNode();
            node.put("file", name);
            node.put("index", e.index());
            node.put("id", e.id());
            node.put("label", e.label());
            node.put("predicted", e.predicted());
            node.put("confidence", e.confidence());
            exampleNodes.add(node);
        }
        ObjectNode json = ReportJson.of(result);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("json", JSON);
        files.put("html", HTML);
        files.put("confusion", CONFUSION);
        files.put("per_class", PER_CLASS);
        ReportJson.addFiles(json, files, exampleNodes);
        byte[] bytes = ReportJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
        AtomicFiles.write(dir.resolve(JSON), out -> out.write(bytes));
        String html = html(result, examples, sheets);
        AtomicFiles.write(dir.resolve(HTML), out -> out.write(html.getBytes(StandardCharsets.UTF_8)));
        return json;
    }

    static String html(EvaluationResult r, List<Example> examples, List<String> sheets) {
        Provenance p = r.provenance();
        Timings t = r.timings();
        StringBuilder h = new StringBuilder(16_384);
        String title = "PointCLIP evaluation: " + (p == null ? "" : p.dataset());
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(esc(title))
            .append("</title>\n<style>\n")
            .append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#212529;max-width:1150px}\n")
            .append("h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dee2e6}\n")
            .append(".sub{color:#6c757d;margin-bottom:16px}\n")
            .append(".cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #dee2e6;border-radius:6px;padding:10px 16px;min-width:150px}\n")
            .append(".card .v{font-size:26px;font-weight:600}.card .k{color:#6c757d;font-size:12px}\n")
            .append(".pub{background:#f1f8ff}.warn{color:#b35c00;font-size:12px}\n")
            .append("table{border-collapse:collapse;font-size:13px}td,th{padding:3px 10px;border-bottom:1px solid #eee;text-align:left}\n")
            .append("td.n{text-align:right;font-variant-numeric:tabular-nums}\n")
            .append(".ex{display:flex;flex-wrap:wrap;gap:14px}.ex figure{margin:0;border:1px solid #dee2e6;padding:6px;border-radius:6px}\n")
            .append(".ex img{max-width:270px;display:block}.ex figcaption{font-size:12px;margin-top:4px}\n")
            .append(".ok{color:#237a3b}.bad{color:#c0392b}img.chart{max-width:100%;border:1px solid #eee}\n")
            .append(".charts{display:flex;gap:14px;align-items:flex-start}.charts a{flex:1 1 0;min-width:0}\n")
            .append("</style></head><body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n<div class=\"sub\">");
        if (p != null) {
            h.append(esc(p.pipeline())).append(" pipeline · ").append(esc(p.backbone() == null ? "unknown backbone" : p.backbone()))
                .append(p.adapter() == null ? " · zero-shot" : " · adapter " + esc(p.adapter())
                    + (p.shots() > 0 ? " (" + p.shots() + "-shot)" : ""))
                .append(" · split ").append(esc(p.split())).append(" · ").append(r.samples()).append(" of ")
                .append(p.datasetSize()).append(" samples");
        }
        h.append("</div>\n<div class=\"cards\">\n");
        card(h, "accuracy", pct(r.accuracy()), "");
        r.published().ifPresent(e -> card(h, "published (" + e.backbone() + ", " + e.pipeline()
            + (e.shots() > 0 ? ", " + e.shots() + "-shot" : ", zero-shot") + ")", String.format(Locale.ROOT, "%.2f%%",
            e.accuracy()), " pub"));
        card(h, "mean class accuracy", pct(r.meanClassAccuracy()), "");
        card(h, "samples", Integer.toString(r.samples()), "");
        if (t != null && !Double.isNaN(t.encoderBusyFraction())) {
            card(h, "encoder busy", pct(t.encoderBusyFraction()), "");
        }
        h.append("</div>\n");
        if (r.published().isPresent()) {
            PublishedResults.Entry e = r.published().get();
            h.append("<p>Published: ").append(String.format(Locale.ROOT, "%.2f%%", e.accuracy())).append(" — ")
                .append(esc(e.source())).append(". Measured minus published: ")
                .append(String.format(Locale.ROOT, "%+.2f", 100 * r.accuracy() - e.accuracy())).append(" points.");
            if (p != null && !PublishedResults.comparable(e, p)) {
                h.append(" <span class=\"warn\">Not directly comparable: the published figure is for the whole test "
                    + "split (" + e.samples() + " samples) with the first 1024 points of each cloud.</span>");
            }
            h.append("</p>\n");
        }
        h.append("<h2>Confusion matrix and per-class accuracy</h2>\n<div class=\"charts\"><a href=\"").append(CONFUSION)
            .append("\"><img class=\"chart\" src=\"").append(CONFUSION).append("\" alt=\"confusion matrix\"></a><a href=\"")
            .append(PER_CLASS).append("\"><img class=\"chart\" src=\"").append(PER_CLASS)
            .append("\" alt=\"per-class accuracy\"></a></div>\n");
        if (!examples.isEmpty()) {
            h.append("<h2>Examples</h2>\n<div class=\"ex\">\n");
            for (int i = 0; i < examples.size(); i++) {
                Example e = examples.get(i);
                h.append("<figure><img src=\"").append(esc(sheets.get(i))).append("\" alt=\"depth maps of ")
                    .append(esc(e.id())).append("\"><figcaption><b>").append(esc(e.id())).append("</b><br>")
                    .append("true <b>").append(esc(e.label())).append("</b> → predicted <b class=\"")
                    .append(e.correct() ? "ok" : "bad").append("\">").append(esc(e.predicted())).append("</b> (")
                    .append(String.format(Locale.ROOT, "%.1f%%", 100 * e.confidence())).append(")</figcaption></figure>\n");
            }
            h.append("</div>\n");
        }
        if (!r.skipped().isEmpty()) {
            h.append("<h2 class=\"bad\">Skipped samples</h2>\n<p class=\"warn\">").append(r.skipped().size())
                .append(r.skipped().size() == 1 ? " sample could not be read and is" : " samples could not be read and are")
                .append(" left out of every figure above.</p>\n<table><tr><th>index</th><th>id</th><th>reason</th></tr>\n");
            for (SkippedSample k : r.skipped()) {
                h.append("<tr><td class=\"n\">").append(k.index()).append("</td><td>").append(esc(k.id()))
                    .append("</td><td>").append(esc(k.reason())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("<h2>Per class</h2>\n<table><tr><th>class</th><th>samples</th><th>accuracy</th></tr>\n");
        double[] acc = r.perClassAccuracy();
        int[] counts = r.classCounts();
        for (int c = 0; c < acc.length; c++) {
            h.append("<tr><td>").append(esc(r.classNames().get(c))).append("</td><td class=\"n\">").append(counts[c])
                .append("</td><td class=\"n\">").append(counts[c] == 0 ? "—" : pct(acc[c])).append("</td></tr>\n");
        }
        h.append("</table>\n");
        if (t != null) {
            h.append("<h2>Timings</h2>\n<table>\n");
            row(h, "wall time", String.format(Locale.ROOT, "%.2f s", t.wallNanos() / 1e9));
            row(h, "text features", String.format(Locale.ROOT, "%.2f s", t.textNanos() / 1e9));
            row(h, "encode loop", String.format(Locale.ROOT, "%.2f s", t.loopNanos() / 1e9));
            row(h, "image encoder", String.format(Locale.ROOT, "%.2f s (%s of the loop)", t.encoderNanos() / 1e9,
                pct(t.encoderBusyFraction())));
            row(h, "projection (all workers)", String.format(Locale.ROOT, "%.2f s", t.projectionNanos() / 1e9));
            row(h, "encoder waiting for projection", String.format(Locale.ROOT, "%.2f s", t.waitNanos() / 1e9));
            row(h, "samples encoded / from cache", t.encodedSamples() + " / " + t.cachedSamples());
            row(h, "throughput", Double.isNaN(t.samplesPerSecond()) ? "—"
                : String.format(Locale.ROOT, "%.2f samples/s", t.samplesPerSecond()));
            row(h, "batch", t.batchImages() + " images per encoder run, " + t.encoderRuns() + " runs, "
                + t.workers() + " projection workers");
            h.append("</table>\n");
        }
        if (p != null) {
            h.append("<h2>Provenance</h2>\n<table>\n");
            row(h, "library", p.libraryVersion());
            row(h, "model id", p.modelId());
            row(h, "backbone", p.backbone() == null ? "—" : p.backbone());
            row(h, "device", p.device() == null ? "—" : p.device());
            row(h, "pipeline / projector", p.pipeline() + " / " + p.projector());
            row(h, "view weights", p.viewWeights().toString());
            row(h, "prompts (SHA-256)", p.promptsHash());
            row(h, "dataset / split", p.dataset() + " / " + p.split());
            row(h, "dataset identity (SHA-256)", p.datasetIdentity());
            row(h, "points per cloud", p.firstPoints() == 0 ? "all" : "first " + p.firstPoints());
            row(h, "adapter", p.adapter() == null ? "none (zero-shot)" : p.adapter() + ", " + p.shots() + " shots");
            h.append("</table>\n");
        }
        h.append("<p class=\"sub\">Raw numbers: <a href=\"").append(JSON).append("\">").append(JSON)
            .append("</a></p>\n</body></html>\n");
        return h.toString();
    }

    private static void card(StringBuilder h, String key, String value, String cls) {
        h.append("<div class=\"card").append(cls).append("\"><div class=\"v\">").append(esc(value))
            .append("</div><div class=\"k\">").append(esc(key)).append("</div></div>\n");
    }

    private static void row(StringBuilder h, String key, String value) {
        h.append("<tr><th>").append(esc(key)).append("</th><td>").append(esc(value)).append("</td></tr>\n");
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<': b.append("&lt;"); break;
                case '>': b.append("&gt;"); break;
                case '&': b.append("&amp;"); break;
                case '"': b.append("&quot;"); break;
                case '\'': b.append("&#39;"); break;
                default: b.append(c);
            }
        }
        return b.toString();
    }
}
