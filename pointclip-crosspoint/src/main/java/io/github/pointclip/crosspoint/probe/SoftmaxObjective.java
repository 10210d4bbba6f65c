package io.github.pointclip.crosspoint.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The L2-regularised multinomial logistic loss, mean form:
 * {@code F(W, b) = (1/N) Σ_i [logsumexp(W x_i + b) − (W x_i + b)_{y_i}] + ‖W‖² / (2·C·N)}
 * (the bias is not penalised), which has the minimiser of scikit-learn's
 * {@code ½‖W‖² + C Σ_i loss_i}. Parameters: W [K, D] row-major, then b [K].
 *
 * <p>The rows are cut into a fixed number of blocks whose partial sums are added in block order,
 * so the value and gradient do not depend on how many threads compute them.
 */
final class SoftmaxObjective implements Lbfgs.Objective {

    private static final int BLOCKS = 16;

    private final float[] x;
    private final int[] y;
    private final int n;
    private final int dim;
    private final int classes;
    private final double lambda;
    private final ExecutorService pool;
    private final int[] blockStart;
    private final double[][] partialGrad;
    private final double[] partialLoss;

    /**
     * @param x standardised features [n, dim]
     * @param y labels in [0, classes)
     * @param classes K ≥ 2
     * @param c inverse regularisation strength
     * @param pool threads for the blocks, or null to run them on the caller
     */
    SoftmaxObjective(float[] x, int[] y, int dim, int classes, double c, ExecutorService pool) {
        this.x = x;
        this.y = y;
        this.n = y.length;
        this.dim = dim;
        this.classes = classes;
        this.lambda = 1 / (c * n);
        this.pool = pool;
        int blocks = Math.min(BLOCKS, n);
        this.blockStart = new int[blocks + 1];
        for (int b = 0; b <= blocks; b++) {
            blockStart[b] = (int) ((long) b * n / blocks);
        }
        this.partialGrad = new double[blocks][classes * (dim + 1)];
        this.partialLoss = new double[blocks];
    }

    /** @return the number of parameters, K·(D + 1) */
    int size() {
        return classes * (dim + 1);
    }

    @Override
    public double evaluate(double[] params, double[] grad) {
        int blocks = partialLoss.length;
        if (pool == null) {
            for (int b = 0; b < blocks; b++) {
                block(b, params);
            }
        } else {
            List<Future<?>> futures = new ArrayList<>(blocks);
            for (int b = 0; b < blocks; b++) {
                int block = b;
                futures.add(pool.submit(() -> block(block, params)));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    futures.forEach(g -> g.cancel(true));
                    throw new IllegalStateException("interrupted while fitting the linear probe", e);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException(cause);
                }
            }
        }
        java.util.Arrays.fill(grad, 0);
        double loss = 0;
        for (int b = 0; b < blocks; b++) {
            loss += partialLoss[b];
            double[] p = partialGrad[b];
            for (int i = 0; i < grad.length; i++) {
                grad[i] += p[i];
            }
        }
        double inv = 1.0 / n;
        double penalty = 0;
        int weights = classes * dim;
        for (int i = 0; i < weights; i++) {
            grad[i] = grad[i] * inv + lambda * params[i];
            penalty += params[i] * params[i];
        }
        for (int i = weights; i < grad.length; i++) {
            grad[i] *= inv;
        }
        return loss * inv + 0.5 * lambda * penalty;
    }

    private void block(int b, double[] params) {
        double[] g = partialGrad[b];
        java.util.Arrays.fill(g, 0);
        double loss = 0;
        double[] z = new double[classes];
        int biasOffset = classes * dim;
        for (int i = blockStart[b]; i < blockStart[b + 1]; i++) {
            int row = i * dim;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                z[k] = params[biasOffset + k] + dot(params, k * dim, x, row, dim);
                max = Math.max(max, z[k]);
            }
            double zy = z[y[i]] - max;
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                z[k] = Math.exp(z[k] - max);
                sum += z[k];
            }
            loss += Math.log(sum) - zy; // logsumexp(z) − z_y, both less max
            // z now holds exp(z − max)
            for (int k = 0; k < classes; k++) {
                double r = z[k] / sum - (k == y[i] ? 1 : 0);
                if (r == 0) {
                    continue;
                }
                int w = k * dim;
                for (int d = 0; d < dim; d++) {
                    g[w + d] += r * x[row + d];
                }
                g[biasOffset + k] += r;
            }
        }
        partialLoss[b] = loss;
    }

    /** A dot product with four independent sums (in a fixed order, so deterministic). */
    static double dot(double[] w, int wOff, float[] v, int vOff, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int d = 0;
        for (; d + 3 < len; d += 4) {
            s0 += w[wOff + d] * v[vOff + d];
            s1 += w[wOff + d + 1] * v[vOff + d + 1];
            s2 += w[wOff + d + 2] * v[vOff + d + 2];
            s3 += w[wOff + d + 3] * v[vOff + d + 3];
        }
        for (; d < len; d++) {
            s0 += w[wOff + d] * v[vOff + d];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
