package io.github.pointclip.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.Pipeline;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.encoder.FeatureAdapter;
import io.github.pointclip.io.ReadOptions;
import io.github.pointclip.projection.RealisticProjector;
import io.github.pointclip.projection.kernel.ExponentialKernel;
import io.github.pointclip.projection.kernel.GaussianKernel;
import io.github.pointclip.projection.kernel.MishKernel;
import io.github.pointclip.projection.kernel.SigmoidKernel;
import io.github.pointclip.projection.kernel.SmoothingKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The recognition recipe of the commands that run a model (classify, eval, fewshot, search):
 * {@code --pipeline}, the V2 smoothing kernel, {@code --view-weights}, {@code --template} and
 * {@code --points}. {@link #pipeline} builds the {@link Pipeline} the same way for every command and
 * refuses options that would do nothing in the chosen mode.
 */
public final class PipelineOptions {

    /** The default number of points per cloud: the references' first 1024 points. */
    static final int DEFAULT_POINTS = 1024;

    /** Smoothing kernels of the V2 projection. */
    enum KernelChoice { gaussian, exponential, mish, sigmoid }

    private static final Pattern NUMBER_LIST = Pattern.compile("\\s*[-+0-9.eE]+(\\s*,\\s*[-+0-9.eE]+)*\\s*");

    @Option(names = "--pipeline", paramLabel = "v1|v1-fewshot|v2",
        description = "v1: PointCLIP (6 views), v1-fewshot: its 10-view few-shot projection, v2: PointCLIP V2 "
            + "(default: v2; fewshot: v1-fewshot; with --adapter: the adapter's pipeline).")
    String pipeline;

    @Option(names = "--kernel", paramLabel = "NAME",
        description = "V2 smoothing kernel: ${COMPLETION-CANDIDATES} (default: the reference gaussian, size 3, sigma 3).")
    KernelChoice kernel;

    @Option(names = "--kernel-size", paramLabel = "K", description = "V2 kernel size, odd (default: 3).")
    Integer kernelSize;

    @Option(names = "--sigma", paramLabel = "S", description = "V2 kernel scale in pixels (default: 3).")
    Double sigma;

    @Option(names = "--view-weights", paramLabel = "w1,...|FILE.json",
        description = "One weight per view, or the JSON file 'search views' writes (default: the pipeline's).")
    String viewWeights;

    @Option(names = "--template", paramLabel = "T",
        description = "Prompt template with {} for the label (default: \"point cloud depth map of a {}.\"); "
            + "a template starting with '-' is given as --template=-...")
    String template;

    @Option(names = "--points", defaultValue = "" + DEFAULT_POINTS, paramLabel = "N",
        description = "Points per cloud: the first N of a point file, N sampled on a mesh's surface; "
            + "0 = all points (a mesh: its vertices) (default: ${DEFAULT-VALUE}; eval --task segmentation: all points).")
    int points;

    /** The command this mixin is part of, to tell an option the user gave from its default. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /**
     * Builds the pipeline: the named preset, else the adapter's, else {@code fallback}; then the
     * kernel, the template and the view weights.
     *
     * @param fallback the command's default preset
     * @param adapter the loaded {@code --adapter}, or null
     * @return the pipeline
     * @throws PointClipCli.BadInputException for an unknown pipeline, an option that does nothing in
     *     the chosen mode (a kernel option without V2; a kernel, template or view weights with an adapter), or bad values
     * @throws IOException if a view-weights file cannot be read
     */
    Pipeline pipeline(String fallback, FeatureAdapter adapter) throws IOException {
        checkPoints();
        Pipeline p = PipelineChoice.resolve(pipeline, adapter, fallback);
        if (adapter != null && !given("--points")) {
            points = p.pointsPerCloud(); // the adapter's own count, as its other settings
        }
        if (points != p.pointsPerCloud()) {
            // the facade cuts clouds to the pipeline's count: it must be --points, or --points 2048 would give 1024
            if (adapter != null) {
                throw new PointClipCli.BadInputException("--points " + points + " cannot be used with --adapter: the "
                    + "adapter was trained with " + (p.pointsPerCloud() == 0 ? "all" : "the first " + p.pointsPerCloud())
                    + " points per cloud");
            }
            p = p.withPointsPerCloud(points);
        }
        if (kernel != null || kernelSize != null || sigma != null) {
            if (adapter != null) {
                throw new PointClipCli.BadInputException(kernelOptions() + " cannot be used with --adapter: the adapter "
                    + "was trained on its pipeline's own projection");
            }
            if (!(p.projector() instanceof RealisticProjector)) {
                throw new PointClipCli.BadInputException(kernelOptions() + (hasOneKernelOption() ? " shapes" : " shape") + " the V2 projection; the '" + p.name()
                    + "' pipeline does not smooth (use --pipeline v2)");
            }
            p = p.withProjector(((RealisticProjector) p.projector()).toBuilder()
                .kernel(kernel(kernel, kernelSize == null ? 3 : kernelSize, sigma == null ? 3.0 : sigma)).build());
        }
        if (template != null) {
            if (adapter != null) {
                throw new PointClipCli.BadInputException("--template cannot be used with --adapter: the adapter was "
                    + "trained with its pipeline's template");
            }
            try {
                p = p.withTemplate(template);
            } catch (IllegalArgumentException e) {
                throw new PointClipCli.BadInputException("--template: " + e.getMessage());
            }
        }
        if (viewWeights != null) {
            if (adapter != null) {
                throw new PointClipCli.BadInputException("--view-weights does nothing with --adapter: the adapter "
                    + "fuses the views with its own learnt weights");
            }
            float[] w = viewWeights();
            try {
                p = p.withViewWeights(w);
            } catch (IllegalArgumentException e) {
                throw new PointClipCli.BadInputException("--view-weights: " + e.getMessage());
            }
        }
        return p;
    }

    /** @return whether the user gave {@code option} on the command line (not just its default) */
    private boolean given(String option) {
        return mixee != null && mixee.commandLine() != null && mixee.commandLine().getParseResult() != null
            && mixee.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** Refuses a negative {@code --points}. */
    void checkPoints() {
        if (points < 0) {
            throw new PointClipCli.BadInputException("--points must be ≥ 0 (0 = all points), got " + points);
        }
    }

    /** @return the points per cloud for truncation: {@code --points}, or {@link Integer#MAX_VALUE} for all */
    int pointsOrAll() {
        checkPoints();
        return points == 0 ? Integer.MAX_VALUE : points;
    }

    /**
     * @param cloud a cloud
     * @return its first {@code --points} points (all with 0)
     */
    PointCloud truncate(PointCloud cloud) {
        checkPoints();
        return points == 0 || cloud.size() <= points ? cloud : cloud.first(points);
    }

    /**
     * @param dropNonFinite drop points with NaN or infinite coordinates instead of failing
     * @param seed the mesh sampling seed
     * @return read options that sample {@code --points} points from a mesh (0: its vertices)
     */
    ReadOptions readOptions(boolean dropNonFinite, long seed) {
        checkPoints();
        return ReadOptions.builder().dropNonFinite(dropNonFinite).samplePoints(points).seed(seed).build();
    }

    /** @return whether the user gave a V2 kernel option */
    boolean hasKernelOptions() {
        return kernel != null || kernelSize != null || sigma != null;
    }

    private boolean hasOneKernelOption() {
        return (kernel != null ? 1 : 0) + (kernelSize != null ? 1 : 0) + (sigma != null ? 1 : 0) == 1;
    }

    private String kernelOptions() {
        StringBuilder s = new StringBuilder();
        if (kernel != null) {
            s.append("--kernel");
        }
        if (kernelSize != null) {
            s.append(s.length() > 0 ? ", " : "").append("--kernel-size");
        }
        if (sigma != null) {
            s.append(s.length() > 0 ? ", " : "").append("--sigma");
        }
        return s.toString();
    }

    /**
     * Parses {@code --view-weights}: a comma-separated list, or a JSON file holding a
     * {@code view_weights} array (what {@code search views} writes) or a bare array.
     */
    private float[] viewWeights() throws IOException {
        if (NUMBER_LIST.matcher(viewWeights).matches()) {
            String[] parts = viewWeights.split(",");
            float[] w = new float[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    w[i] = Float.parseFloat(parts[i].strip());
                } catch (NumberFormatException e) {
                    throw new PointClipCli.BadInputException("--view-weights: '" + parts[i].strip() + "' is not a number");
                }
            }
            return w;
        }
        Path file = Path.of(viewWeights);
        if (!Files.isRegularFile(file)) {
            throw new PointClipCli.BadInputException("--view-weights '" + viewWeights
                + "' is neither a comma-separated list of numbers nor a JSON file");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new PointClipCli.BadInputException(file + ": not JSON: "
                + io.github.pointclip.internal.JsonMessages.of(e));
        }
        JsonNode array = root != null && root.isObject() ? root.get("view_weights") : root;
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw new PointClipCli.BadInputException(file + " has no \"view_weights\" array of numbers");
        }
        float[] w = new float[array.size()];
        for (int i = 0; i < w.length; i++) {
            if (!array.get(i).isNumber()) {
                throw new PointClipCli.BadInputException(file + ": view_weights[" + i + "] is not a number: " + array.get(i));
            }
            w[i] = array.get(i).floatValue();
        }
        return w;
    }

    /**
     * @param choice the kernel, null for the reference gaussian
     * @param size the kernel size
     * @param sigma the kernel scale
     * @return the kernel
     * @throws PointClipCli.BadInputException for a size or scale the kernel refuses
     */
    static SmoothingKernel kernel(KernelChoice choice, int size, double sigma) {
        try {
            switch (choice == null ? KernelChoice.gaussian : choice) {
                case exponential:
                    return new ExponentialKernel(size, sigma);
                case mish:
                    return new MishKernel(size, sigma);
                case sigmoid:
                    return new SigmoidKernel(size, sigma);
                default:
                    return new GaussianKernel(size, sigma);
            }
        } catch (IllegalArgumentException e) {
            throw new PointClipCli.BadInputException("--kernel-size/--sigma: " + e.getMessage());
        }
    }
}
