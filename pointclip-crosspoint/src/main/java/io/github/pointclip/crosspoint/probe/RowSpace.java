package io.github.pointclip.crosspoint.probe;

/**
 * An orthonormal basis Q of the span of n row vectors in d &gt; n dimensions, for fitting the probe in n or fewer
 * coordinates instead of d. An L2-penalised linear model's optimal weights lie in the span of its training rows
 * (the loss gradient does, and the penalty removes any other component), and for W = V·Qᵀ both the scores
 * (x·Wᵀ = (x·Q)·Vᵀ) and the penalty (‖W‖ = ‖V‖) are unchanged: the same minimiser at a cost of n instead of d
 * per class and row, which is what few-shot episodes and leave-one-out probes (tens of rows, 1024 features)
 * spend their time on.
 */
final class RowSpace {
    /** A row whose remainder after projection is below this fraction of its norm adds no direction. */
    private static final double RANK_TOLERANCE = 1e-9;

    private final double[][] basis;
    private final int dim;

    private RowSpace(double[][] basis, int dim) {
        this.basis = basis;
        this.dim = dim;
    }

    /**
     * Modified Gram–Schmidt applied twice to each row (twice is enough for orthogonality to working precision,
     * Giraud et al. 2005), in double.
     *
     * @param x rows, n·d
     * @param n row count
     * @param dim d
     * @return the basis, of rank at most n
     */
    static RowSpace of(float[] x, int n, int dim) {
        double[][] q = new double[n][];
        int rank = 0;
        double[] v = new double[dim];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                v[d] = x[i * dim + d];
                norm += v[d] * v[d];
            }
            if (norm == 0) {
                continue;
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < rank; j++) {
                    double dot = 0;
                    double[] qj = q[j];
                    for (int d = 0; d < dim; d++) {
                        dot += qj[d] * v[d];
                    }
                    for (int d = 0; d < dim; d++) {
                        v[d] -= dot * qj[d];
                    }
                }
            }
            double rest = 0;
            for (int d = 0; d < dim; d++) {
                rest += v[d] * v[d];
            }
            if (rest > RANK_TOLERANCE * RANK_TOLERANCE * norm) {
                double inv = 1 / Math.sqrt(rest);
                double[] qi = new double[dim];
                for (int d = 0; d < dim; d++) {
                    qi[d] = v[d] * inv;
                }
                q[rank++] = qi;
            }
        }
        return new RowSpace(java.util.Arrays.copyOf(q, rank), dim);
    }

    /** @return the number of basis vectors r */
    int rank() {
        return basis.length;
    }

    /**
     * @param x rows, n·d
     * @param n row count
     * @return their coordinates x·Q, n·r
     */
    float[] coordinates(float[] x, int n) {
        int r = basis.length;
        float[] z = new float[n * r];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < r; j++) {
                double dot = 0;
                double[] qj = basis[j];
                for (int d = 0; d < dim; d++) {
                    dot += qj[d] * x[i * dim + d];
                }
                z[i * r + j] = (float) dot;
            }
        }
        return z;
    }

    /**
     * Adds V·Qᵀ for one weight row: {@code out[offset + d] = Σ_j v[from + j]·Q[d][j]}.
     *
     * @param v weights in basis coordinates
     * @param from where this row's r weights start in {@code v}
     * @param out d-wide weights
     * @param offset where this row starts in {@code out}
     */
    void expand(double[] v, int from, double[] out, int offset) {
        for (int j = 0; j < basis.length; j++) {
            double w = v[from + j];
            double[] qj = basis[j];
            for (int d = 0; d < dim; d++) {
                out[offset + d] += w * qj[d];
            }
        }
    }
}
