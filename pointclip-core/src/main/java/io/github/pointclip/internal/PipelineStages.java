package io.github.pointclip.internal;

import io.github.pointclip.PointClip;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.prompt.PromptSet;
import java.util.List;

/**
 * The stages of {@link PointClip}'s pipeline, one by one, for the SDK's own modules (the evaluator,
 * the few-shot feature extractor and searches, the CLI) that batch, cache or time them separately.
 * They are not part of {@code PointClip}'s public API: {@code PointClip} installs an {@link Access}
 * from its static initialiser, and this package is exported only to the SDK's modules.
 *
 * <p>Each stage takes a permit on the instance like the public methods do, so it throws
 * {@link IllegalStateException} once the instance is closed.
 */
public final class PipelineStages {

    /** What {@link PointClip} implements for this class; installed once, by {@code PointClip} itself. */
    public interface Access {
        /** @see PipelineStages#imageFeatures(PointClip, List) */
        float[] imageFeatures(PointClip clip, List<PointCloud> clouds);

        /** @see PipelineStages#encoderInput(PointClip, List, float[]) */
        float[] encoderInput(PointClip clip, List<PointCloud> clouds, float[] out);

        /** @see PipelineStages#encodeImages(PointClip, float[], int) */
        float[] encodeImages(PointClip clip, float[] images, int count);

        /** @see PipelineStages#textFeatures(PointClip, PromptSet) */
        float[] textFeatures(PointClip clip, PromptSet set);

        /** @see PipelineStages#logits(PointClip, float[], int, float[], int) */
        float[] logits(PointClip clip, float[] imageFeatures, int clouds, float[] textFeatures, int classes);
    }

    private static volatile Access access;

    private PipelineStages() {
    }

    /**
     * Called once, from {@link PointClip}'s static initialiser.
     *
     * @param a the implementation, a class nested in {@code PointClip}
     * @throws IllegalArgumentException if {@code a} is not {@code PointClip}'s
     * @throws IllegalStateException if one is installed already
     */
    public static synchronized void install(Access a) {
        if (a == null || a.getClass().getNestHost() != PointClip.class) {
            throw new IllegalArgumentException("only PointClip installs the PipelineStages access, not "
                + (a == null ? null : a.getClass().getName()));
        }
        if (access != null) {
            throw new IllegalStateException("PipelineStages access is installed already");
        }
        access = a;
    }

    private static Access access() {
        Access a = access;
        if (a == null) {
            try { // a caller with an instance has initialised PointClip already; this covers the rest
                Class.forName(PointClip.class.getName(), true, PointClip.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            a = access;
        }
        return a;
    }

    /**
     * Raw (not normalised) image features of the clouds' views, [N, V, D], as the few-shot adapter
     * takes them. Views of several clouds go through the encoder in one run of at most the
     * instance's batch size of images (at least one whole cloud).
     *
     * @param clip the instance
     * @param clouds the clouds; each is cut to the pipeline's points per cloud
     * @return the features
     * @throws IllegalStateException if the instance is closed
     */
    public static float[] imageFeatures(PointClip clip, List<PointCloud> clouds) {
        return access().imageFeatures(clip, clouds);
    }

    /**
     * Projects clouds and prepares the image encoder's input: each cloud cut to the pipeline's
     * points per cloud (its first N points; 0 keeps all), every depth map resized to the encoder's
     * size (bilinear, align_corners=True) and repeated over 3 channels.
     *
     * @param clip the instance
     * @param clouds the clouds
     * @param out destination, reused when it holds at least {@code N·V·3·S·S} floats; may be null
     * @return images [N·V, 3, S, S]
     * @throws IllegalStateException if the instance is closed
     */
    public static float[] encoderInput(PointClip clip, List<PointCloud> clouds, float[] out) {
        return access().encoderInput(clip, clouds, out);
    }

    /**
     * Runs the image encoder.
     *
     * @param clip the instance
     * @param images [count, 3, S, S] from {@link #encoderInput}
     * @param count number of images
     * @return raw features [count, D]
     * @throws IllegalStateException if the instance is closed
     */
    public static float[] encodeImages(PointClip clip, float[] images, int count) {
        return access().encodeImages(clip, images, count);
    }

    /**
     * Normalised class features of a prompt set, [C, D]: each prompt's feature normalised, the
     * class's prompts averaged and normalised again. Cached per prompt.
     *
     * @param clip the instance
     * @param set the prompt set
     * @return the features
     * @throws IllegalStateException if the instance is closed
     */
    public static float[] textFeatures(PointClip clip, PromptSet set) {
        return access().textFeatures(clip, set);
    }

    /**
     * Logits of clouds from their raw image features and normalised class features: through the
     * instance's few-shot adapter when it has one, else the view-weighted zero-shot similarity.
     *
     * @param clip the instance
     * @param imageFeatures raw features [N, V, D] (not modified)
     * @param clouds N
     * @param textFeatures normalised class features [C, D]
     * @param classes C
     * @return logits [N, C]
     */
    public static float[] logits(PointClip clip, float[] imageFeatures, int clouds, float[] textFeatures,
            int classes) {
        return access().logits(clip, imageFeatures, clouds, textFeatures, classes);
    }
}
