package io.github.pointclip.adapter.autograd;

import java.util.Arrays;

/**
 * The primitives of point-cloud networks (PointNet, DGCNN), beside {@link Ops}: pooling over groups of rows,
 * concatenation, leaky ReLU, the k-nearest-neighbour graph and the EdgeConv gather with its scatter-add
 * gradient. A batch of B clouds of N points with C channels is a {@code [B·N, C]} tensor, cloud-major (the
 * rows of cloud b are {@code b·N … b·N + N − 1}); the edges of a k-NN graph are a {@code [B·N·k, C]} tensor,
 * point-major (the k edges of point i are rows {@code i·k … i·k + k − 1}).
 */
public final class PointOps {
    private PointOps() {
    }

    private static boolean floats(Tensor... tensors) {
        for (Tensor t : tensors) {
            if (!(t.value instanceof Storage.F32)) {
                return false;
            }
        }
        return Ops.floatFastPaths;
    }

    private static float[] data(Storage s) {
        return ((Storage.F32) s).data;
    }

    /**
     * Maximum over consecutive groups of rows, per column: a cloud's global feature (groups of N points) or
     * EdgeConv's aggregation (groups of k edges). The gradient goes to the first row holding the maximum.
     *
     * @param x [G·S, C]
     * @param groupSize S, ≥ 1, dividing x.rows()
     * @return [G, C]
     */
    public static Tensor maxPoolGroups(Tensor x, int groupSize) {
        int groups = groups(x, groupSize, "maxPoolGroups");
        int c = x.cols();
        Tensor out = Tensor.result(groups, c, x);
        int[] argmax = new int[groups * c];
        boolean fast = floats(x);
        for (int g = 0; g < groups; g++) {
            int base = g * groupSize;
            int o = g * c;
            if (fast) {
                float[] xv = data(x.value);
                float[] ov = data(out.value);
                System.arraycopy(xv, base * c, ov, o, c);
                Arrays.fill(argmax, o, o + c, base);
                for (int r = base + 1; r < base + groupSize; r++) {
                    for (int j = 0, idx = r * c; j < c; j++, idx++) {
                        // NaN propagates: a NaN anywhere in the group wins, as torch.max does
                        if (xv[idx] > ov[o + j] || (xv[idx] != xv[idx] && ov[o + j] == ov[o + j])) {
                            ov[o + j] = xv[idx];
                            argmax[o + j] = r;
                        }
                    }
                }
            } else {
                for (int j = 0; j < c; j++) {
                    double best = x.value.get(base * c + j);
                    int arg = base;
                    for (int r = base + 1; r < base + groupSize; r++) {
                        double v = x.value.get(r * c + j);
                        if (v > best || (Double.isNaN(v) && !Double.isNaN(best))) {
                            best = v;
                            arg = r;
                        }
                    }
                    out.value.set(o + j, best);
                    argmax[o + j] = arg;
                }
            }
        }
        out.onBackward(() -> {
            Storage g = out.gradOrNull();
            Storage gx = x.gradStorage();
            for (int i = 0; i < argmax.length; i++) {
                gx.add(argmax[i] * c + i % c, g.get(i));
            }
        });
        return out;
    }

    /**
     * Mean over consecutive groups of rows, per column (DGCNN's average pool over a cloud's points).
     *
     * @param x [G·S, C]
     * @param groupSize S, ≥ 1, dividing x.rows()
     * @return [G, C]
     */
    public static Tensor meanPoolGroups(Tensor x, int groupSize) {
        int groups = groups(x, groupSize, "meanPoolGroups");
        int c = x.cols();
        Tensor out = Tensor.result(groups, c, x);
        double inv = 1.0 / groupSize;
        for (int g = 0; g < groups; g++) {
            for (int j = 0; j < c; j++) {
                double s = 0;
                for (int r = g * groupSize; r < (g + 1) * groupSize; r++) {
                    s += x.value.get(r * c + j);
                }
                out.value.set(g * c + j, s * inv);
            }
        }
        out.onBackward(() -> {
            Storage g = out.gradOrNull();
            Storage gx = x.gradStorage();
            for (int r = 0; r < x.rows(); r++) {
                int o = r / groupSize * c;
                for (int j = 0; j < c; j++) {
                    gx.add(r * c + j, g.get(o + j) * inv);
                }
            }
        });
        return out;
    }

    private static int groups(Tensor x, int groupSize, String op) {
        if (groupSize < 1 || x.rows() % groupSize != 0) {
            throw new IllegalArgumentException(op + ": group size " + groupSize + " does not divide " + x.rows()
                    + " rows");
        }
        return x.rows() / groupSize;
    }

    /**
     * Side-by-side concatenation: row r of the result is row r of each part, in order.
     *
     * @param parts tensors with the same number of rows
     * @return [rows, Σ cols]
     */
    public static Tensor concatCols(Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concatCols: no parts");
        }
        int rows = parts[0].rows();
        int cols = 0;
        for (Tensor p : parts) {
            if (p.rows() != rows) {
                throw new IllegalArgumentException("concatCols: " + p.rows() + " rows vs " + rows);
            }
            cols += p.cols();
        }
        Tensor out = Tensor.result(rows, cols, parts);
        int total = cols;
        int offset = 0;
        int[] offsets = new int[parts.length];
        for (int n = 0; n < parts.length; n++) {
            offsets[n] = offset;
            Tensor p = parts[n];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < p.cols(); j++) {
                    out.value.set(r * total + offset + j, p.value.get(r * p.cols() + j));
                }
            }
            offset += p.cols();
        }
        out.onBackward(() -> {
            Storage g = out.gradOrNull();
            for (int n = 0; n < parts.length; n++) {
                Tensor p = parts[n];
                if (!p.requiresGrad()) {
                    continue;
                }
                Storage gp = p.gradStorage();
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < p.cols(); j++) {
                        gp.add(r * p.cols() + j, g.get(r * total + offsets[n] + j));
                    }
                }
            }
        });
        return out;
    }

    /**
     * Stacking: the rows of each part, in order.
     *
     * @param parts tensors with the same number of columns
     * @return [Σ rows, cols]
     */
    public static Tensor concatRows(Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concatRows: no parts");
        }
        int cols = parts[0].cols();
        int rows = 0;
        for (Tensor p : parts) {
            if (p.cols() != cols) {
                throw new IllegalArgumentException("concatRows: " + p.cols() + " columns vs " + cols);
            }
            rows += p.rows();
        }
        Tensor out = Tensor.result(rows, cols, parts);
        int[] offsets = new int[parts.length];
        int offset = 0;
        for (int n = 0; n < parts.length; n++) {
            offsets[n] = offset;
            for (int i = 0; i < parts[n].size(); i++) {
                out.value.set(offset + i, parts[n].value.get(i));
            }
            offset += parts[n].size();
        }
        out.onBackward(() -> {
            Storage g = out.gradOrNull();
            for (int n = 0; n < parts.length; n++) {
                Tensor p = parts[n];
                if (!p.requiresGrad()) {
                    continue;
                }
                Storage gp = p.gradStorage();
                for (int i = 0; i < p.size(); i++) {
                    gp.add(i, g.get(offsets[n] + i));
                }
            }
        });
        return out;
    }

    /**
     * Leaky ReLU, x for x &gt; 0 and slope·x otherwise (DGCNN: slope 0.2); the derivative at 0 is slope.
     *
     * @param x input
     * @param slope negative slope
     * @return the activation, x's shape
     */
    public static Tensor leakyRelu(Tensor x, double slope) {
        Tensor out = Tensor.result(x.rows(), x.cols(), x);
        int size = x.size();
        boolean fast = floats(x);
        float s = (float) slope;
        if (fast) {
            float[] xv = data(x.value);
            float[] ov = data(out.value);
            for (int i = 0; i < size; i++) {
                ov[i] = xv[i] > 0 ? xv[i] : s * xv[i];
            }
        } else {
            for (int i = 0; i < size; i++) {
                double v = x.value.get(i);
                out.value.set(i, v > 0 ? v : slope * v);
            }
        }
        out.onBackward(() -> {
            Storage g = out.gradOrNull();
            Storage gx = x.gradStorage();
            if (fast) {
                float[] xv = data(x.value);
                float[] gy = data(g);
                float[] gv = data(gx);
                for (int i = 0; i < size; i++) {
                    gv[i] += xv[i] > 0 ? gy[i] : s * gy[i];
                }
            } else {
                for (int i = 0; i < size; i++) {
                    gx.add(i, x.value.get(i) > 0 ? g.get(i) : slope * g.get(i));
                }
            }
        });
        return out;
    }

    /**
     * EdgeConv's pre-activation from per-point projections: with P = x·W<sub>n</sub>ᵀ and Q = x·W<sub>c</sub>ᵀ
     * − P, the edge (i, j) of the convolution W·[x<sub>j</sub> − x<sub>i</sub>, x<sub>i</sub>] is
     * P<sub>j</sub> + Q<sub>i</sub>, so the product runs once per point instead of once per edge. Row
     * {@code i·k + t} of the result is {@code P[neighbours[i·k + t]] + Q[i]}. The backward pass scatters: P's
     * gradient row j receives the gradients of every edge that points to j, Q's row i the sum over i's edges.
     *
     * @param p [M, C], gathered by neighbour
     * @param q [M, C], repeated for each of a point's k edges
     * @param neighbours M·k row indices into p, the k of point i at {@code i·k …}
     * @param k edges per point, ≥ 1
     * @return [M·k, C]
     */
    public static Tensor edgeSum(Tensor p, Tensor q, int[] neighbours, int k) {
        p.requireSameShape(q);
        int m = p.rows();
        int c = p.cols();
        if (k < 1 || neighbours.length != (long) m * k) {
            throw new IllegalArgumentException("edgeSum: " + neighbours.length + " neighbours for " + m + " points × k "
                    + k);
        }
        for (int e = 0; e < neighbours.length; e++) {
            if (neighbours[e] < 0 || neighbours[e] >= m) {
                throw new IllegalArgumentException("edgeSum: neighbour " + neighbours[e] + " at edge " + e
                        + " outside [0, " + m + ")");
            }
        }
        Tensor out = Tensor.result(m * k, c, p, q);
        boolean fast = floats(p, q);
        if (fast) {
            float[] pv = data(p.value);
            float[] qv = data(q.value);
            float[] ov = data(out.value);
            ComputeThreads.forRange(m, (from, to) -> {
                for (int i = from; i < to; i++) {
                    for (int t = 0; t < k; t++) {
                        int e = i * k + t;
                        int src = neighbours[e] * c;
                        int dst = e * c;
                        int qi = i * c;
                        for (int j = 0; j < c; j++) {
                            ov[dst + j] = pv[src + j] + qv[qi + j];
                        }
                    }
                }
            });
        } else {
            for (int i = 0; i < m; i++) {
                for (int t = 0; t < k; t++) {
                    int e = i * k + t;
                    for (int j = 0; j < c; j++) {
                        out.value.set(e * c + j, p.value.get(neighbours[e] * c + j) + q.value.get(i * c + j));
                    }
                }
            }
        }
        out.onBackward(() -> {
            Storage g = out.gradOrNull();
            if (fast) {
                float[] gv = data(g);
                if (p.requiresGrad()) {
                    // scatter-add: several edges may point to one row, so this loop stays on one thread
                    float[] gp = data(p.gradStorage());
                    for (int e = 0; e < neighbours.length; e++) {
                        int src = e * c;
                        int dst = neighbours[e] * c;
                        for (int j = 0; j < c; j++) {
                            gp[dst + j] += gv[src + j];
                        }
                    }
                }
                if (q.requiresGrad()) {
                    float[] gq = data(q.gradStorage());
                    for (int i = 0; i < m; i++) {
                        for (int t = 0; t < k; t++) {
                            int src = (i * k + t) * c;
                            for (int j = 0; j < c; j++) {
                                gq[i * c + j] += gv[src + j];
                            }
                        }
                    }
                }
                return;
            }
            Storage gp = p.requiresGrad() ? p.gradStorage() : null;
            Storage gq = q.requiresGrad() ? q.gradStorage() : null;
            for (int e = 0; e < neighbours.length; e++) {
                int i = e / k;
                for (int j = 0; j < c; j++) {
                    double v = g.get(e * c + j);
                    if (gp != null) {
                        gp.add(neighbours[e] * c + j, v);
                    }
                    if (gq != null) {
                        gq.add(i * c + j, v);
                    }
                }
            }
        });
        return out;
    }

    /**
     * A whole EdgeConv block after its product, fused so that no {@code [M·k, C]} tensor is kept:
     * {@code maxPoolGroups(leakyRelu(batchNorm(edgeSum(p, q, neighbours, k)), slope), k)}, the same values and
     * gradients as that composition (which holds k times more memory: 20 edge rows per point in DGCNN). Batch norm
     * normalises each column over all M·k edges and, in training, updates the running statistics as
     * {@link Ops#batchNorm} does. The pass keeps, per point and channel, the edge that won the max; the backward pass
     * recomputes the edges it needs.
     *
     * @param p [M, C], gathered by neighbour
     * @param q [M, C], repeated for each of a point's k edges
     * @param neighbours M·k row indices into p
     * @param k edges per point
     * @param gamma batch-norm scale [1, C]
     * @param beta batch-norm shift [1, C]
     * @param runningMean [1, C], updated in training
     * @param runningVar [1, C], updated in training
     * @param training batch statistics (true) or running statistics (false)
     * @param momentum running-statistics momentum
     * @param eps added to the variance
     * @param slope leaky ReLU's negative slope
     * @return [M, C]
     */
    public static Tensor edgeConvMax(Tensor p, Tensor q, int[] neighbours, int k, Tensor gamma, Tensor beta,
            Tensor runningMean, Tensor runningVar, boolean training, double momentum, double eps, double slope) {
        p.requireSameShape(q);
        int m = p.rows();
        int c = p.cols();
        if (k < 1 || neighbours.length != (long) m * k) {
            throw new IllegalArgumentException("edgeConvMax: " + neighbours.length + " neighbours for " + m
                    + " points × k " + k);
        }
        for (Tensor t : new Tensor[] {gamma, beta, runningMean, runningVar}) {
            if (t.rows() != 1 || t.cols() != c) {
                throw new IllegalArgumentException("edgeConvMax: expected [1, " + c + "], got [" + t.rows() + ", "
                        + t.cols() + "]");
            }
        }
        for (int e = 0; e < neighbours.length; e++) {
            if (neighbours[e] < 0 || neighbours[e] >= m) {
                throw new IllegalArgumentException("edgeConvMax: neighbour " + neighbours[e] + " at edge " + e
                        + " outside [0, " + m + ")");
            }
        }
        long edges = (long) m * k;
        if (training && edges < 2) {
            throw new IllegalArgumentException("edgeConvMax in training needs at least 2 edges");
        }
        double[] pv = p.toDoubleArray();
        double[] qv = q.toDoubleArray();
        boolean round = p.value instanceof Storage.F32;
        double[] mean = new double[c];
        double[] invStd = new double[c];
        if (training) {
            double[] var = new double[c];
            for (int i = 0; i < m; i++) {
                for (int t = 0; t < k; t++) {
                    int src = neighbours[i * k + t] * c;
                    for (int j = 0; j < c; j++) {
                        mean[j] += edge(pv, qv, src, i * c, j, round);
                    }
                }
            }
            for (int j = 0; j < c; j++) {
                mean[j] /= edges;
            }
            for (int i = 0; i < m; i++) {
                for (int t = 0; t < k; t++) {
                    int src = neighbours[i * k + t] * c;
                    for (int j = 0; j < c; j++) {
                        double d = edge(pv, qv, src, i * c, j, round) - mean[j];
                        var[j] += d * d;
                    }
                }
            }
            for (int j = 0; j < c; j++) {
                var[j] /= edges;
                invStd[j] = 1.0 / Math.sqrt(var[j] + eps);
                runningMean.value.set(j, (1 - momentum) * runningMean.value.get(j) + momentum * mean[j]);
                runningVar.value.set(j, (1 - momentum) * runningVar.value.get(j)
                        + momentum * var[j] * edges / (edges - 1.0));
            }
        } else {
            for (int j = 0; j < c; j++) {
                mean[j] = runningMean.value.get(j);
                invStd[j] = 1.0 / Math.sqrt(runningVar.value.get(j) + eps);
            }
        }
        double[] g = gamma.toDoubleArray();
        double[] b = beta.toDoubleArray();
        Tensor out = Tensor.result(m, c, p, q, gamma, beta);
        int[] winner = new int[m * c];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < c; j++) {
                double best = Double.NaN;
                int arg = 0;
                for (int t = 0; t < k; t++) {
                    double z = g[j] * ((edge(pv, qv, neighbours[i * k + t] * c, i * c, j, round) - mean[j]) * invStd[j]) + b[j];
                    double y = z > 0 ? z : slope * z;
                    if (t == 0 || y > best || (Double.isNaN(y) && !Double.isNaN(best))) {
                        best = y;
                        arg = t;
                    }
                }
                out.value.set(i * c + j, best);
                winner[i * c + j] = arg;
            }
        }
        out.onBackward(() -> {
            Storage go = out.gradOrNull();
            // gz: the gradient at batch norm's output, non-zero only at each (point, channel)'s winning edge
            double[] gz = new double[m * c];
            double[] sumGz = new double[c];
            double[] sumGzX = new double[c];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < c; j++) {
                    int idx = i * c + j;
                    double xhat = (edge(pv, qv, neighbours[i * k + winner[idx]] * c, i * c, j, round) - mean[j]) * invStd[j];
                    double z = g[j] * xhat + b[j];
                    gz[idx] = go.get(idx) * (z > 0 ? 1.0 : slope);
                    sumGz[j] += gz[idx];
                    sumGzX[j] += gz[idx] * xhat;
                }
            }
            if (gamma.requiresGrad()) {
                Storage gg = gamma.gradStorage();
                for (int j = 0; j < c; j++) {
                    gg.add(j, sumGzX[j]);
                }
            }
            if (beta.requiresGrad()) {
                Storage gb = beta.gradStorage();
                for (int j = 0; j < c; j++) {
                    gb.add(j, sumGz[j]);
                }
            }
            if (!p.requiresGrad() && !q.requiresGrad()) {
                return;
            }
            // d(edge) = γ·invStd·(gz − mean(gz) − x̂·mean(gz·x̂)) in training, γ·invStd·gz in inference: a dense part
            // a + s·x̂ on every edge, plus the sparse γ·invStd·gz at the winners
            double[] scale = new double[c];
            double[] dense = new double[c];
            double[] slopeX = new double[c];
            for (int j = 0; j < c; j++) {
                scale[j] = g[j] * invStd[j];
                dense[j] = training ? -scale[j] * sumGz[j] / edges : 0;
                slopeX[j] = training ? -scale[j] * sumGzX[j] / edges : 0;
            }
            double[] gp = new double[m * c];
            double[] gq = new double[m * c];
            for (int i = 0; i < m; i++) {
                for (int t = 0; t < k; t++) {
                    int n = neighbours[i * k + t];
                    for (int j = 0; j < c; j++) {
                        double de;
                        if (training) {
                            double xhat = (edge(pv, qv, n * c, i * c, j, round) - mean[j]) * invStd[j];
                            de = dense[j] + slopeX[j] * xhat;
                        } else {
                            de = 0;
                        }
                        if (winner[i * c + j] == t) {
                            de += scale[j] * gz[i * c + j];
                        }
                        gp[n * c + j] += de;
                        gq[i * c + j] += de;
                    }
                }
            }
            if (p.requiresGrad()) {
                Storage s = p.gradStorage();
                for (int i = 0; i < gp.length; i++) {
                    s.add(i, gp[i]);
                }
            }
            if (q.requiresGrad()) {
                Storage s = q.gradStorage();
                for (int i = 0; i < gq.length; i++) {
                    s.add(i, gq[i]);
                }
            }
        });
        return out;
    }

    /** One edge value p[src + j] + q[dst + j], rounded to float for float tensors (as {@link #edgeSum} stores it). */
    private static double edge(double[] pv, double[] qv, int src, int dst, int j, boolean round) {
        double v = pv[src + j] + qv[dst + j];
        return round ? (float) v : v;
    }

    /**
     * The k nearest neighbours of every point within its own cloud, by squared Euclidean distance over all
     * columns (DGCNN's dynamic graph: coordinates in the first layer, features after); a point is its own
     * nearest neighbour, as in the reference (top-k of −distance). Ties go to the lower index. Not part of the
     * graph: indices carry no gradient.
     *
     * @param x [B·N, C] (values only are read)
     * @param points N, dividing x.rows()
     * @param k neighbours per point, in [1, N]
     * @return B·N·k global row indices into x, the k of row i at {@code i·k …}, nearest first
     */
    public static int[] knn(Tensor x, int points, int k) {
        if (points < 1 || x.rows() % points != 0) {
            throw new IllegalArgumentException("knn: " + points + " points per cloud does not divide " + x.rows()
                    + " rows");
        }
        if (k < 1 || k > points) {
            throw new IllegalArgumentException("knn: k = " + k + " with " + points + " points per cloud");
        }
        int clouds = x.rows() / points;
        int c = x.cols();
        float[] xv = new float[x.size()];
        for (int i = 0; i < xv.length; i++) {
            xv[i] = (float) x.value.get(i);
        }
        int[] result = new int[x.rows() * k];
        ComputeThreads.RangeTask task = (from, to) -> {
            float[] sq = new float[points];
            float[] dist = new float[points];
            float[] bestD = new float[k];
            int[] bestI = new int[k];
            for (int b = from; b < to; b++) {
                int base = b * points;
                for (int i = 0; i < points; i++) {
                    float s = 0;
                    for (int j = 0, idx = (base + i) * c; j < c; j++, idx++) {
                        s += xv[idx] * xv[idx];
                    }
                    sq[i] = s;
                }
                for (int i = 0; i < points; i++) {
                    int ri = (base + i) * c;
                    for (int n = 0; n < points; n++) {
                        int rn = (base + n) * c;
                        float dot = 0;
                        for (int j = 0; j < c; j++) {
                            dot += xv[ri + j] * xv[rn + j];
                        }
                        dist[n] = sq[i] + sq[n] - 2 * dot;
                    }
                    dist[i] = Float.NEGATIVE_INFINITY; // itself first, whatever the rounding says
                    int filled = 0;
                    for (int n = 0; n < points; n++) {
                        float d = dist[n];
                        if (filled == k && !(d < bestD[k - 1])) {
                            continue;
                        }
                        int pos = filled == k ? k - 1 : filled++;
                        while (pos > 0 && d < bestD[pos - 1]) {
                            bestD[pos] = bestD[pos - 1];
                            bestI[pos] = bestI[pos - 1];
                            pos--;
                        }
                        bestD[pos] = d;
                        bestI[pos] = n;
                    }
                    int o = (base + i) * k;
                    for (int t = 0; t < k; t++) {
                        result[o + t] = base + bestI[t];
                    }
                }
            }
        };
        ComputeThreads threads = ComputeThreads.active();
        if (threads != null && clouds > 1) {
            // whole clouds per thread: each writes only its own clouds' rows of the result
            int half = clouds / 2;
            threads.split(() -> task.run(0, half), () -> task.run(half, clouds));
        } else {
            task.run(0, clouds);
        }
        return result;
    }
}
