package io.github.pointclip.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pointclip.Pipeline;
import io.github.pointclip.PointClip;
import io.github.pointclip.Prediction;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.encoder.FeatureAdapter;
import io.github.pointclip.internal.PipelineStages;
import io.github.pointclip.prompt.ClassNames;
import io.github.pointclip.prompt.PromptSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pointclip classify}: zero-shot classification of point clouds. */
@Command(name = "classify", mixinStandardHelpOptions = true,
    description = "Classify point clouds zero-shot with CLIP against class labels or prompt libraries.")
final class ClassifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--input", required = true, arity = "1..*", paramLabel = "FILE", description = "Point clouds or meshes.")
    List<Path> inputs;

    /** Where the class labels come from; default ModelNet40. */
    static final class LabelSource {
        @Option(names = "--labels", split = ",", paramLabel = "a,b,c", description = "Class labels.")
        List<String> labels;

        @Option(names = "--classes", paramLabel = "modelnet40|scanobjectnn", description = "A benchmark's class list.")
        String classes;

        @Option(names = "--prompts", paramLabel = "FILE.json",
            description = "A prompt library {\"class\": [\"prompt\", ...]}; each class's prompts are ensembled.")
        Path prompts;
    }

    @ArgGroup(exclusive = true)
    LabelSource labelSource;

    @Mixin
    PipelineOptions pipelineOptions;

    @Option(names = "--adapter", paramLabel = "FILE", description = "A few-shot adapter checkpoint (pointclip fewshot); "
        + "without a label source, its classes and prompts are used.")
    Path adapter;

    @Option(names = "--encoder", paramLabel = "FILE", description = "Classify in CLIP's space with a point-encoder "
        + "checkpoint (pointclip pretrain) instead of rendering depth maps for the image encoder; the CLIP model still "
        + "encodes the prompts.")
    Path encoder;

    @Mixin
    FuseOption fuse;

    @Option(names = "--seed", defaultValue = "0", description = "Mesh sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--drop-non-finite", description = "Drop points with NaN or infinite coordinates instead of failing.")
    boolean dropNonFinite;

    @Option(names = "--top", defaultValue = "5", paramLabel = "K", description = "Labels shown per input (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", description = "One JSON object per input and line, labels in the given order.")
    boolean json;

    @Option(names = "--timings", description = "Report per-stage times in milliseconds.")
    boolean timings;

    @Override
    public Integer call() throws Exception {
        if (top < 1) {
            throw new PointClipCli.BadInputException("--top must be ≥ 1, got " + top);
        }
        if (json && spec.commandLine().getParseResult().hasMatchedOption("--top")) {
            throw new PointClipCli.BadInputException("--top does nothing with --json, which lists every label");
        }
        pipelineOptions.checkPoints();
        fuse.check();
        if (encoder != null && adapter != null) {
            throw new PointClipCli.BadInputException("--adapter works on image features, which --encoder replaces: "
                + "give one of them");
        }
        FeatureAdapter fewShot = PipelineChoice.loadAdapter(adapter);
        Pipeline p = pipelineOptions.pipeline("v2", fewShot);
        String template = pipelineOptions.template;
        PromptSet prompts = labelSource == null && fewShot != null && template == null
            ? trainedPrompts(fewShot, p.template()) : promptSet(p.template(), template != null);
        List<PointCloud> clouds = new ArrayList<>();
        for (Path input : inputs) {
            PointCloud cloud = CloudFiles.read(input, pipelineOptions.readOptions(dropNonFinite, seed));
            clouds.add(pipelineOptions.truncate(cloud));
        }
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper mapper = new ObjectMapper();
        try (PointClip clip = modelOptions.pointClip().pipeline(p)
            .prompts(prompts).adapter(fewShot).pointEncoder(encoder).build();
             FuseOption.Other other = fuse.active()
                 ? fuse.open(clip, p, prompts, modelOptions.batch, modelOptions.truncatePrompts) : null) {
            int views = p.projector().viewCount();
            List<Prediction> fusedWith = null;
            if (other != null) {
                other.checkRows(clouds.size(), -1, "inputs");
                int[] rows = java.util.stream.IntStream.range(0, clouds.size()).toArray();
                fusedWith = other.predictions(rows, clouds, inputs.stream().map(Path::toString).toList());
            }
            for (int i = 0; i < clouds.size(); i++) {
                long t0 = System.nanoTime();
                long t1;
                long t2;
                long t3;
                long t4;
                Prediction prediction;
                if (encoder == null) {
                    float[] images = PipelineStages.encoderInput(clip, List.of(clouds.get(i)), null);
                    t1 = System.nanoTime();
                    float[] features = PipelineStages.encodeImages(clip, images, views);
                    t2 = System.nanoTime();
                    float[] text = PipelineStages.textFeatures(clip, prompts);
                    t3 = System.nanoTime();
                    float[] logits = PipelineStages.logits(clip, features, 1, text, prompts.size());
                    t4 = System.nanoTime();
                    prediction = Prediction.of(prompts.classes(), logits);
                } else { // CLIP-space zero-shot: no projection, no image encoder; the prompts' features first
                    t1 = t0;
                    PipelineStages.textFeatures(clip, prompts);
                    long text = System.nanoTime();
                    prediction = clip.classifyAll(List.of(clouds.get(i))).get(0);
                    t4 = System.nanoTime();
                    t2 = t1 + (t4 - text); // the point encoder's share, reported in place of the image encoder's
                    t3 = t2 + (text - t0);
                }
                if (fusedWith != null) {
                    prediction = prediction.fuse(fusedWith.get(i), other.weight());
                }
                if (json) {
                    ObjectNode node = mapper.createObjectNode();
                    node.put("input", inputs.get(i).toString());
                    ArrayNode labels = node.putArray("labels");
                    prediction.labels().forEach(labels::add);
                    ArrayNode l = node.putArray("logits");
                    for (float f : prediction.logits()) {
                        l.add(f);
                    }
                    ArrayNode pr = node.putArray("probabilities");
                    for (float f : prediction.probabilities()) {
                        pr.add(f);
                    }
                    if (other != null) {
                        other.describe(node.putObject("fusion"));
                    }
                    if (timings) {
                        ObjectNode t = node.putObject("timings_ms");
                        if (encoder == null) {
                            t.put("projection", (t1 - t0) / 1e6);
                            t.put("image_encoder", (t2 - t1) / 1e6);
                        } else {
                            t.put("point_encoder", (t2 - t1) / 1e6);
                        }
                        t.put("text_encoder", (t3 - t2) / 1e6);
                        t.put("total", (t4 - t0) / 1e6);
                    }
                    out.println(mapper.writeValueAsString(node));
                } else {
                    StringBuilder line = new StringBuilder(inputs.get(i).toString()).append(':');
                    for (Prediction.Ranked r : prediction.top(top)) {
                        line.append(String.format(Locale.ROOT, " %s %.3f", r.label(), r.probability()));
                    }
                    if (timings && encoder != null) {
                        line.append(String.format(Locale.ROOT, "  [point encoder %.1f ms, text encoder %.1f ms, "
                            + "total %.1f ms]", (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t0) / 1e6));
                    } else if (timings) {
                        line.append(String.format(Locale.ROOT, "  [projection %.1f ms, image encoder %.1f ms, "
                            + "text encoder %.1f ms, total %.1f ms]", (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6,
                            (t4 - t0) / 1e6));
                    }
                    out.println(line);
                }
                out.flush();
            }
        }
        return 0;
    }

    /** The classes and prompts an adapter was trained with, from its metadata (the template when it has none). */
    private PromptSet trainedPrompts(FeatureAdapter fewShot, String template) throws java.io.IOException {
        String names = fewShot.metadata().get("class_names");
        String perClass = fewShot.metadata().get("prompts");
        if (names == null || perClass == null) {
            throw new PointClipCli.BadInputException(adapter + " does not record its classes; give --labels, --classes or --prompts");
        }
        ObjectMapper mapper = new ObjectMapper();
        List<String> classes;
        List<List<String>> prompts;
        try {
            classes = mapper.readValue(names, new com.fasterxml.jackson.core.type.TypeReference<List<String>>() { });
            prompts = mapper.readValue(perClass, new com.fasterxml.jackson.core.type.TypeReference<List<List<String>>>() { });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new PointClipCli.BadInputException(adapter + ": its class names or prompts are not valid JSON: "
                + io.github.pointclip.internal.JsonMessages.of(e));
        }
        if (prompts.isEmpty() && !classes.isEmpty()) {
            return PromptSet.fromTemplate(template, classes);
        }
        if (classes.size() != prompts.size() || classes.isEmpty()) {
            throw new PointClipCli.BadInputException(adapter + ": " + classes.size() + " class names but "
                + prompts.size() + " prompt lists");
        }
        java.util.Map<String, List<String>> byClass = new java.util.LinkedHashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            byClass.put(classes.get(c), prompts.get(c));
        }
        return PromptSet.fromPrompts(byClass);
    }

    private PromptSet promptSet(String pipelineTemplate, boolean templateGiven) throws java.io.IOException {
        if (labelSource != null && labelSource.prompts != null) {
            if (templateGiven) {
                throw new PointClipCli.BadInputException("--template does not apply to --prompts; the library has its own prompts");
            }
            return PromptSet.fromJson(labelSource.prompts);
        }
        List<String> labels;
        if (labelSource != null && labelSource.labels != null) {
            labels = new ArrayList<>();
            for (String label : labelSource.labels) {
                if (label.isBlank()) {
                    // 'chair,,lamp' is a typo, not two classes: a silently dropped class would change the answer
                    throw new PointClipCli.BadInputException("--labels: empty label at position " + (labels.size() + 1));
                }
                labels.add(label.trim());
            }
        } else {
            labels = ClassNames.preset(labelSource != null && labelSource.classes != null ? labelSource.classes : "modelnet40");
        }
        return PromptSet.fromTemplate(pipelineTemplate, labels);
    }
}
