package io.github.pointclip.encoder;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What to load and how: the model location, the expected backbone, the file variant (dtype), the device,
 * threads and batch size. Immutable; build with {@link #builder()}.
 */
public final class ModelRequest {
    /**
     * Option {@code "truncate"}: with {@code "true"}, the text encoder cuts a prompt longer than its context
     * (CLIP: 77 tokens) as openai/CLIP's {@code truncate=True} does, instead of failing on it.
     */
    public static final String TRUNCATE_PROMPTS = "truncate";

    private final Path model;
    private final Backbone backbone;
    private final Device device;
    private final int threads;
    private final int batchSize;
    private final boolean offline;
    private final String dtype;
    private final Map<String, String> options;

    private ModelRequest(Builder b) {
        this.model = b.model;
        this.backbone = b.backbone;
        this.device = b.device;
        this.threads = b.threads;
        this.batchSize = b.batchSize;
        this.offline = b.offline;
        this.dtype = b.dtype;
        this.options = Map.copyOf(b.options);
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder initialised with this request */
    public Builder toBuilder() {
        Builder b = new Builder().model(model).backbone(backbone).device(device).threads(threads)
            .batchSize(batchSize).offline(offline).dtype(dtype);
        b.options.putAll(options);
        return b;
    }

    /** @return the model directory, or null to let the provider resolve its default */
    public Path model() {
        return model;
    }

    /** @return the expected backbone, or null when any will do */
    public Backbone backbone() {
        return backbone;
    }

    /** @return the device */
    public Device device() {
        return device;
    }

    /** @return intra-op threads, 0 for the backend's default */
    public int threads() {
        return threads;
    }

    /** @return the largest number of images or texts per encoder run */
    public int batchSize() {
        return batchSize;
    }

    /** @return true if nothing may be downloaded */
    public boolean offline() {
        return offline;
    }

    /**
     * @return the model file variant, named as transformers.js names its dtypes ({@code fp32}, {@code fp16},
     *     {@code q8}, {@code int8}, {@code uint8}, {@code q4}, {@code q4f16}, {@code bnb4}), or null for the
     *     provider's default (full precision)
     */
    public String dtype() {
        return dtype;
    }

    /** @return provider-specific options (name → value), unmodifiable */
    public Map<String, String> options() {
        return options;
    }

    @Override
    public String toString() {
        return "ModelRequest[model=" + model + ", backbone=" + backbone + ", device=" + device + ", threads=" + threads
            + ", batchSize=" + batchSize + ", offline=" + offline + ", dtype=" + dtype + ", options=" + options + "]";
    }

    /** Builds a {@link ModelRequest}. */
    public static final class Builder {
        private Path model;
        private Backbone backbone;
        private Device device = Device.AUTO;
        private int threads;
        private int batchSize = 32;
        private boolean offline;
        private String dtype;
        private final Map<String, String> options = new TreeMap<>();

        private Builder() {
        }

        /**
         * @param model the model directory; default null (resolved by the provider)
         * @return this builder
         */
        public Builder model(Path model) {
            this.model = model;
            return this;
        }

        /**
         * @param backbone the expected backbone; default null (whatever the model is)
         * @return this builder
         */
        public Builder backbone(Backbone backbone) {
            this.backbone = backbone;
            return this;
        }

        /**
         * @param device where to run; default {@link Device#AUTO}
         * @return this builder
         */
        public Builder device(Device device) {
            this.device = Objects.requireNonNull(device, "device");
            return this;
        }

        /**
         * @param threads intra-op threads; default 0 (the backend's default)
         * @return this builder
         */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /**
         * @param batchSize images or texts per encoder run; default 32
         * @return this builder
         */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * @param offline never download; default false
         * @return this builder
         */
        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        /**
         * @param dtype the model file variant as transformers.js names it ({@code fp32}, {@code fp16}, {@code q8}, ...);
         *     default null (full precision). The provider checks the name
         * @return this builder
         */
        public Builder dtype(String dtype) {
            this.dtype = dtype == null || dtype.isBlank() ? null : dtype.trim();
            return this;
        }

        /**
         * @param name provider-specific option name
         * @param value its value
         * @return this builder
         */
        public Builder option(String name, String value) {
            options.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * @return the request
         * @throws IllegalArgumentException if threads or batch size are out of range
         */
        public ModelRequest build() {
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0, got " + threads);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
            }
            return new ModelRequest(this);
        }
    }
}
