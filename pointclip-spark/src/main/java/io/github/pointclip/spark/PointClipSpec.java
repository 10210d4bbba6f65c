package io.github.pointclip.spark;

import io.github.pointclip.Pipeline;
import io.github.pointclip.prompt.ClassNames;
import io.github.pointclip.prompt.PromptSet;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a Spark job runs: a small, immutable, serialisable description of a
 * {@link io.github.pointclip.PointClip} that every executor builds for itself (once per JVM, see
 * {@link PointClipSpark}). It holds locations and settings, never model weights: the model directory
 * and the adapter checkpoint are paths every executor can see (a shared file system), names of files
 * shipped with the job ({@code --files}/{@code --archives}, found with {@code SparkFiles} or in the
 * working directory) or Hadoop URIs ({@code hdfs://}, {@code s3a://}) that each executor copies to a
 * local folder once.
 *
 * <pre>{@code
 * PointClipSpec spec = PointClipSpec.builder()
 *     .model("hdfs:///models/clip-vit-b16")      // or "/mnt/shared/clip", or "clip" shipped with --archives
 *     .labels(List.of("chair", "table", "lamp"))
 *     .pipeline("v2")
 *     .embedding(true)                            // also write the fused 3-D embedding
 *     .build();
 * }</pre>
 *
 * <p>Equal specs share one model per executor JVM; two different specs in one job open two.
 */
public final class PointClipSpec implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Default images per encoder run, as {@code PointClip}'s. */
    public static final int DEFAULT_BATCH_SIZE = 32;

    private final String model;
    private final String backbone;
    private final String device;
    private final String dtype;
    private final String pipeline;
    private final String template;
    private final ArrayList<String> labels;
    private final LinkedHashMap<String, ArrayList<String>> prompts;
    private final String adapter;
    private final float[] viewWeights;
    private final int batchSize;
    private final int threads;
    private final int points;
    private final long seed;
    private final boolean dropNonFinite;
    private final boolean embedding;

    private PointClipSpec(Builder b) {
        this.model = b.model;
        this.backbone = b.backbone;
        this.device = b.device;
        this.dtype = b.dtype;
        this.pipeline = b.pipeline;
        this.template = b.template;
        this.labels = b.labels == null ? null : new ArrayList<>(b.labels);
        this.prompts = b.prompts;
        this.adapter = b.adapter;
        this.viewWeights = b.viewWeights;
        this.batchSize = b.batchSize;
        this.threads = b.threads;
        this.points = b.points;
        this.seed = b.seed;
        this.dropNonFinite = b.dropNonFinite;
        this.embedding = b.embedding;
    }

    /** @return a builder; {@link Builder#model(String)} is required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this spec's settings */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.model = model;
        b.backbone = backbone;
        b.device = device;
        b.dtype = dtype;
        b.pipeline = pipeline;
        b.template = template;
        b.labels = labels == null ? null : List.copyOf(labels);
        b.prompts = prompts;
        b.adapter = adapter;
        b.viewWeights = viewWeights;
        b.batchSize = batchSize;
        b.threads = threads;
        b.points = points;
        b.seed = seed;
        b.dropNonFinite = dropNonFinite;
        b.embedding = embedding;
        return b;
    }

    /** @return where the model directory is: a local path, a shipped file's name or a Hadoop URI */
    public String model() {
        return model;
    }

    /** @return the expected backbone name (e.g. {@code ViT-B/16}), or null for whatever the model is */
    public String backbone() {
        return backbone;
    }

    /** @return where the encoders run on the executors: {@code auto}, {@code cpu} or {@code cuda[:N]} */
    public String device() {
        return device;
    }

    /** @return the model file variant ({@code fp16}, {@code q8}...), or null for full precision */
    public String dtype() {
        return dtype;
    }

    /**
     * @return the pipeline preset ({@code v1}, {@code v1-fewshot}, {@code v2}), or null for V2 (with an
     *     adapter: the adapter's)
     */
    public String pipeline() {
        return pipeline;
    }

    /** @return the prompt template with {@code {}} for the label, or null for the pipeline's */
    public String template() {
        return template;
    }

    /** @return the class labels, or null when the classes are {@link #prompts()} or ModelNet40's */
    public List<String> labels() {
        return labels == null ? null : List.copyOf(labels);
    }

    /** @return the prompts of each class in class order, or null when the classes are {@link #labels()} */
    public Map<String, List<String>> prompts() {
        if (prompts == null) {
            return null;
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        prompts.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    /** @return where the few-shot adapter checkpoint is (as {@link #model()}), or null for zero-shot */
    public String adapter() {
        return adapter;
    }

    /** @return view weights overriding the pipeline's, or null */
    public float[] viewWeights() {
        return viewWeights == null ? null : viewWeights.clone();
    }

    /** @return images per encoder run; the clouds of a partition go through the encoder in such runs */
    public int batchSize() {
        return batchSize;
    }

    /**
     * @return ONNX Runtime threads of the model each executor JVM opens; 0 means {@code spark.task.cpus}
     *     (default 1), so that the tasks running side by side on an executor's cores do not fight over them
     */
    public int threads() {
        return threads;
    }

    /**
     * @return points per cloud: the first N of a point file, N sampled on a mesh's surface; 0 for all
     *     (a mesh: its vertices). Default 1024, as {@code pointclip classify}
     */
    public int points() {
        return points;
    }

    /** @return the mesh sampling seed */
    public long seed() {
        return seed;
    }

    /** @return whether points with non-finite coordinates are dropped instead of failing the row */
    public boolean dropNonFinite() {
        return dropNonFinite;
    }

    /** @return whether {@link PointClipSpark#classify} adds the {@code embedding} column */
    public boolean embedding() {
        return embedding;
    }

    /**
     * The pipeline preset, with this spec's template, view weights and points per cloud (not yet the
     * adapter's, which the executors read).
     *
     * @return the pipeline, or null when it is left to the adapter
     */
    Pipeline resolvePipeline() {
        if (pipeline == null && adapter != null) {
            return null;
        }
        Pipeline p = Pipeline.preset(pipeline == null ? "v2" : pipeline);
        if (template != null) {
            p = p.withTemplate(template);
        }
        if (viewWeights != null) {
            p = p.withViewWeights(viewWeights);
        }
        if (points != p.pointsPerCloud()) {
            p = p.withPointsPerCloud(points);
        }
        return p;
    }

    /**
     * @param pipelineTemplate the template of the pipeline in use
     * @return the classes and their prompts: the prompt library, else the labels (default ModelNet40)
     *     filled into the template
     */
    PromptSet promptSet(String pipelineTemplate) {
        if (prompts != null) {
            return PromptSet.fromPrompts(prompts());
        }
        return PromptSet.fromTemplate(pipelineTemplate, labels == null ? ClassNames.MODELNET40 : labels);
    }

    /** @return the class labels in output order (for the driver: the probabilities' column metadata) */
    public List<String> classes() {
        if (prompts != null) {
            return List.copyOf(prompts.keySet());
        }
        return labels == null ? ClassNames.MODELNET40 : List.copyOf(labels);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PointClipSpec s)) {
            return false;
        }
        return batchSize == s.batchSize && threads == s.threads && points == s.points && seed == s.seed
            && dropNonFinite == s.dropNonFinite && embedding == s.embedding && model.equals(s.model)
            && Objects.equals(backbone, s.backbone) && Objects.equals(device, s.device) && Objects.equals(dtype, s.dtype)
            && Objects.equals(pipeline, s.pipeline) && Objects.equals(template, s.template)
            && Objects.equals(labels, s.labels) && Objects.equals(prompts, s.prompts)
            && Objects.equals(adapter, s.adapter) && Arrays.equals(viewWeights, s.viewWeights);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, backbone, device, dtype, pipeline, template, labels, prompts, adapter,
            Arrays.hashCode(viewWeights), batchSize, threads, points, seed, dropNonFinite, embedding);
    }

    /**
     * The settings that decide which model an executor opens; specs that differ only in what is read or
     * written share it.
     */
    String modelKey() {
        return String.join("\u0000", model, String.valueOf(backbone), String.valueOf(device), String.valueOf(dtype),
            String.valueOf(pipeline), String.valueOf(template), String.valueOf(labels), String.valueOf(prompts),
            String.valueOf(adapter), Arrays.toString(viewWeights), String.valueOf(batchSize), String.valueOf(threads),
            String.valueOf(points));
    }

    @Override
    public String toString() {
        return "PointClipSpec[model=" + model + (backbone == null ? "" : ", backbone=" + backbone)
            + ", pipeline=" + (pipeline == null ? adapter == null ? "v2" : "(the adapter's)" : pipeline)
            + (adapter == null ? "" : ", adapter=" + adapter)
            + ", classes=" + (prompts != null ? prompts.size() + " (prompt library)" : labels == null ? "modelnet40"
                : labels.size()) + ", batch=" + batchSize + ", threads=" + (threads == 0 ? "spark.task.cpus" : threads)
            + ", points=" + points + (embedding ? ", embedding" : "") + "]";
    }

    /** Builds a {@link PointClipSpec}; validates in {@link #build()}. */
    public static final class Builder {
        private String model;
        private String backbone;
        private String device = "auto";
        private String dtype;
        private String pipeline;
        private String template;
        private List<String> labels;
        private LinkedHashMap<String, ArrayList<String>> prompts;
        private String adapter;
        private float[] viewWeights;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int threads;
        private int points = Pipeline.DEFAULT_POINTS_PER_CLOUD;
        private long seed;
        private boolean dropNonFinite;
        private boolean embedding;

        private Builder() {
        }

        /**
         * @param location the model directory: a path every executor sees, the name of a folder shipped
         *     with {@code --archives} or a file shipped with {@code --files}, or a Hadoop URI
         *     ({@code hdfs://...}, {@code s3a://...}) that each executor copies once; required
         * @return this builder
         */
        public Builder model(String location) {
            this.model = location;
            return this;
        }

        /**
         * @param name the expected backbone, e.g. {@code ViT-B/16}; default: whatever the model is
         * @return this builder
         */
        public Builder backbone(String name) {
            this.backbone = name;
            return this;
        }

        /**
         * @param device {@code auto} (default), {@code cpu} or {@code cuda[:N]} on the executors
         * @return this builder
         */
        public Builder device(String device) {
            this.device = Objects.requireNonNull(device, "device");
            return this;
        }

        /**
         * @param dtype the model file variant ({@code fp16}, {@code q8}...); default full precision
         * @return this builder
         */
        public Builder dtype(String dtype) {
            this.dtype = dtype;
            return this;
        }

        /**
         * @param preset {@code v1}, {@code v1-fewshot} or {@code v2}; default {@code v2}, or with an adapter
         *     the pipeline it was trained with
         * @return this builder
         */
        public Builder pipeline(String preset) {
            this.pipeline = preset;
            return this;
        }

        /**
         * @param template prompt template with {@code {}} for the label; default the pipeline's
         * @return this builder
         */
        public Builder template(String template) {
            this.template = template;
            return this;
        }

        /**
         * @param labels class labels, prompted with the template; clears {@link #prompts}. Default ModelNet40
         * @return this builder
         */
        public Builder labels(List<String> labels) {
            this.labels = List.copyOf(labels);
            this.prompts = null;
            return this;
        }

        /**
         * @param promptsByClass each class's prompts, ensembled, in class order; clears {@link #labels}
         * @return this builder
         */
        public Builder prompts(Map<String, List<String>> promptsByClass) {
            LinkedHashMap<String, ArrayList<String>> copy = new LinkedHashMap<>();
            promptsByClass.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "class"), new ArrayList<>(v)));
            this.prompts = copy;
            this.labels = null;
            return this;
        }

        /**
         * Reads a prompt library {@code {"class": ["prompt", ...]}} here, on the driver: the executors get
         * its content, not the file.
         *
         * @param file the JSON file
         * @return this builder
         * @throws IOException if it cannot be read or is not a prompt library
         */
        public Builder promptsFile(Path file) throws IOException {
            PromptSet set = PromptSet.fromJson(file);
            Map<String, List<String>> byClass = new LinkedHashMap<>();
            for (int c = 0; c < set.size(); c++) {
                byClass.put(set.classes().get(c), set.prompts(c));
            }
            return prompts(byClass);
        }

        /**
         * @param location a few-shot adapter checkpoint, located as {@link #model(String)}; default none
         * @return this builder
         */
        public Builder adapter(String location) {
            this.adapter = location;
            return this;
        }

        /**
         * @param weights one weight per view, overriding the pipeline's
         * @return this builder
         */
        public Builder viewWeights(float... weights) {
            this.viewWeights = weights == null ? null : weights.clone();
            return this;
        }

        /**
         * @param images images per encoder run (default {@value #DEFAULT_BATCH_SIZE}); a partition's clouds
         *     are read and encoded in groups of {@code max(1, batch / views)}
         * @return this builder
         */
        public Builder batchSize(int images) {
            this.batchSize = images;
            return this;
        }

        /**
         * @param threads ONNX Runtime threads of each executor's model; 0 (default) for
         *     {@code spark.task.cpus}
         * @return this builder
         */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /**
         * @param n points per cloud, 0 for all; default 1024
         * @return this builder
         */
        public Builder points(int n) {
            this.points = n;
            return this;
        }

        /**
         * @param seed mesh sampling seed; default 0
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @param drop drop points with non-finite coordinates instead of reporting the row as an error
         * @return this builder
         */
        public Builder dropNonFinite(boolean drop) {
            this.dropNonFinite = drop;
            return this;
        }

        /**
         * @param include whether {@link PointClipSpark#classify} also writes the {@code embedding} column
         *     (the fused, normalised 3-D feature); default false
         * @return this builder
         */
        public Builder embedding(boolean include) {
            this.embedding = include;
            return this;
        }

        /**
         * @return the spec
         * @throws IllegalArgumentException if the model is missing or a setting is out of range
         */
        public PointClipSpec build() {
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("PointClipSpec needs the model's location (a path every executor "
                    + "sees, a file shipped with --files/--archives, or an hdfs:// or s3a:// URI)");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
            }
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0 (0 = spark.task.cpus), got " + threads);
            }
            if (points < 0) {
                throw new IllegalArgumentException("points must be >= 0 (0 = all points), got " + points);
            }
            if (labels != null && (labels.isEmpty() || labels.stream().anyMatch(String::isBlank))) {
                throw new IllegalArgumentException("labels must be non-empty and not blank: " + labels);
            }
            if (prompts != null && prompts.isEmpty()) {
                throw new IllegalArgumentException("the prompt library holds no class");
            }
            if (adapter != null && (template != null || viewWeights != null)) {
                throw new IllegalArgumentException("an adapter was trained with its own template and view weights; "
                    + "leave template and viewWeights unset");
            }
            PointClipSpec spec = new PointClipSpec(this);
            spec.resolvePipeline(); // an unknown preset, a bad template or view weights fail here, on the driver
            return spec;
        }
    }
}
