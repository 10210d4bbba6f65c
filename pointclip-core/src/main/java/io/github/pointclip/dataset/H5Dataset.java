package io.github.pointclip.dataset;

import io.github.pointclip.cloud.PointCloud;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A dataset stored in one or more h5 files (ModelNet40's {@code ply_data_*.h5}, ScanObjectNN's
 * {@code *_objectdataset*.h5}). Labels are read when it is opened; clouds are read in blocks of
 * {@link #BLOCK_SIZE} samples with sliced HDF5 reads, and {@link #get(int)} keeps the last block.
 */
final class H5Dataset implements Dataset {

    /**
     * Samples per sliced read: 64 clouds of 2048 points are 1.5 MiB, large enough to amortise
     * opening the file, small enough to keep memory flat.
     */
    static final int BLOCK_SIZE = 64;

    private final String name;
    private final Split split;
    private final List<String> classNames;
    private final List<H5Part> parts;
    private final int[] partStart;
    private final int size;
    private volatile Block cached;

    /** The clouds (and per-point labels, where the parts have them) of rows {@code start ..} of one part. */
    private static final class Block {
        final H5Part part;
        final int start;
        final float[][] clouds;
        /** Per-point labels as stored, or null. */
        final int[][] pointLabels;

        Block(H5Part part, int start, float[][] clouds, int[][] pointLabels) {
            this.part = part;
            this.start = start;
            this.clouds = clouds;
            this.pointLabels = pointLabels;
        }

        boolean holds(H5Part p, int row) {
            return part == p && row >= start && row < start + clouds.length;
        }
    }

    H5Dataset(String name, Split split, List<String> classNames, List<H5Part> parts) {
        this.name = Objects.requireNonNull(name, "name");
        this.split = Objects.requireNonNull(split, "split");
        this.classNames = List.copyOf(classNames);
        this.parts = List.copyOf(parts);
        this.partStart = new int[parts.size() + 1];
        long total = 0;
        for (int i = 0; i < parts.size(); i++) {
            partStart[i] = (int) total;
            total += parts.get(i).size();
            if (total > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("more than " + Integer.MAX_VALUE + " samples");
            }
        }
        partStart[parts.size()] = (int) total;
        this.size = (int) total;
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
        return classNames;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int label(int index) {
        int part = partOf(index);
        return parts.get(part).label(index - partStart[part]);
    }

    @Override
    public String id(int index) {
        int part = partOf(index);
        return parts.get(part).id(index - partStart[part]);
    }

    /** The h5 file's absolute path, size, modification time and file key, the dataset path and the row. */
    @Override
    public String contentIdentity(int index) throws IOException {
        int part = partOf(index);
        return "h5:" + SourceIdentity.ofFile(parts.get(part).file()) + "|/data|row=" + (index - partStart[part]);
    }

    /**
     * A sample with the per-point labels its file stores (ShapeNetPart's {@code pid}) and where it comes from.
     *
     * @param sample the sample
     * @param pointLabels one stored label per point, not range-checked; null when the files have none
     * @param file the h5 file
     * @param row its row in that file
     */
    record Labelled(Sample sample, int[] pointLabels, Path file, int row) {
    }

    @Override
    public Sample get(int index) throws IOException {
        return getLabelled(index).sample();
    }

    /**
     * As {@link #get(int)}, with the sample's per-point labels.
     *
     * @param index sample index
     * @return the sample and its labels
     * @throws IOException if it cannot be read
     */
    Labelled getLabelled(int index) throws IOException {
        int partIndex = partOf(index);
        H5Part part = parts.get(partIndex);
        int row = index - partStart[partIndex];
        Block block = cached;
        if (block == null || !block.holds(part, row)) {
            block = readBlock(part, row - row % BLOCK_SIZE);
            cached = block;
        }
        return labelled(index, part, row, block);
    }

    @Override
    public Stream<Sample> stream() {
        return streamLabelled().map(Labelled::sample);
    }

    /** @return as {@link #stream()}, with each sample's per-point labels */
    Stream<Labelled> streamLabelled() {
        // its own block, so a stream neither disturbs nor depends on get()'s cache
        Block[] current = {null};
        int[] next = {0};
        return Streams.of(() -> {
            if (next[0] >= size) {
                current[0] = null;
                return null;
            }
            int index = next[0]++;
            int partIndex = partOf(index);
            H5Part part = parts.get(partIndex);
            int row = index - partStart[partIndex];
            if (current[0] == null || !current[0].holds(part, row)) {
                current[0] = readBlock(part, row);
            }
            return labelled(index, part, row, current[0]);
        }, size);
    }

    private Block readBlock(H5Part part, int start) throws DatasetException {
        int count = Math.min(BLOCK_SIZE, part.size() - start);
        return new Block(part, start, part.read(start, count),
            part.hasPointLabels() ? part.readPointLabels(start, count) : null);
    }

    private Labelled labelled(int index, H5Part part, int row, Block block) throws DatasetException {
        Sample sample = sample(index, part, row, block);
        int[] pointLabels = block.pointLabels == null ? null : block.pointLabels[row - block.start].clone();
        return new Labelled(sample, pointLabels, part.file(), row);
    }

    private Sample sample(int index, H5Part part, int row, Block block) throws DatasetException {
        PointCloud cloud;
        try {
            cloud = PointCloud.of(block.clouds[row - block.start]);
        } catch (IllegalArgumentException e) {
            throw new DatasetException(part.file(), "sample " + row + ": " + e.getMessage(), e);
        }
        int label = part.label(row);
        return new Sample(index, label, classNames.get(label), part.id(row), cloud);
    }

    private int partOf(int index) {
        Objects.checkIndex(index, size);
        int part = 0;
        while (index >= partStart[part + 1]) { // a handful of files: a scan beats a binary search
            part++;
        }
        return part;
    }

    @Override
    public String toString() {
        return "Dataset[" + name + ", " + size + " samples, " + classNames.size() + " classes, "
            + parts.size() + " h5 file(s)]";
    }
}
