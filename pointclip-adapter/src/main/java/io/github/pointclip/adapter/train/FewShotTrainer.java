package io.github.pointclip.adapter.train;

import io.github.pointclip.adapter.InterViewAdapter;
import io.github.pointclip.adapter.Precision;
import io.github.pointclip.adapter.StateTensor;
import io.github.pointclip.adapter.autograd.ComputeThreads;
import io.github.pointclip.adapter.autograd.GradMode;
import io.github.pointclip.adapter.autograd.Losses;
import io.github.pointclip.adapter.autograd.Tensor;
import io.github.pointclip.adapter.internal.AdapterNetworks;
import io.github.pointclip.adapter.linalg.FloatMatmul;
import io.github.pointclip.adapter.optim.Sgd;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains an {@link InterViewAdapter} on cached features with PointCLIP's V1 recipe (DESIGN §5): label-smoothing
 * cross-entropy (0.2), SGD (lr 0.01, momentum 0.9, weight decay 5e-4), the warm-up + cosine schedule stepped
 * per epoch, batch 32 with the last incomplete batch dropped, rows reshuffled each epoch. With a validation
 * split, the weights of the epoch with the highest validation accuracy are kept (the earliest on ties);
 * without one, the last epoch's. The initialisation, the dropout masks and the batch order come from the
 * seed, so a run is bit-for-bit reproducible. Immutable and reusable; one {@link #train} call per thread.
 */
public final class FewShotTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(FewShotTrainer.class);

    private final int epochs;
    private final int batchSize;
    private final long seed;
    private final double learningRate;
    private final double momentum;
    private final double weightDecay;
    private final double labelSmoothing;
    private final LearningRateSchedule schedule;
    /** The schedule the user set, or null for the default built from epochs and learning rate. */
    private final LearningRateSchedule customSchedule;
    private final double dropout;
    private final double adapterRatio;
    private final TrainingListener listener;
    private final int threads;

    private FewShotTrainer(Builder b) {
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.learningRate = b.learningRate;
        this.momentum = b.momentum;
        this.weightDecay = b.weightDecay;
        this.labelSmoothing = b.labelSmoothing;
        this.customSchedule = b.schedule;
        this.schedule = b.schedule != null ? b.schedule
                : new WarmupCosineSchedule(b.learningRate, 0.0, 1, 1e-5, false, b.epochs);
        this.dropout = b.dropout;
        this.adapterRatio = b.adapterRatio;
        this.listener = b.listener;
        this.threads = b.threads;
    }

    /** @return a builder with PointCLIP's V1 recipe */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder with this trainer's settings */
    public Builder toBuilder() {
        Builder b = new Builder().epochs(epochs).batchSize(batchSize).seed(seed).learningRate(learningRate)
                .momentum(momentum).weightDecay(weightDecay).labelSmoothing(labelSmoothing).dropout(dropout)
                .adapterRatio(adapterRatio).listener(listener).threads(threads);
        b.schedule = customSchedule; // the default one is rebuilt from the (possibly changed) epochs and rate
        return b;
    }

    /**
     * Trains a fresh adapter.
     *
     * @param train training features (typically augmented copies of the k-shot samples)
     * @param validation validation features, or null to keep the last epoch
     * @param textFeatures L2-normalised class text features [K, D], K = {@code train.classNames().size()}
     * @return the trained adapter and the history
     * @throws IllegalArgumentException if shapes or classes do not fit, or there are fewer than 2 training rows
     */
    public TrainingResult train(FeatureSet train, FeatureSet validation, float[] textFeatures) {
        Objects.requireNonNull(train, "train");
        try (ComputeThreads helper = threads > 1 ? ComputeThreads.open() : null) {
            return run(train, validation, textFeatures);
        }
    }

    private TrainingResult run(FeatureSet train, FeatureSet validation, float[] textFeatures) {
        int views = train.views();
        int dim = train.dim();
        int classes = train.classNames().size();
        if (textFeatures.length != classes * dim) {
            throw new IllegalArgumentException("text features: expected " + classes + "×" + dim + ", got "
                    + textFeatures.length + " floats");
        }
        if (validation != null && (validation.views() != views || validation.dim() != dim
                || !validation.classNames().equals(train.classNames()))) {
            throw new IllegalArgumentException("validation features have another shape or class list than training");
        }
        if (train.size() < 2) {
            throw new IllegalArgumentException("need at least 2 training rows, got " + train.size());
        }
        int batch = Math.min(batchSize, train.size());
        int steps = train.size() / batch;
        long start = System.nanoTime();
        InterViewAdapter adapter = InterViewAdapter.builder(views, dim).dropout(dropout).adapterRatio(adapterRatio)
                .seed(seed).build();
        Tensor text = AdapterNetworks.repeatText(Tensor.fromFloats(classes, dim, textFeatures), views);
        Sgd sgd = new Sgd(AdapterNetworks.parameters(adapter).values(), learningRate, momentum, weightDecay);
        SplittableRandom order = new SplittableRandom(FeatureCache.mix(seed, -1, -1));
        Tensor x = Tensor.zeros(Precision.FLOAT, batch, views * dim);
        float[] xData = x.floatMatrix().data;
        int[] labels = new int[batch];
        int[] perm = new int[train.size()];
        List<EpochStats> history = new ArrayList<>();
        Map<String, StateTensor> bestState = null;
        int bestEpoch = epochs - 1;
        double bestAccuracy = Double.NaN;
        listener.onStart(epochs, steps);
        LOG.debug("training {} epochs × {} steps of {} on {} rows ({} views × {}), {} classes", epochs, steps, batch,
                train.size(), views, dim, classes);
        for (int epoch = 0; epoch < epochs; epoch++) {
            long epochStart = System.nanoTime();
            double rate = schedule.rate(epoch);
            sgd.setLearningRate(rate);
            shuffle(perm, order);
            double lossSum = 0;
            int correct = 0;
            for (int step = 0; step < steps; step++) {
                for (int i = 0; i < batch; i++) {
                    int row = perm[step * batch + i];
                    train.copyRow(row, xData, i * views * dim);
                    labels[i] = train.label(row);
                }
                sgd.zeroGrad();
                Tensor logits = AdapterNetworks.logits(adapter, x, text, true);
                Tensor loss = Losses.labelSmoothingCrossEntropy(logits, labels, labelSmoothing);
                loss.backward();
                sgd.step();
                double l = loss.get(0);
                if (!Double.isFinite(l)) {
                    throw new TrainingDivergedException(epoch, step, l);
                }
                lossSum += l;
                correct += AdapterNetworks.countCorrect(logits, labels);
                listener.onStep(epoch, step, l);
            }
            double valAccuracy = validation == null ? Double.NaN : AdapterNetworks.accuracy(adapter, validation, text);
            boolean best = validation == null ? epoch == epochs - 1
                    : (Double.isNaN(bestAccuracy) || valAccuracy > bestAccuracy);
            if (best && validation != null) {
                bestAccuracy = valAccuracy;
                bestEpoch = epoch;
                bestState = adapter.stateDict();
            }
            EpochStats stats = new EpochStats(epoch, rate, lossSum / steps, correct / (double) (steps * batch),
                    valAccuracy, best, (System.nanoTime() - epochStart) / 1_000_000);
            history.add(stats);
            listener.onEpoch(stats);
        }
        if (bestState != null) {
            adapter.loadState(bestState);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        LOG.info("trained {} epochs in {} ms ({} product kernels); kept epoch {} (validation accuracy {})", epochs,
                millis, FloatMatmul.vectorised() ? "SIMD" : "portable", bestEpoch, bestAccuracy);
        return new TrainingResult(adapter, epochs, bestEpoch, bestAccuracy, history, millis);
    }



    private static void shuffle(int[] perm, SplittableRandom random) {
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        for (int i = perm.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
    }

    /** @return number of epochs */
    public int epochs() {
        return epochs;
    }

    /** @return the batch size */
    public int batchSize() {
        return batchSize;
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }

    /** Settings of a {@link FewShotTrainer}; validated in {@link #build()}. */
    public static final class Builder {
        private int epochs = 250;
        private int batchSize = 32;
        private long seed;
        private double learningRate = 0.01;
        private double momentum = 0.9;
        private double weightDecay = 5e-4;
        private double labelSmoothing = 0.2;
        private LearningRateSchedule schedule;
        private double dropout = 0.075;
        private double adapterRatio = 0.6;
        private TrainingListener listener = TrainingListener.NONE;
        private int threads = Math.min(2, Runtime.getRuntime().availableProcessors());

        private Builder() {
        }

        /**
         * @param n threads for the large products, 1 or 2 (results are bit-identical either way); default 2 where
         *     the machine has 2 or more processors
         * @return this
         */
        public Builder threads(int n) {
            this.threads = n;
            return this;
        }

        /**
         * @param n epochs, ≥ 1; default 250
         * @return this
         */
        public Builder epochs(int n) {
            this.epochs = n;
            return this;
        }

        /**
         * @param n rows per step, ≥ 2; default 32 (smaller training sets use one batch of all rows)
         * @return this
         */
        public Builder batchSize(int n) {
            this.batchSize = n;
            return this;
        }

        /**
         * @param s seed of the initialisation, dropout and batch order; default 0
         * @return this
         */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /**
         * @param rate peak learning rate of the default schedule, &gt; 0; default 0.01
         * @return this
         */
        public Builder learningRate(double rate) {
            this.learningRate = rate;
            return this;
        }

        /**
         * @param m SGD momentum in [0, 1); default 0.9
         * @return this
         */
        public Builder momentum(double m) {
            this.momentum = m;
            return this;
        }

        /**
         * @param wd weight decay ≥ 0; default 5e-4
         * @return this
         */
        public Builder weightDecay(double wd) {
            this.weightDecay = wd;
            return this;
        }

        /**
         * @param s label smoothing in [0, 1); default 0.2
         * @return this
         */
        public Builder labelSmoothing(double s) {
            this.labelSmoothing = s;
            return this;
        }

        /**
         * @param s learning rate per epoch; default epoch 0 at 1e-5, then a cosine from the learning rate to 0
         *     over the number of epochs (PointCLIP's schedule)
         * @return this
         */
        public Builder schedule(LearningRateSchedule s) {
            this.schedule = Objects.requireNonNull(s, "schedule");
            return this;
        }

        /**
         * @param p adapter dropout in [0, 1); default 0.075
         * @return this
         */
        public Builder dropout(double p) {
            this.dropout = p;
            return this;
        }

        /**
         * @param r adapter ratio in [0, 1]; default 0.6
         * @return this
         */
        public Builder adapterRatio(double r) {
            this.adapterRatio = r;
            return this;
        }

        /**
         * @param l progress listener; default none
         * @return this
         */
        public Builder listener(TrainingListener l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /**
         * @return the trainer
         * @throws IllegalArgumentException on an invalid setting
         */
        public FewShotTrainer build() {
            if (threads < 1 || threads > 2) {
                throw new IllegalArgumentException("threads must be 1 or 2, got " + threads);
            }
            if (epochs < 1 || batchSize < 2) {
                throw new IllegalArgumentException("epochs must be ≥ 1 and batch size ≥ 2, got " + epochs + ", "
                        + batchSize);
            }
            if (!(learningRate > 0) || !(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)
                    || !(labelSmoothing >= 0 && labelSmoothing < 1)) {
                throw new IllegalArgumentException("bad optimiser settings: lr " + learningRate + ", momentum "
                        + momentum + ", weight decay " + weightDecay + ", smoothing " + labelSmoothing);
            }
            if (!(dropout >= 0 && dropout < 1) || !(adapterRatio >= 0 && adapterRatio <= 1)) {
                throw new IllegalArgumentException("bad adapter settings: dropout " + dropout + ", ratio " + adapterRatio);
            }
            return new FewShotTrainer(this);
        }
    }
}
