package io.github.pointclip.onnx.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pointclip.onnx.internal.DigestMemo;
import io.github.pointclip.onnx.tokenizer.ClipTokenizer;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CLIP model on disk: its directory, layout, manifest, the two encoder models and the
 * tokenizer files. {@link #detect(Path)} recognises the layouts of {@link BundleLayout} and, for
 * the public ones, synthesises the manifest. Immutable; opening the models is the encoder's job,
 * which checks them against this bundle with {@link #checkVisual} and {@link #checkTextual}.
 */
public final class ModelBundle {

    private static final Logger LOG = LoggerFactory.getLogger(ModelBundle.class);

    /** The vocabulary file of OpenAI CLIP. */
    public static final String CLIP_BPE_FILE = "bpe_simple_vocab_16e6.txt.gz";

    private static final String LOOKED_FOR = "looked for: " + ModelManifest.FILE_NAME + " (PointCLIP bundle); "
        + "onnx/vision_model.onnx + onnx/text_model.onnx (Hugging Face / transformers.js); "
        + "visual.onnx + textual.onnx, or visual/model.onnx + textual/model.onnx (OpenAI split export)";

    private final Path root;
    private final BundleLayout layout;
    private final ModelManifest manifest;
    /** Token ids of the text model's embedding table as config.json declares them, or null. */
    private final Integer textVocabSize;
    /** Where {@link #textVocabSize} comes from, for messages. */
    private final String textVocabSizeOrigin;

    private ModelBundle(Path root, BundleLayout layout, ModelManifest manifest) {
        this(root, layout, manifest, null, null);
    }

    private ModelBundle(Path root, BundleLayout layout, ModelManifest manifest, Integer textVocabSize,
                        String textVocabSizeOrigin) {
        this.root = root;
        this.layout = layout;
        this.manifest = manifest;
        this.textVocabSize = textVocabSize;
        this.textVocabSizeOrigin = textVocabSizeOrigin;
    }

    /**
     * A bundle from a manifest built in code; the files are not checked here (see {@link #verify()}).
     *
     * @param root the bundle directory
     * @param layout the layout to report
     * @param manifest the manifest; its paths are resolved against {@code root}
     * @return the bundle
     */
    public static ModelBundle of(Path root, BundleLayout layout, ModelManifest manifest) {
        return new ModelBundle(root.toAbsolutePath().normalize(), Objects.requireNonNull(layout, "layout"),
            Objects.requireNonNull(manifest, "manifest"));
    }

    /**
     * Detects the layout of a directory with default {@link BundleOptions}.
     *
     * @param dir the bundle directory
     * @return the bundle
     * @throws BundleException when no layout matches (the message lists what was looked for), a file
     *     is missing, or the manifest or {@code config.json} is malformed
     * @throws IOException when the directory cannot be read
     */
    public static ModelBundle detect(Path dir) throws IOException {
        return detect(dir, BundleOptions.defaults());
    }

    /**
     * Detects the layout of a directory. A {@code pointclip-model.json} wins; then the Hugging Face
     * layout; then the OpenAI split layouts.
     *
     * @param dir the bundle directory
     * @param options variant choice and overrides for the public layouts
     * @return the bundle
     * @throws BundleException when no layout matches (the message lists what was looked for), a file
     *     is missing, or the manifest or {@code config.json} is malformed
     * @throws IOException when the directory cannot be read
     */
    public static ModelBundle detect(Path dir, BundleOptions options) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new BundleException(root, Files.exists(root) ? "not a directory" : "no such directory");
        }
        ModelBundle bundle;
        if (Files.isRegularFile(root.resolve(ModelManifest.FILE_NAME))) {
            refuseVariant(root, options, "a PointCLIP bundle (" + ModelManifest.FILE_NAME + "), whose manifest names its models");
            bundle = new ModelBundle(root, BundleLayout.POINTCLIP, ModelManifest.read(root.resolve(ModelManifest.FILE_NAME)));
        } else if (Files.isDirectory(root.resolve("onnx")) && !onnxModels(root.resolve("onnx")).isEmpty()) {
            ModelManifest manifest = huggingFace(root, options);
            VocabSize vocab = VocabSize.fromConfig(root.resolve("config.json"), true);
            bundle = new ModelBundle(root, BundleLayout.HUGGING_FACE, manifest, vocab.size, vocab.origin);
        } else if (bothExist(root, "visual.onnx", "textual.onnx")
                || bothExist(root, "visual/model.onnx", "textual/model.onnx")) {
            refuseVariant(root, options, "an OpenAI split export (" + (bothExist(root, "visual.onnx", "textual.onnx")
                ? "visual.onnx, textual.onnx" : "visual/model.onnx, textual/model.onnx") + "), which has one variant");
            ModelManifest manifest = openAi(root, options);
            VocabSize vocab = VocabSize.fromConfig(root.resolve("config.json"), false);
            bundle = new ModelBundle(root, BundleLayout.OPENAI, manifest, vocab.size, vocab.origin);
        } else {
            throw new BundleException(root, "no model bundle found; " + LOOKED_FOR + halfFound(root));
        }
        bundle.requireFiles();
        LOG.debug("detected {} bundle in {}: {}", bundle.layout, root, bundle.manifest);
        return bundle;
    }

    /**
     * A dtype only chooses among the files of a Hugging Face layout; anywhere else it would be
     * silently ignored, so it is refused.
     */
    private static void refuseVariant(Path root, BundleOptions options, String layout) throws BundleException {
        ModelVariant variant = options.variant();
        if (variant != ModelVariant.DEFAULT) {
            throw new BundleException(root, "dtype " + variant.dtype() + " asked for, but this directory is " + layout
                + "; dtypes apply only to Hugging Face-layout exports (onnx/vision_model" + variant.suffix()
                + ".onnx and onnx/text_model" + variant.suffix() + ".onnx): leave --dtype or .dtype(...) out, or point"
                + " at such an export");
        }
    }

    private static boolean bothExist(Path root, String a, String b) {
        return Files.isRegularFile(root.resolve(a)) && Files.isRegularFile(root.resolve(b));
    }

    /** Says which half of a split export is there, so that a missing file is easy to spot. */
    private static String halfFound(Path root) {
        String[][] pairs = {{"visual.onnx", "textual.onnx"}, {"visual/model.onnx", "textual/model.onnx"}};
        for (String[] pair : pairs) {
            for (int i = 0; i < 2; i++) {
                if (Files.isRegularFile(root.resolve(pair[i]))) {
                    return "; found " + pair[i] + " but not " + pair[1 - i];
                }
            }
        }
        return "";
    }

    private static List<String> onnxModels(Path onnxDir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(onnxDir, "*.onnx")) {
            for (Path f : files) {
                names.add(f.getFileName().toString());
            }
        }
        names.sort(null);
        return names;
    }

    // ------------------------------------------------------------------ Hugging Face

    private static ModelManifest huggingFace(Path root, BundleOptions options) throws IOException {
        ModelVariant variant = options.variant();
        String visual = "onnx/vision_model" + variant.suffix() + ".onnx";
        String textual = "onnx/text_model" + variant.suffix() + ".onnx";
        if (!bothExist(root, visual, textual)) {
            List<String> present = onnxModels(root.resolve("onnx"));
            String hint = present.contains("model.onnx") && !present.contains("vision_model.onnx")
                ? "; onnx/model.onnx is the combined CLIP model, this library needs the split vision and text models"
                : "";
            List<String> available = new ArrayList<>();
            for (ModelVariant v : ModelVariant.values()) {
                if (present.contains("vision_model" + v.suffix() + ".onnx") && present.contains("text_model" + v.suffix() + ".onnx")) {
                    available.add(v.dtype());
                }
            }
            String choose = available.isEmpty() ? "" : "; this directory has dtype " + String.join(", ", available)
                + " (choose with --dtype or .dtype(...))";
            throw new BundleException(root, "Hugging Face layout without the " + variant.dtype() + " files: need " + visual
                + " and " + textual + ", found onnx/" + present + hint + choose);
        }
        Sizes sizes = Sizes.fromHuggingFaceConfig(root.resolve("config.json")).override(options);
        TensorType floatType = variant.halfPrecisionIo() ? null : TensorType.FLOAT32;
        ModelManifest.Builder b = sizes.manifestBuilder()
            .visualFile(visual)
            .textualFile(textual)
            .imageInput(TensorSpec.of("pixel_values", floatType, -1, 3, sizes.imageSizeOrAny(), sizes.imageSizeOrAny()))
            .imageOutput(TensorSpec.of("image_embeds", floatType, -1, sizes.embeddingDimOrAny()))
            // transformers exports take any sequence length; the tokenizer pads to the context length.
            .tokenIds(TensorSpec.of("input_ids", TensorType.INT64, -1, -1))
            .attentionMask(TensorSpec.of("attention_mask", TensorType.INT64, -1, -1))
            .textOutput(TensorSpec.of("text_embeds", floatType, -1, sizes.embeddingDimOrAny()));
        tokenizer(root, List.of(root), options, b);
        return b.build();
    }

    // ------------------------------------------------------------------ OpenAI split

    private static ModelManifest openAi(Path root, BundleOptions options) throws IOException {
        boolean flat = bothExist(root, "visual.onnx", "textual.onnx");
        String visual = flat ? "visual.onnx" : "visual/model.onnx";
        String textual = flat ? "textual.onnx" : "textual/model.onnx";
        Sizes sizes = Sizes.fromOpenClipConfig(root.resolve("config.json")).override(options);
        // Names and element types differ between exporters (image/text, IMAGE/TEXT, input/output, int32/int64):
        // bind the single input and output whatever their names, and let the encoder adapt to the types.
        ModelManifest.Builder b = sizes.manifestBuilder()
            .visualFile(visual)
            .textualFile(textual)
            .imageInput(TensorSpec.of(null, null, -1, 3, sizes.imageSizeOrAny(), sizes.imageSizeOrAny()))
            .imageOutput(TensorSpec.of(null, null, -1, sizes.embeddingDimOrAny()))
            .tokenIds(TensorSpec.of(null, null, -1, sizes.contextLengthOrAny()))
            .attentionMask(TensorSpec.of("attention_mask", null, -1, sizes.contextLengthOrAny()))
            .textOutput(TensorSpec.of(null, null, -1, sizes.embeddingDimOrAny()));
        List<Path> dirs = new ArrayList<>(List.of(root));
        if (!flat) {
            dirs.add(root.resolve("textual"));
        }
        tokenizer(root, dirs, options, b);
        return b.build();
    }

    /** Finds tokenizer files: the OpenAI vocabulary first, then vocab.json + merges.txt, then tokenizer.json. */
    private static void tokenizer(Path root, List<Path> dirs, BundleOptions options, ModelManifest.Builder b)
            throws BundleException {
        if (options.tokenizerFormat() != null) {
            List<String> files = new ArrayList<>();
            for (Path p : options.tokenizerFiles()) {
                files.add(p.toAbsolutePath().toString());
            }
            b.tokenizer(options.tokenizerFormat(), files);
            return;
        }
        List<String> lookedFor = new ArrayList<>();
        for (Path dir : dirs) {
            String prefix = dir.equals(root) ? "" : root.relativize(dir).toString().replace('\\', '/') + "/";
            if (Files.isRegularFile(dir.resolve(CLIP_BPE_FILE))) {
                b.tokenizer(TokenizerFormat.CLIP_BPE_GZ, List.of(prefix + CLIP_BPE_FILE));
                return;
            }
            if (Files.isRegularFile(dir.resolve("vocab.json")) && Files.isRegularFile(dir.resolve("merges.txt"))) {
                b.tokenizer(TokenizerFormat.VOCAB_MERGES, List.of(prefix + "vocab.json", prefix + "merges.txt"));
                return;
            }
            if (Files.isRegularFile(dir.resolve("tokenizer.json"))) {
                b.tokenizer(TokenizerFormat.TOKENIZER_JSON, List.of(prefix + "tokenizer.json"));
                return;
            }
            lookedFor.add(prefix + CLIP_BPE_FILE + ", " + prefix + "vocab.json + " + prefix + "merges.txt, "
                + prefix + "tokenizer.json");
        }
        throw new BundleException(root, "no tokenizer files found; looked for " + String.join("; ", lookedFor)
            + " (or pass them with BundleOptions.tokenizer)");
    }

    /**
     * The size of the text model's token embedding table as a {@code config.json} declares it:
     * transformers' {@code text_config.vocab_size} (default 49408 in {@code CLIPTextConfig}, whose
     * configs are saved as a diff against the defaults) or open_clip's {@code text_cfg.vocab_size}
     * (default 49408, unless the model names a Hugging Face tokenizer instead of CLIP's).
     */
    private static final class VocabSize {
        static final int CLIP_VOCAB_SIZE = 49408;
        final Integer size;
        final String origin;

        private VocabSize(Integer size, String origin) {
            this.size = size;
            this.origin = origin;
        }

        static VocabSize fromConfig(Path file, boolean huggingFace) throws IOException {
            if (!Files.isRegularFile(file)) {
                return new VocabSize(null, null);
            }
            StrictJson json = new StrictJson(file);
            JsonNode root = json.parse();
            String section = huggingFace ? "text_config" : "text_cfg";
            String path = section + ".vocab_size";
            JsonNode text = root.get(section);
            JsonNode declared = text == null ? null : text.get("vocab_size");
            if (declared != null && !declared.isNull()) {
                long v = json.integer(declared, path);
                if (v <= 0 || v > Integer.MAX_VALUE) {
                    throw json.error(path, "expected a positive integer, found " + v);
                }
                return new VocabSize((int) v, file.getFileName() + " (" + path + ")");
            }
            JsonNode modelType = root.get("model_type");
            boolean clip = huggingFace
                ? modelType == null || "clip".equals(modelType.asText())
                : text != null && text.isObject() && !StrictJson.present(text, "hf_tokenizer_name");
            return clip ? new VocabSize(CLIP_VOCAB_SIZE, file.getFileName() + " (" + path + " not set: CLIP's default)")
                : new VocabSize(null, null);
        }
    }

    /** Sizes read from a {@code config.json}; null where unknown. */
    private static final class Sizes {
        String backbone;
        Integer embeddingDim;
        Integer imageSize;
        Integer contextLength;
        Double logitScale;

        /**
         * transformers' CLIPConfig. It is saved as a diff against the class defaults, so a missing key
         * means the default (projection 512, image 224, patch 32, width 768, 77 positions).
         */
        static Sizes fromHuggingFaceConfig(Path file) throws IOException {
            Sizes s = new Sizes();
            if (!Files.isRegularFile(file)) {
                return s;
            }
            StrictJson json = new StrictJson(file);
            JsonNode root = json.parse();
            JsonNode vision = root.path("vision_config");
            JsonNode text = root.path("text_config");
            s.embeddingDim = intField(json, root, "projection_dim", 512);
            s.imageSize = intField(json, vision, "vision_config.image_size", 224);
            s.contextLength = intField(json, text, "text_config.max_position_embeddings", 77);
            s.backbone = backboneName(intField(json, vision, "vision_config.hidden_size", 768),
                intField(json, vision, "vision_config.patch_size", 32), s.imageSize);
            return s;
        }

        /** open_clip's model config (also what Immich exports write): every key present. */
        static Sizes fromOpenClipConfig(Path file) throws IOException {
            Sizes s = new Sizes();
            if (!Files.isRegularFile(file)) {
                return s;
            }
            StrictJson json = new StrictJson(file);
            JsonNode root = json.parse();
            JsonNode vision = root.path("vision_cfg");
            s.embeddingDim = intField(json, root, "embed_dim", null);
            s.imageSize = intField(json, vision, "vision_cfg.image_size", null);
            s.contextLength = intField(json, root.path("text_cfg"), "text_cfg.context_length", null);
            Integer width = intField(json, vision, "vision_cfg.width", null);
            Integer patch = intField(json, vision, "vision_cfg.patch_size", null);
            if (width != null && patch != null) {
                s.backbone = backboneName(width, patch, s.imageSize);
            }
            return s;
        }

        private static Integer intField(StrictJson json, JsonNode parent, String path, Integer fallback)
                throws BundleException {
            String field = path.substring(path.lastIndexOf('.') + 1);
            JsonNode node = parent.get(field);
            if (node == null || node.isNull()) {
                return fallback;
            }
            // image_size may be a [h, w] pair in open_clip configs; CLIP uses square images.
            if (node.isArray() && node.size() == 2 && node.get(0).equals(node.get(1))) {
                node = node.get(0);
            }
            long v = json.integer(node, path);
            if (v <= 0 || v > Integer.MAX_VALUE) {
                throw json.error(path, "expected a positive integer, found " + v);
            }
            return (int) v;
        }

        /** Names the ViT by its width and patch size as OpenAI does, e.g. 768 and 16 give ViT-B/16. */
        private static String backboneName(int width, int patch, Integer imageSize) {
            String size;
            switch (width) {
                case 768: size = "B"; break;
                case 1024: size = "L"; break;
                case 1280: size = "H"; break;
                case 1664: size = "bigG"; break;
                default: return "ViT-w" + width + "/" + patch;
            }
            String name = "ViT-" + size + "/" + patch;
            return imageSize != null && imageSize != 224 ? name + "@" + imageSize + "px" : name;
        }

        Sizes override(BundleOptions o) {
            if (o.backbone() != null) {
                backbone = o.backbone();
            }
            if (o.embeddingDim() != null) {
                embeddingDim = o.embeddingDim();
            }
            if (o.imageSize() != null) {
                imageSize = o.imageSize();
            }
            if (o.contextLength() != null) {
                contextLength = o.contextLength();
            }
            logitScale = o.logitScale();
            return this;
        }

        long imageSizeOrAny() {
            return imageSize == null ? -1 : imageSize;
        }

        long embeddingDimOrAny() {
            return embeddingDim == null ? -1 : embeddingDim;
        }

        long contextLengthOrAny() {
            return contextLength == null ? -1 : contextLength;
        }

        /**
         * Unknown sizes get CLIP ViT-B defaults in the manifest, while the expected shapes keep −1 there,
         * so the model itself decides and the check does not fail on a guess.
         */
        ModelManifest.Builder manifestBuilder() {
            if (embeddingDim == null || imageSize == null) {
                LOG.debug("sizes not declared (no config.json or override): embedding {} image {}; taking them from the model",
                    embeddingDim, imageSize);
            }
            ModelManifest.Builder b = ModelManifest.builder()
                .backbone(backbone != null ? backbone : "unknown")
                .embeddingDim(embeddingDim != null ? embeddingDim : 512)
                .imageSize(imageSize != null ? imageSize : 224)
                .contextLength(contextLength != null ? contextLength : 77);
            if (logitScale != null) {
                b.logitScale(logitScale);
            }
            return b;
        }
    }

    // ------------------------------------------------------------------ accessors and checks

    private void requireFiles() throws BundleException {
        requireFile(visualModel(), "the image encoder");
        requireFile(textualModel(), "the text encoder");
        for (Path p : tokenizerFiles()) {
            requireFile(p, "a tokenizer file");
        }
    }

    private void requireFile(Path file, String what) throws BundleException {
        if (!Files.isRegularFile(file)) {
            throw new BundleException(file, what + " listed by the " + layout + " bundle in " + root + " does not exist");
        }
    }

    /** @return the bundle directory, absolute */
    public Path root() {
        return root;
    }

    /** @return the detected layout */
    public BundleLayout layout() {
        return layout;
    }

    /** @return the manifest, read or synthesised */
    public ModelManifest manifest() {
        return manifest;
    }

    /** @return the image encoder model file */
    public Path visualModel() {
        return root.resolve(manifest.visualFile());
    }

    /** @return the text encoder model file */
    public Path textualModel() {
        return root.resolve(manifest.textualFile());
    }

    /** @return how the vocabulary is shipped */
    public TokenizerFormat tokenizerFormat() {
        return manifest.tokenizerFormat();
    }

    /** @return the tokenizer files, in the format's order */
    public List<Path> tokenizerFiles() {
        List<Path> files = new ArrayList<>();
        for (String f : manifest.tokenizerFiles()) {
            files.add(root.resolve(f));
        }
        return List.copyOf(files);
    }

    /**
     * Reads the bundle's tokenizer from {@link #tokenizerFiles()} in its {@link #tokenizerFormat()} and
     * checks its size with {@link #checkTokenizerSize(int)}.
     *
     * @return the tokenizer, with CLIP's default context length
     * @throws BundleException for an unsupported format or a tokenizer that does not fit the text model
     * @throws IOException when a tokenizer file cannot be read or is malformed
     */
    public ClipTokenizer readTokenizer() throws IOException {
        List<Path> files = tokenizerFiles();
        ClipTokenizer tokenizer;
        switch (tokenizerFormat()) {
            case CLIP_BPE_GZ:
                tokenizer = ClipTokenizer.fromBpeVocab(files.get(0));
                break;
            case VOCAB_MERGES:
                tokenizer = ClipTokenizer.fromHuggingFace(files.get(0), files.get(1));
                break;
            case TOKENIZER_JSON:
                tokenizer = ClipTokenizer.fromTokenizerJson(files.get(0));
                break;
            default:
                throw new BundleException(root(), "unsupported tokenizer format " + tokenizerFormat());
        }
        checkTokenizerSize(tokenizer.vocabSize());
        return tokenizer;
    }

    /**
     * Checks that the tokenizer fits the text model: where the bundle's {@code config.json} declares
     * the size of the text model's token embedding table (without one, a
     * {@code bpe_simple_vocab_16e6.txt.gz} vocabulary, openai/CLIP's own format, must have CLIP's 49408), the tokenizer must have exactly that many
     * ids (a vocabulary cut short, or one of another model, would otherwise tokenize silently
     * differently; a larger one would feed ids past the end of the table).
     *
     * @param tokenizerVocabSize the number of ids of the tokenizer read from {@link #tokenizerFiles()}
     * @throws BundleException naming the tokenizer file, both sizes and where the model's comes from
     */
    public void checkTokenizerSize(int tokenizerVocabSize) throws BundleException {
        Integer expected = textVocabSize;
        String origin = textVocabSizeOrigin;
        List<Path> files = tokenizerFiles();
        if (expected == null && tokenizerFormat() == TokenizerFormat.CLIP_BPE_GZ) {
            // Nothing declares the size (OpenAI split exports and docs/export_clip_onnx.py bundles have no
            // config.json), and the file is openai/CLIP's own format: a file with fewer ids is cut short.
            expected = VocabSize.CLIP_VOCAB_SIZE;
            origin = "CLIP's vocabulary (no config.json declares another size for " + files.get(0).getFileName() + ")";
        }
        if (expected != null && expected != tokenizerVocabSize) {
            throw new BundleException(files.get(0), "the tokenizer has " + tokenizerVocabSize
                + " token ids but the text model's embedding table has " + expected + " rows, as declared by "
                + origin + ": the vocabulary is cut short or belongs to another model");
        }
    }

    /**
     * Checks the SHA-256 digests the manifest declares (files without a declared digest are not hashed).
     *
     * @throws ChecksumMismatchException naming the file, the expected and the actual digest
     * @throws BundleException when a file with a declared digest is missing
     * @throws IOException when a file cannot be read
     */
    public void verify() throws IOException {
        verify(DigestMemo.inCache(), true);
    }

    /**
     * Checks the SHA-256 digests the manifest declares, hashing each file once per version: a
     * file whose path, size and modification time the memo knows is not read again. This is what
     * loading a model does, so that a damaged model file is never used.
     *
     * @throws ChecksumMismatchException naming the file, the declared and the actual digest
     * @throws BundleException when a file with a declared digest is missing
     * @throws IOException when a file cannot be read
     */
    public void verifyDeclared() throws IOException {
        verifyDeclared(DigestMemo.inCache());
    }

    /**
     * As {@link #verifyDeclared()}, with the given memo.
     *
     * @param memo where digests are remembered
     * @throws ChecksumMismatchException naming the file, the declared and the actual digest
     * @throws BundleException when a file with a declared digest is missing
     * @throws IOException when a file cannot be read
     */
    void verifyDeclared(DigestMemo memo) throws IOException {
        verify(memo, false);
    }

    private void verify(DigestMemo memo, boolean rehash) throws IOException {
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(manifest.sha256()).entrySet()) {
            Path file = root.resolve(e.getKey());
            if (!Files.isRegularFile(file)) {
                throw new BundleException(file, "has a SHA-256 in the manifest but does not exist");
            }
            String actual = rehash ? memo.rehash(file) : memo.sha256(file);
            if (!actual.equals(e.getValue())) {
                throw new ChecksumMismatchException(file, e.getValue(), actual);
            }
        }
        LOG.debug("verified {} SHA-256 digests in {}", manifest.sha256().size(), root);
    }

    /**
     * @param actual the loaded image encoder's signature
     * @return the model's tensors by role
     * @throws ModelSignatureException listing every missing or mismatched input and output
     */
    public SignatureBinding checkVisual(ModelSignature actual) throws ModelSignatureException {
        return manifest.visualSignature().check(visualModel(), actual);
    }

    /**
     * @param actual the loaded text encoder's signature
     * @return the model's tensors by role; {@link TensorRole#ATTENTION_MASK} only when the model has one
     * @throws ModelSignatureException listing every missing or mismatched input and output
     */
    public SignatureBinding checkTextual(ModelSignature actual) throws ModelSignatureException {
        return manifest.textualSignature().check(textualModel(), actual);
    }

    @Override
    public String toString() {
        return "ModelBundle[" + layout + " " + root + ", " + manifest.backbone() + ", files "
            + new TreeSet<>(List.of(manifest.visualFile(), manifest.textualFile())) + "]";
    }
}
