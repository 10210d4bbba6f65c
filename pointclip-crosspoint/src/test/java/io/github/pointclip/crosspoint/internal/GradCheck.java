package io.github.pointclip.crosspoint.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.adapter.Precision;
import io.github.pointclip.adapter.autograd.Ops;
import io.github.pointclip.adapter.autograd.Tensor;
import java.util.Random;
import java.util.function.Supplier;

/** Central finite differences in double precision against the backward pass (as the adapter's tests do). */
final class GradCheck {
    private static final double STEP = 1e-5;

    private GradCheck() {
    }

    /** A random fixed weighting that turns a tensor into a generic scalar: Σ out ⊙ R. */
    static Supplier<Tensor> weightedSum(Supplier<Tensor> op, long seed) {
        Tensor[] weights = new Tensor[1];
        return () -> {
            Tensor out = op.get();
            if (weights[0] == null) {
                weights[0] = random(out.rows(), out.cols(), seed, false);
            }
            return Ops.sum(Ops.mul(out, weights[0]));
        };
    }

    /** A double tensor with values in (−1, 1). */
    static Tensor random(int rows, int cols, long seed, boolean parameter) {
        Random r = new Random(seed);
        Tensor t = parameter ? Tensor.parameter(Precision.DOUBLE, rows, cols) : Tensor.zeros(Precision.DOUBLE, rows, cols);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, r.nextDouble() * 2 - 1);
        }
        return t;
    }

    /** Asserts relative error ‖analytic − numeric‖ / max(‖analytic‖ + ‖numeric‖, 1e-4) below the tolerance. */
    static void check(String name, double tolerance, Supplier<Tensor> loss, Tensor... inputs) {
        for (Tensor in : inputs) {
            in.zeroGrad();
        }
        loss.get().backward();
        double total = 0;
        for (int n = 0; n < inputs.length; n++) {
            Tensor in = inputs[n];
            double[] analytic = in.gradToDoubleArray();
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < in.size(); i++) {
                double original = in.get(i);
                in.set(i, original + STEP);
                double plus = loss.get().get(0);
                in.set(i, original - STEP);
                double minus = loss.get().get(0);
                in.set(i, original);
                double numeric = (plus - minus) / (2 * STEP);
                diff += (analytic[i] - numeric) * (analytic[i] - numeric);
                norm += analytic[i] * analytic[i] + numeric * numeric;
            }
            double rel = Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-4);
            total += norm;
            assertTrue(rel < tolerance, name + ": input " + n + " relative error " + rel);
        }
        assertTrue(total > 1e-6, name + ": all gradients are zero, the check would be vacuous");
    }
}
