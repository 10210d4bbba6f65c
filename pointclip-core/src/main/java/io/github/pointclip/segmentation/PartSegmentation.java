package io.github.pointclip.segmentation;

import java.util.List;
import java.util.Objects;

/**
 * The parts of one cloud: per point a label (an index into {@link #parts()}) and the logits of every
 * part. A point seen in no view has all-zero logits and label 0. Immutable.
 */
public final class PartSegmentation {

    private final String category;
    private final List<String> parts;
    private final SegmentationLayout layout;
    private final int[] labels;
    private final float[] logits;

    private PartSegmentation(String category, List<String> parts, SegmentationLayout layout, int[] labels,
            float[] logits) {
        this.category = category;
        this.parts = parts;
        this.layout = layout;
        this.labels = labels;
        this.logits = logits;
    }

    /**
     * Creates a result from copies of the arrays.
     *
     * @param category the category
     * @param parts the P part names
     * @param layout the layout that produced it
     * @param labels N labels in 0…P−1
     * @param logits [N, P] logits
     * @return the result
     * @throws IllegalArgumentException if the sizes do not match or a label is out of range
     */
    public static PartSegmentation of(String category, List<String> parts, SegmentationLayout layout, int[] labels,
            float[] logits) {
        List<String> p = List.copyOf(parts);
        if (p.isEmpty() || labels.length == 0 || logits.length != (long) labels.length * p.size()) {
            throw new IllegalArgumentException(labels.length + " labels and " + logits.length + " logits do not fit "
                + p.size() + " parts");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= p.size()) {
                throw new IllegalArgumentException("label " + labels[i] + " of point " + i + " is not a part index");
            }
        }
        return new PartSegmentation(Objects.requireNonNull(category, "category"), p,
            Objects.requireNonNull(layout, "layout"), labels.clone(), logits.clone());
    }

    /** @return the category */
    public String category() {
        return category;
    }

    /** @return the part names, in the order the labels index */
    public List<String> parts() {
        return parts;
    }

    /** @return the layout used */
    public SegmentationLayout layout() {
        return layout;
    }

    /** @return the number of points N */
    public int pointCount() {
        return labels.length;
    }

    /** @return the number of parts P */
    public int partCount() {
        return parts.size();
    }

    /**
     * @param point point index
     * @return its part index
     */
    public int label(int point) {
        return labels[Objects.checkIndex(point, labels.length)];
    }

    /**
     * @param point point index
     * @return the name of its part
     */
    public String part(int point) {
        return parts.get(label(point));
    }

    /**
     * @param point point index
     * @param part part index
     * @return the logit
     */
    public float logit(int point, int part) {
        return logits[Objects.checkIndex(point, labels.length) * parts.size() + Objects.checkIndex(part, parts.size())];
    }

    /** @return a copy of the labels, N */
    public int[] labels() {
        return labels.clone();
    }

    /** @return a copy of the logits, [N, P] row-major */
    public float[] logits() {
        return logits.clone();
    }

    /** @return the number of points per part, P */
    public int[] partSizes() {
        int[] out = new int[parts.size()];
        for (int l : labels) {
            out[l]++;
        }
        return out;
    }

    @Override
    public String toString() {
        return "PartSegmentation[" + category + ", " + labels.length + " points, parts " + parts + "]";
    }
}
