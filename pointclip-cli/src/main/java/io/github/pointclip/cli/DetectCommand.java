package io.github.pointclip.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pointclip.Pipeline;
import io.github.pointclip.PointClip;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.detection.Box;
import io.github.pointclip.detection.BoxFiles;
import io.github.pointclip.detection.ClusterProposer;
import io.github.pointclip.detection.Detection;
import io.github.pointclip.detection.DetectionOptions;
import io.github.pointclip.detection.DetectionPly;
import io.github.pointclip.detection.ScanNetScenes;
import io.github.pointclip.detection.SceneIndex;
import io.github.pointclip.detection.TopView;
import io.github.pointclip.detection.UpAxis;
import io.github.pointclip.detection.ZeroShotDetector;
import io.github.pointclip.io.PointClouds;
import io.github.pointclip.io.ReadOptions;
import io.github.pointclip.prompt.ClassNames;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
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

/** {@code pointclip detect}: zero-shot 3-D detection, labelling proposal boxes of a scene with CLIP. */
@Command(name = "detect", mixinStandardHelpOptions = true,
    description = {"Label 3-D boxes in a scene zero-shot (PointCLIP V2 detection): the points inside each box are "
        + "projected and classified with CLIP against the classes.",
        "Boxes come from your own detector (--boxes FILE.json) or from the built-in baseline proposer "
            + "(--proposals cluster: RANSAC plane removal and Euclidean clustering, no 3-D training).",
        "Scenes are z-up (ScanNet); each crop is turned (x, y, z) -> (x, z, -y) for the classifier unless --up-axis y."})
final class DetectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--scene", required = true, paramLabel = "FILE",
        description = "The scene: a point file (PLY, PCD, XYZ, NPY such as ScanNet's <scene>_vert.npy, ...) or a mesh "
            + "(its vertices).")
    Path scene;

    /** Where the proposals come from. */
    static final class Proposals {
        @Option(names = "--boxes", paramLabel = "FILE.json",
            description = "Proposal boxes: [{\"center\": [x, y, z], \"size\": [dx, dy, dz], \"heading\": 0.0, "
                + "\"score\": 0.9}, ...]; heading (radians, counter-clockwise about +z) and score are optional.")
        Path boxes;

        @Option(names = "--proposals", paramLabel = "cluster",
            description = "Built-in proposals: 'cluster' (a baseline, not a 3-D detector).")
        String proposer;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Proposals proposals;

    /** Where the class labels come from. */
    static final class Labels {
        @Option(names = "--classes", paramLabel = "scannet18|modelnet40|scanobjectnn",
            description = "A built-in class list (default: scannet18, the 18 ScanNet detection classes).")
        String classes;

        @Option(names = "--labels", split = ",", paramLabel = "a,b,c", description = "Class labels.")
        List<String> labels;

        @Option(names = "--prompts", paramLabel = "FILE.json",
            description = "A prompt library {\"class\": [\"prompt\", ...]}; each class's prompts are ensembled.")
        Path prompts;
    }

    @ArgGroup(exclusive = true)
    Labels labels;

    @Mixin
    PipelineOptions pipelineOptions;

    @Option(names = "--no-object", description = "Add the class 'no object' last; boxes labelled with it are dropped.")
    boolean noObject;

    @Option(names = "--no-object-prompt", paramLabel = "TEXT",
        description = "Prompt(s) of 'no object' instead of the template (implies --no-object; repeatable).")
    List<String> noObjectPrompts;

    @Option(names = "--min-points", defaultValue = "" + DetectionOptions.DEFAULT_MIN_POINTS, paramLabel = "N",
        description = "Drop boxes with fewer points (exactly N is kept) (default: ${DEFAULT-VALUE}).")
    int minPoints;

    @Option(names = "--score-threshold", defaultValue = "0", paramLabel = "T",
        description = "Drop detections scoring below T; score = class probability x proposal score "
            + "(default: ${DEFAULT-VALUE}).")
    double scoreThreshold;

    @Option(names = "--up-axis", defaultValue = "z", paramLabel = "z|y",
        description = "The scene's up axis (default: ${DEFAULT-VALUE}; y skips the turn of the crops and makes y the "
            + "floor normal of the cluster proposer). Box headings stay about z and --png looks down z.")
    String upAxis;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
        description = "Seed of the cluster proposer's RANSAC (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--json", description = "Print one JSON object: {\"input\", \"detections\": [{\"center\", \"size\", "
        + "\"heading\", \"label\", \"score\", \"points\", \"probabilities\"}]}.")
    boolean json;

    @Option(names = "--output-ply", paramLabel = "OUT.ply",
        description = "Write the scene coloured by detection, with the boxes' wireframes as points.")
    Path outputPly;

    @Option(names = "--png", paramLabel = "OUT.png", description = "Write a top view of the scene with the detections.")
    Path png;

    @Override
    public Integer call() throws Exception {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--points")) {
            throw new PointClipCli.BadInputException("--points does not apply to detect: every point inside a box "
                + "is classified");
        }
        DetectionOptions options = options(classes(labels == null ? null : labels.classes,
            labels == null ? null : labels.labels));
        if (labels != null && labels.prompts != null) {
            if (pipelineOptions.template != null) {
                throw new PointClipCli.BadInputException("--template does not apply to --prompts; the library has its "
                    + "own prompts");
            }
            options = options.toBuilder().prompts(io.github.pointclip.prompt.PromptSet.fromJson(labels.prompts)).build();
        }
        if (proposals.boxes != null) {
            ClusterOptions.refuse(spec, "--boxes");
        }
        checkOutput(outputPly, ".ply", "--output-ply");
        checkOutput(png, ".png", "--png");
        Pipeline p = pipelineOptions.pipeline("v2", null);
        PointCloud cloud = readScene(scene);
        List<Box> boxes = proposals.boxes != null ? BoxFiles.read(proposals.boxes)
            : proposer(proposals.proposer, cluster, upAxis(upAxis), seed).propose(cloud);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Detection> found;
        SceneIndex index = SceneIndex.of(cloud);
        try (PointClip clip = modelOptions.pointClip().pipeline(p).classes(options.classes()).build()) {
            ZeroShotDetector detector = new ZeroShotDetector(clip, options);
            try (ProgressBar bar = new ProgressBar(err, "detect", boxes.size(), "boxes")) {
                found = detector.detect(index, boxes, (done, total) -> bar.update(done, null));
            }
        }
        if (outputPly != null) {
            DetectionPly.write(index, found, outputPly);
        }
        if (png != null) {
            TopView.write(cloud, List.of(), found, 1024, png);
        }
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(toJson(scene.toString(), found)));
        } else {
            for (Detection d : found) {
                Box b = d.box();
                out.println(String.format(Locale.ROOT, "%-14s %.3f  center (%.3f, %.3f, %.3f)  size (%.3f, %.3f, %.3f)  "
                    + "heading %.3f  %d points", d.label(), d.score(), b.centerX(), b.centerY(), b.centerZ(), b.sizeX(),
                    b.sizeY(), b.sizeZ(), b.heading(), d.points()));
            }
            out.println(String.format(Locale.ROOT, "%s: %d detections from %d boxes", scene, found.size(), boxes.size()));
        }
        out.flush();
        return 0;
    }

    /**
     * Hides {@code --points} (from the shared pipeline options) in {@code detect --help}: detection
     * classifies every point of a box, and refuses it with a clear line when given.
     *
     * @param spec the {@code detect} command's spec
     */
    static void hideInapplicable(CommandSpec spec) {
        picocli.CommandLine.Model.OptionSpec points = spec.findOption("--points");
        if (points != null && !points.hidden()) {
            spec.remove(points);
            spec.addOption(picocli.CommandLine.Model.OptionSpec.builder(points).hidden(true).build());
        }
    }

    private DetectionOptions options(List<String> classList) {
        if (minPoints < 1) {
            throw new PointClipCli.BadInputException("--min-points must be ≥ 1, got " + minPoints);
        }
        if (!Double.isFinite(scoreThreshold)) {
            throw new PointClipCli.BadInputException("--score-threshold must be a finite number, got " + scoreThreshold);
        }
        List<String> prompts = noObjectPrompts == null ? List.of() : noObjectPrompts;
        for (String prompt : prompts) {
            if (prompt.isBlank()) {
                throw new PointClipCli.BadInputException("--no-object-prompt must not be blank");
            }
        }
        return DetectionOptions.builder().classes(classList).noObject(noObject || !prompts.isEmpty())
            .noObjectPrompts(prompts).minPoints(minPoints).scoreThreshold(scoreThreshold).upAxis(upAxis(upAxis))
            .batchSize(modelOptions.batch).build();
    }

    /**
     * @param name {@code --classes}, or null
     * @param given {@code --labels}, or null
     * @return the class list: scannet18 by default
     * @throws PointClipCli.BadInputException for an unknown list or an empty label
     */
    static List<String> classes(String name, List<String> given) {
        if (given != null) {
            List<String> out = new ArrayList<>();
            for (String label : given) {
                if (label.isBlank()) {
                    throw new PointClipCli.BadInputException("--labels: empty label at position " + (out.size() + 1));
                }
                out.add(label.trim());
            }
            return out;
        }
        if (name == null || name.equalsIgnoreCase("scannet18")) {
            return ScanNetScenes.CLASSES;
        }
        try {
            return ClassNames.preset(name);
        } catch (IllegalArgumentException e) {
            throw new PointClipCli.BadInputException("unknown class list '" + name
                + "'; known: scannet18, modelnet40, scanobjectnn");
        }
    }

    /**
     * @param name {@code --up-axis}
     * @return the axis
     */
    static UpAxis upAxis(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "z":
                return UpAxis.Z;
            case "y":
                return UpAxis.Y;
            default:
                throw new PointClipCli.BadInputException("--up-axis must be z or y, got '" + name + "'");
        }
    }

    /**
     * @param name {@code --proposals}
     * @param settings the proposer's settings
     * @param up the scene's up axis
     * @param seed the RANSAC seed
     * @return the built-in proposer
     */
    static ClusterProposer proposer(String name, ClusterOptions settings, UpAxis up, long seed) {
        if (!name.equalsIgnoreCase("cluster")) {
            throw new PointClipCli.BadInputException("unknown --proposals '" + name + "'; the built-in proposer is "
                + "'cluster' (or give boxes with --boxes FILE.json)");
        }
        return settings.proposer(up, seed);
    }

    /**
     * Reads a scene: every point of a point file, the vertices of a mesh.
     *
     * @param file the scene file
     * @return the scene
     * @throws IOException if it is missing, malformed or empty
     */
    static PointCloud readScene(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new PointClipCli.BadInputException("--scene " + file + " is a directory; give one scene file");
        }
        return PointClouds.read(file, ReadOptions.builder().samplePoints(0).build());
    }

    private static void checkOutput(Path file, String extension, String option) {
        if (file != null) {
            if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(extension)) {
                throw new PointClipCli.BadInputException(option + " " + file + " must end in " + extension);
            }
            if (Files.isDirectory(file)) {
                throw new PointClipCli.BadInputException(option + " " + file + " is a directory");
            }
        }
    }

    /**
     * @param input the scene's name
     * @param found the detections
     * @return {@code {"input", "detections": [...]}}
     */
    static ObjectNode toJson(String input, List<Detection> found) {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("input", input);
        ArrayNode list = root.putArray("detections");
        for (Detection d : found) {
            ObjectNode o = list.addObject();
            BoxFiles.put(o, d.box());
            o.put("label", d.label());
            o.put("score", d.score());
            o.put("points", d.points());
            ArrayNode probabilities = o.putArray("probabilities");
            for (float f : d.probabilities()) {
                probabilities.add(f);
            }
        }
        return root;
    }
}
