package io.github.pointclip.dataset;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * A view of chosen samples of another dataset, re-indexed from 0. The indices are kept in
 * ascending order so that streaming reads the underlying blocks in order.
 */
final class SubsetDataset implements Dataset {

    private final Dataset base;
    private final int[] indices;
    private final String name;
    private final Split split;

    SubsetDataset(Dataset base, int[] ascendingIndices, String name, Split split) {
        this.base = Objects.requireNonNull(base, "base");
        this.indices = ascendingIndices;
        this.name = Objects.requireNonNull(name, "name");
        this.split = Objects.requireNonNull(split, "split");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Split split() {
        return split;
    }

    @Override
    public List<String> classNames() {
        return base.classNames();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public int label(int index) {
        return base.label(indices[Objects.checkIndex(index, indices.length)]);
    }

    @Override
    public String id(int index) {
        return base.id(indices[Objects.checkIndex(index, indices.length)]);
    }

    @Override
    public String contentIdentity(int index) throws IOException {
        return base.contentIdentity(indices[Objects.checkIndex(index, indices.length)]);
    }

    @Override
    public Sample get(int index) throws IOException {
        Sample sample = base.get(indices[Objects.checkIndex(index, indices.length)]);
        return new Sample(index, sample.label(), sample.className(), sample.id(), sample.cloud());
    }

    @Override
    public String toString() {
        return "Dataset[" + name + ", " + indices.length + " of " + base.size() + " samples of " + base.name() + "]";
    }
}
