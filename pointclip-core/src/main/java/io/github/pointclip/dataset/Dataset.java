package io.github.pointclip.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A labelled set of point clouds, read lazily. Its size, class list, labels and ids are known as
 * soon as it is opened (they are read and validated then); clouds are read only by
 * {@link #get(int)} and {@link #stream()}, a block of samples at a time, so a dataset never sits
 * in memory whole.
 *
 * <p>Implementations are immutable apart from a bounded read cache and safe to share between
 * threads. They hold no open files between calls, so there is nothing to close.
 */
public interface Dataset extends Iterable<Sample> {

    /** @return a short descriptive name, e.g. {@code modelnet40/test} */
    String name();

    /** @return the split this dataset holds */
    Split split();

    /** @return the class names in label order (unmodifiable) */
    List<String> classNames();

    /** @return the number of samples */
    int size();

    /**
     * Returns a sample's label without reading its cloud.
     *
     * @param index sample index, 0 to {@code size() - 1}
     * @return its class index into {@link #classNames()}
     * @throws IndexOutOfBoundsException for a bad index
     */
    int label(int index);

    /**
     * Returns a sample's id without reading its cloud.
     *
     * @param index sample index, 0 to {@code size() - 1}
     * @return its id, as in {@link Sample#id()}
     * @throws IndexOutOfBoundsException for a bad index
     */
    String id(int index);

    /**
     * Returns what identifies a sample's content, for keying caches of what is computed from it
     * (e.g. image features): two samples with equal identities have equal clouds, and a sample
     * whose file changes gets another identity. Unlike {@link #id(int)} it is not a name: two
     * datasets with the same folder and file names in different places have different
     * identities.
     *
     * <p>The datasets of {@link Datasets} answer without reading the cloud: the file's resolved
     * path, size, modification time and file key, the read options, and for a file holding many
     * samples the dataset path and row in it. This default, for other implementations, reads the
     * sample and hashes its points (SHA-256 over the coordinates' float bits); override it where
     * something cheaper identifies the content.
     *
     * @param index sample index, 0 to {@code size() - 1}
     * @return the identity, a single line
     * @throws IndexOutOfBoundsException for a bad index
     * @throws IOException if the file holding it cannot be examined (or, by default, read)
     */
    default String contentIdentity(int index) throws IOException {
        return "points:" + SourceIdentity.ofPoints(get(index).cloud());
    }

    /**
     * Reads one sample (random access). Implementations read only the block that holds it and
     * keep at most one such block cached, so reading indices in order is cheap.
     *
     * @param index sample index, 0 to {@code size() - 1}
     * @return the sample
     * @throws IndexOutOfBoundsException for a bad index
     * @throws DatasetException if the file holding it is missing or malformed
     * @throws IOException if it cannot be read
     */
    Sample get(int index) throws IOException;

    /**
     * Reads all samples in index order, one block at a time; only the current block is held.
     * Read errors surface as an {@link UncheckedIOException} whose cause is the
     * {@link DatasetException} or {@link IOException}.
     *
     * @return a sequential, ordered stream of the {@link #size()} samples
     */
    default Stream<Sample> stream() {
        return Streams.byIndex(this);
    }

    /**
     * Iterates the samples in index order like {@link #stream()}.
     *
     * @return the iterator; {@code next()} throws {@link UncheckedIOException} on a read error
     */
    @Override
    default Iterator<Sample> iterator() {
        return stream().iterator();
    }

    /**
     * Returns a copy of all labels, read without touching the clouds.
     *
     * @return {@code label(i)} for every index
     */
    default int[] labels() {
        int[] labels = new int[size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = label(i);
        }
        return labels;
    }
}
