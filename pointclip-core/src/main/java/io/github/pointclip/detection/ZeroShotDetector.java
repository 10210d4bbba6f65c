package io.github.pointclip.detection;

import io.github.pointclip.PointClip;
import io.github.pointclip.Prediction;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.internal.PipelineStages;
import io.github.pointclip.projection.spi.BilinearResize;
import io.github.pointclip.projection.spi.Projector;
import io.github.pointclip.prompt.PromptSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zero-shot 3-D detection as PointCLIP V2 describes it: the points inside each proposal box are
 * cropped from the scene, projected and classified by CLIP against the class prompts.
 *
 * <ul>
 * <li>every point inside a box (or on a face) is classified: no sampling, re-centring or scaling (the
 *     projection normalises), and not cut to the pipeline's points per cloud;</li>
 * <li>z-up scenes ({@link UpAxis#Z}) are turned {@code (x, y, z) → (x, z, −y)} per crop, into the
 *     y-up frame the views were tuned on;</li>
 * <li>a box holding fewer than {@link DetectionOptions#minPoints()} points is dropped unclassified;</li>
 * <li>the classes are prompted with the pipeline's template (V2: "point cloud depth map of a {}.") or
 *     with their own prompts ({@link DetectionOptions#prompts()}, ensembled as a prompt library is), the
 *     view weights and logit fusion are the pipeline's, exactly as {@link PointClip#classify} does;
 *     with {@link DetectionOptions#noObject()} the class "no object" comes last, and a box whose best
 *     class it is is dropped;</li>
 * <li>score = the best class's probability × the proposal's score (when it has one); detections
 *     below {@link DetectionOptions#scoreThreshold()} are dropped.</li>
 * </ul>
 *
 * <p>Crops of several boxes go through the image encoder in one run of at most
 * {@link DetectionOptions#batchSize()} images, as {@link PointClip#classifyAll} batches clouds.
 * Detections come back in proposal order. Thread-safe when the {@link PointClip} is.
 */
public final class ZeroShotDetector {

    private static final Logger LOG = LoggerFactory.getLogger(ZeroShotDetector.class);

    private final PointClip clip;
    private final DetectionOptions options;
    private final PromptSet prompts;

    /**
     * @param clip the recogniser (its pipeline, model and adapter, if any); not closed by this class
     * @param options the classes and rules
     * @throws IllegalArgumentException if {@code clip} classifies with a point encoder: detection projects
     *     each box's points to depth images for CLIP's image encoder
     */
    public ZeroShotDetector(PointClip clip, DetectionOptions options) {
        this.clip = Objects.requireNonNull(clip, "clip");
        this.options = Objects.requireNonNull(options, "options");
        if (clip.pointEncoder().isPresent()) {
            throw new IllegalArgumentException("zero-shot detection projects each box's points to depth images for "
                + "CLIP's image encoder; this PointClip classifies with a point encoder instead: build one without "
                + "pointEncoder(...) for detection");
        }
        this.prompts = prompts(clip.pipeline().template(), options);
    }

    /**
     * @param template the pipeline's template
     * @param options the classes and the "no object" choice
     * @return the prompt set: each class through the template, "no object" last when asked for
     */
    static PromptSet prompts(String template, DetectionOptions options) {
        Map<String, List<String>> byClass = new LinkedHashMap<>();
        PromptSet library = options.prompts();
        for (int i = 0; i < options.classes().size(); i++) {
            String c = options.classes().get(i);
            byClass.put(c, library != null ? library.prompts(i) : List.of(PromptSet.fill(template, c)));
        }
        if (options.noObject()) {
            byClass.put(DetectionOptions.NO_OBJECT, options.noObjectPrompts().isEmpty()
                ? List.of(PromptSet.fill(template, DetectionOptions.NO_OBJECT)) : options.noObjectPrompts());
        }
        return PromptSet.fromPrompts(byClass);
    }

    /** @return the options */
    public DetectionOptions options() {
        return options;
    }

    /** @return the prompt set scored, one entry per label of {@link DetectionOptions#labels()} */
    public PromptSet prompts() {
        return prompts;
    }

    /**
     * @param scene the scene
     * @param proposals the boxes to label
     * @return the kept detections, in proposal order
     * @throws IllegalStateException if the {@link PointClip} is closed
     */
    public List<Detection> detect(PointCloud scene, List<Box> proposals) {
        return detect(SceneIndex.of(scene), proposals, DetectionListener.NONE);
    }

    /**
     * @param scene the scene
     * @param proposer where the proposals come from
     * @return the kept detections, in proposal order
     */
    public List<Detection> detect(PointCloud scene, ProposalSource proposer) {
        return detect(scene, proposer.propose(scene));
    }

    /**
     * @param index the indexed scene (reuse it for several calls on one scene)
     * @param proposals the boxes to label
     * @param listener progress, after each encoder run
     * @return the kept detections, in proposal order
     * @throws IllegalStateException if the {@link PointClip} is closed
     */
    public List<Detection> detect(SceneIndex index, List<Box> proposals, DetectionListener listener) {
        Objects.requireNonNull(listener, "listener");
        List<String> labels = prompts.classes();
        int classes = labels.size();
        Projector projector = clip.pipeline().projector();
        int views = projector.viewCount();
        int size = clip.model().imageEncoder().imageSize();
        BilinearResize resize = new BilinearResize(projector.height(), projector.width(), size, size);
        int pixels = 3 * size * size;
        int cropsPerRun = Math.max(1, options.batchSize() / views);
        float[] text = PipelineStages.textFeatures(clip, prompts);
        float[] maps = new float[projector.outputLength()];
        float[] images = null;
        List<Detection> out = new ArrayList<>();
        List<Box> pending = new ArrayList<>(cropsPerRun);
        List<Integer> counts = new ArrayList<>(cropsPerRun);
        int total = proposals.size();
        int small = 0;
        for (int i = 0; i < total; i++) {
            Box box = Objects.requireNonNull(proposals.get(i), "proposal " + i);
            int[] inside = index.indicesIn(box);
            if (inside.length < options.minPoints()) {
                small++;
            } else {
                if (images == null) {
                    images = new float[cropsPerRun * views * pixels];
                }
                PointCloud crop = turned(index.scene(), inside, options.upAxis());
                projector.projectInto(crop, maps);
                resize.resizeReplicated(maps, 0, views, 3, images, pending.size() * views * pixels);
                pending.add(box);
                counts.add(inside.length);
            }
            if (pending.size() == cropsPerRun || i == total - 1 && !pending.isEmpty()) {
                classify(images, pending, counts, labels, text, classes, views, out);
                pending.clear();
                counts.clear();
                listener.progress(i + 1, total);
            }
        }
        listener.progress(total, total);
        LOG.debug("{} proposals: {} with fewer than {} points, {} detections kept", total, small,
            options.minPoints(), out.size());
        return out;
    }

    private void classify(float[] images, List<Box> boxes, List<Integer> counts, List<String> labels, float[] text,
            int classes, int views, List<Detection> out) {
        int n = boxes.size();
        float[] features = PipelineStages.encodeImages(clip, images, n * views);
        float[] logits = PipelineStages.logits(clip, features, n, text, classes);
        for (int k = 0; k < n; k++) {
            float[] l = new float[classes];
            System.arraycopy(logits, k * classes, l, 0, classes);
            Prediction p = Prediction.of(labels, l);
            int best = p.labelIndex();
            if (options.noObject() && best == classes - 1) {
                continue;
            }
            Box box = boxes.get(k);
            double score = p.probabilities()[best] * box.score().orElse(1);
            if (score < options.scoreThreshold()) {
                continue;
            }
            out.add(Detection.of(box, labels.get(best), score, counts.get(k), labels, p.probabilities(), l));
        }
    }

    /**
     * The crop as a cloud, turned into the classifier's y-up frame for a z-up scene.
     *
     * @param scene the scene
     * @param inside the indices of the points inside the box
     * @param up the scene's up axis
     * @return the crop
     */
    static PointCloud turned(PointCloud scene, int[] inside, UpAxis up) {
        float[] xyz = new float[3 * inside.length];
        for (int i = 0; i < inside.length; i++) {
            int p = inside[i];
            xyz[3 * i] = scene.x(p);
            if (up == UpAxis.Z) {
                xyz[3 * i + 1] = scene.z(p);
                xyz[3 * i + 2] = -scene.y(p);
            } else {
                xyz[3 * i + 1] = scene.y(p);
                xyz[3 * i + 2] = scene.z(p);
            }
        }
        return PointCloud.of(xyz);
    }
}
