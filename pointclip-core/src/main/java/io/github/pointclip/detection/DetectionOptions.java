package io.github.pointclip.detection;

import io.github.pointclip.prompt.PromptSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How {@link ZeroShotDetector} labels boxes. Immutable; build with {@link #builder()}, change with
 * {@link #toBuilder()}. Defaults are those of {@code pointclip detect}.
 */
public final class DetectionOptions {

    /** The label of the optional extra class; a box that gets it is dropped. */
    public static final String NO_OBJECT = "no object";

    /** Default of {@link Builder#minPoints}. */
    public static final int DEFAULT_MIN_POINTS = 20;

    private final List<String> classes;
    private final PromptSet prompts;
    private final boolean noObject;
    private final List<String> noObjectPrompts;
    private final int minPoints;
    private final double scoreThreshold;
    private final UpAxis upAxis;
    private final int batchSize;
    private final boolean batchSizeGiven;

    private DetectionOptions(Builder b) {
        this.classes = b.prompts != null ? b.prompts.classes() : b.classes;
        this.prompts = b.prompts;
        this.noObject = b.noObject;
        this.noObjectPrompts = b.noObjectPrompts;
        this.minPoints = b.minPoints;
        this.scoreThreshold = b.scoreThreshold;
        this.upAxis = b.upAxis;
        this.batchSize = b.batchSize;
        this.batchSizeGiven = b.batchSizeGiven;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the defaults: {@code scannet18}, no "no object", 20 points, threshold 0, z up, 32 images per run */
    public static DetectionOptions defaults() {
        return builder().build();
    }

    /** @return a builder holding these options */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.classes = classes;
        b.prompts = prompts;
        b.noObject = noObject;
        b.noObjectPrompts = noObjectPrompts;
        b.minPoints = minPoints;
        b.scoreThreshold = scoreThreshold;
        b.upAxis = upAxis;
        b.batchSize = batchSize;
        b.batchSizeGiven = batchSizeGiven;
        return b;
    }

    /** @return the object classes, in order */
    public List<String> classes() {
        return classes;
    }

    /**
     * @return the explicit prompts of the classes (a prompt library, each class's prompts ensembled), or null
     *     when the classes are prompted with the pipeline's template
     */
    public PromptSet prompts() {
        return prompts;
    }

    /** @return whether the class {@value #NO_OBJECT} is added last */
    public boolean noObject() {
        return noObject;
    }

    /** @return the prompts of {@value #NO_OBJECT}; empty for the pipeline's template filled with it */
    public List<String> noObjectPrompts() {
        return noObjectPrompts;
    }

    /** @return the fewest points a box must hold to be classified */
    public int minPoints() {
        return minPoints;
    }

    /** @return the lowest score kept */
    public double scoreThreshold() {
        return scoreThreshold;
    }

    /** @return the scene's up axis */
    public UpAxis upAxis() {
        return upAxis;
    }

    /** @return images per image-encoder run (32 unless {@linkplain Builder#batchSize set}) */
    public int batchSize() {
        return batchSize;
    }

    /**
     * @return whether {@link Builder#batchSize} was called; when not, {@link io.github.pointclip.PointClip#detect}
     *     uses the {@link io.github.pointclip.PointClip}'s own batch size
     */
    public boolean batchSizeGiven() {
        return batchSizeGiven;
    }

    /** @return the labels scored, in order: the classes, then {@value #NO_OBJECT} when asked for */
    public List<String> labels() {
        if (!noObject) {
            return classes;
        }
        List<String> all = new ArrayList<>(classes);
        all.add(NO_OBJECT);
        return List.copyOf(all);
    }

    /** Builds {@link DetectionOptions}; validates in {@link #build()}. */
    public static final class Builder {
        private List<String> classes = ScanNetScenes.CLASSES;
        private PromptSet prompts;
        private boolean noObject;
        private List<String> noObjectPrompts = List.of();
        private int minPoints = DEFAULT_MIN_POINTS;
        private double scoreThreshold;
        private UpAxis upAxis = UpAxis.Z;
        private int batchSize = 32;
        private boolean batchSizeGiven;

        private Builder() {
        }

        /**
         * @param labels the object classes, prompted with the pipeline's template; default the 18 ScanNet
         *     detection classes ({@link ScanNetScenes#CLASSES})
         * @return this builder
         */
        public Builder classes(List<String> labels) {
            this.classes = List.copyOf(labels);
            this.prompts = null;
            return this;
        }

        /**
         * @param library classes with their own prompts (e.g. {@link PromptSet#fromJson} of a PointCLIP V2 prompt
         *     library), instead of {@link #classes} through the pipeline's template; default none
         * @return this builder
         */
        public Builder prompts(PromptSet library) {
            this.prompts = Objects.requireNonNull(library, "prompts");
            this.classes = library.classes();
            return this;
        }

        /**
         * @param add add the class {@value #NO_OBJECT} last (a box labelled with it is dropped); default false
         * @return this builder
         */
        public Builder noObject(boolean add) {
            this.noObject = add;
            return this;
        }

        /**
         * @param prompts the prompts of {@value #NO_OBJECT} (ensembled), instead of the pipeline's template
         *     filled with it; default none. Implies {@link #noObject(boolean) noObject(true)} when not empty
         * @return this builder
         */
        public Builder noObjectPrompts(List<String> prompts) {
            this.noObjectPrompts = List.copyOf(prompts);
            if (!prompts.isEmpty()) {
                this.noObject = true;
            }
            return this;
        }

        /**
         * @param n the fewest points a box must hold (exactly n is kept), ≥ 1; default {@value #DEFAULT_MIN_POINTS}
         * @return this builder
         */
        public Builder minPoints(int n) {
            this.minPoints = n;
            return this;
        }

        /**
         * @param t detections scoring below it are dropped; default 0 (keep all)
         * @return this builder
         */
        public Builder scoreThreshold(double t) {
            this.scoreThreshold = t;
            return this;
        }

        /**
         * @param axis the scene's up axis; default {@link UpAxis#Z}
         * @return this builder
         */
        public Builder upAxis(UpAxis axis) {
            this.upAxis = Objects.requireNonNull(axis, "upAxis");
            return this;
        }

        /**
         * @param images images per image-encoder run (crops of several boxes share a run), ≥ 1; default:
         *     the {@link io.github.pointclip.PointClip}'s batch size through {@link io.github.pointclip.PointClip#detect},
         *     32 for a {@link ZeroShotDetector} built directly
         * @return this builder
         */
        public Builder batchSize(int images) {
            this.batchSize = images;
            this.batchSizeGiven = true;
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException for no class, a blank or repeated class, a class named
         *     {@value #NO_OBJECT}, {@code minPoints < 1}, a non-finite threshold or a batch size below 1
         */
        public DetectionOptions build() {
            if (classes.isEmpty()) {
                throw new IllegalArgumentException("no classes to detect");
            }
            for (int i = 0; i < classes.size(); i++) {
                String c = classes.get(i);
                if (c.isBlank()) {
                    throw new IllegalArgumentException("class " + (i + 1) + " is blank");
                }
                if (classes.indexOf(c) != i) {
                    throw new IllegalArgumentException("class '" + c + "' is given twice");
                }
                if (c.equals(NO_OBJECT)) {
                    throw new IllegalArgumentException("'" + NO_OBJECT + "' is not an object class; use noObject(true)");
                }
            }
            if (minPoints < 1) {
                throw new IllegalArgumentException("min points must be ≥ 1, got " + minPoints);
            }
            if (!Double.isFinite(scoreThreshold)) {
                throw new IllegalArgumentException("score threshold must be finite, got " + scoreThreshold);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
            }
            return new DetectionOptions(this);
        }
    }
}
