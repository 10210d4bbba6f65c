package io.github.pointclip.adapter.optim;

import io.github.pointclip.adapter.Precision;
import io.github.pointclip.adapter.autograd.Tensor;
import java.util.Collection;
import java.util.List;

/**
 * Adam with decoupled weight decay, as PyTorch's {@code AdamW} (amsgrad off): {@code p −= lr·wd·p};
 * {@code m = β1·m + (1−β1)·g}; {@code v = β2·v + (1−β2)·g²};
 * {@code p −= (lr/(1−β1ᵗ))·m / (√v/√(1−β2ᵗ) + eps)}. State is kept in double for both precisions.
 */
public final class AdamW implements Optimizer {
    /** PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 1e-2. */
    public static final double DEFAULT_LR = 1e-3;
    private final List<Tensor> parameters;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final double[][] m;
    private final double[][] v;
    private double learningRate;
    private int steps;

    /**
     * With PyTorch's defaults (lr 1e-3, betas 0.9/0.999, eps 1e-8, weight decay 0.01).
     *
     * @param parameters tensors to update
     */
    public AdamW(Collection<Tensor> parameters) {
        this(parameters, DEFAULT_LR, 0.9, 0.999, 1e-8, 1e-2);
    }

    /**
     * @param parameters tensors to update
     * @param learningRate learning rate ≥ 0
     * @param beta1 first-moment decay in [0, 1)
     * @param beta2 second-moment decay in [0, 1)
     * @param eps denominator term > 0
     * @param weightDecay decoupled decay ≥ 0
     */
    public AdamW(Collection<Tensor> parameters, double learningRate, double beta1, double beta2, double eps,
            double weightDecay) {
        if (!(learningRate >= 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0)
                || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("bad AdamW settings");
        }
        this.parameters = List.copyOf(parameters);
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.m = new double[this.parameters.size()][];
        this.v = new double[this.parameters.size()][];
        for (int t = 0; t < m.length; t++) {
            m[t] = new double[this.parameters.get(t).size()];
            v[t] = new double[m[t].length];
        }
    }

    @Override
    public void step() {
        steps++;
        double bc1 = 1 - Math.pow(beta1, steps);
        double sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, steps));
        double stepSize = learningRate / bc1;
        double decay = 1 - learningRate * weightDecay;
        for (int t = 0; t < parameters.size(); t++) {
            Tensor p = parameters.get(t);
            double[] mt = m[t];
            double[] vt = v[t];
            boolean isFloat = p.precision() == Precision.FLOAT;
            float[] wf = isFloat ? p.floatMatrix().data : null;
            float[] gf = isFloat ? p.floatGradMatrix().data : null;
            double[] wd = isFloat ? null : p.doubleMatrix().data;
            double[] gd = isFloat ? null : p.doubleGradMatrix().data;
            for (int i = 0; i < mt.length; i++) {
                double g = isFloat ? gf[i] : gd[i];
                double w = (isFloat ? wf[i] : wd[i]) * decay;
                mt[i] = beta1 * mt[i] + (1 - beta1) * g;
                vt[i] = beta2 * vt[i] + (1 - beta2) * g * g;
                w -= stepSize * mt[i] / (Math.sqrt(vt[i]) / sqrtBc2 + eps);
                if (isFloat) {
                    wf[i] = (float) w;
                } else {
                    wd[i] = w;
                }
            }
        }
    }

    /**
     * The optimiser's state, for resuming a run: the step count and both moment estimates, per parameter in the
     * constructor's order.
     *
     * @param steps optimiser steps taken
     * @param firstMoments m, one array per parameter
     * @param secondMoments v, one array per parameter
     */
    public record State(int steps, double[][] firstMoments, double[][] secondMoments) {
    }

    /** @return a deep copy of the state */
    public State state() {
        double[][] mc = new double[m.length][];
        double[][] vc = new double[v.length][];
        for (int t = 0; t < m.length; t++) {
            mc[t] = m[t].clone();
            vc[t] = v[t].clone();
        }
        return new State(steps, mc, vc);
    }

    /**
     * Restores a state taken from an optimiser over parameters of the same shapes.
     *
     * @param state the state
     * @throws IllegalArgumentException if the number or sizes of the moment arrays differ
     */
    public void loadState(State state) {
        if (state.steps() < 0 || state.firstMoments().length != m.length || state.secondMoments().length != v.length) {
            throw new IllegalArgumentException("optimiser state for " + state.firstMoments().length
                    + " parameters, this one has " + m.length);
        }
        for (int t = 0; t < m.length; t++) {
            if (state.firstMoments()[t].length != m[t].length || state.secondMoments()[t].length != v[t].length) {
                throw new IllegalArgumentException("optimiser state of parameter " + t + " has "
                        + state.firstMoments()[t].length + " values, expected " + m[t].length);
            }
        }
        for (int t = 0; t < m.length; t++) {
            System.arraycopy(state.firstMoments()[t], 0, m[t], 0, m[t].length);
            System.arraycopy(state.secondMoments()[t], 0, v[t], 0, v[t].length);
        }
        steps = state.steps();
    }

    @Override
    public void zeroGrad() {
        parameters.forEach(Tensor::zeroGrad);
    }

    @Override
    public void setLearningRate(double learningRate) {
        if (!(learningRate >= 0)) {
            throw new IllegalArgumentException("learning rate must be ≥ 0, got " + learningRate);
        }
        this.learningRate = learningRate;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }
}
