package io.github.pointclip.crosspoint.internal;

import static io.github.pointclip.crosspoint.internal.GradCheck.check;
import static io.github.pointclip.crosspoint.internal.GradCheck.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.adapter.Precision;
import io.github.pointclip.adapter.autograd.Tensor;
import org.junit.jupiter.api.Test;

/** The NT-Xent loss against the paper's formula written out, and its gradient against finite differences. */
class NtXentTest {

    /** l(i, a, b) = −log(exp(s(aᵢ,bᵢ)/τ) / (Σ_{k≠i} exp(s(aᵢ,aₖ)/τ) + Σ_k exp(s(aᵢ,bₖ)/τ))), averaged over 2B. */
    private static double paper(double[][] a, double[][] b, double tau) {
        int n = a.length;
        double total = 0;
        for (int side = 0; side < 2; side++) {
            double[][] x = side == 0 ? a : b;
            double[][] y = side == 0 ? b : a;
            for (int i = 0; i < n; i++) {
                double denominator = 0;
                for (int k = 0; k < n; k++) {
                    if (k != i) {
                        denominator += Math.exp(cos(x[i], x[k]) / tau);
                    }
                    denominator += Math.exp(cos(x[i], y[k]) / tau);
                }
                total += -Math.log(Math.exp(cos(x[i], y[i]) / tau) / denominator);
            }
        }
        return total / (2 * n);
    }

    private static double cos(double[] u, double[] v) {
        double d = 0;
        double nu = 0;
        double nv = 0;
        for (int j = 0; j < u.length; j++) {
            d += u[j] * v[j];
            nu += u[j] * u[j];
            nv += v[j] * v[j];
        }
        return d / Math.sqrt(nu * nv);
    }

    private static double[][] rows(Tensor t) {
        double[][] r = new double[t.rows()][t.cols()];
        for (int i = 0; i < t.rows(); i++) {
            for (int j = 0; j < t.cols(); j++) {
                r[i][j] = t.get(i, j);
            }
        }
        return r;
    }

    @Test
    void valueIsThePapersFormula() {
        Tensor a = random(5, 7, 1, true);
        Tensor b = random(5, 7, 2, true);
        for (double tau : new double[] {0.1, 0.5, 1.0}) {
            assertEquals(paper(rows(a), rows(b), tau), NtXent.loss(a, b, tau).get(0), 1e-9, "τ = " + tau);
        }
    }

    @Test
    void identicalPairsFarApartGiveALowLoss() {
        // orthogonal rows, each its own positive: the loss tends to 0 as τ shrinks
        Tensor a = Tensor.zeros(Precision.DOUBLE, 3, 3);
        for (int i = 0; i < 3; i++) {
            a.set(i * 3 + i, 2.0);
        }
        double low = NtXent.loss(a, a, 0.1).get(0);
        assertTrue(low < 1e-3, "loss " + low);
        // and a batch with the positives swapped is expensive
        Tensor b = Tensor.of(Precision.DOUBLE, 3, 3, 0, 1, 0, 0, 0, 1, 1, 0, 0);
        assertTrue(NtXent.loss(a, b, 0.1).get(0) > 10);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Tensor a = random(4, 6, 3, true);
        Tensor b = random(4, 6, 4, true);
        check("NT-Xent τ 0.1", 1e-6, () -> NtXent.loss(a, b, 0.1), a, b);
        check("NT-Xent τ 0.7", 1e-6, () -> NtXent.loss(a, b, 0.7), a, b);
    }

    @Test
    void badArgumentsAreRefused() {
        Tensor a = random(4, 6, 3, false);
        assertThrows(IllegalArgumentException.class, () -> NtXent.loss(a, random(3, 6, 1, false), 0.1));
        assertThrows(IllegalArgumentException.class, () -> NtXent.loss(a, a, 0));
        assertThrows(IllegalArgumentException.class, () -> NtXent.loss(random(1, 6, 1, false), random(1, 6, 2, false), 0.1));
    }
}
