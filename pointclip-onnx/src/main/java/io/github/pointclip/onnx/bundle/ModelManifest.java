package io.github.pointclip.onnx.bundle;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pointclip.internal.AtomicFiles;
import io.github.pointclip.internal.Sha256;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The description of a CLIP model bundle: {@code pointclip-model.json} for the project's own
 * bundles, synthesised by {@link ModelBundle#detect} for the public layouts. Immutable; build
 * with {@link #builder()}, read with {@link #read(Path)}, write with {@link #write(Path)}.
 *
 * <p>The file (format version 1) looks like this; {@code attentionMask}, {@code sha256},
 * {@code logitScale} and every {@code type}/{@code shape}/{@code name} are optional:
 * <pre>{@code
 * {
 *   "formatVersion": 1,
 *   "backbone": "ViT-B/16",
 *   "embeddingDim": 512,
 *   "imageSize": 224,
 *   "contextLength": 77,
 *   "logitScale": 100.0,
 *   "visual":  { "file": "visual.onnx",
 *                "input":  { "name": "pixel_values", "type": "float32", "shape": [-1, 3, 224, 224] },
 *                "output": { "name": "image_embeds", "type": "float32", "shape": [-1, 512] } },
 *   "textual": { "file": "textual.onnx",
 *                "inputIds":      { "name": "input_ids", "type": "int64", "shape": [-1, 77] },
 *                "attentionMask": { "name": "attention_mask", "type": "int64" },
 *                "output":        { "name": "text_embeds", "type": "float32", "shape": [-1, 512] } },
 *   "tokenizer": { "format": "clip-bpe-gz", "files": ["bpe_simple_vocab_16e6.txt.gz"] },
 *   "sha256": { "visual.onnx": "64 hex digits", "textual.onnx": "..." }
 * }
 * }</pre>
 * A tensor without {@code name} is "the model's only remaining input/output"; without
 * {@code type} or {@code shape} it is not checked; −1 in a shape means any size. A declared
 * attention mask is fed when the model has that input and may be absent from the model.
 * Shapes must agree with {@code imageSize}, {@code contextLength} and {@code embeddingDim}.
 */
public final class ModelManifest {

    /** Name of the manifest file in a bundle directory. */
    public static final String FILE_NAME = "pointclip-model.json";
    /** The format version this library reads and writes. */
    public static final int FORMAT_VERSION = 1;
    /** CLIP's trained logit scale (exp of the learnt temperature, clamped at 100). */
    public static final double DEFAULT_LOGIT_SCALE = 100.0;

    private final String backbone;
    private final int embeddingDim;
    private final int imageSize;
    private final int contextLength;
    private final double logitScale;
    private final String visualFile;
    private final TensorSpec imageInput;
    private final TensorSpec imageOutput;
    private final String textualFile;
    private final TensorSpec tokenIds;
    private final TensorSpec attentionMask;
    private final TensorSpec textOutput;
    private final TokenizerFormat tokenizerFormat;
    private final List<String> tokenizerFiles;
    private final Map<String, String> sha256;

    private ModelManifest(Builder b) {
        this.backbone = b.backbone;
        this.embeddingDim = b.embeddingDim;
        this.imageSize = b.imageSize;
        this.contextLength = b.contextLength;
        this.logitScale = b.logitScale;
        this.visualFile = b.visualFile;
        this.textualFile = b.textualFile;
        this.imageInput = b.imageInput != null ? b.imageInput
            : TensorSpec.of("pixel_values", TensorType.FLOAT32, -1, 3, imageSize, imageSize);
        this.imageOutput = b.imageOutput != null ? b.imageOutput
            : TensorSpec.of("image_embeds", TensorType.FLOAT32, -1, embeddingDim);
        this.tokenIds = b.tokenIds != null ? b.tokenIds
            : TensorSpec.of("input_ids", TensorType.INT64, -1, contextLength);
        this.attentionMask = b.attentionMask;
        this.textOutput = b.textOutput != null ? b.textOutput
            : TensorSpec.of("text_embeds", TensorType.FLOAT32, -1, embeddingDim);
        this.tokenizerFormat = b.tokenizerFormat;
        this.tokenizerFiles = List.copyOf(b.tokenizerFiles);
        this.sha256 = Map.copyOf(b.sha256);
    }

    /** @return a builder with the defaults documented on its setters */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this manifest's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.backbone = backbone;
        b.embeddingDim = embeddingDim;
        b.imageSize = imageSize;
        b.contextLength = contextLength;
        b.logitScale = logitScale;
        b.visualFile = visualFile;
        b.textualFile = textualFile;
        b.imageInput = imageInput;
        b.imageOutput = imageOutput;
        b.tokenIds = tokenIds;
        b.attentionMask = attentionMask;
        b.textOutput = textOutput;
        b.tokenizerFormat = tokenizerFormat;
        b.tokenizerFiles = new ArrayList<>(tokenizerFiles);
        b.sha256 = new TreeMap<>(sha256);
        return b;
    }

    /** @return the backbone name, e.g. {@code ViT-B/16} */
    public String backbone() {
        return backbone;
    }

    /** @return the dimension of the joint embedding space, e.g. 512 */
    public int embeddingDim() {
        return embeddingDim;
    }

    /** @return the side of the square input image, e.g. 224 */
    public int imageSize() {
        return imageSize;
    }

    /** @return the number of tokens per prompt, e.g. 77 */
    public int contextLength() {
        return contextLength;
    }

    /** @return the factor applied to cosine similarities before the softmax */
    public double logitScale() {
        return logitScale;
    }

    /** @return the image encoder model, relative to the bundle directory */
    public String visualFile() {
        return visualFile;
    }

    /** @return the text encoder model, relative to the bundle directory */
    public String textualFile() {
        return textualFile;
    }

    /** @return the expected image input */
    public TensorSpec imageInput() {
        return imageInput;
    }

    /** @return the expected image embedding output */
    public TensorSpec imageOutput() {
        return imageOutput;
    }

    /** @return the expected token-id input */
    public TensorSpec tokenIds() {
        return tokenIds;
    }

    /** @return the attention-mask input, when the manifest declares one */
    public Optional<TensorSpec> attentionMask() {
        return Optional.ofNullable(attentionMask);
    }

    /** @return the expected text embedding output */
    public TensorSpec textOutput() {
        return textOutput;
    }

    /** @return how the vocabulary is shipped */
    public TokenizerFormat tokenizerFormat() {
        return tokenizerFormat;
    }

    /** @return the tokenizer files, relative to the bundle directory (absolute when given so) */
    public List<String> tokenizerFiles() {
        return tokenizerFiles;
    }

    /** @return declared SHA-256 digests (lower-case hex) by bundle-relative path */
    public Map<String, String> sha256() {
        return sha256;
    }

    /** @return what the image encoder must look like */
    public ExpectedSignature visualSignature() {
        return ExpectedSignature.of(
            List.of(new ExpectedSignature.ExpectedTensor(TensorRole.IMAGE, imageInput, false)),
            List.of(new ExpectedSignature.ExpectedTensor(TensorRole.IMAGE_EMBEDDING, imageOutput, false)));
    }

    /** @return what the text encoder must look like; the attention mask, if declared, is optional */
    public ExpectedSignature textualSignature() {
        List<ExpectedSignature.ExpectedTensor> in = new ArrayList<>();
        in.add(new ExpectedSignature.ExpectedTensor(TensorRole.TOKEN_IDS, tokenIds, false));
        if (attentionMask != null) {
            in.add(new ExpectedSignature.ExpectedTensor(TensorRole.ATTENTION_MASK, attentionMask, true));
        }
        return ExpectedSignature.of(in,
            List.of(new ExpectedSignature.ExpectedTensor(TensorRole.TEXT_EMBEDDING, textOutput, false)));
    }

    // ------------------------------------------------------------------ reading and writing

    /**
     * Reads and validates a manifest.
     *
     * @param file the {@code pointclip-model.json} file
     * @return the manifest
     * @throws BundleException naming the file and the field when the JSON is malformed, a field
     *     is missing, unknown or out of range, or the format version is not supported
     * @throws IOException when the file cannot be read
     */
    public static ModelManifest read(Path file) throws IOException {
        StrictJson json = new StrictJson(file);
        JsonNode root = json.object(json.parse(), "", "formatVersion", "backbone", "embeddingDim", "imageSize",
            "contextLength", "logitScale", "visual", "textual", "tokenizer", "sha256");
        long version = json.integer(json.required(root, "", "formatVersion"), "formatVersion");
        if (version != FORMAT_VERSION) {
            throw json.error("formatVersion", "unsupported format version " + version + " (this library reads "
                + FORMAT_VERSION + ")");
        }
        Builder b = builder()
            .backbone(json.string(root, "", "backbone"))
            .embeddingDim(json.positiveInt(root, "", "embeddingDim"))
            .imageSize(json.positiveInt(root, "", "imageSize"))
            .contextLength(json.positiveInt(root, "", "contextLength"));
        if (StrictJson.present(root, "logitScale")) {
            double scale = json.finite(root, "", "logitScale");
            if (scale <= 0) {
                throw json.error("logitScale", "must be positive, found " + scale);
            }
            b.logitScale(scale);
        }
        JsonNode visual = json.object(json.required(root, "", "visual"), "visual", "file", "input", "output");
        b.visualFile(json.relativePath(visual, "visual", "file"));
        if (StrictJson.present(visual, "input")) {
            b.imageInput(readTensor(json, visual.get("input"), "visual.input"));
        }
        if (StrictJson.present(visual, "output")) {
            b.imageOutput(readTensor(json, visual.get("output"), "visual.output"));
        }
        JsonNode textual = json.object(json.required(root, "", "textual"), "textual",
            "file", "inputIds", "attentionMask", "output");
        b.textualFile(json.relativePath(textual, "textual", "file"));
        if (StrictJson.present(textual, "inputIds")) {
            b.tokenIds(readTensor(json, textual.get("inputIds"), "textual.inputIds"));
        }
        if (StrictJson.present(textual, "attentionMask")) {
            b.attentionMask(readTensor(json, textual.get("attentionMask"), "textual.attentionMask"));
        }
        if (StrictJson.present(textual, "output")) {
            b.textOutput(readTensor(json, textual.get("output"), "textual.output"));
        }
        JsonNode tokenizer = json.object(json.required(root, "", "tokenizer"), "tokenizer", "format", "files");
        String format = json.string(tokenizer, "tokenizer", "format");
        try {
            b.tokenizerFormat(TokenizerFormat.parse(format));
        } catch (IllegalArgumentException e) {
            throw json.error("tokenizer.format", e.getMessage());
        }
        JsonNode files = json.array(tokenizer, "tokenizer", "files");
        List<String> tokenizerFiles = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            tokenizerFiles.add(json.relativePath(files.get(i), "tokenizer.files[" + i + "]"));
        }
        b.tokenizerFiles(tokenizerFiles);
        if (StrictJson.present(root, "sha256")) {
            JsonNode sums = json.map(root.get("sha256"), "sha256");
            for (Map.Entry<String, JsonNode> e : sums.properties()) {
                String path = "sha256." + e.getKey();
                String problem = StrictJson.relativePathProblem(e.getKey());
                if (problem != null) {
                    throw json.error(path, problem);
                }
                if (!e.getValue().isTextual()) {
                    throw json.error(path, "expected a string, found " + StrictJson.kind(e.getValue()));
                }
                try {
                    b.sha256(e.getKey(), e.getValue().asText());
                } catch (IllegalArgumentException ex) {
                    throw json.error(path, ex.getMessage());
                }
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new BundleException(file, e.getMessage(), e);
        }
    }

    private static TensorSpec readTensor(StrictJson json, JsonNode node, String path) throws BundleException {
        json.object(node, path, "name", "type", "shape");
        String name = StrictJson.present(node, "name") ? json.string(node, path, "name") : null;
        TensorType type = null;
        if (StrictJson.present(node, "type")) {
            try {
                type = TensorType.parse(json.string(node, path, "type"));
            } catch (IllegalArgumentException e) {
                throw json.error(path + ".type", e.getMessage());
            }
        }
        long[] shape = null;
        if (StrictJson.present(node, "shape")) {
            JsonNode dims = json.array(node, path, "shape");
            shape = new long[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                String at = path + ".shape[" + i + "]";
                shape[i] = json.integer(dims.get(i), at);
                if (shape[i] < -1 || shape[i] == 0) {
                    throw json.error(at, "a dimension is a positive size or -1 for any, found " + shape[i]);
                }
            }
        }
        return TensorSpec.of(name, type, shape);
    }

    /**
     * Writes this manifest as {@code pointclip-model.json}, atomically (a reader sees the old file
     * or the new one, never a mix).
     *
     * @param file the file to create or replace
     * @throws IOException when writing fails; the previous file is then unchanged
     */
    public void write(Path file) throws IOException {
        ObjectNode root = toJson();
        AtomicFiles.write(file, out -> StrictJson.MAPPER.writer()
            .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .withDefaultPrettyPrinter()
            .writeValue(out, root));
    }

    /** @return this manifest as the JSON tree {@link #write} writes */
    ObjectNode toJson() {
        ObjectNode root = StrictJson.MAPPER.createObjectNode();
        root.put("formatVersion", FORMAT_VERSION);
        root.put("backbone", backbone);
        root.put("embeddingDim", embeddingDim);
        root.put("imageSize", imageSize);
        root.put("contextLength", contextLength);
        root.put("logitScale", logitScale);
        ObjectNode visual = root.putObject("visual");
        visual.put("file", visualFile);
        visual.set("input", tensorJson(imageInput));
        visual.set("output", tensorJson(imageOutput));
        ObjectNode textual = root.putObject("textual");
        textual.put("file", textualFile);
        textual.set("inputIds", tensorJson(tokenIds));
        if (attentionMask != null) {
            textual.set("attentionMask", tensorJson(attentionMask));
        }
        textual.set("output", tensorJson(textOutput));
        ObjectNode tokenizer = root.putObject("tokenizer");
        tokenizer.put("format", tokenizerFormat.label());
        ArrayNode files = tokenizer.putArray("files");
        tokenizerFiles.forEach(files::add);
        if (!sha256.isEmpty()) {
            ObjectNode sums = root.putObject("sha256");
            new TreeMap<>(sha256).forEach(sums::put);
        }
        return root;
    }

    private static ObjectNode tensorJson(TensorSpec spec) {
        ObjectNode node = StrictJson.MAPPER.createObjectNode();
        if (spec.name() != null) {
            node.put("name", spec.name());
        }
        if (spec.type() != null) {
            node.put("type", spec.type().label());
        }
        if (spec.shape() != null) {
            ArrayNode dims = node.putArray("shape");
            for (long d : spec.shape()) {
                dims.add(d);
            }
        }
        return node;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ModelManifest)) {
            return false;
        }
        ModelManifest m = (ModelManifest) o;
        return embeddingDim == m.embeddingDim && imageSize == m.imageSize && contextLength == m.contextLength
            && Double.compare(logitScale, m.logitScale) == 0 && backbone.equals(m.backbone)
            && visualFile.equals(m.visualFile) && textualFile.equals(m.textualFile)
            && imageInput.equals(m.imageInput) && imageOutput.equals(m.imageOutput) && tokenIds.equals(m.tokenIds)
            && Objects.equals(attentionMask, m.attentionMask) && textOutput.equals(m.textOutput)
            && tokenizerFormat == m.tokenizerFormat && tokenizerFiles.equals(m.tokenizerFiles)
            && sha256.equals(m.sha256);
    }

    @Override
    public int hashCode() {
        return Objects.hash(backbone, embeddingDim, imageSize, contextLength, visualFile, textualFile, tokenizerFiles);
    }

    @Override
    public String toString() {
        return "ModelManifest[" + backbone + ", dim " + embeddingDim + ", image " + imageSize + ", context "
            + contextLength + ", " + visualFile + ", " + textualFile + ", tokenizer " + tokenizerFormat + " "
            + tokenizerFiles + "]";
    }

    /** Builds a {@link ModelManifest}; {@link #build()} checks that the values agree with each other. */
    public static final class Builder {
        private String backbone;
        private int embeddingDim;
        private int imageSize = 224;
        private int contextLength = 77;
        private double logitScale = DEFAULT_LOGIT_SCALE;
        private String visualFile = "visual.onnx";
        private String textualFile = "textual.onnx";
        private TensorSpec imageInput;
        private TensorSpec imageOutput;
        private TensorSpec tokenIds;
        private TensorSpec attentionMask;
        private TensorSpec textOutput;
        private TokenizerFormat tokenizerFormat;
        private List<String> tokenizerFiles = new ArrayList<>();
        private Map<String, String> sha256 = new TreeMap<>();

        private Builder() {
        }

        /**
         * @param backbone the backbone name, e.g. {@code ViT-B/16}; required
         * @return this builder
         */
        public Builder backbone(String backbone) {
            this.backbone = backbone;
            return this;
        }

        /**
         * @param embeddingDim the joint embedding dimension; required
         * @return this builder
         */
        public Builder embeddingDim(int embeddingDim) {
            this.embeddingDim = embeddingDim;
            return this;
        }

        /**
         * @param imageSize the side of the square input image; default 224
         * @return this builder
         */
        public Builder imageSize(int imageSize) {
            this.imageSize = imageSize;
            return this;
        }

        /**
         * @param contextLength tokens per prompt; default 77
         * @return this builder
         */
        public Builder contextLength(int contextLength) {
            this.contextLength = contextLength;
            return this;
        }

        /**
         * @param logitScale positive factor applied to cosine similarities; default 100
         * @return this builder
         */
        public Builder logitScale(double logitScale) {
            this.logitScale = logitScale;
            return this;
        }

        /**
         * @param visualFile the image encoder, relative to the bundle; default {@code visual.onnx}
         * @return this builder
         */
        public Builder visualFile(String visualFile) {
            this.visualFile = visualFile;
            return this;
        }

        /**
         * @param textualFile the text encoder, relative to the bundle; default {@code textual.onnx}
         * @return this builder
         */
        public Builder textualFile(String textualFile) {
            this.textualFile = textualFile;
            return this;
        }

        /**
         * @param spec the image input; default {@code pixel_values float32[-1,3,imageSize,imageSize]}
         * @return this builder
         */
        public Builder imageInput(TensorSpec spec) {
            this.imageInput = spec;
            return this;
        }

        /**
         * @param spec the image embedding output; default {@code image_embeds float32[-1,embeddingDim]}
         * @return this builder
         */
        public Builder imageOutput(TensorSpec spec) {
            this.imageOutput = spec;
            return this;
        }

        /**
         * @param spec the token-id input; default {@code input_ids int64[-1,contextLength]}
         * @return this builder
         */
        public Builder tokenIds(TensorSpec spec) {
            this.tokenIds = spec;
            return this;
        }

        /**
         * @param spec the attention-mask input, or null for none (the default)
         * @return this builder
         */
        public Builder attentionMask(TensorSpec spec) {
            this.attentionMask = spec;
            return this;
        }

        /**
         * @param spec the text embedding output; default {@code text_embeds float32[-1,embeddingDim]}
         * @return this builder
         */
        public Builder textOutput(TensorSpec spec) {
            this.textOutput = spec;
            return this;
        }

        /**
         * @param format how the vocabulary is shipped; required
         * @param files its files in the format's order, relative to the bundle
         * @return this builder
         */
        public Builder tokenizer(TokenizerFormat format, List<String> files) {
            this.tokenizerFormat = format;
            this.tokenizerFiles = new ArrayList<>(files);
            return this;
        }

        Builder tokenizerFormat(TokenizerFormat format) {
            this.tokenizerFormat = format;
            return this;
        }

        Builder tokenizerFiles(List<String> files) {
            this.tokenizerFiles = new ArrayList<>(files);
            return this;
        }

        /**
         * Declares the SHA-256 of a bundle file, checked by {@link ModelBundle#verify()}.
         *
         * @param file the bundle-relative path
         * @param hex the digest, 64 hex digits (case ignored)
         * @return this builder
         * @throws IllegalArgumentException when the digest is not 64 hex digits
         */
        public Builder sha256(String file, String hex) {
            this.sha256.put(Objects.requireNonNull(file, "file"), Sha256.normalise(hex));
            return this;
        }

        /**
         * @return the manifest
         * @throws IllegalStateException when a required value is missing
         * @throws IllegalArgumentException when values are out of range or shapes disagree with the sizes
         */
        public ModelManifest build() {
            if (backbone == null || backbone.isBlank()) {
                throw new IllegalStateException("backbone is required");
            }
            if (tokenizerFormat == null) {
                throw new IllegalStateException("tokenizer format is required");
            }
            positive("embeddingDim", embeddingDim);
            positive("imageSize", imageSize);
            positive("contextLength", contextLength);
            if (!(logitScale > 0) || !Double.isFinite(logitScale)) {
                throw new IllegalArgumentException("logitScale must be positive and finite, found " + logitScale);
            }
            if (visualFile == null || visualFile.isEmpty() || textualFile == null || textualFile.isEmpty()) {
                throw new IllegalStateException("visual and textual model files are required");
            }
            if (tokenizerFiles.size() != tokenizerFormat.fileCount()) {
                throw new IllegalArgumentException("tokenizer format " + tokenizerFormat + " has "
                    + tokenizerFormat.fileCount() + " file(s), found " + tokenizerFiles.size() + ": " + tokenizerFiles);
            }
            ModelManifest m = new ModelManifest(this);
            checkShape("visual.input", m.imageInput, -1, 3, imageSize, imageSize);
            checkShape("visual.output", m.imageOutput, -1, embeddingDim);
            checkShape("textual.inputIds", m.tokenIds, -1, contextLength);
            if (m.attentionMask != null) {
                checkShape("textual.attentionMask", m.attentionMask, -1, contextLength);
            }
            checkShape("textual.output", m.textOutput, -1, embeddingDim);
            return m;
        }

        private static void positive(String field, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(field + " must be positive, found " + value);
            }
        }

        /** A declared shape must have the expected rank, and fixed sizes must agree with the manifest's sizes. */
        private static void checkShape(String field, TensorSpec spec, long... reference) {
            long[] shape = spec.shape();
            if (shape == null) {
                return;
            }
            if (shape.length != reference.length) {
                throw new IllegalArgumentException(field + ".shape " + TensorSpec.shapeString(shape) + " must have "
                    + reference.length + " dimensions, like " + TensorSpec.shapeString(reference));
            }
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] != -1 && reference[i] != -1 && shape[i] != reference[i]) {
                    throw new IllegalArgumentException(field + ".shape " + TensorSpec.shapeString(shape)
                        + " disagrees with the manifest's sizes: dimension " + i + " must be -1 or " + reference[i]);
                }
            }
        }
    }
}
