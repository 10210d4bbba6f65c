package io.github.pointclip.crosspoint.probe;

import java.util.List;
import java.util.Objects;

/**
 * A fitted linear classifier: standardisation (the training features' mean and standard deviation)
 * followed by class scores {@code W·x̂ + b}. Classes that had no training sample get the score
 * −∞ and are never predicted. Immutable and thread-safe; built by {@link LinearProbe#fit}.
 */
public final class LinearClassifier {

    private final int dim;
    private final List<String> classNames;
    private final double[] mean;
    private final double[] scale;
    /** Weights [K, D] on standardised features; rows of absent classes are zero. */
    private final double[] weights;
    private final double[] bias;
    private final boolean[] present;
    private final int iterations;
    private final boolean converged;
    private final double objective;

    LinearClassifier(int dim, List<String> classNames, double[] mean, double[] scale, double[] weights, double[] bias,
            boolean[] present, int iterations, boolean converged, double objective) {
        this.dim = dim;
        this.classNames = List.copyOf(classNames);
        this.mean = mean;
        this.scale = scale;
        this.weights = weights;
        this.bias = bias;
        this.present = present;
        this.iterations = iterations;
        this.converged = converged;
        this.objective = objective;
    }

    /** @return the feature width it takes */
    public int dim() {
        return dim;
    }

    /** @return the number of classes it scores */
    public int classes() {
        return classNames.size();
    }

    /** @return the class names in label order */
    public List<String> classNames() {
        return classNames;
    }

    /** @return L-BFGS iterations the fit took */
    public int iterations() {
        return iterations;
    }

    /** @return whether the fit reached its gradient tolerance (false: it stopped at the iteration limit) */
    public boolean converged() {
        return converged;
    }

    /** @return the training objective at the solution (mean loss plus penalty) */
    public double objective() {
        return objective;
    }

    /**
     * The weights in the units of the raw features (standardisation folded in): score
     * {@code s_k = Σ_d W[k, d]·x_d + b_k}.
     *
     * @return W [K, D], C order; rows of classes without training samples are zero
     */
    public double[] weights() {
        double[] w = new double[weights.length];
        for (int k = 0; k < classes(); k++) {
            for (int d = 0; d < dim; d++) {
                w[k * dim + d] = weights[k * dim + d] / scale[d];
            }
        }
        return w;
    }

    /**
     * @return b [K] in the units of the raw features (see {@link #weights()}); −∞ for classes without
     *     training samples
     */
    public double[] biases() {
        double[] b = new double[classes()];
        for (int k = 0; k < b.length; k++) {
            if (!present[k]) {
                b[k] = Double.NEGATIVE_INFINITY;
                continue;
            }
            double s = bias[k];
            for (int d = 0; d < dim; d++) {
                s -= weights[k * dim + d] * mean[d] / scale[d];
            }
            b[k] = s;
        }
        return b;
    }

    /**
     * @param features a row-major array of feature vectors (not modified)
     * @param offset where the vector starts
     * @return the class scores (logits), K of them; −∞ for classes without training samples
     */
    public double[] scores(float[] features, int offset) {
        Objects.checkFromIndexSize(offset, dim, features.length);
        double[] x = new double[dim];
        for (int d = 0; d < dim; d++) {
            x[d] = (features[offset + d] - mean[d]) / scale[d];
        }
        double[] s = new double[classes()];
        for (int k = 0; k < s.length; k++) {
            if (!present[k]) {
                s[k] = Double.NEGATIVE_INFINITY;
                continue;
            }
            double sum = bias[k];
            for (int d = 0; d < dim; d++) {
                sum += weights[k * dim + d] * x[d];
            }
            s[k] = sum;
        }
        return s;
    }

    /**
     * @param features a row-major array of feature vectors (not modified)
     * @param offset where the vector starts
     * @return the class with the highest score (the lowest index among equals)
     */
    public int predict(float[] features, int offset) {
        double[] s = scores(features, offset);
        int best = 0;
        for (int k = 1; k < s.length; k++) {
            if (s[k] > s[best]) {
                best = k;
            }
        }
        return best;
    }

    /**
     * @param set features of this classifier's width
     * @return the predicted class of each row
     * @throws IllegalArgumentException if the width differs
     */
    public int[] predict(LabelledFeatures set) {
        checkWidth(set);
        float[] v = set.valuesUnsafe();
        int[] out = new int[set.rows()];
        for (int i = 0; i < out.length; i++) {
            out[i] = predict(v, i * dim);
        }
        return out;
    }

    /**
     * @param set labelled features of this classifier's width and classes
     * @return the share of rows predicted right, in [0, 1]; NaN for an empty set
     * @throws IllegalArgumentException if the width differs or a label is not one of this classifier's classes
     */
    public double accuracy(LabelledFeatures set) {
        int[] p = predict(set);
        int right = 0;
        for (int i = 0; i < p.length; i++) {
            if (set.label(i) >= classes()) {
                throw new IllegalArgumentException("label " + set.label(i) + " of row " + i + " is not one of the "
                    + classes() + " classes the classifier was trained for");
            }
            right += p[i] == set.label(i) ? 1 : 0;
        }
        return p.length == 0 ? Double.NaN : right / (double) p.length;
    }

    private void checkWidth(LabelledFeatures set) {
        if (set.dim() != dim) {
            throw new IllegalArgumentException("the classifier takes " + dim + "-d features, got " + set.dim() + "-d");
        }
    }

    @Override
    public String toString() {
        return "LinearClassifier[" + dim + " -> " + classes() + " classes, " + iterations + " iterations"
            + (converged ? "" : ", not converged") + "]";
    }
}
