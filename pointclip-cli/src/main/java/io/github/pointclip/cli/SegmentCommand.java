package io.github.pointclip.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pointclip.PointClip;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.internal.AtomicFiles;
import io.github.pointclip.io.ReadOptions;
import io.github.pointclip.projection.spi.SegmentationProjector;
import io.github.pointclip.segmentation.PartCategory;
import io.github.pointclip.segmentation.PartPrompts;
import io.github.pointclip.segmentation.PartSegmentation;
import io.github.pointclip.segmentation.SegmentationLayout;
import io.github.pointclip.segmentation.SegmentationOptions;
import io.github.pointclip.segmentation.SegmentationSheet;
import io.github.pointclip.segmentation.ShapeNetPart;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pointclip segment}: zero-shot part segmentation of point clouds (PointCLIP V2). */
@Command(name = "segment", mixinStandardHelpOptions = true,
    description = "Segment point clouds into named parts zero-shot with CLIP's dense features (PointCLIP V2; "
        + "see docs/segmentation.md).")
final class SegmentCommand implements Callable<Integer> {

    /** Points sampled from a mesh surface when {@code --first} is not given (ShapeNetPart's count). */
    static final int MESH_POINTS = 2048;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--input", required = true, arity = "1..*", paramLabel = "FILE", description = "Point clouds or meshes.")
    List<Path> inputs;

    @Option(names = "--category", required = true, paramLabel = "CAT",
        description = "The object's category, e.g. chair; a ShapeNetPart category (matched in any case, then written "
            + "in ShapeNetPart's lower case) gives the default parts.")
    String category;

    @Option(names = "--parts", split = ",", paramLabel = "a,b,c",
        description = "Part names, comma-separated, spaces around each name trimmed (default: the ShapeNetPart parts of "
            + "--category; required for other categories).")
    List<String> parts;

    @Option(names = "--prompts", paramLabel = "s1|s2|...",
        description = "One sentence per part, separated by '|', instead of the template.")
    String prompts;

    @Option(names = "--official-prompts",
        description = "The original release's hand-picked sentence per part (ShapeNetPart categories, official parts).")
    boolean officialPrompts;

    @Option(names = "--template", paramLabel = "T",
        description = "Sentence template with {part} and {category} (default: \"" + PartPrompts.DEFAULT_TEMPLATE + "\").")
    String template;

    @Option(names = "--layout", defaultValue = "fixed", paramLabel = "fixed|official",
        description = "fixed (default): each point reads its own pixel; official: the original code's transposed reads "
            + "and scrambled feature maps, for comparison with published figures.")
    String layout;

    @Option(names = "--view-weights", split = ",", paramLabel = "w1,...,w10",
        description = "Weights of the 10 views (default: 1.0 each).")
    float[] viewWeights;

    @Option(names = "--official-view-weights",
        description = "The original release's per-category view weights (ShapeNetPart categories).")
    boolean officialViewWeights;

    @Option(names = {"--first", "--points"}, defaultValue = "0", paramLabel = "N",
        description = "Segment the first N points of each cloud; 0 (default) segments every point. Meshes are "
            + "sampled with N points (" + MESH_POINTS + " when N is 0).")
    int first;

    @Option(names = "--seed", defaultValue = "0", description = "Mesh sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "One JSON object per input and line: input, category, parts, point_labels, "
        + "point_logits.")
    boolean json;

    @Option(names = "--output-ply", paramLabel = "OUT.ply",
        description = "Write the cloud as PLY with each point's part label (int part) and colour (uchar red green blue) "
            + "(one --input).")
    Path outputPly;

    @Option(names = "--png", paramLabel = "OUT.png", description = "Write the views coloured by part (one --input).")
    Path png;

    @Override
    public Integer call() throws Exception {
        SegmentationOptions options = options();
        PartPrompts partPrompts = partPrompts();
        if ((outputPly != null || png != null) && inputs.size() != 1) {
            throw new PointClipCli.BadInputException("--output-ply and --png take one --input, got " + inputs.size());
        }
        checkOutput("--output-ply", outputPly);
        checkOutput("--png", png);
        List<PointCloud> clouds = new ArrayList<>();
        ReadOptions read = ReadOptions.builder().samplePoints(first > 0 ? first : MESH_POINTS).seed(seed).build();
        for (Path input : inputs) {
            PointCloud cloud = CloudFiles.read(input, read);
            clouds.add(first > 0 ? cloud.first(first) : cloud);
        }
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper mapper = new ObjectMapper();
        try (PointClip clip = modelOptions.pointClip().build()) {
            for (int i = 0; i < clouds.size(); i++) {
                PointCloud cloud = clouds.get(i);
                PartSegmentation s = clip.segment(cloud, partPrompts, options);
                // the files first: a failed write leaves no result line on stdout
                if (outputPly != null) {
                    try {
                        writePartPly(cloud, s, outputPly);
                    } catch (IOException e) {
                        throw writeFailed("--output-ply", outputPly, e);
                    }
                }
                if (png != null) {
                    try {
                        // FIXED whatever the labels' layout: each point at its own pixel, with its own visibility
                        SegmentationSheet.write(SegmentationProjector.load().project(cloud, SegmentationLayout.FIXED),
                            s.labels(), png);
                    } catch (IOException e) {
                        throw writeFailed("--png", png, e);
                    }
                }
                if (json) {
                    out.println(mapper.writeValueAsString(toJson(mapper, inputs.get(i), s)));
                } else {
                    out.println(summary(inputs.get(i), s));
                }
                out.flush();
            }
        }
        return 0;
    }

    /**
     * Refuses an output path before any segmenting: not a directory, and its nearest existing ancestor a writable
     * directory (the writers create the missing parents).
     */
    static void checkOutput(String option, Path file) {
        if (file == null) {
            return;
        }
        Path absolute = file.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw new PointClipCli.BadInputException(option + ": " + file + " is a directory; give a file name");
        }
        Path dir = absolute.getParent();
        while (dir != null && !Files.exists(dir)) {
            dir = dir.getParent();
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new PointClipCli.BadInputException(option + ": cannot create the folder of " + file + ": " + dir
                + " is a file, not a folder");
        }
        if (!Files.isWritable(dir)) {
            throw new PointClipCli.BadInputException(option + ": cannot write " + file + ": folder " + dir
                + " is not writable");
        }
    }

    /** One line naming the option, the file and what went wrong (an IOException's message may be only the path). */
    private static PointClipCli.BadInputException writeFailed(String option, Path file, IOException e) {
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
            : e.getMessage() == null || e.getMessage().equals(file.toString()) ? e.getClass().getSimpleName()
            : e.getClass().getSimpleName() + ": " + e.getMessage();
        return new PointClipCli.BadInputException(option + ": cannot write " + file + " (" + reason + ")");
    }

    private SegmentationOptions options() {
        SegmentationLayout l;
        try {
            l = SegmentationLayout.parse(layout);
        } catch (IllegalArgumentException e) {
            throw new PointClipCli.BadInputException("--layout: " + e.getMessage());
        }
        if (first < 0) {
            throw new PointClipCli.BadInputException("--first must be ≥ 0 (0 = all points), got " + first);
        }
        if (viewWeights != null && officialViewWeights) {
            throw new PointClipCli.BadInputException("give --view-weights or --official-view-weights, not both");
        }
        float[] w = officialViewWeights ? shapeNetPart("--official-view-weights").officialViewWeights() : viewWeights;
        SegmentationOptions.Builder b = SegmentationOptions.builder().layout(l).pointsPerCloud(first);
        if (w != null) {
            if (w.length != SegmentationOptions.VIEWS) {
                throw new PointClipCli.BadInputException("--view-weights takes exactly " + SegmentationOptions.VIEWS
                    + " values, got " + w.length);
            }
            for (float f : w) {
                if (!Float.isFinite(f)) {
                    throw new PointClipCli.BadInputException("--view-weights: " + f + " is not a finite number");
                }
            }
            b.viewWeights(w);
        }
        return b.build();
    }

    /** The ShapeNetPart category named by --category, for an option that needs one. */
    private PartCategory shapeNetPart(String option) {
        return ShapeNetPart.find(category).orElseThrow(() -> new PointClipCli.BadInputException("'" + category
            + "' is not a ShapeNetPart category" + (option == null ? "; name its parts with --parts a,b,c"
            : "; " + option + " needs one") + " (ShapeNetPart: " + String.join(", ", ShapeNetPart.names()) + ")"));
    }

    private PartPrompts partPrompts() {
        // a ShapeNetPart category in its canonical spelling ("Chair" → "chair") in the sentences and the output
        String canonical = ShapeNetPart.find(category).map(PartCategory::name).orElse(category);
        List<String> names = parts;
        if (officialPrompts) {
            if (parts != null || prompts != null || template != null) {
                throw new PointClipCli.BadInputException("--official-prompts gives the official parts and sentences; "
                    + "it takes no --parts, --prompts or --template");
            }
            PartCategory c = shapeNetPart("--official-prompts");
            return PartPrompts.ofSentences(canonical, c.partNames(), c.officialPrompts());
        }
        if (names == null) {
            names = shapeNetPart(null).partNames();
        } else {
            for (String p : names) {
                if (p.isBlank()) {
                    throw new PointClipCli.BadInputException("--parts: empty part name in " + names);
                }
            }
            names = names.stream().map(String::trim).toList();
        }
        try {
            if (prompts != null) {
                if (template != null) {
                    throw new PointClipCli.BadInputException("--template does not apply to --prompts, which are whole "
                        + "sentences");
                }
                List<String> sentences = Arrays.stream(prompts.split("\\|", -1)).map(String::trim).toList();
                if (sentences.size() != names.size()) {
                    throw new PointClipCli.BadInputException("--prompts has " + sentences.size() + " sentences but there are "
                        + names.size() + " parts " + names + ": give one sentence per part");
                }
                return PartPrompts.ofSentences(canonical, names, sentences);
            }
            return PartPrompts.fromTemplate(template == null ? PartPrompts.DEFAULT_TEMPLATE : template, canonical,
                names);
        } catch (IllegalArgumentException e) {
            throw new PointClipCli.BadInputException(e.getMessage());
        }
    }

    static ObjectNode toJson(ObjectMapper mapper, Path input, PartSegmentation s) {
        ObjectNode node = mapper.createObjectNode();
        node.put("input", input.toString());
        node.put("category", s.category());
        ArrayNode names = node.putArray("parts");
        s.parts().forEach(names::add);
        ArrayNode labels = node.putArray("point_labels");
        for (int l : s.labels()) {
            labels.add(l);
        }
        ArrayNode logits = node.putArray("point_logits");
        float[] all = s.logits();
        int parts = s.partCount();
        for (int n = 0; n < s.pointCount(); n++) {
            ArrayNode row = logits.addArray();
            for (int p = 0; p < parts; p++) {
                row.add(all[n * parts + p]);
            }
        }
        return node;
    }

    private static String summary(Path input, PartSegmentation s) {
        StringBuilder line = new StringBuilder(input.toString()).append(": ").append(s.category()).append(", ")
            .append(s.pointCount()).append(" points:");
        int[] sizes = s.partSizes();
        for (int p = 0; p < sizes.length; p++) {
            line.append(String.format(Locale.ROOT, " %s %d", s.parts().get(p), sizes[p]));
        }
        return line.toString();
    }

    /**
     * Writes the cloud as binary little-endian PLY, atomically: float x y z, uchar red green blue (the part's
     * colour) and int part (the label), which PLY readers keep as an integer.
     */
    static void writePartPly(PointCloud cloud, PartSegmentation s, Path file) throws IOException {
        int n = cloud.size();
        byte[] header = ("ply\nformat binary_little_endian 1.0\ncomment written by PointCLIP for Java: parts "
            + String.join(",", s.parts()).replaceAll("[\\r\\n]", " ") + "\nelement vertex " + n + "\n"
            + "property float x\nproperty float y\nproperty float z\n"
            + "property uchar red\nproperty uchar green\nproperty uchar blue\nproperty int part\nend_header\n")
            .getBytes(StandardCharsets.US_ASCII);
        int record = 12 + 3 + 4;
        AtomicFiles.write(file, out -> {
            out.write(header);
            ByteBuffer buffer = ByteBuffer.allocate(4096 * record).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                int l = s.label(i);
                int rgb = SegmentationSheet.color(l);
                buffer.putFloat(cloud.x(i)).putFloat(cloud.y(i)).putFloat(cloud.z(i))
                    .put((byte) (rgb >> 16)).put((byte) (rgb >> 8)).put((byte) rgb).putInt(l);
                if (buffer.remaining() < record) {
                    out.write(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
            }
            out.write(buffer.array(), 0, buffer.position());
        });
    }
}
