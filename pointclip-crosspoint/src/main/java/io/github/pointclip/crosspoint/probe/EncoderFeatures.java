package io.github.pointclip.crosspoint.probe;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.encoder.PointEncoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Extracts {@link LabelledFeatures} from a dataset with a frozen {@link PointEncoder}: the backbone's
 * global features ({@link Output#FEATURES}, what CrossPoint probes) or the features in CLIP's space
 * ({@link Output#EMBEDDING}). Clouds are read in index order and encoded a batch at a time.
 * Immutable; thread-safe as far as the encoder is.
 */
public final class EncoderFeatures {

    /** Which of the encoder's outputs to take. */
    public enum Output {
        /** {@link PointEncoder#features}: the global feature before any projection head. */
        FEATURES,
        /** {@link PointEncoder#embed}: the feature in CLIP's space (not normalised). */
        EMBEDDING
    }

    private final PointEncoder encoder;
    private final Output output;
    private final int firstPoints;
    private final int batchSize;
    private final ProbeListener listener;

    private EncoderFeatures(Builder b) {
        this.encoder = b.encoder;
        this.output = b.output;
        this.firstPoints = b.firstPoints;
        this.batchSize = b.batchSize;
        this.listener = b.listener;
    }

    /** @return a builder; the encoder is required, the defaults are {@link Output#FEATURES}, 1024 points, batch 32 */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these settings */
    public Builder toBuilder() {
        return new Builder().encoder(encoder).output(output).firstPoints(firstPoints).batchSize(batchSize)
            .listener(listener);
    }

    /** @return the feature width of the chosen output */
    public int dim() {
        return output == Output.FEATURES ? encoder.featureDim() : encoder.embeddingDim();
    }

    /**
     * @param dataset the samples to encode
     * @return a row per sample, in index order, labelled with the dataset's labels and classes
     * @throws IOException if a sample cannot be read
     */
    public LabelledFeatures extract(Dataset dataset) throws IOException {
        int[] all = new int[dataset.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return extract(dataset, all);
    }

    /**
     * @param dataset the dataset
     * @param indices the samples to encode, in the order wanted
     * @return a row per index, labelled with the dataset's labels and classes
     * @throws IOException if a sample cannot be read
     * @throws IndexOutOfBoundsException for a bad index
     * @throws IllegalStateException if the encoder returns an array of the wrong size
     */
    public LabelledFeatures extract(Dataset dataset, int[] indices) throws IOException {
        Objects.requireNonNull(dataset, "dataset");
        int dim = dim();
        float[] values = new float[indices.length * dim];
        int[] labels = new int[indices.length];
        listener.started(ProbeListener.Stage.FEATURES, indices.length);
        List<PointCloud> batch = new ArrayList<>(batchSize);
        int start = 0;
        for (int i = 0; i < indices.length; i++) {
            PointCloud cloud = dataset.get(indices[i]).cloud();
            labels[i] = dataset.label(indices[i]);
            batch.add(firstPoints > 0 ? cloud.first(firstPoints) : cloud);
            if (batch.size() == batchSize || i == indices.length - 1) {
                float[] f = output == Output.FEATURES ? encoder.features(batch) : encoder.embed(batch);
                if (f.length != batch.size() * dim) {
                    throw new IllegalStateException("the point encoder returned " + f.length + " values for "
                        + batch.size() + " clouds of " + dim + " features");
                }
                System.arraycopy(f, 0, values, start * dim, f.length);
                start += batch.size();
                batch.clear();
                listener.progress(ProbeListener.Stage.FEATURES, start, indices.length);
            }
        }
        return LabelledFeatures.of(values, dim, labels, dataset.classNames());
    }

    /** Builds {@link EncoderFeatures}; validates in {@link #build()}. */
    public static final class Builder {
        private PointEncoder encoder;
        private Output output = Output.FEATURES;
        private int firstPoints = 1024;
        private int batchSize = 32;
        private ProbeListener listener = ProbeListener.NONE;

        private Builder() {
        }

        /**
         * @param encoder the frozen encoder (required; the caller keeps ownership)
         * @return this builder
         */
        public Builder encoder(PointEncoder encoder) {
            this.encoder = encoder;
            return this;
        }

        /**
         * @param output which output; default {@link Output#FEATURES}
         * @return this builder
         */
        public Builder output(Output output) {
            this.output = Objects.requireNonNull(output, "output");
            return this;
        }

        /**
         * @param n points kept per cloud (its first n), 0 for all; default 1024, as CrossPoint and the pipelines
         * @return this builder
         */
        public Builder firstPoints(int n) {
            this.firstPoints = n;
            return this;
        }

        /**
         * @param batchSize clouds per encoder call; default 32
         * @return this builder
         */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * @param listener progress, {@link ProbeListener.Stage#FEATURES}; default none
         * @return this builder
         */
        public Builder listener(ProbeListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @return the extractor
         * @throws NullPointerException without an encoder
         * @throws IllegalArgumentException for a negative point count or a batch size below 1
         */
        public EncoderFeatures build() {
            Objects.requireNonNull(encoder, "encoder");
            if (firstPoints < 0) {
                throw new IllegalArgumentException("firstPoints must be >= 0 (0 = all points), got " + firstPoints);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
            }
            return new EncoderFeatures(this);
        }
    }
}
