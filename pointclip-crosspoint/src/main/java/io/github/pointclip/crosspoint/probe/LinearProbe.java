package io.github.pointclip.crosspoint.probe;

import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.encoder.PointEncoder;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The linear probe of a frozen encoder: a linear classifier trained on one split's features, its
 * accuracy measured on another's.
 *
 * <p>The classifier is a multinomial logistic regression with an L2 penalty on the weights (not the
 * bias), on features standardised with the training rows' mean and (population) standard deviation
 * (a constant feature is left unscaled), as scikit-learn's {@code StandardScaler} +
 * {@code LogisticRegression(C)} fit it: it minimises {@code ½‖W‖² + C·Σ_i loss_i}. It is fitted by
 * L-BFGS in double precision from zero, so the result is unique (the objective is strictly convex
 * in W) and reproducible bit for bit, for any number of {@link Builder#threads threads}. With fewer training rows
 * than features (few-shot episodes, small sets) it is fitted in the coordinates of the rows' span, which has
 * the same minimiser at a fraction of the cost. CrossPoint's own code probes with a linear SVM (scikit-learn's {@code SVC(kernel='linear')}); a logistic
 * regression is the same kind of classifier (a linear decision rule on the same features) with a
 * smooth loss, and gives accuracies of the same order, not the same digits.
 *
 * <pre>{@code
 * LinearProbe probe = LinearProbe.builder().c(1.0).build();
 * ProbeResult r = probe.evaluate(trainFeatures, testFeatures);     // any LabelledFeatures
 * ProbeResult s = probe.evaluate(encoder, trainSplit, testSplit);  // a PointEncoder's global features
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class LinearProbe {

    private static final Logger LOG = LoggerFactory.getLogger(LinearProbe.class);

    private final double c;
    private final int maxIterations;
    private final double tolerance;
    private final boolean standardise;
    private final int threads;
    private final ProbeListener listener;

    private LinearProbe(Builder b) {
        this.c = b.c;
        this.maxIterations = b.maxIterations;
        this.tolerance = b.tolerance;
        this.standardise = b.standardise;
        this.threads = b.threads;
        this.listener = b.listener;
    }

    /** @return a builder with the defaults: C = 1, 1000 iterations, tolerance 1e-5, standardised, 1 thread */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this probe's settings */
    public Builder toBuilder() {
        return new Builder().c(c).maxIterations(maxIterations).tolerance(tolerance).standardise(standardise)
            .threads(threads).listener(listener);
    }

    /** @return the inverse regularisation strength C */
    public double c() {
        return c;
    }

    /** @return the listener */
    public ProbeListener listener() {
        return listener;
    }

    /**
     * Fits the classifier.
     *
     * @param train the training rows; at least two classes must have rows
     * @return the classifier, for all of {@code train}'s classes (those without rows are never predicted)
     * @throws IllegalArgumentException if fewer than two classes have training rows
     */
    public LinearClassifier fit(LabelledFeatures train) {
        return fit(train, true);
    }

    /**
     * @param reduce whether fewer rows than features are fitted in the coordinates of their span ({@link RowSpace}:
     *     the same minimiser); false only for the test that checks so
     */
    LinearClassifier fit(LabelledFeatures train, boolean reduce) {
        Objects.requireNonNull(train, "train");
        int n = train.rows();
        int dim = train.dim();
        int classes = train.classes();
        boolean[] present = new boolean[classes];
        for (int i = 0; i < n; i++) {
            present[train.label(i)] = true;
        }
        int[] compact = new int[classes];
        int presentCount = 0;
        for (int k = 0; k < classes; k++) {
            compact[k] = present[k] ? presentCount++ : -1;
        }
        if (presentCount < 2) {
            throw new IllegalArgumentException("a linear probe needs training rows of at least two classes, got "
                + n + " rows of " + presentCount + " class" + (presentCount == 1 ? "" : "es"));
        }
        float[] raw = train.valuesUnsafe();
        double[] mean = new double[dim];
        double[] scale = new double[dim];
        java.util.Arrays.fill(scale, 1);
        if (standardise) {
            for (int i = 0; i < n; i++) {
                for (int d = 0; d < dim; d++) {
                    mean[d] += raw[i * dim + d];
                }
            }
            for (int d = 0; d < dim; d++) {
                mean[d] /= n;
            }
            double[] var = new double[dim];
            for (int i = 0; i < n; i++) {
                for (int d = 0; d < dim; d++) {
                    double e = raw[i * dim + d] - mean[d];
                    var[d] += e * e;
                }
            }
            for (int d = 0; d < dim; d++) {
                double sd = Math.sqrt(var[d] / n);
                scale[d] = sd > 1e-12 * Math.max(1, Math.abs(mean[d])) ? sd : 1;
            }
        }
        float[] x = new float[n * dim];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dim; d++) {
                x[i * dim + d] = (float) ((raw[i * dim + d] - mean[d]) / scale[d]);
            }
            y[i] = compact[train.label(i)];
        }
        RowSpace span = reduce && n < dim ? RowSpace.of(x, n, dim) : null;
        if (span != null && span.rank() == 0) {
            span = null; // every standardised row is zero: nothing to reduce
        }
        float[] fitX = span == null ? x : span.coordinates(x, n);
        int fitDim = span == null ? dim : span.rank();
        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "pointclip-probe-" + COUNTER.incrementAndGet());
            t.setDaemon(true);
            return t;
        }) : null;
        Lbfgs.Result result;
        try {
            SoftmaxObjective objective = new SoftmaxObjective(fitX, y, fitDim, presentCount, c, pool);
            listener.started(ProbeListener.Stage.TRAINING, maxIterations);
            result = Lbfgs.minimise(objective, new double[objective.size()], maxIterations, tolerance,
                it -> listener.progress(ProbeListener.Stage.TRAINING, it, maxIterations));
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        if (!result.converged()) {
            LOG.warn("the linear probe stopped after {} iterations with gradient {} above the tolerance {}; "
                + "raise the iteration limit or lower C", result.iterations(), result.gradientNorm(), tolerance);
        }
        double[] weights = new double[classes * dim];
        double[] bias = new double[classes];
        double[] p = result.x();
        for (int k = 0; k < classes; k++) {
            if (compact[k] >= 0) {
                if (span == null) {
                    System.arraycopy(p, compact[k] * dim, weights, k * dim, dim);
                } else {
                    span.expand(p, compact[k] * fitDim, weights, k * dim);
                }
                bias[k] = p[presentCount * fitDim + compact[k]];
            }
        }
        return new LinearClassifier(dim, train.classNames(), mean, scale, weights, bias, present,
            result.iterations(), result.converged(), result.value());
    }

    private static final AtomicInteger COUNTER = new AtomicInteger();

    /**
     * Fits on {@code train} and measures on {@code test}.
     *
     * @param train training rows
     * @param test test rows, of the same width and classes
     * @return accuracies and fit statistics
     * @throws IllegalArgumentException if the widths or class lists differ, or the training rows hold
     *     fewer than two classes, or the test set is empty
     */
    public ProbeResult evaluate(LabelledFeatures train, LabelledFeatures test) {
        Objects.requireNonNull(test, "test");
        if (train.dim() != test.dim()) {
            throw new IllegalArgumentException("training features are " + train.dim() + "-d but test features "
                + test.dim() + "-d");
        }
        if (!train.classNames().equals(test.classNames())) {
            throw new IllegalArgumentException("training and test features have different classes: "
                + train.classes() + " vs " + test.classes() + " (the same class list is needed, in the same order)");
        }
        if (test.rows() == 0) {
            throw new IllegalArgumentException("no test rows");
        }
        LinearClassifier classifier = fit(train);
        int[] predicted = classifier.predict(test);
        int[] right = new int[test.classes()];
        int[] total = new int[test.classes()];
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            int label = test.label(i);
            total[label]++;
            if (predicted[i] == label) {
                right[label]++;
                correct++;
            }
        }
        double classSum = 0;
        int withRows = 0;
        for (int k = 0; k < total.length; k++) {
            if (total[k] > 0) {
                classSum += right[k] / (double) total[k];
                withRows++;
            }
        }
        return new ProbeResult(correct / (double) test.rows(), classSum / withRows, classifier.accuracy(train),
            train.rows(), test.rows(), train.classes(), train.dim(), classifier.iterations(), classifier.converged());
    }

    /**
     * Encodes both splits with the encoder's global features ({@link PointEncoder#features}, the first
     * 1024 points of each cloud, 32 clouds per run) and probes them.
     *
     * @param encoder the frozen encoder
     * @param train the split to train on
     * @param test the split to measure on, with the same classes
     * @return the result
     * @throws IOException if a sample cannot be read
     */
    public ProbeResult evaluate(PointEncoder encoder, Dataset train, Dataset test) throws IOException {
        return evaluate(EncoderFeatures.builder().encoder(encoder).listener(listener).build(), train, test);
    }

    /**
     * Encodes both splits with {@code features} and probes them.
     *
     * @param features how to encode
     * @param train the split to train on
     * @param test the split to measure on, with the same classes
     * @return the result
     * @throws IOException if a sample cannot be read
     */
    public ProbeResult evaluate(EncoderFeatures features, Dataset train, Dataset test) throws IOException {
        return evaluate(features.extract(train), features.extract(test));
    }

    /** Builds a {@link LinearProbe}; validates in {@link #build()}. */
    public static final class Builder {
        private double c = 1;
        private int maxIterations = 1000;
        private double tolerance = 1e-5;
        private boolean standardise = true;
        private int threads = 1;
        private ProbeListener listener = ProbeListener.NONE;

        private Builder() {
        }

        /**
         * @param c inverse regularisation strength, as scikit-learn's C (smaller: stronger penalty); default 1
         * @return this builder
         */
        public Builder c(double c) {
            this.c = c;
            return this;
        }

        /**
         * @param maxIterations L-BFGS iteration limit; default 1000
         * @return this builder
         */
        public Builder maxIterations(int maxIterations) {
            this.maxIterations = maxIterations;
            return this;
        }

        /**
         * @param tolerance stop when no component of the mean-loss gradient exceeds this; default 1e-5
         * @return this builder
         */
        public Builder tolerance(double tolerance) {
            this.tolerance = tolerance;
            return this;
        }

        /**
         * @param standardise standardise features with the training rows' mean and standard deviation; default true
         * @return this builder
         */
        public Builder standardise(boolean standardise) {
            this.standardise = standardise;
            return this;
        }

        /**
         * @param threads threads computing the loss; default 1. The result is the same for any count
         * @return this builder
         */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /**
         * @param listener progress of the fit (and of feature extraction in the encoder conveniences); default none
         * @return this builder
         */
        public Builder listener(ProbeListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @return the probe
         * @throws IllegalArgumentException if C or the tolerance is not positive and finite, or the iteration
         *     limit or thread count is below 1
         */
        public LinearProbe build() {
            if (!(c > 0) || Double.isInfinite(c)) {
                throw new IllegalArgumentException("C must be positive and finite, got " + c);
            }
            if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
                throw new IllegalArgumentException("tolerance must be positive and finite, got " + tolerance);
            }
            if (maxIterations < 1) {
                throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
            return new LinearProbe(this);
        }
    }
}
