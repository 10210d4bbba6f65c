package io.github.pointclip.crosspoint.internal;

import io.github.pointclip.adapter.autograd.Losses;
import io.github.pointclip.adapter.autograd.Ops;
import io.github.pointclip.adapter.autograd.PointOps;
import io.github.pointclip.adapter.autograd.Tensor;

/**
 * CrossPoint's contrastive loss, NT-Xent without a memory bank (the reference calls
 * {@code lightly}'s {@code NTXentLoss(temperature)} for both IMID and CMID): the 2B rows of two normalised
 * batches a and b are compared with each other by cosine similarity over the temperature; row i of a has its
 * positive in row i of b and its negatives in every other row of a and b (itself excluded), and symmetrically;
 * the loss is the mean cross-entropy over the 2B rows:
 * <pre>
 * l(i, a, b) = −log( exp(s(aᵢ, bᵢ)/τ) / ( Σ_{k≠i} exp(s(aᵢ, aₖ)/τ) + Σ_k exp(s(aᵢ, bₖ)/τ) ) )
 * L = (1/2B) · Σᵢ [ l(i, a, b) + l(i, b, a) ]
 * </pre>
 * Composed from autograd primitives, so it needs no derivative rule of its own.
 */
public final class NtXent {
    /** CrossPoint's temperature. */
    public static final double DEFAULT_TEMPERATURE = 0.1;
    /** Stands for −∞ on the excluded diagonal: exp underflows to 0, and 0·MASK stays finite. */
    private static final double MASK = -1e9;

    private NtXent() {
    }

    /**
     * The loss of a batch whose halves are the two sides: rows i and i + B are positives.
     *
     * @param z [2B, D], B ≥ 2 (normalised here)
     * @param temperature τ &gt; 0
     * @return the loss, [1, 1]
     */
    public static Tensor stacked(Tensor z, double temperature) {
        if (z.rows() < 4 || z.rows() % 2 != 0) {
            throw new IllegalArgumentException("NT-Xent needs two halves of at least 2 rows, got " + z.rows() + " rows");
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        int rows = z.rows();
        int n = rows / 2;
        Tensor unit = Ops.l2NormalizeRows(z);
        Tensor logits = Ops.scale(Ops.matmulTransB(unit, unit), 1.0 / temperature);
        Tensor mask = Tensor.zeros(z.precision(), rows, rows);
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            mask.set(i * rows + i, MASK);
            labels[i] = i < n ? i + n : i - n;
        }
        return Losses.labelSmoothingCrossEntropy(Ops.add(logits, mask), labels, 0.0);
    }

    /**
     * @param a [B, D], B ≥ 2 (normalised here)
     * @param b [B, D], the positives of a row for row
     * @param temperature τ &gt; 0
     * @return the loss, [1, 1]
     */
    public static Tensor loss(Tensor a, Tensor b, double temperature) {
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            throw new IllegalArgumentException("NT-Xent: [" + a.rows() + ", " + a.cols() + "] vs [" + b.rows() + ", "
                    + b.cols() + "]");
        }
        if (a.rows() < 2) {
            throw new IllegalArgumentException("NT-Xent needs a batch of at least 2, got " + a.rows());
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        return stacked(PointOps.concatRows(a, b), temperature);
    }
}
