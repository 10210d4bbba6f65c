package io.github.pointclip;

/**
 * CLIP features of one cloud for retrieval: the L2-normalised feature of each view and their
 * view-weighted sum, normalised again (the fused feature). Immutable.
 */
public final class Embedding {

    private final float[] views;
    private final int viewCount;
    private final int dim;
    private final float[] fused;

    Embedding(float[] views, int viewCount, int dim, float[] fused) {
        this.views = views;
        this.viewCount = viewCount;
        this.dim = dim;
        this.fused = fused;
    }

    /** @return the number of views V */
    public int viewCount() {
        return viewCount;
    }

    /** @return the feature dimension D */
    public int dim() {
        return dim;
    }

    /** @return normalised per-view features [V, D] (a copy) */
    public float[] viewFeatures() {
        return views.clone();
    }

    /** @return the fused, normalised feature [D] (a copy) */
    public float[] fused() {
        return fused.clone();
    }

    /**
     * @param other another embedding of the same model
     * @return the cosine similarity of the fused features
     */
    public double cosine(Embedding other) {
        if (other.dim != dim) {
            throw new IllegalArgumentException("embeddings of different dimensions: " + dim + " and " + other.dim);
        }
        double s = 0;
        for (int i = 0; i < dim; i++) {
            s += fused[i] * other.fused[i];
        }
        return s;
    }
}
