package io.github.pointclip.adapter.autograd;

import static io.github.pointclip.adapter.autograd.GradCheck.check;
import static io.github.pointclip.adapter.autograd.GradCheck.random;
import static io.github.pointclip.adapter.autograd.GradCheck.weightedSum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.pointclip.adapter.Precision;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Values and finite-difference gradients of the point-network primitives. */
class PointOpsTest {

    @Test
    void poolingConcatenationAndLeakyReluGradients() {
        Tensor x = random(6, 4, 41, true);
        Tensor y = random(6, 3, 42, true);
        // leaky ReLU away from its kink
        for (int i = 0; i < x.size(); i++) {
            x.set(i, x.get(i) + Math.copySign(0.1, x.get(i)));
        }
        check("maxPoolGroups", weightedSum(() -> PointOps.maxPoolGroups(x, 3), 1), x);
        check("meanPoolGroups", weightedSum(() -> PointOps.meanPoolGroups(x, 2), 2), x);
        check("concatCols", weightedSum(() -> PointOps.concatCols(x, y, x), 3), x, y);
        Tensor z = random(2, 4, 43, true);
        check("concatRows", weightedSum(() -> PointOps.concatRows(x, z), 4), x, z);
        check("leakyRelu", weightedSum(() -> PointOps.leakyRelu(x, 0.2), 5), x);
    }

    @Test
    void edgeSumScattersGradientsToNeighboursAndCentres() {
        Tensor p = random(5, 3, 51, true);
        Tensor q = random(5, 3, 52, true);
        // repeated neighbours and a point that nobody points to: the scatter must add, not overwrite
        int[] nbr = {0, 1, 1, 1, 2, 2, 3, 0, 4, 1};
        check("edgeSum", weightedSum(() -> PointOps.edgeSum(p, q, nbr, 2), 6), p, q);
        Tensor out = PointOps.edgeSum(p, q, nbr, 2);
        assertEquals(p.get(nbr[7], 2) + q.get(3, 2), out.get(7, 2), 1e-12);
    }

    @Test
    void edgeConvThroughKnnMatchesTheConcatenatedForm() {
        // W·[x_j − x_i, x_i] computed edge by edge against the per-point factorisation edgeSum uses
        Tensor x = random(8, 3, 61, false);
        Tensor wn = random(4, 3, 62, false);
        Tensor wc = random(4, 3, 63, false);
        int k = 3;
        int[] nbr = PointOps.knn(x, 4, k);
        Tensor pp = Ops.matmulTransB(x, wn);
        Tensor qq = Ops.add(Ops.matmulTransB(x, wc), Ops.scale(pp, -1));
        Tensor edges = PointOps.edgeSum(pp, qq, nbr, k);
        for (int i = 0; i < 8; i++) {
            for (int t = 0; t < k; t++) {
                int j = nbr[i * k + t];
                for (int o = 0; o < 4; o++) {
                    double v = 0;
                    for (int d = 0; d < 3; d++) {
                        v += wn.get(o, d) * (x.get(j, d) - x.get(i, d)) + wc.get(o, d) * x.get(i, d);
                    }
                    assertEquals(v, edges.get(i * k + t, o), 1e-12);
                }
            }
        }
    }

    @Test
    void fusedEdgeConvEqualsItsCompositionInValuesGradientsAndRunningStatistics() {
        Tensor p = random(6, 3, 71, true);
        Tensor q = random(6, 3, 72, true);
        Tensor gamma = random(1, 3, 73, true);
        Tensor beta = random(1, 3, 74, true);
        int[] nbr = {0, 1, 1, 2, 2, 0, 3, 4, 4, 5, 5, 3, 0, 5, 1, 1, 2, 4};
        int k = 3;
        for (boolean training : new boolean[] {true, false}) {
            Tensor mean1 = random(1, 3, 75, false);
            Tensor var1 = Tensor.of(Precision.DOUBLE, 1, 3, 0.5, 1.5, 2.0);
            Tensor mean2 = mean1.copy();
            Tensor var2 = var1.copy();
            Tensor fused = PointOps.edgeConvMax(p, q, nbr, k, gamma, beta, mean1, var1, training, 0.1, 1e-5, 0.2);
            Tensor composed = PointOps.maxPoolGroups(PointOps.leakyRelu(Ops.batchNorm(PointOps.edgeSum(p, q, nbr, k),
                    gamma, beta, mean2, var2, training, 0.1, 1e-5), 0.2), k);
            assertArrayEquals(composed.toDoubleArray(), fused.toDoubleArray(), 1e-12);
            assertArrayEquals(mean2.toDoubleArray(), mean1.toDoubleArray(), 1e-12);
            assertArrayEquals(var2.toDoubleArray(), var1.toDoubleArray(), 1e-12);
            Tensor m = random(1, 3, 75, false);
            Tensor v = Tensor.of(Precision.DOUBLE, 1, 3, 0.5, 1.5, 2.0);
            check("edgeConvMax " + (training ? "training" : "inference"), weightedSum(() -> PointOps.edgeConvMax(p, q,
                    nbr, k, gamma, beta, m.copy(), v.copy(), training, 0.1, 1e-5, 0.2), 8), p, q, gamma, beta);
        }
    }

    @Test
    void knnMatchesBruteForceWithinEachCloud() {
        Random r = new Random(7);
        int clouds = 3;
        int points = 17;
        int k = 5;
        float[] v = new float[clouds * points * 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        Tensor x = Tensor.fromFloats(clouds * points, 4, v);
        int[] nbr = PointOps.knn(x, points, k);
        for (int cloud = 0; cloud < clouds; cloud++) {
            int b = cloud;
            for (int i = 0; i < points; i++) {
                int row = b * points + i;
                double[] d = new double[points];
                for (int n = 0; n < points; n++) {
                    for (int j = 0; j < 4; j++) {
                        double diff = v[row * 4 + j] - v[(b * points + n) * 4 + j];
                        d[n] += diff * diff;
                    }
                }
                int[] expected = IntStream.range(0, points).boxed().sorted(Comparator.comparingDouble(n -> d[n]))
                        .limit(k).mapToInt(n -> b * points + n).toArray();
                assertArrayEquals(expected, Arrays.copyOfRange(nbr, row * k, row * k + k), "point " + row);
            }
        }
        // the two-thread path gives the same graph
        try (ComputeThreads threads = ComputeThreads.open()) {
            assertArrayEquals(nbr, PointOps.knn(x, points, k));
        }
    }

    @Test
    void maxPoolValuesAndNaN() {
        Tensor x = Tensor.of(Precision.FLOAT, 4, 2, 1, 5, 3, 2, -1, Double.NaN, 0, 4);
        assertArrayEquals(new float[] {3, 5, 0, Float.NaN}, PointOps.maxPoolGroups(x, 2).toFloatArray());
        assertArrayEquals(new float[] {2, 3.5f, -0.5f, Float.NaN}, PointOps.meanPoolGroups(x, 2).toFloatArray());
    }

    @Test
    void badShapesAreRefused() {
        Tensor x = random(6, 2, 1, false);
        assertThrows(IllegalArgumentException.class, () -> PointOps.maxPoolGroups(x, 4));
        assertThrows(IllegalArgumentException.class, () -> PointOps.knn(x, 3, 4));
        assertThrows(IllegalArgumentException.class, () -> PointOps.edgeSum(x, x, new int[] {0, 1, 2, 3, 4, 6}, 1));
        assertThrows(IllegalArgumentException.class, () -> PointOps.concatCols(x, random(5, 2, 1, false)));
    }
}
