package io.github.pointclip.adapter.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.Pipeline;
import io.github.pointclip.adapter.InterViewAdapter;
import io.github.pointclip.adapter.StateTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A trained inter-view adapter with its provenance, stored as one safetensors file.
 *
 * <p>Tensors (all F32, PyTorch shapes, the names of the reference module's state dict, see
 * {@link InterViewAdapter}): {@code fusion_ratio [V]}; {@code global_f.0.bn.weight, global_f.0.bn.bias,
 * global_f.0.bn.running_mean, global_f.0.bn.running_var [C]}; {@code global_f.3.weight [C, V·C]},
 * {@code global_f.3.bias [C]};
 * {@code global_f.4.weight, .bias, .running_mean, .running_var [C]}; {@code view_f.0.weight [C, C]},
 * {@code view_f.0.bias [C]}; {@code view_f.2.weight [V·C, C]}, {@code view_f.2.bias [V·C]}.
 *
 * <p>Metadata (all strings, as safetensors requires): {@code format} ({@value #FORMAT}),
 * {@code format_version} ({@value #FORMAT_VERSION}), {@code views}, {@code embedding_dim},
 * {@code adapter_ratio}, {@code dropout}, {@code backbone}, {@code pipeline} (its name),
 * {@code pipeline_fingerprint} (the pipeline by value, {@link Pipeline#fingerprint()}; absent in older files),
 * {@code model_id},
 * {@code class_names} (JSON array), {@code prompts} (JSON array of one array of prompts per class),
 * {@code view_weights} (JSON array), {@code shots} (labelled shapes per class, 0 when unknown),
 * {@code seed}, {@code epochs}, {@code best_epoch},
 * {@code validation_accuracy} ({@code NaN} without a validation split), {@code library_version}.
 *
 * <p>Immutable.
 */
public final class AdapterCheckpoint {
    /** Value of the {@code format} metadata entry. */
    public static final String FORMAT = "pointclip-inter-view-adapter";
    /** Value of the {@code format_version} metadata entry. */
    public static final String FORMAT_VERSION = "1";
    /** The extension of a checkpoint file. */
    public static final String EXTENSION = ".safetensors";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The names of the first BatchNorm in files written before it was named as in the reference module. */
    private static final Map<String, String> LEGACY_NAMES = Map.of(
            "global_f.0.weight", "global_f.0.bn.weight",
            "global_f.0.bias", "global_f.0.bn.bias",
            "global_f.0.running_mean", "global_f.0.bn.running_mean",
            "global_f.0.running_var", "global_f.0.bn.running_var");

    private final int views;
    private final int embeddingDim;
    private final double adapterRatio;
    private final double dropout;
    private final String backbone;
    private final String pipeline;
    private final String pipelineFingerprint;
    private final String modelId;
    private final List<String> classNames;
    private final List<List<String>> prompts;
    private final float[] viewWeights;
    private final long seed;
    private final int shots;
    private final int epochs;
    private final int bestEpoch;
    private final double validationAccuracy;
    private final Map<String, StateTensor> state;
    private final Path source;

    private AdapterCheckpoint(Builder b, Path source) {
        this.views = b.views;
        this.embeddingDim = b.embeddingDim;
        this.adapterRatio = b.adapterRatio;
        this.dropout = b.dropout;
        this.backbone = b.backbone;
        this.pipeline = b.pipeline;
        this.pipelineFingerprint = b.pipelineFingerprint;
        this.modelId = b.modelId;
        this.classNames = List.copyOf(b.classNames);
        List<List<String>> p = new ArrayList<>();
        for (List<String> l : b.prompts) {
            p.add(List.copyOf(l));
        }
        this.prompts = Collections.unmodifiableList(p);
        this.viewWeights = b.viewWeights.clone();
        this.seed = b.seed;
        this.shots = b.shots;
        this.epochs = b.epochs;
        this.bestEpoch = b.bestEpoch;
        this.validationAccuracy = b.validationAccuracy;
        this.state = Collections.unmodifiableMap(new LinkedHashMap<>(b.state));
        this.source = source;
    }

    /**
     * @param adapter the trained adapter; its state is copied now
     * @return a builder holding the adapter's shape, settings and state
     */
    public static Builder builder(InterViewAdapter adapter) {
        return new Builder(adapter);
    }

    /**
     * Writes the checkpoint atomically.
     *
     * @param file the target, replaced if it exists
     * @throws IOException if writing fails (the target is then unchanged)
     */
    public void save(Path file) throws IOException {
        SafeTensors.write(file, state, metadata());
    }

    /**
     * Reads and validates a checkpoint: the format entry, the metadata, and every tensor's presence and shape
     * against the views and dimension the metadata states.
     *
     * @param file the checkpoint
     * @return the checkpoint
     * @throws CheckpointException naming the file and what is wrong or does not match (a directory, a name
     *     without the {@value #EXTENSION} extension, a corrupt file, metadata that does not fit the tensors)
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws IOException if the file cannot be read
     */
    public static AdapterCheckpoint load(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new CheckpointException(file, "is a directory; expected an adapter checkpoint file (" + EXTENSION + ")");
        }
        Path name = file.getFileName();
        if (name == null || !name.toString().toLowerCase(Locale.ROOT).endsWith(EXTENSION)) {
            throw new CheckpointException(file, "unknown extension; an adapter checkpoint is a " + EXTENSION + " file");
        }
        SafeTensors.Contents contents = SafeTensors.read(file);
        Map<String, String> m = contents.metadata();
        if (!FORMAT.equals(m.get("format"))) {
            throw new CheckpointException(file, "not a PointCLIP adapter checkpoint (metadata format is "
                    + (m.get("format") == null ? "missing" : "'" + m.get("format") + "'") + ", expected '" + FORMAT + "')");
        }
        if (!FORMAT_VERSION.equals(m.get("format_version"))) {
            throw new CheckpointException(file, "unsupported format_version " + m.get("format_version")
                    + ", this library reads " + FORMAT_VERSION);
        }
        Builder b = new Builder(positive(file, m, "views"), positive(file, m, "embedding_dim"));
        b.adapterRatio = number(file, m, "adapter_ratio");
        b.dropout = number(file, m, "dropout");
        b.backbone = m.getOrDefault("backbone", "");
        b.pipeline = m.getOrDefault("pipeline", "");
        b.pipelineFingerprint = m.getOrDefault("pipeline_fingerprint", "");
        b.modelId = m.getOrDefault("model_id", "");
        b.classNames = json(file, m, "class_names", new TypeReference<List<String>>() { });
        b.prompts = json(file, m, "prompts", new TypeReference<List<List<String>>>() { });
        List<Float> w = json(file, m, "view_weights", new TypeReference<List<Float>>() { });
        b.viewWeights = new float[w.size()];
        for (int i = 0; i < w.size(); i++) {
            b.viewWeights[i] = w.get(i);
        }
        b.seed = integer(file, m, "seed", Long.MIN_VALUE, Long.MAX_VALUE);
        b.shots = m.containsKey("shots") ? (int) integer(file, m, "shots", 0, Integer.MAX_VALUE) : 0;
        b.epochs = (int) integer(file, m, "epochs", 0, Integer.MAX_VALUE);
        b.bestEpoch = (int) integer(file, m, "best_epoch", -1, Integer.MAX_VALUE);
        b.validationAccuracy = number(file, m, "validation_accuracy");
        b.state = renameLegacy(contents.tensors());
        try {
            b.validate();
            b.newAdapter().loadState(b.state);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, "does not fit its own metadata (V=" + b.views + ", C=" + b.embeddingDim
                    + "): " + e.getMessage(), e);
        }
        return new AdapterCheckpoint(b, file);
    }

    /**
     * Checks that this checkpoint fits a model and pipeline, listing every mismatch.
     *
     * @param expectedViews the pipeline's number of views
     * @param expectedDim the model's feature dimension
     * @param expectedClasses the class names that will be scored, or null to skip that check
     * @throws CheckpointException naming the file and each of views, dimension and classes that differ
     */
    public void checkCompatible(int expectedViews, int expectedDim, List<String> expectedClasses)
            throws CheckpointException {
        List<String> problems = new ArrayList<>();
        if (expectedViews != views) {
            problems.add("trained for " + views + " views, the pipeline has " + expectedViews);
        }
        if (expectedDim != embeddingDim) {
            problems.add("trained on " + embeddingDim + "-d features, the model gives " + expectedDim);
        }
        if (expectedClasses != null && !expectedClasses.equals(classNames)) {
            problems.add("trained on " + classNames.size() + " classes " + abbreviate(classNames) + ", asked for "
                    + expectedClasses.size() + " " + abbreviate(expectedClasses));
        }
        if (!problems.isEmpty()) {
            throw new CheckpointException(source == null ? Path.of("(unsaved checkpoint)") : source,
                    "adapter does not match: " + String.join("; ", problems));
        }
    }

    /**
     * Checks that this checkpoint was trained with a pipeline, by value: its recorded
     * {@link Pipeline#fingerprint()} must equal the pipeline's. A file from before pipelines were recorded by
     * value carries only a name, which must then be the pipeline's (derived) name.
     *
     * @param expected the pipeline features will be computed with
     * @throws CheckpointException naming the file, both pipelines and the parts in which they differ
     */
    public void checkPipeline(Pipeline expected) throws CheckpointException {
        Path file = source == null ? Path.of("(unsaved checkpoint)") : source;
        if (!pipelineFingerprint.isEmpty()) {
            if (!pipelineFingerprint.equals(expected.fingerprint())) {
                throw new CheckpointException(file, "trained with pipeline " + pipeline + ", but the pipeline is "
                        + expected.name() + "; they differ in "
                        + String.join(", ", Pipeline.differences(pipelineFingerprint, expected.fingerprint())));
            }
        } else if (!pipeline.isEmpty() && !pipeline.equals(expected.name())
                && !expected.name().equals(pipeline + Pipeline.CUSTOM_SUFFIX)) {
            throw new CheckpointException(file, "trained with pipeline '" + pipeline + "', but the pipeline is '"
                    + expected.name() + "'");
        }
    }

    private static Map<String, StateTensor> renameLegacy(Map<String, StateTensor> tensors) {
        Map<String, StateTensor> out = new LinkedHashMap<>();
        tensors.forEach((name, t) -> {
            String renamed = LEGACY_NAMES.get(name);
            out.put(renamed != null && !tensors.containsKey(renamed) ? renamed : name, t);
        });
        return out;
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 6 ? names.toString() : names.subList(0, 6).toString().replace("]", ", ...]");
    }

    /** @return a fresh adapter (inference or further training) with this checkpoint's state */
    public InterViewAdapter toAdapter() {
        Builder b = new Builder(views, embeddingDim);
        b.adapterRatio = adapterRatio;
        b.dropout = dropout;
        b.seed = seed;
        InterViewAdapter a = b.newAdapter();
        a.loadState(state);
        return a;
    }

    /** @return the inference head for {@link io.github.pointclip.PointClip} */
    public AdapterHead toHead() {
        return new AdapterHead(toAdapter(), metadata(), source);
    }

    /** @return the metadata entries as written to the file (ordered, unmodifiable) */
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("format_version", FORMAT_VERSION);
        m.put("views", Integer.toString(views));
        m.put("embedding_dim", Integer.toString(embeddingDim));
        m.put("adapter_ratio", Double.toString(adapterRatio));
        m.put("dropout", Double.toString(dropout));
        m.put("backbone", backbone);
        m.put("pipeline", pipeline);
        if (!pipelineFingerprint.isEmpty()) {
            m.put("pipeline_fingerprint", pipelineFingerprint);
        }
        m.put("model_id", modelId);
        try {
            m.put("class_names", JSON.writeValueAsString(classNames));
            m.put("prompts", JSON.writeValueAsString(prompts));
            m.put("view_weights", JSON.writeValueAsString(viewWeights));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        m.put("seed", Long.toString(seed));
        m.put("shots", Integer.toString(shots));
        m.put("epochs", Integer.toString(epochs));
        m.put("best_epoch", Integer.toString(bestEpoch));
        m.put("validation_accuracy", Double.toString(validationAccuracy));
        m.put("library_version", io.github.pointclip.Version.get());
        return Collections.unmodifiableMap(m);
    }

    /** @return number of views V */
    public int views() {
        return views;
    }

    /** @return feature dimension C */
    public int embeddingDim() {
        return embeddingDim;
    }

    /** @return the class names the adapter was trained on */
    public List<String> classNames() {
        return classNames;
    }

    /** @return the prompts of each class (may be empty) */
    public List<List<String>> prompts() {
        return prompts;
    }

    /** @return a copy of the view weights */
    public float[] viewWeights() {
        return viewWeights.clone();
    }

    /** @return the backbone name, empty when unknown */
    public String backbone() {
        return backbone;
    }

    /** @return the pipeline name, empty when unknown */
    public String pipeline() {
        return pipeline;
    }

    /** @return the pipeline's {@link Pipeline#fingerprint()}, empty when unknown (files before version 0.2) */
    public String pipelineFingerprint() {
        return pipelineFingerprint;
    }

    /** @return the CLIP model id the features came from, empty when unknown */
    public String modelId() {
        return modelId;
    }

    /** @return the training seed */
    public long seed() {
        return seed;
    }

    /** @return labelled training shapes per class, 0 when unknown */
    public int shots() {
        return shots;
    }

    /** @return the number of epochs trained */
    public int epochs() {
        return epochs;
    }

    /** @return the epoch whose weights were kept */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** @return the validation accuracy of the kept epoch, NaN without validation */
    public double validationAccuracy() {
        return validationAccuracy;
    }

    /** @return the tensors by name (unmodifiable) */
    public Map<String, StateTensor> state() {
        return state;
    }

    /** @return the file this checkpoint was loaded from, or null */
    public Path source() {
        return source;
    }

    private static String required(Path file, Map<String, String> m, String key) throws CheckpointException {
        String v = m.get(key);
        if (v == null) {
            throw new CheckpointException(file, "metadata '" + key + "' is missing");
        }
        return v;
    }

    /** An integer metadata value, parsed exactly (a seed above 2^53 would not survive a double). */
    private static long integer(Path file, Map<String, String> m, String key, long min, long max)
            throws CheckpointException {
        String v = required(file, m, key);
        long value;
        try {
            value = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new CheckpointException(file, "metadata '" + key + "' is not an integer: '" + v + "'");
        }
        if (value < min || value > max) {
            throw new CheckpointException(file, "metadata '" + key + "' is out of range [" + min + ", " + max + "]: "
                + value);
        }
        return value;
    }

    private static double number(Path file, Map<String, String> m, String key) throws CheckpointException {
        String v = required(file, m, key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new CheckpointException(file, "metadata '" + key + "' is not a number: '" + v + "'");
        }
    }

    private static int positive(Path file, Map<String, String> m, String key) throws CheckpointException {
        String v = required(file, m, key);
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CheckpointException(file, "metadata '" + key + "' is not a positive integer: '" + v + "'");
    }

    private static <T> T json(Path file, Map<String, String> m, String key, TypeReference<T> type)
            throws CheckpointException {
        String v = required(file, m, key);
        try {
            T t = JSON.readValue(v, type);
            if (t == null) {
                throw new CheckpointException(file, "metadata '" + key + "' is null");
            }
            return t;
        } catch (JsonProcessingException e) {
            throw new CheckpointException(file, "metadata '" + key + "' is not valid JSON: "
                + io.github.pointclip.internal.JsonMessages.of(e), e);
        }
    }

    /** Settings and provenance of an {@link AdapterCheckpoint}; validated in {@link #build()}. */
    public static final class Builder {
        private final int views;
        private final int embeddingDim;
        private double adapterRatio = 0.6;
        private double dropout = 0.075;
        private String backbone = "";
        private String pipeline = "";
        private String pipelineFingerprint = "";
        private String modelId = "";
        private List<String> classNames = List.of();
        private List<List<String>> prompts = List.of();
        private float[] viewWeights = new float[0];
        private long seed;
        private int shots;
        private int epochs;
        private int bestEpoch;
        private double validationAccuracy = Double.NaN;
        private Map<String, StateTensor> state = Map.of();

        private Builder(int views, int embeddingDim) {
            this.views = views;
            this.embeddingDim = embeddingDim;
        }

        private Builder(InterViewAdapter adapter) {
            this(adapter.views(), adapter.channels());
            this.adapterRatio = adapter.adapterRatio();
            this.dropout = adapter.dropout();
            this.state = adapter.stateDict();
        }

        /**
         * @param name backbone name, e.g. {@code ViT-B/16}; default empty
         * @return this
         */
        public Builder backbone(String name) {
            this.backbone = Objects.requireNonNull(name, "backbone");
            return this;
        }

        /**
         * Records the pipeline by value: its name and its {@link Pipeline#fingerprint()}, which
         * {@code PointClip} and {@link #checkPipeline} compare with the pipeline the adapter is used with.
         *
         * @param trainedWith the pipeline the features were computed with
         * @return this
         */
        public Builder pipeline(Pipeline trainedWith) {
            this.pipeline = trainedWith.name();
            this.pipelineFingerprint = trainedWith.fingerprint();
            return this;
        }

        /**
         * Records only a pipeline name, as files before version 0.2 did; prefer {@link #pipeline(Pipeline)}.
         *
         * @param name pipeline name, e.g. {@code v1}; default empty
         * @return this
         */
        public Builder pipeline(String name) {
            this.pipeline = Objects.requireNonNull(name, "pipeline");
            this.pipelineFingerprint = "";
            return this;
        }

        /**
         * @param id the CLIP model's id ({@code ClipModel.id()}); default empty
         * @return this
         */
        public Builder modelId(String id) {
            this.modelId = Objects.requireNonNull(id, "modelId");
            return this;
        }

        /**
         * @param names class names in label order; required (at least 2)
         * @return this
         */
        public Builder classNames(List<String> names) {
            this.classNames = List.copyOf(names);
            return this;
        }

        /**
         * @param perClass the prompts of each class, in label order; default none
         * @return this
         */
        public Builder prompts(List<List<String>> perClass) {
            this.prompts = List.copyOf(perClass);
            return this;
        }

        /**
         * @param weights one weight per view; default empty (unweighted)
         * @return this
         */
        public Builder viewWeights(float[] weights) {
            this.viewWeights = weights.clone();
            return this;
        }

        /**
         * @param trainingSeed the training seed; default 0
         * @return this
         */
        public Builder seed(long trainingSeed) {
            this.seed = trainingSeed;
            return this;
        }

        /**
         * @param shotsPerClass labelled training shapes per class; default 0 (unknown)
         * @return this
         */
        public Builder shots(int shotsPerClass) {
            if (shotsPerClass < 0) {
                throw new IllegalArgumentException("shots must be >= 0, got " + shotsPerClass);
            }
            this.shots = shotsPerClass;
            return this;
        }

        /**
         * @param trained epochs trained; default 0
         * @param best the epoch whose weights are stored; default 0
         * @param accuracy validation accuracy of that epoch; default NaN
         * @return this
         */
        public Builder training(int trained, int best, double accuracy) {
            this.epochs = trained;
            this.bestEpoch = best;
            this.validationAccuracy = accuracy;
            return this;
        }

        private void validate() {
            if (classNames.size() < 2) {
                throw new IllegalArgumentException("a checkpoint needs at least 2 class names, got " + classNames.size());
            }
            if (!prompts.isEmpty() && prompts.size() != classNames.size()) {
                throw new IllegalArgumentException(prompts.size() + " prompt lists for " + classNames.size() + " classes");
            }
            if (viewWeights.length != 0 && viewWeights.length != views) {
                throw new IllegalArgumentException(viewWeights.length + " view weights for " + views + " views");
            }
        }

        private InterViewAdapter newAdapter() {
            return InterViewAdapter.builder(views, embeddingDim).adapterRatio(adapterRatio).dropout(dropout).seed(seed)
                    .build();
        }

        /**
         * @return the checkpoint
         * @throws IllegalArgumentException if the class names, prompts or view weights do not fit
         */
        public AdapterCheckpoint build() {
            validate();
            return new AdapterCheckpoint(this, null);
        }
    }
}
