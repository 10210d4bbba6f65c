package io.github.pointclip.onnx.bundle;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Choices and overrides for {@link ModelBundle#detect(Path, BundleOptions)}. The size overrides
 * apply to the public layouts only, whose files do not say everything (a {@code pointclip-model.json}
 * is authoritative); they win over {@code config.json}. To describe a public layout completely,
 * write a {@code pointclip-model.json} into its directory whose {@code visual.file} and
 * {@code textual.file} point at the existing models: it is then read as a {@link BundleLayout#POINTCLIP}
 * bundle. Immutable.
 */
public final class BundleOptions {

    private static final BundleOptions DEFAULTS = builder().build();

    private final ModelVariant variant;
    private final String backbone;
    private final Integer embeddingDim;
    private final Integer imageSize;
    private final Integer contextLength;
    private final Double logitScale;
    private final TokenizerFormat tokenizerFormat;
    private final List<Path> tokenizerFiles;

    private BundleOptions(Builder b) {
        this.variant = b.variant;
        this.backbone = b.backbone;
        this.embeddingDim = b.embeddingDim;
        this.imageSize = b.imageSize;
        this.contextLength = b.contextLength;
        this.logitScale = b.logitScale;
        this.tokenizerFormat = b.tokenizerFormat;
        this.tokenizerFiles = b.tokenizerFiles;
    }

    /** @return the options with every default */
    public static BundleOptions defaults() {
        return DEFAULTS;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the transformers.js model variant; default {@link ModelVariant#DEFAULT} */
    public ModelVariant variant() {
        return variant;
    }

    /**
     * @param variant another variant
     * @return these options with that variant
     */
    public BundleOptions withVariant(ModelVariant variant) {
        Builder b = new Builder();
        b.variant = java.util.Objects.requireNonNull(variant, "variant");
        b.backbone = backbone;
        b.embeddingDim = embeddingDim;
        b.imageSize = imageSize;
        b.contextLength = contextLength;
        b.logitScale = logitScale;
        b.tokenizerFormat = tokenizerFormat;
        b.tokenizerFiles = tokenizerFiles;
        return b.build();
    }

    /** @return the backbone name override, or null */
    public String backbone() {
        return backbone;
    }

    /** @return the embedding dimension override, or null */
    public Integer embeddingDim() {
        return embeddingDim;
    }

    /** @return the image size override, or null */
    public Integer imageSize() {
        return imageSize;
    }

    /** @return the context length override, or null */
    public Integer contextLength() {
        return contextLength;
    }

    /** @return the logit scale override, or null */
    public Double logitScale() {
        return logitScale;
    }

    /** @return the tokenizer format override, or null */
    public TokenizerFormat tokenizerFormat() {
        return tokenizerFormat;
    }

    /** @return the tokenizer files override (null unless {@link #tokenizerFormat()} is set) */
    public List<Path> tokenizerFiles() {
        return tokenizerFiles;
    }

    /** Builds {@link BundleOptions}. */
    public static final class Builder {
        private ModelVariant variant = ModelVariant.DEFAULT;
        private String backbone;
        private Integer embeddingDim;
        private Integer imageSize;
        private Integer contextLength;
        private Double logitScale;
        private TokenizerFormat tokenizerFormat;
        private List<Path> tokenizerFiles;

        private Builder() {
        }

        /**
         * @param variant which transformers.js model files to load; default {@link ModelVariant#DEFAULT}, the only
         *     one the layouts other than Hugging Face's accept
         * @return this builder
         */
        public Builder variant(ModelVariant variant) {
            this.variant = Objects.requireNonNull(variant, "variant");
            return this;
        }

        /**
         * @param backbone backbone name, e.g. {@code ViT-L/14}; default from {@code config.json}, else {@code unknown}
         * @return this builder
         */
        public Builder backbone(String backbone) {
            this.backbone = backbone;
            return this;
        }

        /**
         * @param embeddingDim embedding dimension; default from {@code config.json}, else taken from the model
         * @return this builder
         */
        public Builder embeddingDim(int embeddingDim) {
            this.embeddingDim = embeddingDim;
            return this;
        }

        /**
         * @param imageSize input image side; default from {@code config.json}, else taken from the model
         * @return this builder
         */
        public Builder imageSize(int imageSize) {
            this.imageSize = imageSize;
            return this;
        }

        /**
         * @param contextLength tokens per prompt; default from {@code config.json}, else 77
         * @return this builder
         */
        public Builder contextLength(int contextLength) {
            this.contextLength = contextLength;
            return this;
        }

        /**
         * @param logitScale factor on cosine similarities; default 100
         * @return this builder
         */
        public Builder logitScale(double logitScale) {
            this.logitScale = logitScale;
            return this;
        }

        /**
         * Uses tokenizer files from elsewhere, for exports that ship none.
         *
         * @param format the files' format
         * @param files the files, in the format's order
         * @return this builder
         */
        public Builder tokenizer(TokenizerFormat format, List<Path> files) {
            this.tokenizerFormat = Objects.requireNonNull(format, "format");
            this.tokenizerFiles = List.copyOf(files);
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException when a size is not positive or the tokenizer file count is wrong
         */
        public BundleOptions build() {
            for (Integer v : new Integer[] {embeddingDim, imageSize, contextLength}) {
                if (v != null && v <= 0) {
                    throw new IllegalArgumentException("sizes must be positive, found " + v);
                }
            }
            if (logitScale != null && !(logitScale > 0 && Double.isFinite(logitScale))) {
                throw new IllegalArgumentException("logitScale must be positive and finite, found " + logitScale);
            }
            if (tokenizerFormat != null && tokenizerFiles.size() != tokenizerFormat.fileCount()) {
                throw new IllegalArgumentException("tokenizer format " + tokenizerFormat + " needs "
                    + tokenizerFormat.fileCount() + " file(s), found " + tokenizerFiles);
            }
            return new BundleOptions(this);
        }
    }
}
