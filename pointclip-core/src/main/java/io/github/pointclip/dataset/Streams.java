package io.github.pointclip.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Builds the sequential sample streams of the datasets. */
final class Streams {

    private Streams() {
    }

    /** A source of samples that reads them in order, a block at a time. */
    interface SampleCursor extends Cursor<Sample> {
    }

    /**
     * A source of items (samples, or samples with their part labels) read in order.
     *
     * @param <T> the item type
     */
    interface Cursor<T> {
        /**
         * @return the next item, or null at the end
         * @throws IOException if reading fails
         */
        T next() throws IOException;
    }

    /**
     * @param dataset a dataset whose {@code get} is cheap in index order
     * @return its samples in order through {@link Dataset#get(int)}
     */
    static Stream<Sample> byIndex(Dataset dataset) {
        int size = dataset.size();
        int[] next = {0};
        return of(() -> next[0] < size ? dataset.get(next[0]++) : null, size);
    }

    /**
     * @param cursor the sample source
     * @param size the number of samples it yields
     * @param <T> the item type
     * @return a sized, ordered, sequential stream over the cursor
     */
    static <T> Stream<T> of(Cursor<T> cursor, int size) {
        Spliterator<T> spliterator = new Spliterators.AbstractSpliterator<>(size,
            Spliterator.ORDERED | Spliterator.SIZED | Spliterator.NONNULL | Spliterator.IMMUTABLE) {
            @Override
            public boolean tryAdvance(Consumer<? super T> action) {
                T sample;
                try {
                    sample = cursor.next();
                } catch (IOException e) {
                    throw new UncheckedIOException(e.getMessage(), e);
                }
                if (sample == null) {
                    return false;
                }
                action.accept(sample);
                return true;
            }
        };
        return StreamSupport.stream(spliterator, false);
    }
}
