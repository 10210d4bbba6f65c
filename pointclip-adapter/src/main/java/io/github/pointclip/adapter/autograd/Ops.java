package io.github.pointclip.adapter.autograd;

import io.github.pointclip.adapter.Precision;
import java.util.random.RandomGenerator;

/**
 * The primitive operations; each one computes its value and registers the derivative rule that the backward
 * walk runs. Composite functions (losses, layers) are built from these and have no derivative rules of their
 * own. All inputs of one operation must have the same {@link Precision}.
 *
 * <p>Broadcasting ({@link #add}, {@link #mul}): the second operand may have the first one's shape, or be a
 * row {@code [1, cols]}, a column {@code [rows, 1]} or a scalar {@code [1, 1]}; its gradient is the
 * broadcast gradient summed back to its shape.
 */
public final class Ops {
    /**
     * Whether element-wise operations on float tensors run their loops on the float arrays directly; false
     * routes them through the generic storage interface (tests compare the two, which must agree bit for bit).
     */
    static boolean floatFastPaths = true;

    private Ops() {
    }

    /** target.grad += op(x)·op(y), written without the addition when the gradient is zero. */
    private static void productIntoGrad(Tensor target, Storage x, boolean transX, Storage y, boolean transY, int m,
            int k, int n) {
        boolean overwrite = target.gradIsZero();
        Storage grad = overwrite ? target.gradStorageForOverwrite() : target.gradStorage();
        grad.product(x, transX, y, transY, m, k, n, !overwrite);
    }

    /** Whether all these tensors are float and the float loops are on. */
    private static boolean floats(Tensor... tensors) {
        if (!floatFastPaths) {
            return false;
        }
        for (Tensor t : tensors) {
            if (!(t.value instanceof Storage.F32)) {
                return false;
            }
        }
        return true;
    }

    /** The array of a float storage. */
    private static float[] data(Storage s) {
        return ((Storage.F32) s).data;
    }

    /**
     * Matrix product a·b.
     *
     * @param a [m, k]
     * @param b [k, n]
     * @return [m, n]
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        if (a.cols() != b.rows()) {
            throw new IllegalArgumentException("matmul: [" + a.rows() + ", " + a.cols() + "]·[" + b.rows() + ", "
                    + b.cols() + "]");
        }
        int m = a.rows();
        int k = a.cols();
        int n = b.cols();
        Tensor out = Tensor.result(m, n, a, b);
        out.value.product(a.value, false, b.value, false, m, k, n, false);
        out.onBackward(() -> {
            Storage g = out.gradOrNull();
            if (a.requiresGrad()) {
                productIntoGrad(a, g, false, b.value, true, m, n, k);
            }
            if (b.requiresGrad()) {
                productIntoGrad(b, a.value, true, g, false, k, m, n);
            }
        });
        return out;
    }

    /**
     * Product with the second operand transposed, a·bᵀ: a linear layer with a PyTorch-layout weight
     * {@code [out, in]}, or similarities with a matrix of row features.
     *
     * @param a [m, k]
     * @param b [n, k]
     * @return [m, n]
     */
    public static Tensor matmulTransB(Tensor a, Tensor b) {
        if (a.cols() != b.cols()) {
            throw new IllegalArgumentException("matmulTransB: [" + a.rows() + ", " + a.cols() + "]·[" + b.rows()
                    + ", " + b.cols() + "]ᵀ");
        }
        int m = a.rows();
        int k = a.cols();
        int n = b.rows();
        Tensor out = Tensor.result(m, n, a, b);
        out.value.product(a.value, false, b.value, true, m, k, n, false);
        out.onBackward(() -> {
            Storage g = out.gradOrNull();
            if (a.requiresGrad()) {
                productIntoGrad(a, g, false, b.value, false, m, n, k);
            }
            if (b.requiresGrad()) {
                productIntoGrad(b, g, true, a.value, false, n, m, k);
            }
        });
        return out;
    }

    /**
     * Element-wise sum with broadcasting of b.
     *
     * @param a any shape
     * @param b a's shape, [1, cols], [rows, 1] or [1, 1]
     * @return a + b, a's shape
     */
    public static Tensor add(Tensor a, Tensor b) {
        Broadcast bc = Broadcast.of(a, b, "add");
        Tensor out = Tensor.result(a.rows(), a.cols(), a, b);
        int rows = a.rows(), cols = a.cols();
        boolean fast = floats(a);
        // row/column loops rather than i / cols and i % cols per element: integer division dominated these ops
        if (fast) {
            float[] x = data(a.value);
            float[] y = data(b.value);
            float[] z = data(out.value);
            for (int r = 0, i = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++, i++) {
                    z[i] = x[i] + y[bc.index(r, c)];
                }
            }
        } else {
            for (int r = 0, i = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++, i++) {
                    out.value.set(i, a.value.get(i) + b.value.get(bc.index(r, c)));
                }
            }
        }
        out.onBackward(() -> {
            Storage g = out.gradOrNull();
            if (a.requiresGrad()) {
                a.gradStorage().addScaled(g, 1.0);
            }
            if (b.requiresGrad()) {
                Storage gb = b.gradStorage();
                if (fast) {
                    float[] gz = data(g);
                    float[] gy = data(gb);
                    for (int r = 0, i = 0; r < rows; r++) {
                        for (int c = 0; c < cols; c++, i++) {
                            gy[bc.index(r, c)] += gz[i];
                        }
                    }
                } else {
                    for (int r = 0, i = 0; r < rows; r++) {
                        for (int c = 0; c < cols; c++, i++) {
                            gb.add(bc.index(r, c), g.get(i));
                        }
                    }
                }
            }
        });
        return out;
    }

    /**
     * Element-wise product with broadcasting of b.
     *
     * @param a any shape
     * @param b a's shape, [1, cols], [rows, 1] or [1, 1]
     * @return a ⊙ b, a's shape
     */
    public static Tensor mul(Tensor a, Tensor b) {
        Broadcast bc = Broadcast.of(a, b, "mul");
        Tensor out = Tensor.result(a.rows(), a.cols(), a, b);
        int rows = a.rows(), cols = a.cols();
        boolean fast = floats(a);
        if (fast) {
            float[] x = data(a.value);
            float[] y = data(b.value);
            float[] z = data(out.value);
            for (int r = 0, i = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++, i++) {
                    z[i] = x[i] * y[bc.index(r, c)];
                }
            }
        } else {
            for (int r = 0, i = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++, i++) {
                    out.value.set(i, a.value.get(i) * b.value.get(bc.index(r, c)));
                }
            }
        }
        out.onBackward(() -> {
            Storage g = out.gradOrNull();
            Storage ga = a.requiresGrad() ? a.gradStorage() : null;
            Storage gb = b.requiresGrad() ? b.gradStorage() : null;
            if (fast) {
                float[] x = data(a.value);
                float[] y = data(b.value);
                float[] gz = data(g);
                float[] gx = ga == null ? null : data(ga);
                float[] gy = gb == null ? null : data(gb);
                for (int r = 0, i = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++, i++) {
                        int j = bc.index(r, c);
                        if (gx != null) {
                            gx[i] += gz[i] * y[j];
                        }
                        if (gy != null) {
                            gy[j] += gz[i] * x[i];
                        }
                    }
                }
                return;
            }
            for (int r = 0, i = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++, i++) {
                    int j = bc.index(r, c);
                    if (ga != null) {
                        ga.add(i, g.get(i) * b.value.get(j));
                    }
                    if (gb != null) {
                        gb.add(j, g.get(i) * a.value.get(i));
                    }
                }
            }
        });
        return out;
    }

    /**
     * Multiplication by a constant.
     *
     * @param a input
     * @param factor constant factor
     * @return factor·a
     */
    public static Tensor scale(Tensor a, double factor) {
        Tensor out = Tensor.result(a.rows(), a.cols(), a);
        out.value.addScaled(a.value, factor);
        out.onBackward(() -> a.gradStorage().addScaled(out.gradOrNull(), factor));
        return out;
    }

    /**
     * Rectified linear unit, max(0, a) (NaN stays NaN); the derivative at 0 is taken as 0.
     *
     * @param a input
     * @return max(0, a)
     */
    public static Tensor relu(Tensor a) {
        Tensor out = Tensor.result(a.rows(), a.cols(), a);
        int size = a.size();
        boolean fast = floats(a);
        if (fast) {
            float[] x = data(a.value);
            float[] y = ((Storage.F32) out.value).data;
            for (int i = 0; i < size; i++) {
                y[i] = Math.max(x[i], 0f);
            }
        } else {
            for (int i = 0; i < size; i++) {
                out.value.set(i, Math.max(a.value.get(i), 0.0));
            }
        }
        out.onBackward(() -> {
            Storage g = out.gradOrNull();
            Storage ga = a.gradStorage();
            if (fast) {
                float[] x = data(a.value);
                float[] gy = data(g);
                float[] gx = data(ga);
                for (int i = 0; i < size; i++) {
                    gx[i] += gy[i] * reluGate(x[i]);
                }
            } else {
                for (int i = 0; i < size; i++) {
                    ga.add(i, g.get(i) * reluGate(a.value.get(i)));
                }
            }
        });
        return out;
    }

    /**
     * ReLU's derivative as a factor: 1 for x &gt; 0, 0 for x ≤ 0, NaN for NaN. Without a branch, since the sign of
     * activations is a coin flip that a branch predictor loses half the time (10× slower here): x·2²⁵⁴ is
     * at least 2¹⁰⁵ for every positive float, so clamping it to [0, 1] gives exactly 1 or 0.
     */
    private static float reluGate(float x) {
        return Math.min(1f, Math.max(0f, x * 0x1p127f * 0x1p127f));
    }

    /** {@link #reluGate(float)} for the generic path: the same factor for every value a float can hold. */
    private static double reluGate(double x) {
        return x > 0 ? 1.0 : x <= 0 ? 0.0 : Double.NaN;
    }

    /**
     * Inverted dropout: in training each value is zeroed with probability p and the others are scaled by
     * 1/(1−p); otherwise (or with p = 0) the input itself is returned. The mask draws one
     * {@code nextFloat()} per element, row-major, from the given generator.
     *
     * @param a input
     * @param p drop probability in [0, 1)
     * @param random source of the mask, advanced by a.size() draws in training
     * @param training whether to drop
     * @return the masked input
     */
    public static Tensor dropout(Tensor a, double p, RandomGenerator random, boolean training) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        if (!training || p == 0) {
            return a;
        }
        double keepScale = 1.0 / (1.0 - p);
        int size = a.size();
        boolean[] dropped = new boolean[size];
        for (int i = 0; i < size; i++) {
            dropped[i] = random.nextFloat() < p;
        }
        Tensor out = Tensor.result(a.rows(), a.cols(), a);
        boolean fast = floats(a);
        if (fast) {
            float[] x = data(a.value);
            float[] y = data(out.value);
            for (int i = 0; i < size; i++) {
                y[i] = dropped[i] ? 0f : (float) (x[i] * keepScale);
            }
        } else {
            for (int i = 0; i < size; i++) {
                out.value.set(i, dropped[i] ? 0.0 : a.value.get(i) * keepScale);
            }
        }
        out.onBackward(() -> {
            Storage g = out.gradOrNull();
            Storage ga = a.gradStorage();
            if (fast) {
                float[] gy = data(g);
                float[] gx = data(ga);
                for (int i = 0; i < size; i++) {
                    gx[i] += dropped[i] ? 0f : (float) (gy[i] * keepScale);
                }
            } else {
                for (int i = 0; i < size; i++) {
                    ga.add(i, dropped[i] ? 0.0 : g.get(i) * keepScale);
                }
            }
        });
        return out;
    }

    /**
     * Batch normalisation of each column over the rows. In training it normalises with the batch mean and the
     * biased batch variance and updates the running statistics in place (also in no-grad mode):
     * {@code running = (1 − momentum)·running + momentum·batch}, the variance with the unbiased estimate.
     * In inference it uses the running statistics.
     *
     * @param x [n, c]
     * @param gamma scale [1, c]
     * @param beta shift [1, c]
     * @param runningMean [1, c], updated in training
     * @param runningVar [1, c], updated in training
     * @param training batch statistics (true) or running statistics (false)
     * @param momentum running-statistics momentum (PyTorch: 0.1)
     * @param eps added to the variance (PyTorch: 1e-5)
     * @return [n, c]
     * @throws IllegalArgumentException in training with fewer than 2 rows
     */
    public static Tensor batchNorm(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
            boolean training, double momentum, double eps) {
        int n = x.rows();
        int c = x.cols();
        for (Tensor t : new Tensor[] {gamma, beta, runningMean, runningVar}) {
            if (t.rows() != 1 || t.cols() != c) {
                throw new IllegalArgumentException("batchNorm: expected [1, " + c + "], got [" + t.rows() + ", "
                        + t.cols() + "]");
            }
        }
        if (training && n < 2) {
            throw new IllegalArgumentException("batchNorm in training needs at least 2 rows, got " + n);
        }
        Tensor out = Tensor.result(n, c, x, gamma, beta);
        boolean fast = floats(x);
        double[] mean = new double[c];
        double[] invStd = new double[c];
        if (training) {
            double[] var = new double[c];
            if (fast) {
                float[] xv = data(x.value);
                for (int i = 0, idx = 0; i < n; i++) {
                    for (int j = 0; j < c; j++, idx++) {
                        mean[j] += xv[idx];
                    }
                }
                for (int j = 0; j < c; j++) {
                    mean[j] /= n;
                }
                for (int i = 0, idx = 0; i < n; i++) {
                    for (int j = 0; j < c; j++, idx++) {
                        double d = xv[idx] - mean[j];
                        var[j] += d * d;
                    }
                }
            } else {
                for (int i = 0, idx = 0; i < n; i++) {
                    for (int j = 0; j < c; j++, idx++) {
                        mean[j] += x.value.get(idx);
                    }
                }
                for (int j = 0; j < c; j++) {
                    mean[j] /= n;
                }
                for (int i = 0, idx = 0; i < n; i++) {
                    for (int j = 0; j < c; j++, idx++) {
                        double d = x.value.get(idx) - mean[j];
                        var[j] += d * d;
                    }
                }
            }
            for (int j = 0; j < c; j++) {
                var[j] /= n;
                invStd[j] = 1.0 / Math.sqrt(var[j] + eps);
                runningMean.value.set(j, (1 - momentum) * runningMean.value.get(j) + momentum * mean[j]);
                runningVar.value.set(j, (1 - momentum) * runningVar.value.get(j)
                        + momentum * var[j] * n / (n - 1.0));
            }
        } else {
            for (int j = 0; j < c; j++) {
                mean[j] = runningMean.value.get(j);
                invStd[j] = 1.0 / Math.sqrt(runningVar.value.get(j) + eps);
            }
        }
        double[] g = new double[c];
        double[] b = new double[c];
        for (int j = 0; j < c; j++) {
            g[j] = gamma.value.get(j);
            b[j] = beta.value.get(j);
        }
        double[] xhat = new double[n * c];
        if (fast) {
            float[] xv = data(x.value);
            float[] ov = data(out.value);
            for (int i = 0, idx = 0; i < n; i++) {
                for (int j = 0; j < c; j++, idx++) {
                    xhat[idx] = (xv[idx] - mean[j]) * invStd[j];
                    ov[idx] = (float) (g[j] * xhat[idx] + b[j]);
                }
            }
        } else {
            for (int i = 0, idx = 0; i < n; i++) {
                for (int j = 0; j < c; j++, idx++) {
                    xhat[idx] = (x.value.get(idx) - mean[j]) * invStd[j];
                    out.value.set(idx, g[j] * xhat[idx] + b[j]);
                }
            }
        }
        out.onBackward(() -> {
            Storage gs = out.gradOrNull();
            double[] sumG = new double[c];
            double[] sumGx = new double[c];
            float[] gy = fast ? data(gs) : null;
            for (int i = 0, idx = 0; i < n; i++) {
                for (int j = 0; j < c; j++, idx++) {
                    double gi = fast ? gy[idx] : gs.get(idx);
                    sumG[j] += gi;
                    sumGx[j] += gi * xhat[idx];
                }
            }
            for (int j = 0; j < c; j++) {
                if (gamma.requiresGrad()) {
                    gamma.gradStorage().add(j, sumGx[j]);
                }
                if (beta.requiresGrad()) {
                    beta.gradStorage().add(j, sumG[j]);
                }
            }
            if (x.requiresGrad()) {
                Storage gx = x.gradStorage();
                double[] scale = new double[c];
                double[] meanG = new double[c];
                double[] meanGx = new double[c];
                for (int j = 0; j < c; j++) {
                    scale[j] = g[j] * invStd[j];
                    meanG[j] = training ? sumG[j] / n : 0.0;
                    meanGx[j] = training ? sumGx[j] / n : 0.0;
                }
                // training: d = γ·invStd·(g − mean(g) − x̂·mean(g·x̂)); inference: d = γ·invStd·g
                if (fast) {
                    float[] gxv = data(gx);
                    for (int i = 0, idx = 0; i < n; i++) {
                        for (int j = 0; j < c; j++, idx++) {
                            gxv[idx] += (float) (scale[j] * (gy[idx] - meanG[j] - xhat[idx] * meanGx[j]));
                        }
                    }
                } else {
                    for (int i = 0, idx = 0; i < n; i++) {
                        for (int j = 0; j < c; j++, idx++) {
                            gx.add(idx, scale[j] * (gs.get(idx) - meanG[j] - xhat[idx] * meanGx[j]));
                        }
                    }
                }
            }
        });
        return out;
    }

    /**
     * Same values, row-major, in a new shape.
     *
     * @param a input
     * @param rows new row count
     * @param cols new column count, rows·cols = a.size()
     * @return the reshaped tensor
     */
    public static Tensor reshape(Tensor a, int rows, int cols) {
        if ((long) rows * cols != a.size()) {
            throw new IllegalArgumentException("cannot reshape [" + a.rows() + ", " + a.cols() + "] to [" + rows
                    + ", " + cols + "]");
        }
        Tensor out = Tensor.result(rows, cols, a);
        out.value.copyFrom(a.value);
        out.onBackward(() -> a.gradStorage().addScaled(out.gradOrNull(), 1.0));
        return out;
    }

    /**
     * Stacks {@code times} copies of a vertically: row t·a.rows() + i of the result is row i of a.
     *
     * @param a [r, c]
     * @param times number of copies, ≥ 1
     * @return [times·r, c]
     */
    public static Tensor tileRows(Tensor a, int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be ≥ 1, got " + times);
        }
        int size = a.size();
        Tensor out = Tensor.result(a.rows() * times, a.cols(), a);
        for (int t = 0, i = 0; t < times; t++) {
            for (int k = 0; k < size; k++, i++) {
                out.value.set(i, a.value.get(k));
            }
        }
        out.onBackward(() -> {
            Storage g = out.gradOrNull();
            Storage ga = a.gradStorage();
            for (int t = 0, i = 0; t < times; t++) {
                for (int k = 0; k < size; k++, i++) {
                    ga.add(k, g.get(i));
                }
            }
        });
        return out;
    }

    /**
     * Divides each row by its Euclidean norm (x / ‖x‖, no epsilon, as the references do); an all-zero row
     * stays zero and passes no gradient.
     *
     * @param a [r, c]
     * @return [r, c], each non-zero row of unit length
     */
    public static Tensor l2NormalizeRows(Tensor a) {
        int r = a.rows();
        int c = a.cols();
        Tensor out = Tensor.result(r, c, a);
        boolean fast = floats(a);
        double[] inv = new double[r];
        for (int i = 0; i < r; i++) {
            double s = 0;
            if (fast) {
                float[] x = data(a.value);
                for (int j = 0, idx = i * c; j < c; j++, idx++) {
                    s += (double) x[idx] * x[idx];
                }
            } else {
                for (int j = 0, idx = i * c; j < c; j++, idx++) {
                    double v = a.value.get(idx);
                    s += v * v;
                }
            }
            double norm = Math.sqrt(s);
            inv[i] = norm > 0 ? 1.0 / norm : 0.0;
            if (fast) {
                float[] x = data(a.value);
                float[] y = data(out.value);
                for (int j = 0, idx = i * c; j < c; j++, idx++) {
                    y[idx] = (float) (x[idx] * inv[i]);
                }
            } else {
                for (int j = 0, idx = i * c; j < c; j++, idx++) {
                    out.value.set(idx, a.value.get(idx) * inv[i]);
                }
            }
        }
        out.onBackward(() -> {
            Storage g = out.gradOrNull();
            Storage ga = a.gradStorage();
            for (int i = 0; i < r; i++) {
                if (inv[i] == 0) {
                    continue;
                }
                // d(x/‖x‖) = (g − y·⟨y, g⟩)/‖x‖, with y computed in double from the unrounded norm
                double dot = 0;
                double w = inv[i];
                if (fast) {
                    float[] x = data(a.value);
                    float[] gy = data(g);
                    float[] gx = data(ga);
                    for (int j = 0, idx = i * c; j < c; j++, idx++) {
                        dot += x[idx] * w * gy[idx];
                    }
                    for (int j = 0, idx = i * c; j < c; j++, idx++) {
                        gx[idx] += (float) ((gy[idx] - x[idx] * w * dot) * w);
                    }
                } else {
                    for (int j = 0, idx = i * c; j < c; j++, idx++) {
                        dot += a.value.get(idx) * w * g.get(idx);
                    }
                    for (int j = 0, idx = i * c; j < c; j++, idx++) {
                        ga.add(idx, (g.get(idx) - a.value.get(idx) * w * dot) * w);
                    }
                }
            }
        });
        return out;
    }

    /**
     * Row-wise log-softmax, z − log Σ exp z, computed with the row maximum subtracted.
     *
     * @param z [r, k] logits
     * @return [r, k] log-probabilities
     */
    public static Tensor logSoftmax(Tensor z) {
        int r = z.rows();
        int k = z.cols();
        Tensor out = Tensor.result(r, k, z);
        for (int i = 0; i < r; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, z.value.get(i * k + j));
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(z.value.get(i * k + j) - max);
            }
            double logSum = max + Math.log(sum);
            for (int j = 0; j < k; j++) {
                out.value.set(i * k + j, z.value.get(i * k + j) - logSum);
            }
        }
        out.onBackward(() -> {
            Storage g = out.gradOrNull();
            Storage gz = z.gradStorage();
            for (int i = 0; i < r; i++) {
                double sumG = 0;
                for (int j = 0; j < k; j++) {
                    sumG += g.get(i * k + j);
                }
                for (int j = 0; j < k; j++) {
                    gz.add(i * k + j, g.get(i * k + j) - Math.exp(out.value.get(i * k + j)) * sumG);
                }
            }
        });
        return out;
    }

    /**
     * Sum of all elements.
     *
     * @param a input
     * @return [1, 1]
     */
    public static Tensor sum(Tensor a) {
        Tensor out = Tensor.result(1, 1, a);
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += a.value.get(i);
        }
        out.value.set(0, s);
        out.onBackward(() -> {
            double g = out.gradOrNull().get(0);
            Storage ga = a.gradStorage();
            for (int i = 0; i < a.size(); i++) {
                ga.add(i, g);
            }
        });
        return out;
    }

    /** Index mapping of a broadcast second operand. */
    private record Broadcast(int rowStride, int colStride) {
        static Broadcast of(Tensor a, Tensor b, String op) {
            boolean rowsMatch = b.rows() == a.rows();
            boolean colsMatch = b.cols() == a.cols();
            if ((rowsMatch || b.rows() == 1) && (colsMatch || b.cols() == 1)) {
                return new Broadcast(b.rows() == 1 ? 0 : b.cols(), b.cols() == 1 ? 0 : 1);
            }
            throw new IllegalArgumentException(op + ": cannot broadcast [" + b.rows() + ", " + b.cols() + "] to ["
                    + a.rows() + ", " + a.cols() + "]");
        }

        int index(int row, int col) {
            return row * rowStride + col * colStride;
        }
    }
}
