package io.github.pointclip.dataset;

import io.github.pointclip.io.PointClouds;
import io.github.pointclip.io.ReadOptions;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One point or mesh file per sample in a folder per class; each {@link #get(int)} reads one file
 * with {@link PointClouds#read(Path, ReadOptions)}.
 */
final class FolderDataset implements Dataset {

    private final String name;
    private final Split split;
    private final List<String> classNames;
    private final List<Path> files;
    private final List<String> ids;
    private final int[] labels;
    private final ReadOptions options;

    FolderDataset(String name, Split split, List<String> classNames, List<Path> files, List<String> ids,
        int[] labels, ReadOptions options) {
        this.name = Objects.requireNonNull(name, "name");
        this.split = Objects.requireNonNull(split, "split");
        this.classNames = List.copyOf(classNames);
        this.files = List.copyOf(files);
        this.ids = List.copyOf(ids);
        this.labels = labels.clone();
        this.options = Objects.requireNonNull(options, "options");
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
        return labels.length;
    }

    @Override
    public int label(int index) {
        return labels[Objects.checkIndex(index, labels.length)];
    }

    @Override
    public String id(int index) {
        return ids.get(index);
    }

    /**
     * The file's absolute path, size, modification time and file key, and the read options
     * (mesh sampling count and seed change the cloud).
     */
    @Override
    public String contentIdentity(int index) throws IOException {
        return "file:" + SourceIdentity.ofFile(files.get(Objects.checkIndex(index, labels.length))) + "|" + options;
    }

    /**
     * Reads the sample's file.
     *
     * @throws io.github.pointclip.io.PointCloudFormatException if the file is malformed
     * @throws DatasetException if the file has disappeared since the dataset was opened
     */
    @Override
    public Sample get(int index) throws IOException {
        int label = label(index);
        Path file = files.get(index);
        try {
            return new Sample(index, label, classNames.get(label), ids.get(index), PointClouds.read(file, options));
        } catch (NoSuchFileException e) {
            throw new DatasetException(file, "file of sample " + index + " no longer exists", e);
        }
    }

    @Override
    public String toString() {
        return "Dataset[" + name + ", " + labels.length + " files, " + classNames.size() + " classes]";
    }
}
