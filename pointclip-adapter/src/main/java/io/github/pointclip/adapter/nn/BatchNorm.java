package io.github.pointclip.adapter.nn;

import io.github.pointclip.adapter.Precision;
import io.github.pointclip.adapter.autograd.Ops;
import io.github.pointclip.adapter.autograd.Tensor;

/**
 * Batch normalisation of each column over the rows, like PyTorch's {@code BatchNorm1d} on {@code [N, C]}:
 * eps 1e-5, momentum 0.1, affine weight (init 1) and bias (init 0), running mean (init 0) and running
 * variance (init 1) updated in training with the unbiased batch variance.
 */
public final class BatchNorm {
    /** PyTorch's default epsilon. */
    public static final double EPS = 1e-5;
    /** PyTorch's default running-statistics momentum. */
    public static final double MOMENTUM = 0.1;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;

    /**
     * @param channels number of columns C
     * @param precision precision of parameters and statistics
     */
    public BatchNorm(int channels, Precision precision) {
        weight = Tensor.parameter(precision, 1, channels);
        bias = Tensor.parameter(precision, 1, channels);
        runningMean = Tensor.zeros(precision, 1, channels);
        runningVar = Tensor.zeros(precision, 1, channels);
        for (int j = 0; j < channels; j++) {
            weight.set(j, 1.0);
            runningVar.set(j, 1.0);
        }
    }

    /**
     * @param x [N, C]
     * @param training batch statistics and running-statistics update (true) or running statistics (false)
     * @return the normalised [N, C]
     */
    public Tensor forward(Tensor x, boolean training) {
        return Ops.batchNorm(x, weight, bias, runningMean, runningVar, training, MOMENTUM, EPS);
    }

    /** @return γ, [1, C] */
    public Tensor weight() {
        return weight;
    }

    /** @return β, [1, C] */
    public Tensor bias() {
        return bias;
    }

    /** @return running mean [1, C] (a buffer, not a parameter) */
    public Tensor runningMean() {
        return runningMean;
    }

    /** @return running variance [1, C] (a buffer, not a parameter) */
    public Tensor runningVar() {
        return runningVar;
    }
}
