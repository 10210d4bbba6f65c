package io.github.pointclip;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.detection.Box;
import io.github.pointclip.detection.Detection;
import io.github.pointclip.detection.DetectionOptions;
import io.github.pointclip.detection.ProposalSource;
import io.github.pointclip.detection.ZeroShotDetector;
import io.github.pointclip.encoder.AdapterLoadException;
import io.github.pointclip.encoder.Backbone;
import io.github.pointclip.encoder.ClipModel;
import io.github.pointclip.encoder.ClipModels;
import io.github.pointclip.encoder.Device;
import io.github.pointclip.encoder.FeatureAdapter;
import io.github.pointclip.encoder.FeatureAdapterLoader;
import io.github.pointclip.encoder.ImageEncoder;
import io.github.pointclip.encoder.ModelDownloadException;
import io.github.pointclip.encoder.ModelLoadException;
import io.github.pointclip.encoder.ModelNotFoundException;
import io.github.pointclip.encoder.ModelRequest;
import io.github.pointclip.encoder.PointEncoder;
import io.github.pointclip.encoder.PointEncoderLoadException;
import io.github.pointclip.encoder.PointEncoderLoader;
import io.github.pointclip.internal.CacheDirectory;
import io.github.pointclip.internal.FeatureMath;
import io.github.pointclip.internal.PipelineStages;
import io.github.pointclip.internal.TextFeatureCache;
import io.github.pointclip.projection.spi.BilinearResize;
import io.github.pointclip.projection.spi.Projector;
import io.github.pointclip.projection.spi.SegmentationProjection;
import io.github.pointclip.projection.spi.SegmentationProjector;
import io.github.pointclip.prompt.ClassNames;
import io.github.pointclip.prompt.PromptSet;
import io.github.pointclip.segmentation.BackProjection;
import io.github.pointclip.segmentation.PartPrompts;
import io.github.pointclip.segmentation.PartSegmentation;
import io.github.pointclip.segmentation.SegmentationOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zero-shot 3D recognition with CLIP: project a cloud into depth maps, encode them with the
 * CLIP image encoder, compare with the text features of the class prompts.
 *
 * <pre>{@code
 * try (PointClip clip = PointClip.builder().backbone(Backbone.VIT_B16).model(dir).build()) {
 *     Prediction p = clip.classify(cloud);                         // ModelNet40 classes by default
 *     Prediction q = clip.classify(cloud, List.of("mug", "lamp")); // any labels
 * }
 * }</pre>
 *
 * <p>With a {@linkplain Builder#pointEncoder(Path) point encoder} (a CrossPoint checkpoint aligned with
 * this CLIP model), a cloud is classified in CLIP's space without rendering: the logits are
 * {@code logitScale · cos(embed(cloud), t_c)} against the same text features, and the image encoder
 * is never run.
 *
 * <p>Defaults: the {@link Pipeline#v2() V2} pipeline, which keeps the first 1024 points of each
 * cloud ({@link Pipeline#pointsPerCloud()}; {@code pointclip classify} does the same, so the API and
 * the CLI give the same result on the same model), and the ModelNet40 classes.
 *
 * <p>Thread-safe: one instance serves many threads. Text features are computed once per prompt
 * and cached in memory and on disk (keyed by the model's id and the prompt text).
 *
 * <p>{@link #close()} may be called while other threads are classifying: it waits for the calls in
 * flight to finish, then closes the model if the builder opened it. Calls that start after
 * {@code close()} throw {@link IllegalStateException}.
 */
public final class PointClip implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PointClip.class);
    /** Adapter metadata: the pipeline's name when the adapter was trained. */
    private static final String PIPELINE_NAME = "pipeline";
    /** Adapter metadata: the pipeline's {@link Pipeline#fingerprint()} when the adapter was trained. */
    private static final String PIPELINE_FINGERPRINT = "pipeline_fingerprint";

    static {
        PipelineStages.install(new Stages());
    }

    private final ClipModel model;
    private final boolean ownsModel;
    private final Pipeline pipeline;
    private final PromptSet prompts;
    private final int batchSize;
    private final TextFeatureCache textCache;
    /** The model id under which text features are cached; truncated prompts live apart. */
    private final String textCacheKey;
    private final int dim;
    private final int imageSize;
    private final BilinearResize resize;
    /** Guards {@link #closed} and {@link #inFlight}. */
    private final Object lifecycle = new Object();
    private boolean closed;
    /** Calls between {@link #enter()} and {@link #exit()}; {@link #close()} waits until none is left. */
    private int inFlight;
    /** Per-thread depth-map scratch, so that projection allocates nothing in steady state. */
    private final ThreadLocal<float[]> mapScratch = ThreadLocal.withInitial(() -> new float[0]);
    private final FeatureAdapter adapter;
    private final int pointsPerCloud;
    private volatile float[] defaultTextFeatures;
    /** The point encoder that replaces projection and image encoder, or null. */
    private final PointEncoder pointEncoder;
    private final boolean ownsPointEncoder;
    /** Loaded on the first {@link #segment} call: classification does not need pointclip-projection's segmentation. */
    private volatile SegmentationProjector segmentationProjector;
    private volatile BackProjection backProjection;

    private PointClip(Builder b, ClipModel model, boolean ownsModel, PointEncoder pointEncoder,
            boolean ownsPointEncoder) {
        this.model = model;
        this.ownsModel = ownsModel;
        this.pointEncoder = pointEncoder;
        this.ownsPointEncoder = ownsPointEncoder;
        this.pipeline = b.pipeline;
        this.prompts = b.prompts;
        this.batchSize = b.batchSize;
        this.textCache = new TextFeatureCache(b.textCacheEnabled ? b.textCacheDir : null, 4096);
        // a prompt that did not fit was cut: its feature must never answer a request that does not truncate
        this.textCacheKey = b.truncatePrompts ? model.id() + "-truncated" : model.id();
        Projector p = pipeline.projector();
        if (pointEncoder != null) { // the image encoder is never asked for: a model may even load it lazily
            this.dim = model.textEncoder().embeddingDim();
            this.imageSize = 0;
            this.resize = null;
            checkPointEncoder(pointEncoder, b.pointEncoderPath, model, dim);
        } else {
            ImageEncoder image = model.imageEncoder();
            this.dim = image.embeddingDim();
            this.imageSize = image.imageSize();
            if (model.textEncoder().embeddingDim() != dim) {
                throw new IllegalArgumentException("image features have " + dim + " dimensions but text features "
                    + model.textEncoder().embeddingDim());
            }
            this.resize = new BilinearResize(p.height(), p.width(), imageSize, imageSize);
        }
        this.pointsPerCloud = pipeline.pointsPerCloud();
        this.adapter = b.adapter;
        Path adapterFile = adapterFile(b);
        if (adapter != null && (adapter.viewCount() != p.viewCount() || adapter.embeddingDim() != dim)) {
            List<String> problems = new ArrayList<>();
            if (adapter.viewCount() != p.viewCount()) {
                problems.add("trained for " + adapter.viewCount() + " views, but pipeline " + pipeline.name() + " has "
                    + p.viewCount());
            }
            if (adapter.embeddingDim() != dim) {
                problems.add("trained on " + adapter.embeddingDim() + "-d features, but the model gives " + dim + "-d");
            }
            throw new AdapterLoadException(adapterFile, String.join("; ", problems), null);
        }
        String trainedOn = adapter == null ? null : adapter.metadata().get("model_id");
        if (trainedOn != null && !trainedOn.isEmpty() && !trainedOn.equals(model.id())) {
            // a re-export of the same weights has another id, so this is a warning, not an error
            LOG.warn("the adapter {} was trained on features of model {} but this model is {}; its predictions are "
                + "only meaningful on the same CLIP weights", adapterFile == null ? "" : adapterFile, trainedOn,
                model.id());
        }
    }

    /** Refuses an encoder aligned with a CLIP space of another width; warns about one aligned with another model. */
    private static void checkPointEncoder(PointEncoder encoder, Path path, ClipModel model, int textDim) {
        Path file = path != null ? path : encoder.source();
        if (encoder.embeddingDim() != textDim) {
            throw new PointEncoderLoadException(file, "embeds clouds into " + encoder.embeddingDim() + "-d features, "
                + "but the text encoder of model " + model.id() + " gives " + textDim + "-d features; the encoder must "
                + "be trained against this CLIP model", null);
        }
        String alignedWith = encoder.metadata().get("model_id");
        if (alignedWith != null && !alignedWith.isEmpty() && !alignedWith.equals(model.id())) {
            LOG.warn("the point encoder {} was aligned with CLIP model {} but this model is {}; its predictions are "
                + "only meaningful against the same CLIP weights", file == null ? "" : file, alignedWith, model.id());
        }
    }

    private static Path adapterFile(Builder b) {
        if (b.adapterPath != null) {
            return b.adapterPath;
        }
        return b.adapter == null ? null : b.adapter.source();
    }

    /**
     * @return a builder with the defaults: the {@link Pipeline#v2() V2} pipeline (first 1024 points per
     *     cloud), the ModelNet40 classes, the model resolved by the provider
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the pipeline */
    public Pipeline pipeline() {
        return pipeline;
    }

    /** @return the default prompt set used by {@link #classify(PointCloud)} */
    public PromptSet prompts() {
        return prompts;
    }

    /** @return the CLIP model */
    public ClipModel model() {
        return model;
    }

    /**
     * @return the point encoder that classifies in CLIP's space instead of projection and image
     *     encoder, if one was given to the builder
     */
    public Optional<PointEncoder> pointEncoder() {
        return Optional.ofNullable(pointEncoder);
    }

    /**
     * Classifies a cloud against the default prompt set, keeping the pipeline's
     * {@linkplain Pipeline#pointsPerCloud() points per cloud} (default: the first 1024).
     *
     * @param cloud the cloud
     * @return the prediction, labels in prompt-set order
     * @throws IllegalStateException if this instance is closed
     */
    public Prediction classify(PointCloud cloud) {
        return classifyAll(List.of(cloud)).get(0);
    }

    /**
     * Classifies a cloud against any labels (open vocabulary), with the prompt set's templates
     * (or the pipeline's template when the set has explicit prompts).
     *
     * @param cloud the cloud
     * @param labels the candidate labels
     * @return the prediction, labels in the given order
     * @throws IllegalStateException if this instance is closed
     */
    public Prediction classify(PointCloud cloud, List<String> labels) {
        PromptSet set = prompts.withClasses(labels, pipeline.template());
        enter();
        try {
            float[] text = textFeaturesOpen(set);
            if (pointEncoder != null) {
                return pointPredictions(List.of(cloud), set, text).get(0);
            }
            return predictions(imageFeaturesOpen(List.of(cloud)), 1, set, text).get(0);
        } finally {
            exit();
        }
    }

    /**
     * Classifies many clouds; the views of several clouds go through the image encoder in one run.
     *
     * @param clouds the clouds
     * @return one prediction per cloud, in order
     * @throws IllegalStateException if this instance is closed
     */
    public List<Prediction> classifyAll(List<PointCloud> clouds) {
        enter();
        try {
            float[] text = defaultTextFeatures();
            if (pointEncoder != null) {
                return pointPredictions(clouds, prompts, text);
            }
            return predictions(imageFeaturesOpen(clouds), clouds.size(), prompts, text);
        } finally {
            exit();
        }
    }

    /**
     * Zero-shot 3-D detection: labels each proposal box by classifying the scene points inside it against
     * the 18 ScanNet detection classes, with the {@link DetectionOptions#defaults()
     * default options} (z up, at least 20 points, no "no object" class) and this instance's batch size. See
     * {@link ZeroShotDetector}.
     *
     * @param scene the scene
     * @param proposals class-agnostic boxes, e.g. from a 3-D detector
     * @return the labelled boxes, in proposal order
     * @throws IllegalStateException if this instance is closed
     */
    public List<Detection> detect(PointCloud scene, List<Box> proposals) {
        return detect(scene, proposals, DetectionOptions.defaults());
    }

    /**
     * Zero-shot 3-D detection with proposals from a {@link ProposalSource}, e.g.
     * the built-in {@link io.github.pointclip.detection.ClusterProposer} baseline.
     *
     * @param scene the scene
     * @param proposer where the boxes come from
     * @return the labelled boxes, in proposal order
     * @throws IllegalStateException if this instance is closed
     */
    public List<Detection> detect(PointCloud scene, ProposalSource proposer) {
        return detect(scene, proposer.propose(scene));
    }

    /**
     * Zero-shot 3-D detection with explicit classes and rules.
     *
     * @param scene the scene
     * @param proposals class-agnostic boxes
     * @param options the classes, "no object", minimum points, score threshold, up axis; without an explicit
     *     {@link DetectionOptions.Builder#batchSize batch size}, this instance's
     * @return the labelled boxes, in proposal order
     * @throws IllegalStateException if this instance is closed
     * @throws IllegalArgumentException if this instance classifies with a point encoder (detection projects
     *     each box to images for CLIP's image encoder)
     */
    public List<Detection> detect(PointCloud scene, List<Box> proposals, DetectionOptions options) {
        if (!options.batchSizeGiven()) { // this instance's batch size, as classifyAll uses it
            options = options.toBuilder().batchSize(batchSize).build();
        }
        return new ZeroShotDetector(this, options).detect(scene, proposals);
    }

    /**
     * Zero-shot part segmentation (PointCLIP V2, SEGMENTATION.md) with the default template
     * {@value PartPrompts#DEFAULT_TEMPLATE}, the {@linkplain SegmentationOptions#defaults() default options}
     * (the fixed layout, view weights 1.0) and every point of the cloud.
     *
     * @param cloud the cloud
     * @param category its category, e.g. {@code chair}
     * @param parts the part names, e.g. {@code back, seat, leg}
     * @return per-point labels and logits
     * @throws io.github.pointclip.encoder.DenseFeaturesUnavailableException if the image model has no dense
     *     features ({@code token_embeds})
     * @throws IllegalStateException if this instance is closed
     */
    public PartSegmentation segment(PointCloud cloud, String category, List<String> parts) {
        return segment(cloud, PartPrompts.of(category, parts), SegmentationOptions.defaults());
    }

    /**
     * Zero-shot part segmentation with explicit part prompts and the default options.
     *
     * @param cloud the cloud
     * @param prompts the parts and their sentences
     * @return per-point labels and logits
     * @throws IllegalStateException if this instance is closed
     */
    public PartSegmentation segment(PointCloud cloud, PartPrompts prompts) {
        return segment(cloud, prompts, SegmentationOptions.defaults());
    }

    /**
     * Zero-shot part segmentation: the cloud is projected into 10 depth images, the image encoder's patch
     * tokens are compared with one text feature per part, and every point takes the view-weighted logits of
     * the pixels where it is visible (SEGMENTATION.md §2 – §5). Thread-safe, like {@link #classify}.
     *
     * @param cloud the cloud (its first {@link SegmentationOptions#pointsPerCloud()} points, default all)
     * @param prompts the parts and their sentences
     * @param options layout, view weights, points per cloud
     * @return per-point labels and logits
     * @throws io.github.pointclip.encoder.DenseFeaturesUnavailableException if the image model has no dense
     *     features ({@code token_embeds})
     * @throws IllegalArgumentException if the encoder's tokens do not form a square patch grid or its input
     *     size is not the projection's
     * @throws IllegalStateException if this instance is closed, or pointclip-projection is missing
     */
    public PartSegmentation segment(PointCloud cloud, PartPrompts prompts, SegmentationOptions options) {
        Objects.requireNonNull(cloud, "cloud");
        Objects.requireNonNull(prompts, "prompts");
        Objects.requireNonNull(options, "options");
        enter();
        try {
            SegmentationProjector projector = segmentationProjector();
            if (imageSize != projector.imageSize()) {
                throw new IllegalArgumentException("part segmentation needs an image encoder of "
                    + projector.imageSize() + "x" + projector.imageSize() + " pixels, this model takes " + imageSize);
            }
            PointCloud points = options.pointsPerCloud() > 0 ? cloud.first(options.pointsPerCloud()) : cloud;
            SegmentationProjection projection = projector.project(points, options.layout());
            int views = projection.viewCount();
            float[] images = new float[views * 3 * imageSize * imageSize];
            projection.copyEncoderInput(images, 0);
            float[] tokens = denseTokens(images, views);
            BackProjection back = backProjection(tokens.length, views);
            Map<String, List<String>> byPart = new LinkedHashMap<>();
            for (int p = 0; p < prompts.size(); p++) {
                byPart.put(prompts.parts().get(p), List.of(prompts.sentences().get(p)));
            }
            float[] text = textFeaturesOpen(PromptSet.fromPrompts(byPart));
            double[] logits = back.pointLogits(tokens, dim, text, prompts.size(), projection, options.viewWeights());
            float[] out = new float[logits.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) logits[i];
            }
            return PartSegmentation.of(prompts.category(), prompts.parts(), options.layout(),
                BackProjection.labels(logits, prompts.size()), out);
        } finally {
            exit();
        }
    }

    /** The image encoder's tokens of {@code views} images, in runs of at most {@code batchSize} images. */
    private float[] denseTokens(float[] images, int views) {
        if (views <= batchSize) {
            return model.imageEncoder().encodeTokens(images, views);
        }
        int perImage = 3 * imageSize * imageSize;
        float[] out = null;
        int perToken = 0;
        for (int start = 0; start < views; start += batchSize) {
            int n = Math.min(batchSize, views - start);
            float[] chunk = java.util.Arrays.copyOfRange(images, start * perImage, (start + n) * perImage);
            float[] t = model.imageEncoder().encodeTokens(chunk, n);
            if (out == null) {
                perToken = t.length / n;
                out = new float[perToken * views];
            }
            if (t.length != perToken * n) {
                throw new IllegalArgumentException("the image model " + model.id() + " returned " + t.length
                    + " dense values for " + n + " images, expected " + perToken * n);
            }
            System.arraycopy(t, 0, out, start * perToken, t.length);
        }
        return out;
    }

    private SegmentationProjector segmentationProjector() {
        SegmentationProjector p = segmentationProjector;
        if (p == null) {
            p = SegmentationProjector.load();
            segmentationProjector = p;
        }
        return p;
    }

    /** The back-projection for the encoder's patch grid, found from the token count and checked to be square. */
    private BackProjection backProjection(int values, int views) {
        int tokens = values / (views * dim);
        int g = (int) Math.round(Math.sqrt(tokens - 1.0));
        if (tokens < 2 || (long) tokens * views * dim != values || g * g != tokens - 1) {
            throw new IllegalArgumentException("the image model " + model.id() + " returned " + values + " dense values"
                + " for " + views + " views of " + dim + "-d tokens: expected [" + views + ", 1 + g*g, " + dim
                + "] for a square patch grid g");
        }
        BackProjection b = backProjection;
        if (b == null || b.grid() != g) {
            b = new BackProjection(g, imageSize);
            backProjection = b;
        }
        return b;
    }

    /**
     * Retrieval features of one cloud (of its first {@linkplain Pipeline#pointsPerCloud() points per
     * cloud}). With a point encoder, the one "view" is the encoder's normalised feature in CLIP's space.
     *
     * @param cloud the cloud
     * @return per-view and fused features
     * @throws IllegalStateException if this instance is closed
     */
    public Embedding embed(PointCloud cloud) {
        if (pointEncoder != null) { // one "view": the encoder's feature in CLIP's space
            enter();
            try {
                float[] e = pointEmbeddings(List.of(cloud));
                return new Embedding(e, 1, dim, e.clone());
            } finally {
                exit();
            }
        }
        float[] f = imageFeatures(List.of(cloud));
        int views = pipeline.projector().viewCount();
        FeatureMath.normaliseRows(f, 0, views, dim);
        float[] w = pipeline.viewWeights();
        float[] fused = new float[dim];
        for (int v = 0; v < views; v++) {
            for (int i = 0; i < dim; i++) {
                fused[i] += w[v] * f[v * dim + i];
            }
        }
        FeatureMath.normaliseRows(fused, 0, 1, dim);
        return new Embedding(f, views, dim, fused);
    }

    /**
     * Raw (not normalised) image features of the clouds' views, [N, V, D], as the few-shot
     * adapter takes them. Views of several clouds go through the encoder in one run of at most
     * {@code batchSize} images (at least one whole cloud).
     *
     * @param clouds the clouds; each is cut to the pipeline's points per cloud
     * @return the features
     * @throws IllegalStateException if this instance is closed
     */
    private float[] imageFeatures(List<PointCloud> clouds) {
        enter();
        try {
            return imageFeaturesOpen(clouds);
        } finally {
            exit();
        }
    }

    private float[] imageFeaturesOpen(List<PointCloud> clouds) {
        requireImagePath();
        int views = pipeline.projector().viewCount();
        int cloudsPerRun = Math.max(1, batchSize / views);
        float[] out = new float[clouds.size() * views * dim];
        float[] images = null;
        for (int start = 0; start < clouds.size(); start += cloudsPerRun) {
            int n = Math.min(cloudsPerRun, clouds.size() - start);
            images = encoderInputOpen(clouds.subList(start, start + n), images);
            float[] f = model.imageEncoder().encode(images, n * views);
            System.arraycopy(f, 0, out, start * views * dim, n * views * dim);
        }
        return out;
    }

    /**
     * Projects clouds and prepares the image encoder's input: each cloud cut to the pipeline's
     * {@linkplain Pipeline#pointsPerCloud() points per cloud} (its first N points; 0 keeps all),
     * every depth map resized to the encoder's size (bilinear, align_corners=True) and repeated over
     * 3 channels.
     *
     * @param clouds the clouds
     * @param out destination, reused when it holds at least {@code N·V·3·S·S} floats; may be null
     * @return images [N·V, 3, S, S]
     * @throws IllegalStateException if this instance is closed
     */
    private float[] encoderInput(List<PointCloud> clouds, float[] out) {
        enter();
        try {
            return encoderInputOpen(clouds, out);
        } finally {
            exit();
        }
    }

    private float[] encoderInputOpen(List<PointCloud> clouds, float[] out) {
        requireImagePath();
        Projector projector = pipeline.projector();
        int views = projector.viewCount();
        int pixels = 3 * imageSize * imageSize;
        int needed = clouds.size() * views * pixels;
        if (out == null || out.length < needed) {
            out = new float[needed];
        }
        float[] maps = mapScratch.get();
        if (maps.length < projector.outputLength()) {
            maps = new float[projector.outputLength()];
            mapScratch.set(maps);
        }
        for (int k = 0; k < clouds.size(); k++) {
            PointCloud cloud = Objects.requireNonNull(clouds.get(k), "cloud " + k);
            if (pointsPerCloud > 0) {
                cloud = cloud.first(pointsPerCloud);
            }
            projector.projectInto(cloud, maps);
            resize.resizeReplicated(maps, 0, views, 3, out, k * views * pixels);
        }
        return out;
    }

    /**
     * Runs the image encoder.
     *
     * @param images [count, 3, S, S] from {@link #encoderInput}
     * @param count number of images
     * @return raw features [count, D]
     * @throws IllegalStateException if this instance is closed
     */
    private float[] encodeImages(float[] images, int count) {
        enter();
        try {
            requireImagePath();
            return model.imageEncoder().encode(images, count);
        } finally {
            exit();
        }
    }

    /**
     * Normalised class features of a prompt set, [C, D]: each prompt's feature normalised, the
     * class's prompts averaged and normalised again. Cached per prompt.
     *
     * @param set the prompt set
     * @return the features
     * @throws IllegalStateException if this instance is closed
     */
    private float[] textFeatures(PromptSet set) {
        enter();
        try {
            return textFeaturesOpen(set);
        } finally {
            exit();
        }
    }

    private float[] textFeaturesOpen(PromptSet set) {
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < set.size(); c++) {
            for (String p : set.prompts(c)) {
                if (textCache.get(textCacheKey, p, dim) == null && !missing.contains(p)) {
                    missing.add(p);
                }
            }
        }
        for (int start = 0; start < missing.size(); start += batchSize) {
            List<String> chunk = missing.subList(start, Math.min(missing.size(), start + batchSize));
            float[] f = model.textEncoder().encode(chunk);
            FeatureMath.normaliseRows(f, 0, chunk.size(), dim);
            for (int i = 0; i < chunk.size(); i++) {
                float[] one = new float[dim];
                System.arraycopy(f, i * dim, one, 0, dim);
                textCache.put(textCacheKey, chunk.get(i), one);
            }
        }
        if (!missing.isEmpty()) {
            LOG.debug("encoded {} new prompts for {} classes", missing.size(), set.size());
        }
        float[] out = new float[set.size() * dim];
        for (int c = 0; c < set.size(); c++) {
            for (String p : set.prompts(c)) {
                float[] f = textCache.get(textCacheKey, p, dim);
                if (f == null) { // evicted between the two loops under heavy concurrent use
                    f = model.textEncoder().encode(List.of(p));
                    FeatureMath.normaliseRows(f, 0, 1, dim);
                }
                for (int i = 0; i < dim; i++) {
                    out[c * dim + i] += f[i];
                }
            }
        }
        FeatureMath.normaliseRows(out, 0, set.size(), dim);
        return out;
    }

    /**
     * Logits of clouds from their raw image features and normalised class features: through the
     * few-shot adapter when one is set, else the view-weighted zero-shot similarity.
     *
     * @param imageFeatures raw features [N, V, D] (not modified)
     * @param clouds N
     * @param textFeatures normalised class features [C, D]
     * @param classes C
     * @return logits [N, C]
     */
    private float[] logits(float[] imageFeatures, int clouds, float[] textFeatures, int classes) {
        requireImagePath();
        if (adapter != null) {
            return adapter.logits(imageFeatures, clouds, textFeatures, classes);
        }
        int views = pipeline.projector().viewCount();
        float[] f = imageFeatures.clone();
        FeatureMath.normaliseRows(f, 0, clouds * views, dim);
        float[] weights = pipeline.viewWeights();
        float[] out = new float[clouds * classes];
        float[] sims = new float[views * classes];
        for (int n = 0; n < clouds; n++) {
            FeatureMath.viewSimilarities(f, n * views * dim, views, textFeatures, classes, dim, sims);
            float[] l = FeatureMath.fuseLogits(sims, views, classes, weights, model.logitScale());
            System.arraycopy(l, 0, out, n * classes, classes);
        }
        return out;
    }

    /** The image stages do not exist when a point encoder replaces them. */
    private void requireImagePath() {
        if (pointEncoder != null) {
            throw new IllegalStateException("this PointClip classifies with a point encoder; it has no depth maps or "
                + "image features (use classify/classifyAll)");
        }
    }

    /**
     * Normalised embeddings of clouds cut to the pipeline's points per cloud, [N, D], from the point
     * encoder in runs of at most {@code batchSize} clouds.
     */
    private float[] pointEmbeddings(List<PointCloud> clouds) {
        float[] out = new float[clouds.size() * dim];
        for (int start = 0; start < clouds.size(); start += batchSize) {
            int n = Math.min(batchSize, clouds.size() - start);
            List<PointCloud> batch = new ArrayList<>(n);
            for (int k = start; k < start + n; k++) {
                PointCloud cloud = Objects.requireNonNull(clouds.get(k), "cloud " + k);
                batch.add(pointsPerCloud > 0 ? cloud.first(pointsPerCloud) : cloud);
            }
            float[] e = pointEncoder.embed(batch);
            if (e.length != n * dim) {
                throw new IllegalStateException("the point encoder returned " + e.length + " values for " + n
                    + " clouds of " + dim + " dimensions");
            }
            System.arraycopy(e, 0, out, start * dim, e.length);
        }
        FeatureMath.normaliseRows(out, 0, clouds.size(), dim);
        return out;
    }

    /** Cosine logits in CLIP's space: {@code logitScale · ⟨e_n, t_c⟩} with both sides normalised. */
    private List<Prediction> pointPredictions(List<PointCloud> clouds, PromptSet set, float[] text) {
        float[] e = pointEmbeddings(clouds);
        int classes = set.size();
        float scale = model.logitScale();
        List<Prediction> out = new ArrayList<>(clouds.size());
        for (int n = 0; n < clouds.size(); n++) {
            float[] l = new float[classes];
            for (int c = 0; c < classes; c++) {
                double dot = 0;
                for (int i = 0; i < dim; i++) {
                    dot += (double) e[n * dim + i] * text[c * dim + i];
                }
                l[c] = (float) (scale * dot);
            }
            out.add(Prediction.of(set.classes(), l));
        }
        return out;
    }

    private List<Prediction> predictions(float[] imageFeatures, int clouds, PromptSet set, float[] text) {
        int classes = set.size();
        float[] logits = logits(imageFeatures, clouds, text, classes);
        List<Prediction> out = new ArrayList<>(clouds);
        for (int n = 0; n < clouds; n++) {
            float[] l = new float[classes];
            System.arraycopy(logits, n * classes, l, 0, classes);
            out.add(Prediction.of(set.classes(), l));
        }
        return out;
    }

    private float[] defaultTextFeatures() {
        float[] t = defaultTextFeatures;
        if (t == null) {
            t = textFeaturesOpen(prompts);
            defaultTextFeatures = t;
        }
        return t;
    }

    /** Takes a permit for a call: refused once {@link #close()} has begun. */
    private void enter() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("PointClip is closed");
            }
            inFlight++;
        }
    }

    /** Returns the permit taken by {@link #enter()}; the last one out lets a waiting {@link #close()} go on. */
    private void exit() {
        synchronized (lifecycle) {
            if (--inFlight == 0 && closed) {
                lifecycle.notifyAll();
            }
        }
    }

    /**
     * Refuses new calls, waits for the calls in flight on other threads to finish, then closes the
     * model if the builder opened it (a model passed to {@link Builder#model(ClipModel)} stays open),
     * and the point encoder if the builder loaded it (one passed as an object stays open).
     * Idempotent; safe to call while other threads are classifying, but not from inside a call on
     * this instance (it would wait for itself).
     */
    @Override
    public void close() {
        boolean interrupted = false;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            while (inFlight > 0) {
                try {
                    lifecycle.wait();
                } catch (InterruptedException e) {
                    interrupted = true; // releasing native sessions under a running call would crash the JVM
                }
            }
        }
        try {
            if (ownsModel) {
                model.close();
            }
        } finally {
            if (ownsPointEncoder) {
                pointEncoder.close();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Builds a {@link PointClip}; validates in {@link #build()}. */
    public static final class Builder {
        private Backbone backbone;
        private Path modelPath;
        private ClipModel model;
        private String provider;
        private Device device = Device.AUTO;
        private int threads;
        private int batchSize = 32;
        private boolean offline;
        private String dtype;
        private boolean truncatePrompts;
        private Pipeline pipeline;
        private PromptSet prompts;
        private List<String> classes;
        private float[] viewWeights;
        private int pointsPerCloud = -1;
        private Path textCacheDir;
        private boolean textCacheEnabled = true;
        private FeatureAdapter adapter;
        private Path adapterPath;
        private PointEncoder pointEncoder;
        private Path pointEncoderPath;

        private Builder() {
        }

        /**
         * @param backbone the expected backbone; the model's must match; default: whatever the model is
         * @return this builder
         */
        public Builder backbone(Backbone backbone) {
            this.backbone = backbone;
            return this;
        }

        /**
         * @param dir the model directory; default: resolved by the provider (system property
         *     {@code pointclip.model}, environment {@code POINTCLIP_MODEL}, cache)
         * @return this builder
         */
        public Builder model(Path dir) {
            this.modelPath = dir;
            return this;
        }

        /**
         * Uses an already opened model (e.g. another backend); the caller keeps ownership.
         *
         * @param model the model
         * @return this builder
         */
        public Builder model(ClipModel model) {
            this.model = model;
            return this;
        }

        /**
         * @param name encoder provider, e.g. {@code onnx}; default: see {@link ClipModels#provider}
         * @return this builder
         */
        public Builder provider(String name) {
            this.provider = name;
            return this;
        }

        /**
         * @param device where encoders run; default {@link Device#AUTO}
         * @return this builder
         */
        public Builder device(Device device) {
            this.device = Objects.requireNonNull(device, "device");
            return this;
        }

        /**
         * @param threads encoder threads; default 0 (the backend's default)
         * @return this builder
         */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /**
         * @param batchSize images or prompts per encoder run; default 32
         * @return this builder
         */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * @param offline never download a model; default false
         * @return this builder
         */
        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        /**
         * @param dtype which file variant of the model to load, named as transformers.js names its dtypes:
         *     {@code fp32}, {@code fp16} (half-precision inputs and outputs), {@code q8}, {@code int8}, {@code uint8},
         *     ...; default null (full precision). With {@link #backbone}, the variant is downloaded on first use
         *     (see docs/models.md)
         * @return this builder
         */
        public Builder dtype(String dtype) {
            this.dtype = dtype;
            return this;
        }

        /**
         * @param truncate cut a prompt longer than the text encoder's context (CLIP: 77 tokens) as
         *     openai/CLIP's {@code truncate=True} does; default false, where such a prompt fails with an
         *     exception naming it. Applies to a model the builder opens (for one passed to
         *     {@link #model(ClipModel)}, set {@link ModelRequest#TRUNCATE_PROMPTS} when opening it)
         * @return this builder
         */
        public Builder truncatePrompts(boolean truncate) {
            this.truncatePrompts = truncate;
            return this;
        }

        /**
         * @param pipeline the recipe; default {@link Pipeline#v2()} (or, with an adapter, the pipeline the
         *     adapter was trained with when that is a preset)
         * @return this builder
         */
        public Builder pipeline(Pipeline pipeline) {
            this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
            return this;
        }

        /**
         * @param prompts the default classes and prompts; overrides {@link #classes}
         * @return this builder
         */
        public Builder prompts(PromptSet prompts) {
            this.prompts = prompts;
            return this;
        }

        /**
         * @param classes default labels, prompted with the pipeline's template; default ModelNet40
         * @return this builder
         */
        public Builder classes(List<String> classes) {
            this.classes = List.copyOf(classes);
            return this;
        }

        /**
         * @param weights view weights overriding the pipeline's
         * @return this builder
         */
        public Builder viewWeights(float... weights) {
            this.viewWeights = weights.clone();
            return this;
        }

        /**
         * Shorthand for {@code pipeline(pipeline.withPointsPerCloud(n))}.
         *
         * @param n points kept per cloud (the first {@code n}), 0 for all; default the pipeline's, 1024 for
         *     the presets
         * @return this builder
         */
        public Builder pointsPerCloud(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("points per cloud must be >= 0 (0 = all points), got " + n);
            }
            this.pointsPerCloud = n;
            return this;
        }

        /**
         * @param dir directory of the text-feature disk cache; default
         *     {@code <cache root>/text-features} (see {@code CacheDirectory})
         * @return this builder
         */
        public Builder textCache(Path dir) {
            this.textCacheDir = dir;
            return this;
        }

        /**
         * @param enabled keep text features on disk between runs; default true
         * @return this builder
         */
        public Builder textDiskCache(boolean enabled) {
            this.textCacheEnabled = enabled;
            return this;
        }

        /**
         * @param adapter a trained few-shot adapter; default none (zero-shot)
         * @return this builder
         */
        public Builder adapter(FeatureAdapter adapter) {
            this.adapter = adapter;
            return this;
        }

        /**
         * @param checkpoint a few-shot adapter checkpoint, read by a {@link FeatureAdapterLoader} on the
         *     class path (add {@code pointclip-adapter})
         * @return this builder
         */
        public Builder adapter(Path checkpoint) {
            this.adapterPath = checkpoint;
            return this;
        }

        /**
         * Classifies in CLIP's space with a point encoder instead of projecting and running the image
         * encoder (see {@link #pointEncoder(Path)}); the caller keeps ownership of the encoder.
         *
         * @param encoder a point encoder aligned with the model's CLIP space; default none
         * @return this builder
         */
        public Builder pointEncoder(PointEncoder encoder) {
            this.pointEncoder = encoder;
            return this;
        }

        /**
         * Classifies in CLIP's space with a point encoder checkpoint (CrossPoint, {@code pointclip pretrain}),
         * read by a {@link PointEncoderLoader} on the class path (add {@code pointclip-crosspoint}): logits
         * are {@code logitScale · cos(embed(cloud), t_c)} against the text features of the prompts, with the
         * same {@link Prediction}s as the image path; no depth map is rendered and the image encoder is never
         * run. The encoder's width must equal the text encoder's. The pipeline still gives the points per
         * cloud and the prompt template. Not combinable with an adapter. The {@link PointClip} closes it.
         *
         * @param checkpoint the checkpoint file; default none
         * @return this builder
         */
        public Builder pointEncoder(Path checkpoint) {
            this.pointEncoderPath = checkpoint;
            return this;
        }

        /**
         * Validates the settings and opens the model.
         *
         * @return the recogniser
         * @throws ModelNotFoundException if the {@link #model(Path)} given does not exist (the message names
         *     it), or no model was given and none could be found (the message lists where it looked; give
         *     one with {@link #model(Path)})
         * @throws ModelDownloadException if the model had to be downloaded and the network failed
         *     (connection refused, unknown host, timeout; the message names the address)
         * @throws ModelLoadException if the model was found but cannot be opened
         * @throws AdapterLoadException if the adapter checkpoint cannot be read or was trained for another
         *     pipeline, view count or feature width (the message names the file)
         * @throws PointEncoderLoadException if the point encoder checkpoint cannot be read, or its width is not
         *     the text encoder's (the message names the file and both widths)
         * @throws IllegalArgumentException if settings contradict each other or the model
         */
        public PointClip build() {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
            }
            if (truncatePrompts && model != null) {
                throw new IllegalArgumentException("truncatePrompts applies to a model the builder opens; open the "
                    + "ClipModel with the ModelRequest option '" + ModelRequest.TRUNCATE_PROMPTS + "' instead");
            }
            boolean withEncoder = pointEncoder != null || pointEncoderPath != null;
            if (withEncoder && (adapter != null || adapterPath != null)) {
                throw new IllegalArgumentException("a few-shot adapter works on image features, which a point encoder "
                    + "replaces: give an adapter or a point encoder, not both");
            }
            if (pointEncoder != null && pointEncoderPath != null) {
                throw new IllegalArgumentException("give the point encoder as a checkpoint or as an object, not both");
            }
            if (adapterPath != null) {
                adapter = loadAdapter(adapterPath);
            }
            Path adapterSource = adapterPath != null ? adapterPath : adapter == null ? null : adapter.source();
            Pipeline chosen = pipeline == null ? defaultPipeline(adapter, adapterSource) : pipeline;
            if (viewWeights != null) {
                chosen = chosen.withViewWeights(viewWeights);
            }
            if (pointsPerCloud >= 0) {
                chosen = chosen.withPointsPerCloud(pointsPerCloud);
            }
            checkAdapterPipeline(chosen, adapter, adapterSource);
            pipeline = chosen;
            if (prompts == null) {
                prompts = PromptSet.fromTemplate(pipeline.template(), classes == null ? ClassNames.MODELNET40 : classes);
            }
            if (textCacheDir == null) {
                textCacheDir = CacheDirectory.root().resolve("text-features");
            }
            // the small checkpoint first: a bad file fails before the model is opened
            PointEncoder encoder = pointEncoderPath != null ? loadPointEncoder(pointEncoderPath) : pointEncoder;
            boolean ownsEncoder = pointEncoderPath != null;
            try {
                return build(encoder, ownsEncoder);
            } catch (RuntimeException e) {
                if (ownsEncoder) {
                    encoder.close();
                }
                throw e;
            }
        }

        private PointClip build(PointEncoder encoder, boolean ownsEncoder) {
            boolean owns = model == null;
            ClipModel m = model;
            if (m == null) {
                ModelRequest.Builder request = ModelRequest.builder().model(modelPath).backbone(backbone).device(device)
                    .threads(threads).batchSize(batchSize).offline(offline).dtype(dtype);
                if (truncatePrompts) {
                    request.option(ModelRequest.TRUNCATE_PROMPTS, "true");
                }
                m = openModel(request.build());
            }
            try {
                if (backbone != null && m.backbone() != null && m.backbone() != backbone) {
                    throw new IllegalArgumentException("asked for backbone " + backbone + " but the model is " + m.backbone());
                }
                int modelDim = encoder != null ? m.textEncoder().embeddingDim() : m.imageEncoder().embeddingDim();
                if (backbone != null && modelDim != backbone.embeddingDim()) {
                    throw new IllegalArgumentException("backbone " + backbone + " has " + backbone.embeddingDim()
                        + "-d features but the model gives " + modelDim);
                }
                return new PointClip(this, m, owns, encoder, ownsEncoder);
            } catch (RuntimeException e) {
                if (owns) {
                    m.close();
                }
                throw e;
            }
        }

        /**
         * Opens the model; a model that is not found or cannot be downloaded passes through, other I/O
         * failures become typed.
         */
        private ClipModel openModel(ModelRequest request) {
            Path explicit = request.model();
            if (explicit != null && Files.notExists(explicit)) {
                String what = "no such file or directory: " + explicit;
                throw new ModelNotFoundException("no CLIP model at " + explicit + ": no such file or directory",
                    List.of(what), null);
            }
            try {
                return ClipModels.open(request, provider);
            } catch (ModelNotFoundException | ModelDownloadException e) {
                throw e;
            } catch (IOException e) {
                String where = request.model() == null ? "the CLIP model" : "the CLIP model at " + request.model();
                throw new ModelLoadException("cannot open " + where + ": " + e.getMessage(), e);
            }
        }

        /**
         * Without an explicit pipeline: V2, or the pipeline an adapter was trained with: a preset, or a
         * preset with another template, view weights or points per cloud ({@link Pipeline#rebuild}); one
         * with another projector cannot be rebuilt from the checkpoint and must be passed.
         */
        private static Pipeline defaultPipeline(FeatureAdapter adapter, Path file) {
            String trained = adapter == null ? null : adapter.metadata().get(PIPELINE_NAME);
            if (trained == null || trained.isEmpty()) {
                return Pipeline.v2();
            }
            String fingerprint = adapter.metadata().get(PIPELINE_FINGERPRINT);
            if (isPresetName(trained)) {
                Pipeline preset = Pipeline.preset(trained);
                // a file from before pipelines were recorded by value carries only the name
                if (fingerprint == null || fingerprint.isEmpty() || fingerprint.equals(preset.fingerprint())) {
                    return preset;
                }
            }
            return Pipeline.rebuild(trained, fingerprint).orElseThrow(() -> new AdapterLoadException(file,
                "was trained with the custom pipeline '" + trained + "', whose projector the checkpoint cannot rebuild; "
                + "pass that pipeline to the builder with .pipeline(...)", null));
        }

        /**
         * An adapter only makes sense on the features it was trained on: the pipeline must equal, by
         * value, the one recorded in its checkpoint. Files written before pipelines were recorded by value
         * carry only a name, which is then compared with the pipeline's (derived) name.
         */
        private static void checkAdapterPipeline(Pipeline chosen, FeatureAdapter adapter, Path file) {
            if (adapter == null) {
                return;
            }
            String trained = adapter.metadata().get(PIPELINE_NAME);
            String fingerprint = adapter.metadata().get(PIPELINE_FINGERPRINT);
            if (fingerprint != null && !fingerprint.isEmpty()) {
                if (!fingerprint.equals(chosen.fingerprint())) {
                    throw new AdapterLoadException(file, "was trained with pipeline " + trained + " but this PointClip "
                        + "uses " + chosen.name() + "; they differ in "
                        + String.join(", ", Pipeline.differences(fingerprint, chosen.fingerprint())), null);
                }
                return;
            }
            if (trained == null || trained.isEmpty()) {
                return; // nothing recorded: the view-count and width checks still apply
            }
            // a file from before pipelines were recorded by value: a preset name means that preset (names are
            // derived from values), another name the custom pipeline of that label
            String ours = chosen.name();
            if (!ours.equals(trained) && !(!isPresetName(trained) && ours.equals(trained + Pipeline.CUSTOM_SUFFIX))) {
                throw new AdapterLoadException(file, "was trained with pipeline '" + trained + "' but this PointClip "
                    + "uses '" + ours + "'", null);
            }
        }

        private static boolean isPresetName(String name) {
            return "v1".equals(name) || "v2".equals(name) || "v1-fewshot".equals(name);
        }

        private static PointEncoder loadPointEncoder(Path file) {
            try {
                return PointEncoderLoader.loadAny(file);
            } catch (NoSuchFileException e) {
                throw new PointEncoderLoadException(file, "file not found", e);
            } catch (IOException e) {
                String m = e.getMessage() == null ? e.toString() : e.getMessage();
                String prefix = file + ": ";
                throw new PointEncoderLoadException(file, m.startsWith(prefix) ? m.substring(prefix.length()) : m, e);
            } catch (IllegalArgumentException e) {
                throw new PointEncoderLoadException(file, e.getMessage(), e);
            }
        }

        private static FeatureAdapter loadAdapter(Path file) {
            if (Files.isDirectory(file)) {
                throw new AdapterLoadException(file, "is a directory; expected an adapter checkpoint file "
                    + "(.safetensors)", null);
            }
            try {
                return FeatureAdapterLoader.loadAny(file);
            } catch (NoSuchFileException e) {
                throw new AdapterLoadException(file, "file not found", e);
            } catch (IOException e) {
                // a loader's message already names the file
                String m = e.getMessage() == null ? e.toString() : e.getMessage();
                String prefix = file + ": ";
                throw new AdapterLoadException(file, m.startsWith(prefix) ? m.substring(prefix.length()) : m, e);
            } catch (IllegalArgumentException e) {
                throw new AdapterLoadException(file, e.getMessage(), e);
            }
        }
    }

    /** The pipeline stages for {@link PipelineStages}: the SDK's modules reach them there, not here. */
    private static final class Stages implements PipelineStages.Access {
        @Override
        public float[] imageFeatures(PointClip clip, List<PointCloud> clouds) {
            return clip.imageFeatures(clouds);
        }

        @Override
        public float[] encoderInput(PointClip clip, List<PointCloud> clouds, float[] out) {
            return clip.encoderInput(clouds, out);
        }

        @Override
        public float[] encodeImages(PointClip clip, float[] images, int count) {
            return clip.encodeImages(images, count);
        }

        @Override
        public float[] textFeatures(PointClip clip, PromptSet set) {
            return clip.textFeatures(set);
        }

        @Override
        public float[] logits(PointClip clip, float[] imageFeatures, int clouds, float[] textFeatures, int classes) {
            return clip.logits(imageFeatures, clouds, textFeatures, classes);
        }
    }
}
