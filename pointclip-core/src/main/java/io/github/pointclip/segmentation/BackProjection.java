package io.github.pointclip.segmentation;

import io.github.pointclip.projection.spi.SegmentationProjection;
import java.util.Objects;

/**
 * From dense CLIP features back to points (SEGMENTATION.md §3 and §5): per view, the patch tokens
 * (L2-normalised, laid out as g×g maps, scrambled in the {@link SegmentationLayout#OFFICIAL official}
 * layout) are compared with the part texts, box-filtered (6×6, replicate padding 2 before and 3 after),
 * upsampled bilinearly (align_corners = False) to the logit map, and read at each point's pixel; a
 * point's logits are the view-weighted sum over the views where it is visible.
 *
 * <p>Everything after the patch logits is linear, so the box filter and the upsampling are one
 * S×g matrix R (the {@link #interpolation(int, int) interpolation}) and a point reads
 * Σ_ij R[row][i]·R[col][j]·L[i][j]: at most 7×7 patches per point and view, never a full S×S map.
 * The arithmetic is double; immutable and thread-safe.
 */
public final class BackProjection {

    /** The logit scale of the reference (CLIP's 100, fixed). */
    public static final double LOGIT_SCALE = 100.0;

    private final int grid;
    private final int size;
    /** Per output pixel o: the first patch index with a non-zero weight, and the weights from there. */
    private final int[] first;
    private final double[][] weights;

    /**
     * @param grid the side g of the patch grid (14 for ViT-B/16 at 224, 7 for ViT-B/32)
     * @param size the side S of the logit map (224)
     * @throws IllegalArgumentException if a size is not positive
     */
    public BackProjection(int grid, int size) {
        if (grid < 1 || size < 1) {
            throw new IllegalArgumentException("patch grid and map size must be positive, got " + grid + " and " + size);
        }
        this.grid = grid;
        this.size = size;
        double[] r = interpolation(grid, size);
        first = new int[size];
        weights = new double[size][];
        for (int o = 0; o < size; o++) {
            int lo = grid, hi = -1;
            for (int i = 0; i < grid; i++) {
                if (r[o * grid + i] != 0) {
                    lo = Math.min(lo, i);
                    hi = Math.max(hi, i);
                }
            }
            first[o] = Math.min(lo, hi);
            weights[o] = new double[Math.max(hi - lo + 1, 0)];
            for (int i = lo; i <= hi; i++) {
                weights[o][i - lo] = r[o * grid + i];
            }
        }
    }

    /** @return the side g of the patch grid */
    public int grid() {
        return grid;
    }

    /** @return the side S of the logit map */
    public int size() {
        return size;
    }

    /**
     * The S×g matrix R = Up·Bx of §5.4: a box filter (mean of 6, replicate padding 2 before and 3 after)
     * followed by the bilinear upsampling to S with align_corners = False, computed as the reference
     * does (float32 source coordinates, double weights).
     *
     * @param grid g
     * @param size S
     * @return R, [S, g] row-major
     */
    public static double[] interpolation(int grid, int size) {
        double[] box = new double[grid * grid];
        for (int i = 0; i < grid; i++) {
            for (int a = -2; a <= 3; a++) {
                int j = Math.max(0, Math.min(grid - 1, i + a));
                box[i * grid + j] += 1.0 / 6.0;
            }
        }
        double[] up = new double[size * grid];
        float s = (float) grid / (float) size;
        for (int o = 0; o < size; o++) {
            float src = Math.max(s * (o + 0.5f) - 0.5f, 0f);
            int i0 = (int) Math.floor(src);
            int i1 = Math.min(i0 + 1, grid - 1);
            float lambda = src - i0;
            up[o * grid + i0] += 1.0 - lambda;
            up[o * grid + i1] += lambda;
        }
        double[] r = new double[size * grid];
        for (int o = 0; o < size; o++) {
            for (int k = 0; k < grid; k++) {
                double u = up[o * grid + k];
                if (u != 0) {
                    for (int j = 0; j < grid; j++) {
                        r[o * grid + j] += u * box[k * grid + j];
                    }
                }
            }
        }
        return r;
    }

    /**
     * The normalised patch feature maps of one view, [g², D] with row q = r·g + c the feature at map
     * position (r, c): the patch tokens L2-normalised, and in the official layout scrambled as §3 says.
     *
     * @param tokens [V, 1 + g², D] as {@code encodeTokens} returns them (not modified)
     * @param dim D
     * @param view the view
     * @param layout the layout
     * @return the maps
     * @throws IllegalArgumentException if a patch token is zero or not finite
     */
    public double[] featureMaps(float[] tokens, int dim, int view, SegmentationLayout layout) {
        int patches = grid * grid;
        int base = (view * (1 + patches) + 1) * dim;
        double[] f = new double[patches * dim];
        for (int q = 0; q < patches; q++) {
            double norm = patchTokenNorm(tokens, base, q, dim, view);
            for (int d = 0; d < dim; d++) {
                f[q * dim + d] = tokens[base + q * dim + d] / norm;
            }
        }
        if (layout == SegmentationLayout.FIXED) {
            return f;
        }
        // defect B: B[d·g² + q] = f[q][d] read back as rows of D consecutive values
        double[] scrambled = new double[patches * dim];
        for (int k = 0; k < patches * dim; k++) {
            int d = k / patches, q = k % patches;
            scrambled[k] = f[q * dim + d];
        }
        return scrambled;
    }

    /**
     * Per-point logits, [N, P] row-major: logits[n][p] = Σ_v w_v·seen[v][n]·U_vp(n) (§5).
     *
     * @param tokens [V, 1 + g², D] image tokens of the projection's views (not modified)
     * @param dim D
     * @param text part features [P, D] (normalised here; not modified)
     * @param parts P
     * @param projection the views' pixels and visibility flags; its layout decides the feature layout
     * @param viewWeights V weights
     * @return the logits, double
     * @throws IllegalArgumentException if the sizes do not match
     */
    public double[] pointLogits(float[] tokens, int dim, float[] text, int parts, SegmentationProjection projection,
            float[] viewWeights) {
        Objects.requireNonNull(projection, "projection");
        int views = projection.viewCount();
        int n = projection.pointCount();
        checkSizes(tokens, dim, text, parts, views, viewWeights);
        if (projection.imageSize() != size) {
            throw new IllegalArgumentException("the projection's logit map is " + projection.imageSize() + " pixels wide,"
                + " this back-projection's " + size);
        }
        double[] t = normalisedText(text, parts, dim);
        int patches = grid * grid;
        int[] pixels = projection.pixels();
        boolean[] seen = projection.seenFlags();
        double[] logits = new double[n * parts];
        double[] patchLogits = new double[patches * parts];
        double[] inverseNorms = new double[patches];
        for (int v = 0; v < views; v++) {
            double w = viewWeights[v];
            patchLogits(tokens, dim, v, projection.layout(), t, parts, inverseNorms, patchLogits);
            for (int i = 0; i < n; i++) {
                if (!seen[v * n + i] || w == 0) {
                    continue;
                }
                int row = pixels[2 * (v * n + i)], col = pixels[2 * (v * n + i) + 1];
                double[] wr = weights[row], wc = weights[col];
                int r0 = first[row], c0 = first[col];
                for (int a = 0; a < wr.length; a++) {
                    for (int b = 0; b < wc.length; b++) {
                        double k = w * wr[a] * wc[b];
                        int q = ((r0 + a) * grid + c0 + b) * parts;
                        for (int p = 0; p < parts; p++) {
                            logits[i * parts + p] += k * patchLogits[q + p];
                        }
                    }
                }
            }
        }
        return logits;
    }

    /** The L2 norm of patch token q (its values from {@code base + q·dim}), refused when zero or not finite. */
    private static double patchTokenNorm(float[] tokens, int base, int q, int dim, int view) {
        double norm = 0;
        for (int d = 0; d < dim; d++) {
            double x = tokens[base + q * dim + d];
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        if (!(norm > 0) || Double.isInfinite(norm)) {
            throw new IllegalArgumentException("patch token " + q + " of view " + view + " has norm " + norm
                + "; the image encoder returned unusable dense features");
        }
        return norm;
    }

    /**
     * L[q][p] = 100·⟨F[q], t_p⟩ of one view, without building the maps: each patch token's norm once, then
     * dot products read straight from the tokens (through the scramble in the official layout).
     */
    private void patchLogits(float[] tokens, int dim, int view, SegmentationLayout layout, double[] t, int parts,
            double[] inverseNorms, double[] out) {
        int patches = grid * grid;
        int base = (view * (1 + patches) + 1) * dim;
        for (int q = 0; q < patches; q++) {
            double norm = patchTokenNorm(tokens, base, q, dim, view);
            inverseNorms[q] = 1 / norm;
        }
        for (int q = 0; q < patches; q++) {
            for (int p = 0; p < parts; p++) {
                double dot = 0;
                if (layout == SegmentationLayout.FIXED) {
                    int row = base + q * dim;
                    for (int d = 0; d < dim; d++) {
                        dot += tokens[row + d] * t[p * dim + d];
                    }
                    dot *= inverseNorms[q];
                } else {
                    // defect B: map position q holds B[q·D + d] = F[k mod g²][k div g²], k = q·D + d
                    for (int d = 0; d < dim; d++) {
                        int k = q * dim + d;
                        int patch = k % patches;
                        dot += tokens[base + patch * dim + k / patches] * inverseNorms[patch] * t[p * dim + d];
                    }
                }
                out[q * parts + p] = LOGIT_SCALE * dot;
            }
        }
    }

    /**
     * The interpolated, not re-normalised feature f_nv of §5.5 that a point reads in one view (zero when
     * the point is not seen there).
     *
     * @param tokens [V, 1 + g², D] (not modified)
     * @param dim D
     * @param projection the pixels and flags
     * @param view v
     * @param point n
     * @return the D-vector
     */
    public double[] pointFeature(float[] tokens, int dim, SegmentationProjection projection, int view, int point) {
        double[] out = new double[dim];
        if (!projection.seen(view, point)) {
            return out;
        }
        double[] f = featureMaps(tokens, dim, view, projection.layout());
        int row = projection.pixelRow(view, point), col = projection.pixelColumn(view, point);
        for (int a = 0; a < weights[row].length; a++) {
            for (int b = 0; b < weights[col].length; b++) {
                double k = weights[row][a] * weights[col][b];
                int q = (first[row] + a) * grid + first[col] + b;
                for (int d = 0; d < dim; d++) {
                    out[d] += k * f[q * dim + d];
                }
            }
        }
        return out;
    }

    /**
     * The argmax per point, ties to the lowest part index (D2): a point seen in no view gets part 0.
     *
     * @param logits [N, P]
     * @param parts P
     * @return N labels
     */
    public static int[] labels(double[] logits, int parts) {
        int n = logits.length / parts;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int p = 1; p < parts; p++) {
                if (logits[i * parts + p] > logits[i * parts + best]) {
                    best = p;
                }
            }
            out[i] = best;
        }
        return out;
    }

    private void checkSizes(float[] tokens, int dim, float[] text, int parts, int views, float[] viewWeights) {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(viewWeights, "viewWeights");
        if (dim < 1 || parts < 1) {
            throw new IllegalArgumentException("dim and parts must be positive, got " + dim + " and " + parts);
        }
        long expected = (long) views * (1 + grid * grid) * dim;
        if (tokens.length != expected) {
            throw new IllegalArgumentException("expected " + views + "x" + (1 + grid * grid) + "x" + dim + " tokens, got "
                + tokens.length + " values");
        }
        if (text.length != (long) parts * dim) {
            throw new IllegalArgumentException("expected " + parts + "x" + dim + " text features, got " + text.length
                + " values");
        }
        if (viewWeights.length != views) {
            throw new IllegalArgumentException("expected " + views + " view weights, got " + viewWeights.length);
        }
    }

    private static double[] normalisedText(float[] text, int parts, int dim) {
        double[] t = new double[parts * dim];
        for (int p = 0; p < parts; p++) {
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                norm += (double) text[p * dim + d] * text[p * dim + d];
            }
            norm = Math.sqrt(norm);
            if (!(norm > 0) || Double.isInfinite(norm)) {
                throw new IllegalArgumentException("text feature of part " + p + " has norm " + norm);
            }
            for (int d = 0; d < dim; d++) {
                t[p * dim + d] = text[p * dim + d] / norm;
            }
        }
        return t;
    }
}
