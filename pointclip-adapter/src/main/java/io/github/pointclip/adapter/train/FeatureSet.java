package io.github.pointclip.adapter.train;

import java.util.List;
import java.util.Objects;

/**
 * Labelled raw view features, the trainer's input: {@code size()} rows of V·D floats (view-major) with one label
 * each. Immutable: arrays are copied in and out.
 */
public final class FeatureSet {
    private final float[] features;
    private final int[] labels;
    private final int views;
    private final int dim;
    private final List<String> classNames;

    /**
     * @param features raw features [N, V, D]
     * @param labels N labels in [0, classNames.size())
     * @param views V ≥ 1
     * @param dim D ≥ 1
     * @param classNames class names in label order
     * @throws IllegalArgumentException if the sizes or labels do not fit
     */
    public FeatureSet(float[] features, int[] labels, int views, int dim, List<String> classNames) {
        this.classNames = List.copyOf(classNames);
        if (views < 1 || dim < 1 || (long) labels.length * views * dim != features.length) {
            throw new IllegalArgumentException(labels.length + " labels × " + views + " views × " + dim + " need "
                    + (long) labels.length * views * dim + " features, got " + features.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= this.classNames.size()) {
                throw new IllegalArgumentException("label " + labels[i] + " of row " + i + " outside [0, "
                        + this.classNames.size() + ")");
            }
        }
        this.features = features.clone();
        this.labels = labels.clone();
        this.views = views;
        this.dim = dim;
    }

    /** @return number of rows N */
    public int size() {
        return labels.length;
    }

    /** @return number of views V */
    public int views() {
        return views;
    }

    /** @return feature dimension D */
    public int dim() {
        return dim;
    }

    /** @return V·D, the width of a row */
    public int rowWidth() {
        return views * dim;
    }

    /** @return class names in label order */
    public List<String> classNames() {
        return classNames;
    }

    /** @return a copy of the labels */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * @param row row index
     * @return its label
     */
    public int label(int row) {
        return labels[row];
    }

    /** @return a copy of all features [N, V, D] */
    public float[] features() {
        return features.clone();
    }

    /**
     * Copies one row into a buffer.
     *
     * @param row row index
     * @param dst destination (modified)
     * @param offset first index written
     */
    public void copyRow(int row, float[] dst, int offset) {
        System.arraycopy(features, row * rowWidth(), dst, offset, rowWidth());
    }

    /**
     * @param other features of the same shape and classes
     * @return this set's rows followed by the other's
     */
    public FeatureSet concat(FeatureSet other) {
        Objects.requireNonNull(other, "other");
        if (other.views != views || other.dim != dim || !other.classNames.equals(classNames)) {
            throw new IllegalArgumentException("cannot concatenate features of different shapes or classes");
        }
        float[] f = new float[features.length + other.features.length];
        System.arraycopy(features, 0, f, 0, features.length);
        System.arraycopy(other.features, 0, f, features.length, other.features.length);
        int[] l = new int[labels.length + other.labels.length];
        System.arraycopy(labels, 0, l, 0, labels.length);
        System.arraycopy(other.labels, 0, l, labels.length, other.labels.length);
        return new FeatureSet(f, l, views, dim, classNames);
    }

    float[] data() {
        return features;
    }

    int[] labelData() {
        return labels;
    }
}
