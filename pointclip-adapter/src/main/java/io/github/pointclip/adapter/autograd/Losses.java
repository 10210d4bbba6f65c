package io.github.pointclip.adapter.autograd;

/** Loss functions composed from {@link Ops} primitives (they need no derivative rules of their own). */
public final class Losses {
    private Losses() {
    }

    /**
     * Label-smoothing cross-entropy as the PointCLIP few-shot recipe uses it: the target distribution puts
     * {@code 1 − smoothing} on the label and {@code smoothing/(K−1)} on every other class; the loss is
     * {@code −(1/B)·Σ_b Σ_c q_bc·log softmax(z_b)_c}.
     *
     * @param logits [B, K], K ≥ 2
     * @param labels B class indices in [0, K)
     * @param smoothing mass moved off the label, in [0, 1) (PointCLIP: 0.2)
     * @return the batch-mean loss, [1, 1]
     */
    public static Tensor labelSmoothingCrossEntropy(Tensor logits, int[] labels, double smoothing) {
        int b = logits.rows();
        int k = logits.cols();
        if (k < 2) {
            throw new IllegalArgumentException("label smoothing needs at least 2 classes, got " + k);
        }
        if (labels.length != b) {
            throw new IllegalArgumentException(b + " rows of logits but " + labels.length + " labels");
        }
        if (!(smoothing >= 0 && smoothing < 1)) {
            throw new IllegalArgumentException("smoothing must be in [0, 1), got " + smoothing);
        }
        Tensor target = Tensor.zeros(logits.precision(), b, k);
        double off = smoothing / (k - 1);
        for (int i = 0; i < b; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("label " + labels[i] + " at row " + i + " outside [0, " + k + ")");
            }
            for (int j = 0; j < k; j++) {
                target.set(i * k + j, j == labels[i] ? 1.0 - smoothing : off);
            }
        }
        return Ops.scale(Ops.sum(Ops.mul(Ops.logSoftmax(logits), target)), -1.0 / b);
    }
}
