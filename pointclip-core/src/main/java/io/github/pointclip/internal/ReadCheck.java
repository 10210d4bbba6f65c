package io.github.pointclip.internal;

import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.DatasetException;
import io.github.pointclip.dataset.Datasets;
import io.github.pointclip.io.PointCloudFormatException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The up-front read of the samples a long job is about to encode: each is read once (in parallel)
 * before any encoding, so that a missing or malformed file stops the job at once, naming the file,
 * instead of after minutes of work; or, when the caller chooses to skip bad samples, so that they
 * are left out and listed. Used by the evaluator and by the few-shot feature cache.
 *
 * <p>Public so that the other modules of the SDK can use it; it may move once the modules are split
 * for the module system.
 */
public final class ReadCheck {

    private static final Logger LOG = LoggerFactory.getLogger(ReadCheck.class);
    private static final AtomicInteger POOL_IDS = new AtomicInteger();
    /** Samples a reader claims at a time: neighbours share the dataset's block cache (an h5 dataset keeps 64). */
    private static final int CLAIM = 4;

    private ReadCheck() {
    }

    /**
     * A sample that cannot be read.
     *
     * @param index its index in the dataset that was checked
     * @param id its id ({@link Dataset#id(int)})
     * @param error what its dataset threw (naming the file)
     */
    public record Unreadable(int index, String id, IOException error) {

        /**
         * Validates the components.
         *
         * @param index index in the dataset
         * @param id sample id
         * @param error the read error
         */
        public Unreadable {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(error, "error");
        }

        /** @return the error's message on one line (it names the file) */
        public String reason() {
            String m = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
            return m.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        }
    }

    /**
     * What a check left: the samples to go on with, and those left out.
     *
     * @param readable the dataset itself when every sample could be read, else the subset of the
     *     readable samples (re-indexed from 0; {@link Datasets#subset})
     * @param skipped the samples left out, in index order of the checked dataset; empty when none
     */
    public record Outcome(Dataset readable, List<Unreadable> skipped) {

        /**
         * Validates and copies the components.
         *
         * @param readable the dataset to go on with
         * @param skipped the samples left out
         */
        public Outcome {
            Objects.requireNonNull(readable, "readable");
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * Reads every sample of a dataset once and applies the rule of {@link #apply}.
     *
     * @param dataset the samples
     * @param skipBad false: the first unreadable sample is thrown; true: unreadable samples are left out
     * @param threads readers, at least 1
     * @return the readable samples and those left out
     * @throws IOException naming the first unreadable sample's file and reason and the count unless {@code skipBad};
     *     with it, when no sample can be read
     * @throws InterruptedIOException if the calling thread is interrupted (its interrupt flag is set again)
     */
    public static Outcome check(Dataset dataset, boolean skipBad, int threads) throws IOException {
        int[] all = new int[dataset.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return apply(dataset, unreadable(dataset, all, threads), skipBad);
    }

    /**
     * Reads the given samples once, on {@code threads} threads, and returns those that cannot be
     * read: a missing or malformed file ({@link IOException}, {@link UncheckedIOException}) or a
     * cloud the library refuses ({@link IllegalArgumentException}, e.g. one without points).
     *
     * @param dataset the samples
     * @param indices the indices to read
     * @param threads readers, at least 1
     * @return the unreadable samples, in index order
     * @throws InterruptedIOException if the calling thread is interrupted (its interrupt flag is set
     *     again), or a read was interrupted
     * @throws IOException never for a bad sample; only as described above
     */
    public static List<Unreadable> unreadable(Dataset dataset, int[] indices, int threads) throws IOException {
        Objects.requireNonNull(dataset, "dataset");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
        if (indices.length == 0) {
            return List.of();
        }
        int readers = Math.min(threads, (indices.length + CLAIM - 1) / CLAIM);
        AtomicInteger cursor = new AtomicInteger();
        Queue<Unreadable> bad = new ConcurrentLinkedQueue<>();
        int poolId = POOL_IDS.incrementAndGet();
        ExecutorService pool = Executors.newFixedThreadPool(readers, r -> {
            Thread t = new Thread(r, "pointclip-read-check-" + poolId);
            t.setDaemon(true);
            return t;
        });
        long t0 = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < readers; w++) {
                futures.add(pool.submit(() -> {
                    for (int from = cursor.getAndAdd(CLAIM); from < indices.length
                        && !Thread.currentThread().isInterrupted(); from = cursor.getAndAdd(CLAIM)) {
                        for (int m = from; m < Math.min(indices.length, from + CLAIM); m++) {
                            read(dataset, indices[m], bad);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    InterruptedIOException stop = new InterruptedIOException("interrupted while reading "
                        + dataset.name() + " up front");
                    stop.initCause(e);
                    throw stop;
                } catch (ExecutionException e) {
                    throw rethrow(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        List<Unreadable> sorted = new ArrayList<>(bad);
        sorted.sort(Comparator.comparingInt(Unreadable::index));
        LOG.debug("{}: read {} samples up front in {} ms, {} unreadable", dataset.name(), indices.length,
            (System.nanoTime() - t0) / 1_000_000, sorted.size());
        return sorted;
    }

    /**
     * The rule for unreadable samples: none, and the dataset is returned as it is; without
     * {@code skipBad}, one error naming the first one's file and reason and counting them is thrown
     * (its cause the first one's error); with it, they are left out and returned for the caller to
     * report (nothing is logged above DEBUG).
     *
     * @param dataset the checked dataset
     * @param bad its unreadable samples, in index order ({@link #unreadable})
     * @param skipBad whether to leave them out instead of stopping
     * @return the readable samples and those left out
     * @throws IOException naming the first one's file, reason and the count unless {@code skipBad}; with it,
     *     when no sample can be read
     */
    public static Outcome apply(Dataset dataset, List<Unreadable> bad, boolean skipBad) throws IOException {
        return apply(dataset, dataset.size(), bad, skipBad);
    }

    /**
     * The rule of {@link #apply(Dataset, List, boolean)} for a job over the first {@code n} samples of a
     * dataset (an evaluation under a limit): the readable subset holds readable samples among those.
     *
     * @param dataset the checked dataset
     * @param n how many of its first samples the job covers
     * @param bad its unreadable samples among the first {@code n}, in index order
     * @param skipBad whether to leave them out instead of stopping
     * @return the readable samples (the dataset itself when none is bad) and those left out
     * @throws IOException naming the first one's file, reason and the count unless {@code skipBad}; with it,
     *     when no sample can be read
     */
    public static Outcome apply(Dataset dataset, int n, List<Unreadable> bad, boolean skipBad) throws IOException {
        Objects.checkFromToIndex(0, n, dataset.size());
        if (bad.isEmpty()) {
            return new Outcome(dataset, List.of());
        }
        if (!skipBad) {
            // one line for the caller to show: no warning beside it, the caller reports
            throw counted(bad.get(0).error(), bad.size() == 1 ? " (1 unreadable sample; skip it with --skip-bad"
                + " / skipBad(true))" : " (" + bad.size() + " unreadable samples, this the first; skip them with"
                + " --skip-bad / skipBad(true))");
        }
        boolean[] out = new boolean[n];
        for (Unreadable u : bad) {
            out[u.index()] = true;
        }
        LOG.debug("{}: leaving out {} unreadable samples", dataset.name(), bad.size());
        int[] good = new int[n - bad.size()];
        for (int i = 0, g = 0; i < out.length; i++) {
            if (!out[i]) {
                good[g++] = i;
            }
        }
        if (good.length == 0) {
            throw new IOException("no sample of " + dataset.name() + " can be read; the first: " + bad.get(0).reason(),
                bad.get(0).error());
        }
        return new Outcome(Datasets.subset(dataset, good), bad);
    }

    /** The error with a note appended to its one line, of the same type where the SDK made it. */
    private static IOException counted(IOException error, String note) {
        IOException copy;
        if (error instanceof PointCloudFormatException p) {
            copy = p.line() >= 0 ? PointCloudFormatException.atLine(p.file(), p.line(), p.reason() + note)
                : p.byteOffset() >= 0 ? PointCloudFormatException.atByte(p.file(), p.byteOffset(), p.reason() + note)
                : PointCloudFormatException.of(p.file(), p.reason() + note, p.getCause());
            copy.setStackTrace(p.getStackTrace());
        } else if (error instanceof DatasetException d) {
            copy = new DatasetException(d.path(), d.namedBy().orElse(null), d.reason() + note, d);
        } else {
            String m = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
            copy = new IOException(m.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip() + note, error);
        }
        return copy;
    }

    /** Reads one sample and records why it cannot be read, if it cannot. */
    private static void read(Dataset data, int index, Queue<Unreadable> bad) throws IOException {
        try {
            data.get(index);
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            bad.add(new Unreadable(index, data.id(index), e));
        } catch (UncheckedIOException e) {
            bad.add(new Unreadable(index, data.id(index), e.getCause()));
        } catch (IllegalArgumentException e) { // e.g. a cloud without points
            bad.add(new Unreadable(index, data.id(index), new IOException(data.id(index) + ": " + e.getMessage(), e)));
        }
    }

    /**
     * Unwraps what a worker task threw: an I/O failure is returned for the caller to throw, anything
     * unchecked is rethrown as it is.
     *
     * @param cause the task's failure ({@code ExecutionException.getCause()})
     * @return the I/O failure
     */
    public static IOException rethrow(Throwable cause) {
        if (cause instanceof IOException) {
            return (IOException) cause;
        }
        if (cause instanceof UncheckedIOException) {
            return ((UncheckedIOException) cause).getCause();
        }
        if (cause instanceof RuntimeException) {
            throw (RuntimeException) cause;
        }
        if (cause instanceof Error) {
            throw (Error) cause;
        }
        throw new IllegalStateException(cause);
    }
}
