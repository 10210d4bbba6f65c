package io.github.pointclip.adapter.nn;

import io.github.pointclip.adapter.Precision;
import io.github.pointclip.adapter.autograd.Ops;
import io.github.pointclip.adapter.autograd.Tensor;
import java.util.random.RandomGenerator;

/**
 * Fully connected layer y = x·Wᵀ + b with a PyTorch-layout weight {@code [out, in]} and bias {@code [1, out]}.
 * Initialised like PyTorch's {@code nn.Linear}: Kaiming-uniform with a = √5, which is U(±1/√in) for the
 * weight, then U(±1/√in) for the bias, drawn row-major with {@code nextDouble()}.
 */
public final class Linear {
    private final Tensor weight;
    private final Tensor bias;

    /**
     * @param in input features
     * @param out output features
     * @param precision parameter precision
     * @param random initialisation source, advanced by (in + 1)·out draws
     */
    public Linear(int in, int out, Precision precision, RandomGenerator random) {
        weight = Tensor.parameter(precision, out, in);
        bias = Tensor.parameter(precision, 1, out);
        double bound = 1.0 / Math.sqrt(in);
        for (int i = 0; i < weight.size(); i++) {
            weight.set(i, random.nextDouble(-bound, bound));
        }
        for (int i = 0; i < out; i++) {
            bias.set(i, random.nextDouble(-bound, bound));
        }
    }

    /**
     * @param x [B, in]
     * @return x·Wᵀ + b, [B, out]
     */
    public Tensor forward(Tensor x) {
        return Ops.add(Ops.matmulTransB(x, weight), bias);
    }

    /** @return the weight [out, in] */
    public Tensor weight() {
        return weight;
    }

    /** @return the bias [1, out] */
    public Tensor bias() {
        return bias;
    }
}
