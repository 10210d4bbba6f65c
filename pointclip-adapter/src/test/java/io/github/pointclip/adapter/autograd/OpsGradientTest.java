package io.github.pointclip.adapter.autograd;

import static io.github.pointclip.adapter.autograd.GradCheck.check;
import static io.github.pointclip.adapter.autograd.GradCheck.random;
import static io.github.pointclip.adapter.autograd.GradCheck.weightedSum;

import io.github.pointclip.adapter.Precision;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Finite-difference gradient check of every primitive and of the loss, in double precision. */
class OpsGradientTest {

    @Test
    void matmulAndTransposedProduct() {
        Tensor a = random(3, 5, 1, true);
        Tensor b = random(5, 4, 2, true);
        Tensor c = random(4, 5, 3, true);
        check("matmul", weightedSum(() -> Ops.matmul(a, b), 9), a, b);
        check("matmulTransB", weightedSum(() -> Ops.matmulTransB(a, c), 9), a, c);
    }

    @Test
    void broadcastingAddAndMultiply() {
        Tensor a = random(4, 3, 1, true);
        Tensor[] seconds = {random(4, 3, 2, true), random(1, 3, 3, true), random(4, 1, 4, true), random(1, 1, 5, true)};
        for (Tensor b : seconds) {
            String shape = "[" + b.rows() + "," + b.cols() + "]";
            check("add " + shape, weightedSum(() -> Ops.add(a, b), 7), a, b);
            check("mul " + shape, weightedSum(() -> Ops.mul(a, b), 7), a, b);
        }
    }

    @Test
    void scaleReluDropoutReshapeTileSum() {
        Tensor a = random(4, 6, 11, true);
        // keep ReLU inputs away from the kink so that finite differences are valid
        for (int i = 0; i < a.size(); i++) {
            a.set(i, a.get(i) + Math.copySign(0.1, a.get(i)));
        }
        check("scale", weightedSum(() -> Ops.scale(a, -2.5), 1), a);
        check("relu", weightedSum(() -> Ops.relu(a), 2), a);
        check("dropout", weightedSum(() -> Ops.dropout(a, 0.3, new Random(5), true), 3), a);
        check("reshape", weightedSum(() -> Ops.reshape(a, 8, 3), 4), a);
        check("tileRows", weightedSum(() -> Ops.tileRows(a, 3), 5), a);
        check("sum", () -> Ops.sum(Ops.mul(a, a)), a);
    }

    @Test
    void batchNormTrainingAndInference() {
        Tensor x = random(6, 4, 21, true);
        Tensor gamma = random(1, 4, 22, true);
        Tensor beta = random(1, 4, 23, true);
        Tensor mean = random(1, 4, 24, false);
        Tensor var = Tensor.of(Precision.DOUBLE, 1, 4, 0.5, 1.5, 2.0, 0.7);
        check("batchNorm training", weightedSum(
                () -> Ops.batchNorm(x, gamma, beta, mean.copy(), var.copy(), true, 0.1, 1e-5), 3), x, gamma, beta);
        check("batchNorm inference", weightedSum(
                () -> Ops.batchNorm(x, gamma, beta, mean, var, false, 0.1, 1e-5), 3), x, gamma, beta);
    }

    @Test
    void normalisationSoftmaxAndLoss() {
        Tensor a = random(3, 8, 31, true);
        check("l2NormalizeRows", weightedSum(() -> Ops.l2NormalizeRows(a), 4), a);
        check("logSoftmax", weightedSum(() -> Ops.logSoftmax(a), 5), a);
        int[] labels = {2, 0, 7};
        check("labelSmoothingCrossEntropy", () -> Losses.labelSmoothingCrossEntropy(Ops.scale(a, 3), labels, 0.2), a);
    }
}
