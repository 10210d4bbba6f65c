package io.github.pointclip.crosspoint.probe;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Feature vectors with class labels: {@code rows} rows of {@code dim} floats, C order, and a label in
 * {@code [0, classes)} per row. Immutable (the arrays are copied in and out); the values are
 * checked to be finite when it is built.
 */
public final class LabelledFeatures {

    private final float[] values;
    private final int rows;
    private final int dim;
    private final int[] labels;
    private final List<String> classNames;

    private LabelledFeatures(float[] values, int dim, int[] labels, List<String> classNames, boolean check) {
        this.values = values;
        this.dim = dim;
        this.rows = labels.length;
        this.labels = labels;
        this.classNames = classNames;
        if (check) {
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) {
                    throw new IllegalArgumentException("feature " + (i % dim) + " of row " + (i / dim) + " is "
                        + values[i] + "; features must be finite");
                }
            }
        }
    }

    /**
     * @param values features [labels.length, dim], C order (copied)
     * @param dim the feature width, at least 1
     * @param labels a class index per row (copied)
     * @param classNames the class names in label order: every label must be below its size
     * @return the features
     * @throws IllegalArgumentException if the sizes disagree, a label is out of range or a value is
     *     not finite (the message names the row)
     */
    public static LabelledFeatures of(float[] values, int dim, int[] labels, List<String> classNames) {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(labels, "labels");
        List<String> names = List.copyOf(Objects.requireNonNull(classNames, "classNames"));
        if (dim < 1) {
            throw new IllegalArgumentException("feature width must be >= 1, got " + dim);
        }
        if ((long) labels.length * dim != values.length) {
            throw new IllegalArgumentException(values.length + " feature values are not " + labels.length + " rows of "
                + dim);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= names.size()) {
                throw new IllegalArgumentException("label " + labels[i] + " of row " + i + " is outside [0, "
                    + names.size() + ")");
            }
        }
        return new LabelledFeatures(values.clone(), dim, labels.clone(), names, true);
    }

    /**
     * Features whose classes are named by their index ({@code "0"}, {@code "1"}, …): as many classes as
     * the largest label + 1.
     *
     * @param values features [labels.length, dim], C order (copied)
     * @param dim the feature width
     * @param labels a class index per row, ≥ 0 (copied)
     * @return the features
     * @throws IllegalArgumentException as {@link #of(float[], int, int[], List)}
     */
    public static LabelledFeatures of(float[] values, int dim, int[] labels) {
        int max = -1;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        String[] names = new String[max + 1];
        for (int c = 0; c < names.length; c++) {
            names[c] = Integer.toString(c);
        }
        return of(values, dim, labels, Arrays.asList(names));
    }

    /** @return the number of rows */
    public int rows() {
        return rows;
    }

    /** @return the feature width */
    public int dim() {
        return dim;
    }

    /** @return the number of classes, {@code classNames().size()} */
    public int classes() {
        return classNames.size();
    }

    /** @return the class names in label order */
    public List<String> classNames() {
        return classNames;
    }

    /** @return the features [rows, dim] (a copy) */
    public float[] values() {
        return values.clone();
    }

    /** @return the labels (a copy) */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * @param row a row index
     * @return its label
     */
    public int label(int row) {
        return labels[Objects.checkIndex(row, rows)];
    }

    /**
     * @param row a row index
     * @param dimension a feature index
     * @return the value
     */
    public float value(int row, int dimension) {
        return values[Objects.checkIndex(row, rows) * dim + Objects.checkIndex(dimension, dim)];
    }

    /**
     * The given rows, in the given order, with new labels.
     *
     * @param rowIndices rows of this set (repeats allowed)
     * @param newLabels a label per chosen row
     * @param newClassNames class names of the new labels
     * @return the subset
     */
    LabelledFeatures select(int[] rowIndices, int[] newLabels, List<String> newClassNames) {
        float[] v = new float[rowIndices.length * dim];
        for (int i = 0; i < rowIndices.length; i++) {
            System.arraycopy(values, Objects.checkIndex(rowIndices[i], rows) * dim, v, i * dim, dim);
        }
        return new LabelledFeatures(v, dim, newLabels.clone(), List.copyOf(newClassNames), false);
    }

    /**
     * @param rowIndices rows of this set, in the order wanted (repeats allowed)
     * @return those rows with their labels and this set's classes
     * @throws IndexOutOfBoundsException for a bad row index
     */
    public LabelledFeatures subset(int[] rowIndices) {
        int[] l = new int[rowIndices.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = labels[Objects.checkIndex(rowIndices[i], rows)];
        }
        return select(rowIndices, l, classNames);
    }

    /** Package access to the values without a copy (the probe reads them many times). */
    float[] valuesUnsafe() {
        return values;
    }

    /** Package access to the labels without a copy. */
    int[] labelsUnsafe() {
        return labels;
    }

    @Override
    public String toString() {
        return "LabelledFeatures[" + rows + " x " + dim + ", " + classNames.size() + " classes]";
    }
}
