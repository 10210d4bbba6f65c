package io.github.pointclip.adapter.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pointclip.adapter.Precision;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The float loops of the element-wise operations against the generic storage path they replace (which the
 * gradient checks validate in double precision): values and gradients must agree bit for bit on float
 * tensors. And the lazily cleared gradients: a product written into a cleared gradient equals one added to
 * a zeroed gradient.
 */
class FloatPathTest {

    @AfterEach
    void restore() {
        Ops.floatFastPaths = true;
    }

    /** Inputs with zeros, negatives, ties and an all-zero row, so every branch of every rule is taken. */
    private static Tensor input(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.parameter(Precision.FLOAT, rows, cols);
        for (int i = 0; i < t.size(); i++) {
            int kind = r.nextInt(8);
            t.set(i, kind == 0 ? 0.0 : kind == 1 ? -1.5 : r.nextGaussian());
        }
        if (rows > 2) {
            for (int c = 0; c < cols; c++) {
                t.set(2 * cols + c, 0.0);
            }
        }
        return t;
    }

    /** Values of out and gradients of the inputs after back-propagating a fixed random weighting of out. */
    private static List<float[]> run(boolean fast, Function<Tensor[], Tensor> op, int[][] shapes) {
        Ops.floatFastPaths = fast;
        Tensor[] in = new Tensor[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            in[i] = input(shapes[i][0], shapes[i][1], 100 + i);
        }
        Tensor out = op.apply(in);
        Tensor weights = input(out.rows(), out.cols(), 7);
        Ops.sum(Ops.mul(out, weights)).backward();
        List<float[]> result = new ArrayList<>();
        result.add(out.toFloatArray());
        for (Tensor t : in) {
            double[] g = t.gradToDoubleArray();
            float[] f = new float[g.length];
            for (int i = 0; i < g.length; i++) {
                f[i] = (float) g[i];
            }
            result.add(f);
        }
        return result;
    }

    private static void same(String name, Function<Tensor[], Tensor> op, int[]... shapes) {
        List<float[]> generic = run(false, op, shapes);
        List<float[]> fast = run(true, op, shapes);
        for (int i = 0; i < generic.size(); i++) {
            assertArrayEquals(generic.get(i), fast.get(i), name + (i == 0 ? " value" : " gradient of input " + i));
        }
    }

    @Test
    void floatLoopsEqualTheGenericPath() {
        int[] x = {6, 9};
        same("add", t -> Ops.add(t[0], t[1]), x, x);
        same("add row", t -> Ops.add(t[0], t[1]), x, new int[] {1, 9});
        same("add column", t -> Ops.add(t[0], t[1]), x, new int[] {6, 1});
        same("add scalar", t -> Ops.add(t[0], t[1]), x, new int[] {1, 1});
        same("mul", t -> Ops.mul(t[0], t[1]), x, x);
        same("mul row", t -> Ops.mul(t[0], t[1]), x, new int[] {1, 9});
        same("mul column", t -> Ops.mul(t[0], t[1]), x, new int[] {6, 1});
        same("relu", t -> Ops.relu(t[0]), x);
        same("dropout", t -> Ops.dropout(t[0], 0.3, new SplittableRandom(5), true), x);
        same("l2 rows", t -> Ops.l2NormalizeRows(t[0]), x);
        for (boolean training : new boolean[] {true, false}) {
            same("batchNorm training " + training, t -> {
                Tensor mean = Tensor.zeros(Precision.FLOAT, 1, 9);
                Tensor var = Tensor.zeros(Precision.FLOAT, 1, 9);
                for (int j = 0; j < 9; j++) {
                    mean.set(j, 0.1 * j);
                    var.set(j, 1 + 0.2 * j);
                }
                return Ops.batchNorm(t[0], t[1], t[2], mean, var, training, 0.1, 1e-5);
            }, x, new int[] {1, 9}, new int[] {1, 9});
        }
    }

    @Test
    void reluPassesNanAndGatesTheGradientAtZero() {
        Tensor a = Tensor.parameter(Precision.FLOAT, 1, 4);
        a.setAll(Float.NaN, 0.0, -0.0, Float.MIN_VALUE);
        Tensor y = Ops.relu(a);
        assertEquals(Float.NaN, (float) y.get(0));
        assertEquals(0.0, y.get(1));
        assertEquals(Float.MIN_VALUE, (float) y.get(3));
        Ops.sum(y).backward();
        assertEquals(Double.NaN, a.grad(0));
        assertEquals(0.0, a.grad(1));
        assertEquals(0.0, a.grad(2));
        assertEquals(1.0, a.grad(3), "the smallest positive float is on the active side");
    }

    @Test
    void clearedGradientsAreZeroAndProductsOverwriteThem() {
        // large enough for the FloatMatmul kernels (≥ 2^18 multiply-adds)
        Tensor x = input(64, 96, 1);
        Tensor w = input(80, 96, 2);
        Ops.sum(Ops.mul(Ops.matmulTransB(x, w), input(64, 80, 3))).backward();
        double[] once = w.gradToDoubleArray();
        Ops.sum(Ops.mul(Ops.matmulTransB(x, w), input(64, 80, 3))).backward();
        double[] twice = w.gradToDoubleArray();
        for (int i = 0; i < once.length; i++) {
            // the second product continues each element's chain of fused multiply-adds, so not exactly 2·once
            assertEquals(2 * once[i], twice[i], 1e-5 * (1 + Math.abs(once[i])), "accumulates without zeroGrad");
        }
        w.zeroGrad();
        x.zeroGrad();
        assertEquals(0.0, w.grad(5));
        assertArrayEquals(new double[w.size()], w.gradToDoubleArray());
        Ops.sum(Ops.mul(Ops.matmulTransB(x, w), input(64, 80, 3))).backward();
        assertArrayEquals(once, w.gradToDoubleArray(), "overwritten after zeroGrad, as from a fresh buffer");
        w.zeroGrad();
        assertEquals(0f, w.floatGradMatrix().get(0, 0), "an optimiser reads zeros from a cleared gradient");
    }
}
