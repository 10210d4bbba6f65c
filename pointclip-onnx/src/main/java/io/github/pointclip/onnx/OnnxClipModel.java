package io.github.pointclip.onnx;

import ai.onnxruntime.OrtException;
import io.github.pointclip.encoder.Backbone;
import io.github.pointclip.encoder.ClipModel;
import io.github.pointclip.encoder.ModelRequest;
import io.github.pointclip.internal.Sha256;
import io.github.pointclip.onnx.bundle.BundleException;
import io.github.pointclip.onnx.bundle.ChecksumMismatchException;
import io.github.pointclip.onnx.bundle.ModelBundle;
import io.github.pointclip.onnx.bundle.ModelSignature;
import io.github.pointclip.onnx.bundle.SignatureBinding;
import io.github.pointclip.onnx.bundle.TensorRole;
import io.github.pointclip.onnx.bundle.TensorSpec;
import io.github.pointclip.onnx.bundle.TensorType;
import io.github.pointclip.onnx.internal.CauseMessages;
import io.github.pointclip.onnx.internal.DigestMemo;
import io.github.pointclip.onnx.internal.OrtSignatures;
import io.github.pointclip.onnx.tokenizer.ClipTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CLIP model on ONNX Runtime: the image and text encoder sessions of a {@link ModelBundle},
 * their input and output names bound from the bundle's signature check, and the bundle's
 * tokenizer. Thread-safe; closing closes both sessions (the process-wide environment stays).
 */
public final class OnnxClipModel implements ClipModel {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxClipModel.class);

    private final ModelBundle bundle;
    private final OnnxImageEncoder image;
    private final OnnxTextEncoder text;
    private final Backbone backbone;
    private final float logitScale;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile String id;

    private OnnxClipModel(ModelBundle bundle, OnnxImageEncoder image, OnnxTextEncoder text, Backbone backbone) {
        this.bundle = bundle;
        this.image = image;
        this.text = text;
        this.backbone = backbone;
        this.logitScale = (float) bundle.manifest().logitScale();
    }

    /**
     * Opens both sessions of a bundle and checks their signatures.
     *
     * @param bundle the detected bundle
     * @param request device, threads and batch size
     * @return the model
     * @throws ChecksumMismatchException if a file does not have the SHA-256 digest its manifest declares
     *     (checked once per version of the file, see {@link ModelBundle#verifyDeclared()})
     * @throws IOException if a model file is missing, corrupt or does not have the expected inputs and outputs
     */
    public static OnnxClipModel open(ModelBundle bundle, ModelRequest request) throws IOException {
        bundle.verifyDeclared();
        SessionFactory sessions = new SessionFactory(request.device(), request.threads());
        ClipTokenizer tokenizer = bundle.readTokenizer();
        SessionFactory.Opened visual = null;
        SessionFactory.Opened textual = null;
        try {
            visual = openSession(sessions, bundle.visualModel());
            textual = openSession(sessions, bundle.textualModel());
            ModelSignature visualSignature = OrtSignatures.read(visual.session, bundle.visualModel());
            SignatureBinding v = bundle.checkVisual(withoutDenseOutputs(visualSignature));
            SignatureBinding t = bundle.checkTextual(OrtSignatures.read(textual.session, bundle.textualModel()));
            TensorSpec imageIn = v.get(TensorRole.IMAGE);
            requireFloat(bundle.visualModel(), imageIn);
            requireFloat(bundle.visualModel(), v.get(TensorRole.IMAGE_EMBEDDING));
            requireFloat(bundle.textualModel(), t.get(TensorRole.TEXT_EMBEDDING));
            TensorSpec ids = t.get(TensorRole.TOKEN_IDS);
            if (ids.type() != TensorType.INT64 && ids.type() != TensorType.INT32) {
                throw new BundleException(bundle.textualModel(), "token-id input '" + ids.name() + "' is "
                    + ids.type() + ", expected int64 or int32");
            }
            int imageSize = fixedOr(imageIn, 3, bundle.manifest().imageSize());
            int dim = fixedOr(v.get(TensorRole.IMAGE_EMBEDDING), 1, bundle.manifest().embeddingDim());
            int textDim = fixedOr(t.get(TensorRole.TEXT_EMBEDDING), 1, bundle.manifest().embeddingDim());
            if (dim != textDim) {
                throw new BundleException(bundle.root(), "image embeddings have " + dim + " dimensions but text "
                    + "embeddings " + textDim);
            }
            int context = fixedOr(ids, 1, bundle.manifest().contextLength());
            int imageBatch = imageIn.dim(0) == 1 ? 1 : request.batchSize();
            int textBatch = ids.dim(0) == 1 ? 1 : request.batchSize();
            OnnxImageEncoder imageEncoder = new OnnxImageEncoder(visual, imageIn.name(),
                v.get(TensorRole.IMAGE_EMBEDDING).name(), imageSize, dim, imageBatch, imageIn.type() == TensorType.FLOAT16,
                denseOutputs(visualSignature, v.get(TensorRole.IMAGE_EMBEDDING).name()), sessions);
            String mask = t.find(TensorRole.ATTENTION_MASK).map(TensorSpec::name).orElse(null);
            boolean truncate = Boolean.parseBoolean(request.options().getOrDefault(ModelRequest.TRUNCATE_PROMPTS, "false"));
            OnnxTextEncoder textEncoder = new OnnxTextEncoder(textual, tokenizer.withContextLength(context), ids.name(),
                ids.type() == TensorType.INT32, mask, t.get(TensorRole.TEXT_EMBEDDING).name(), dim, textBatch, truncate);
            Backbone backbone = backboneOf(bundle.manifest().backbone());
            LOG.info("loaded CLIP {} ({} layout, {}-d, {}px) from {} on {}{}", backbone == null ? "model" : backbone,
                bundle.layout(), dim, imageSize, bundle.root(), visual.device,
                visual.fallbackReason == null ? "" : " (" + visual.fallbackReason + ")");
            return new OnnxClipModel(bundle, imageEncoder, textEncoder, backbone);
        } catch (IOException | RuntimeException e) {
            if (textual != null) {
                textual.close();
            }
            if (visual != null) {
                visual.close();
            }
            throw e;
        }
    }

    /**
     * The signature that the bundle's expectation is checked against: without the dense-feature
     * outputs, which are found by name ({@link OnnxImageEncoder#TOKEN_EMBEDS}), so that an export
     * whose image embedding output is matched as "the only output" (OpenAI split exports) keeps
     * loading when it also has {@code token_embeds}.
     */
    private static ModelSignature withoutDenseOutputs(ModelSignature signature) {
        List<TensorSpec> outputs = new java.util.ArrayList<>();
        for (TensorSpec o : signature.outputs()) {
            if (!o.name().equals(OnnxImageEncoder.TOKEN_EMBEDS) && !o.name().equals(OnnxImageEncoder.LAST_HIDDEN_STATE)) {
                outputs.add(o);
            }
        }
        return outputs.isEmpty() ? signature : ModelSignature.of(signature.inputs(), outputs);
    }

    private static OnnxImageEncoder.DenseOutputs denseOutputs(ModelSignature signature, String imageOutput) {
        TensorSpec tokens = signature.output(OnnxImageEncoder.TOKEN_EMBEDS)
            .filter(t -> !t.name().equals(imageOutput)).orElse(null);
        TensorSpec hidden = signature.output(OnnxImageEncoder.LAST_HIDDEN_STATE)
            .filter(t -> !t.name().equals(imageOutput)).orElse(null);
        TensorSpec used = tokens != null ? tokens : hidden;
        long count = used != null && used.rank() == 3 ? used.dim(1) : -1;
        return new OnnxImageEncoder.DenseOutputs(tokens == null ? null : tokens.name(),
            hidden == null ? null : hidden.name(), count,
            signature.outputs().stream().map(TensorSpec::toString).collect(java.util.stream.Collectors.joining(", ")));
    }

    private static SessionFactory.Opened openSession(SessionFactory sessions, Path file) throws IOException {
        try {
            return sessions.open(file);
        } catch (OrtException e) {
            throw new BundleException(file, "ONNX Runtime cannot load the model: " + CauseMessages.of(e), e);
        }
    }

    /** Image input and embedding outputs may be float32 or float16 (fp16 exports); the encoders convert at the boundary. */
    private static void requireFloat(Path file, TensorSpec spec) throws BundleException {
        if (spec.type() != TensorType.FLOAT32 && spec.type() != TensorType.FLOAT16) {
            throw new BundleException(file, "tensor '" + spec.name() + "' is " + spec.type() + ", expected float32 or float16");
        }
    }

    private static int fixedOr(TensorSpec spec, int axis, int fallback) {
        long d = spec.rank() > axis ? spec.dim(axis) : -1;
        return d > 0 ? (int) d : fallback;
    }

    private static Backbone backboneOf(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        try {
            return Backbone.fromName(name);
        } catch (IllegalArgumentException e) {
            return null; // e.g. ViT-L/14@336px: a valid model the enum does not list
        }
    }

    /** @return the bundle the model was loaded from */
    public ModelBundle bundle() {
        return bundle;
    }

    /**
     * A SHA-256 over the manifest's declared checksums of the model and tokenizer files, or over
     * the files' contents (memoised in the cache directory by path, size and modification time).
     */
    @Override
    public String id() {
        String current = id;
        if (current == null) {
            synchronized (this) {
                if (id == null) {
                    id = computeId();
                }
                current = id;
            }
        }
        return current;
    }

    private String computeId() {
        try {
            MessageDigest digest = Sha256.newDigest();
            Map<String, String> declared = bundle.manifest().sha256();
            List<Path> files = new java.util.ArrayList<>(List.of(bundle.visualModel(), bundle.textualModel()));
            files.addAll(bundle.tokenizerFiles());
            for (Path f : files) {
                String rel = bundle.root().relativize(f.toAbsolutePath()).toString().replace('\\', '/');
                String sum = declared.get(rel);
                digest.update((sum != null ? sum : fileDigest(f)).getBytes(StandardCharsets.UTF_8));
            }
            return "sha256-" + Sha256.hex(digest.digest()).substring(0, 32);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot hash model files of " + bundle.root() + ": " + e.getMessage(), e);
        }
    }

    private static String fileDigest(Path file) throws IOException {
        return DigestMemo.inCache().sha256(file);
    }

    @Override
    public Backbone backbone() {
        return backbone;
    }

    @Override
    public OnnxImageEncoder imageEncoder() {
        return image;
    }

    @Override
    public OnnxTextEncoder textEncoder() {
        return text;
    }

    @Override
    public float logitScale() {
        return logitScale;
    }

    @Override
    public String executionDevice() {
        return image.device();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            text.close();
            image.close();
        }
    }

    @Override
    public String toString() {
        return "OnnxClipModel[" + bundle.root() + ", " + bundle.layout() + ", " + executionDevice() + "]";
    }
}
