package io.github.pointclip.adapter.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.adapter.Precision;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** Forward values against hand-computed or independently computed results. */
class OpsValueTest {

    @Test
    void batchNormUsesBiasedVarianceAndUpdatesRunningStatsUnbiased() {
        // one column: values 1, 2, 3, 6 → mean 3, biased var 3.5, unbiased var 14/3
        Tensor x = Tensor.of(Precision.DOUBLE, 4, 1, 1, 2, 3, 6);
        Tensor gamma = Tensor.of(Precision.DOUBLE, 1, 1, 2);
        Tensor beta = Tensor.of(Precision.DOUBLE, 1, 1, 0.5);
        Tensor mean = Tensor.of(Precision.DOUBLE, 1, 1, 0);
        Tensor var = Tensor.of(Precision.DOUBLE, 1, 1, 1);
        Tensor y = Ops.batchNorm(x, gamma, beta, mean, var, true, 0.1, 1e-5);
        double s = Math.sqrt(3.5 + 1e-5);
        assertEquals(2 * (1 - 3) / s + 0.5, y.get(0), 1e-12);
        assertEquals(2 * (6 - 3) / s + 0.5, y.get(3), 1e-12);
        assertEquals(0.3, mean.get(0), 1e-12);
        assertEquals(0.9 + 0.1 * 14.0 / 3, var.get(0), 1e-12);
        Tensor eval = Ops.batchNorm(x, gamma, beta, mean, var, false, 0.1, 1e-5);
        assertEquals(2 * (6 - 0.3) / Math.sqrt(var.get(0) + 1e-5) + 0.5, eval.get(3), 1e-12);
        assertThrows(IllegalArgumentException.class,
                () -> Ops.batchNorm(Tensor.zeros(Precision.DOUBLE, 1, 1), gamma, beta, mean, var, true, 0.1, 1e-5));
    }

    @Test
    void dropoutScalesKeptValuesAndIsIdentityInInference() {
        Tensor ones = Tensor.zeros(Precision.FLOAT, 100, 100);
        for (int i = 0; i < ones.size(); i++) {
            ones.set(i, 1);
        }
        Tensor d = Ops.dropout(ones, 0.25, new Random(1), true);
        int dropped = 0;
        for (int i = 0; i < d.size(); i++) {
            if (d.get(i) == 0) {
                dropped++;
            } else {
                assertEquals(1 / 0.75, d.get(i), 1e-6);
            }
        }
        assertEquals(2500, dropped, 200);
        assertSame(ones, Ops.dropout(ones, 0.25, new Random(1), false));
    }

    @Test
    void logSoftmaxAndLabelSmoothingByHand() {
        Tensor z = Tensor.of(Precision.DOUBLE, 1, 3, 1, 2, 3);
        double lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
        assertArrayEquals(new double[] {1 - lse, 2 - lse, 3 - lse}, Ops.logSoftmax(z).toDoubleArray(), 1e-12);
        // label 0, K = 3: target 0.8 on class 0, 0.1 on each other
        double expected = -(0.8 * (1 - lse) + 0.1 * (2 - lse) + 0.1 * (3 - lse));
        assertEquals(expected, Losses.labelSmoothingCrossEntropy(z, new int[] {0}, 0.2).get(0), 1e-12);
        // huge logits stay finite
        Tensor big = Tensor.of(Precision.FLOAT, 1, 2, 1000, 0);
        assertEquals(-1000, Ops.logSoftmax(big).get(1), 1e-3);
    }

    @Test
    void l2NormalisationOfRows() {
        Tensor a = Tensor.of(Precision.DOUBLE, 2, 2, 3, 4, 0, 0);
        assertArrayEquals(new double[] {0.6, 0.8, 0, 0}, Ops.l2NormalizeRows(a).toDoubleArray(), 1e-15);
    }

    @Test
    void floatKernelsAgreeWithDoubleEjml() {
        Random r = new Random(3);
        int m = 33;
        int k = 517;
        int n = 1030; // above the kernel threshold, not multiples of 4 or of the block width
        double[] av = new double[m * k];
        double[] bv = new double[k * n];
        for (int i = 0; i < av.length; i++) {
            av[i] = r.nextGaussian();
        }
        for (int i = 0; i < bv.length; i++) {
            bv[i] = r.nextGaussian();
        }
        DMatrixRMaj ad = new DMatrixRMaj(m, k, true, av);
        DMatrixRMaj bd = new DMatrixRMaj(k, n, true, bv);
        DMatrixRMaj expected = new DMatrixRMaj(m, n);
        CommonOps_DDRM.mult(ad, bd, expected);
        Tensor a = Tensor.of(Precision.FLOAT, m, k, av);
        Tensor b = Tensor.of(Precision.FLOAT, k, n, bv);
        assertClose(expected, Ops.matmul(a, b));
        DMatrixRMaj bt = new DMatrixRMaj(n, k);
        CommonOps_DDRM.transpose(bd, bt);
        assertClose(expected, Ops.matmulTransB(a, Tensor.of(Precision.FLOAT, n, k, bt.data)));
        // aᵀ·g path through the backward pass of matmul: d(sum(a·b))/db = aᵀ·1
        Tensor bp = Tensor.parameter(Precision.FLOAT, k, n);
        bp.copyFrom(b);
        Ops.sum(Ops.matmul(a, bp)).backward();
        DMatrixRMaj colSums = new DMatrixRMaj(k, 1);
        for (int p = 0; p < k; p++) {
            double s = 0;
            for (int i = 0; i < m; i++) {
                s += av[i * k + p];
            }
            colSums.set(p, 0, s);
        }
        for (int p = 0; p < k; p++) {
            assertEquals(colSums.get(p, 0), bp.grad(p * n + 5), 1e-3);
        }
    }

    private static void assertClose(DMatrixRMaj expected, Tensor actual) {
        for (int i = 0; i < expected.getNumElements(); i++) {
            assertEquals(expected.get(i), actual.get(i), 1e-3 * (1 + Math.abs(expected.get(i))), "at " + i);
        }
    }

    @Test
    void noGradModeRecordsNothing() {
        Tensor w = Tensor.parameter(Precision.DOUBLE, 2, 2);
        try (GradMode.Scope ignored = GradMode.disable()) {
            Tensor y = Ops.sum(Ops.mul(w, w));
            assertFalse(y.requiresGrad());
            assertThrows(IllegalStateException.class, y::backward);
        }
        assertTrue(GradMode.isEnabled());
        assertTrue(Ops.sum(Ops.mul(w, w)).requiresGrad());
    }

    @Test
    void gradientsAccumulateUntilZeroed() {
        Tensor w = Tensor.of(Precision.DOUBLE, 1, 1, 3).copy();
        Tensor p = Tensor.parameter(Precision.DOUBLE, 1, 1);
        p.copyFrom(w);
        Ops.sum(Ops.mul(p, p)).backward();
        Ops.sum(Ops.mul(p, p)).backward();
        assertEquals(12, p.grad(0), 0);
        p.zeroGrad();
        assertEquals(0, p.grad(0), 0);
        assertThrows(IllegalArgumentException.class, () -> Ops.add(p, Tensor.zeros(Precision.FLOAT, 1, 1)));
    }
}
