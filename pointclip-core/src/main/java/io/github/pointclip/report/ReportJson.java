package io.github.pointclip.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pointclip.eval.EvaluationResult;
import io.github.pointclip.eval.Provenance;
import io.github.pointclip.eval.SkippedSample;
import io.github.pointclip.eval.PublishedResults;
import io.github.pointclip.eval.Timings;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of an evaluation, as written to {@code report.json} and printed by
 * {@code pointclip eval --json}. Accuracies are fractions in [0, 1]; a class without samples has
 * {@code null} accuracy. Keys: {@code samples}, {@code accuracy}, {@code mean_class_accuracy},
 * {@code published} (the paper's figure for the same setting, or null), {@code per_class},
 * {@code class_counts}, {@code classes}, {@code confusion} ([true][predicted]),
 * {@code predictions} and {@code labels} (class indices in dataset order), {@code ids},
 * {@code skipped} (the samples left out as unreadable: {@code index}, {@code id}, {@code reason}),
 * {@code timings}, {@code provenance} (with {@code dataset_identity}, the content hash of the
 * evaluated samples).
 */
public final class ReportJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReportJson() {
    }

    /** @return the shared mapper (thread-safe once configured) */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * @param r the result (with timings and provenance)
     * @return the JSON object
     */
    public static ObjectNode of(EvaluationResult r) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("samples", r.samples());
        number(root, "accuracy", r.accuracy());
        number(root, "mean_class_accuracy", r.meanClassAccuracy());
        Provenance p = r.provenance();
        if (r.published().isPresent()) {
            PublishedResults.Entry e = r.published().get();
            ObjectNode pub = root.putObject("published");
            pub.put("accuracy", e.accuracy() / 100);
            pub.put("dataset", e.dataset());
            pub.put("pipeline", e.pipeline());
            pub.put("backbone", e.backbone());
            pub.put("shots", e.shots());
            pub.put("source", e.source());
            pub.put("samples", e.samples());
            pub.put("comparable", PublishedResults.comparable(e, p));
            number(pub, "difference", r.accuracy() - e.accuracy() / 100);
        } else {
            root.putNull("published");
        }
        ObjectNode perClass = root.putObject("per_class");
        ObjectNode counts = root.putObject("class_counts");
        int[] classCounts = r.classCounts();
        int c = 0;
        for (Map.Entry<String, Double> e : r.perClass().entrySet()) {
            number(perClass, e.getKey(), e.getValue());
            counts.put(e.getKey(), classCounts[c++]);
        }
        ArrayNode classes = root.putArray("classes");
        r.classNames().forEach(classes::add);
        ArrayNode confusion = root.putArray("confusion");
        for (int[] row : r.confusion()) {
            ArrayNode a = confusion.addArray();
            for (int v : row) {
                a.add(v);
            }
        }
        ArrayNode predictions = root.putArray("predictions");
        for (int v : r.predictions()) {
            predictions.add(v);
        }
        ArrayNode labels = root.putArray("labels");
        for (int v : r.labels()) {
            labels.add(v);
        }
        if (r.ids() != null) {
            ArrayNode ids = root.putArray("ids");
            r.ids().forEach(ids::add);
        }
        ArrayNode skipped = root.putArray("skipped");
        for (SkippedSample k : r.skipped()) {
            ObjectNode kn = skipped.addObject();
            kn.put("index", k.index());
            kn.put("id", k.id());
            kn.put("reason", k.reason());
        }
        Timings t = r.timings();
        if (t != null) {
            ObjectNode tn = root.putObject("timings");
            tn.put("wall_s", t.wallNanos() / 1e9);
            tn.put("text_features_s", t.textNanos() / 1e9);
            tn.put("loop_s", t.loopNanos() / 1e9);
            tn.put("encoder_s", t.encoderNanos() / 1e9);
            tn.put("projection_s", t.projectionNanos() / 1e9);
            tn.put("encoder_wait_s", t.waitNanos() / 1e9);
            number(tn, "encoder_busy", t.encoderBusyFraction());
            number(tn, "samples_per_s", t.samplesPerSecond());
            tn.put("encoded_samples", t.encodedSamples());
            tn.put("cached_samples", t.cachedSamples());
            tn.put("encoder_runs", t.encoderRuns());
            tn.put("batch_images", t.batchImages());
            tn.put("workers", t.workers());
        }
        if (p != null) {
            ObjectNode pn = root.putObject("provenance");
            pn.put("library_version", p.libraryVersion());
            pn.put("model_id", p.modelId());
            pn.put("backbone", p.backbone());
            pn.put("device", p.device());
            pn.put("pipeline", p.pipeline());
            pn.put("projector", p.projector());
            ObjectNode params = pn.putObject("projector_parameters");
            p.projectorParameters().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> params.put(e.getKey(), e.getValue()));
            ArrayNode w = pn.putArray("view_weights");
            for (Float f : p.viewWeights()) {
                w.add(f);
            }
            pn.put("prompts_sha256", p.promptsHash());
            pn.put("dataset", p.dataset());
            pn.put("dataset_identity", p.datasetIdentity());
            pn.put("split", p.split());
            pn.put("first_points", p.firstPoints());
            pn.put("samples", p.samples());
            pn.put("dataset_size", p.datasetSize());
            pn.put("adapter", p.adapter());
            pn.put("shots", p.shots());
        }
        return root;
    }

    /**
     * Adds the report's file names.
     *
     * @param root the JSON object from {@link #of}
     * @param files file names relative to the report directory, by role
     * @param examples the example sheets' file names
     */
    static void addFiles(ObjectNode root, Map<String, String> files, List<ObjectNode> examples) {
        ObjectNode f = root.putObject("files");
        files.forEach(f::put);
        ArrayNode ex = f.putArray("examples");
        examples.forEach(ex::add);
    }

    private static void number(ObjectNode node, String key, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
    }
}
