package io.github.pointclip.adapter.optim;

import io.github.pointclip.adapter.Precision;
import io.github.pointclip.adapter.autograd.ComputeThreads;
import io.github.pointclip.adapter.autograd.Tensor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Stochastic gradient descent with momentum and L2 weight decay, with PyTorch's semantics (no dampening,
 * no Nesterov): {@code d = g + weightDecay·p; buf = momentum·buf + d} (buf = d on the first step);
 * {@code p −= lr·buf}.
 */
public final class Sgd implements Optimizer {
    private final List<Tensor> parameters;
    private final double momentum;
    private final double weightDecay;
    private double learningRate;
    private final List<Object> buffers = new ArrayList<>();
    private boolean started;

    /**
     * @param parameters the tensors to update (their order fixes the update order)
     * @param learningRate learning rate, ≥ 0
     * @param momentum momentum factor in [0, 1)
     * @param weightDecay L2 penalty factor, ≥ 0
     */
    public Sgd(Collection<Tensor> parameters, double learningRate, double momentum, double weightDecay) {
        if (!(learningRate >= 0) || !(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("bad SGD settings: lr " + learningRate + ", momentum " + momentum
                    + ", weight decay " + weightDecay);
        }
        this.parameters = List.copyOf(parameters);
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        for (Tensor p : this.parameters) {
            if (!p.requiresGrad()) {
                throw new IllegalArgumentException("not a parameter: " + p);
            }
            buffers.add(p.precision() == Precision.FLOAT ? new float[p.size()] : new double[p.size()]);
        }
    }

    @Override
    public void step() {
        for (int t = 0; t < parameters.size(); t++) {
            Tensor p = parameters.get(t);
            if (p.precision() == Precision.FLOAT) {
                float[] w = p.floatMatrix().data;
                float[] g = p.floatGradMatrix().data;
                float[] buf = (float[]) buffers.get(t);
                float wd = (float) weightDecay;
                float mom = started ? (float) momentum : 0f;
                float lr = (float) learningRate;
                ComputeThreads.forRange(buf.length, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        float d = g[i] + wd * w[i];
                        buf[i] = mom * buf[i] + d;
                        w[i] -= lr * buf[i];
                    }
                });
            } else {
                double[] w = p.doubleMatrix().data;
                double[] g = p.doubleGradMatrix().data;
                double[] buf = (double[]) buffers.get(t);
                double mom = started ? momentum : 0.0;
                for (int i = 0; i < buf.length; i++) {
                    double d = g[i] + weightDecay * w[i];
                    buf[i] = mom * buf[i] + d;
                    w[i] -= learningRate * buf[i];
                }
            }
        }
        started = true;
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
