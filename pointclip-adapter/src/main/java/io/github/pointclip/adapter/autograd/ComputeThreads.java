package io.github.pointclip.adapter.autograd;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A helper thread for the large float products, owned by the caller and active on the thread that opened it
 * until {@link #close()}: while open, products of at least
 * {@value io.github.pointclip.adapter.linalg.FloatMatmul#SPLIT_MACS} multiply-adds on that
 * thread are split in two by output rows or columns, one half on the helper. Each output element is computed
 * by exactly the same operations as on one thread, so results are bit-identical with and without it. No
 * global pool: the trainer opens one per run and closes it.
 *
 * <pre>{@code
 * try (ComputeThreads threads = ComputeThreads.open()) {
 *     ... training loop ...
 * }
 * }</pre>
 */
public final class ComputeThreads implements AutoCloseable {
    private static final ThreadLocal<ComputeThreads> ACTIVE = new ThreadLocal<>();

    private final ExecutorService helper;
    private final Thread owner;
    private final ComputeThreads previous;
    private boolean closed;

    private ComputeThreads() {
        this.owner = Thread.currentThread();
        this.previous = ACTIVE.get();
        this.helper = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pointclip-compute-helper");
            t.setDaemon(true);
            return t;
        });
        ACTIVE.set(this);
    }

    /**
     * Starts a helper thread and makes it active for the calling thread.
     *
     * @return the handle; close it on the same thread
     */
    public static ComputeThreads open() {
        return new ComputeThreads();
    }

    /** Work on the index range [from, to) of an element-wise loop. */
    @FunctionalInterface
    public interface RangeTask {
        /**
         * @param from first index
         * @param to one past the last index
         */
        void run(int from, int to);
    }

    /**
     * Runs an element-wise loop over [0, length): in two halves, one on the helper, when a helper is active on
     * this thread and the loop has at least {@code 1 << 20} elements; else on this thread alone. The task must
     * touch only the elements of its range, so the result does not depend on the split.
     *
     * @param length number of elements
     * @param task the loop body over a range
     */
    public static void forRange(int length, RangeTask task) {
        ComputeThreads threads = ACTIVE.get();
        if (threads != null && length >= 1 << 20) {
            int half = length / 2 / 16 * 16;
            threads.split(() -> task.run(0, half), () -> task.run(half, length));
        } else {
            task.run(0, length);
        }
    }

    /** @return the helper active on this thread, or null */
    static ComputeThreads active() {
        return ACTIVE.get();
    }

    /**
     * Runs {@code mine} on this thread and {@code theirs} on the helper, returning when both are done.
     */
    void split(Runnable mine, Runnable theirs) {
        Future<?> f = helper.submit(theirs);
        Throwable failure = null;
        try {
            mine.run();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        boolean interrupted = false;
        while (true) {
            try {
                f.get();
                break;
            } catch (InterruptedException e) {
                // the helper is still writing the caller's arrays: let it finish before anything else runs
                interrupted = true;
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause();
                }
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            if (failure == null) {
                failure = new IllegalStateException("interrupted while the compute helper was running");
            }
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error err) {
            throw err;
        }
    }

    /** Stops the helper and restores the previously active one; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (Thread.currentThread() == owner) {
            if (previous == null) {
                ACTIVE.remove();
            } else {
                ACTIVE.set(previous);
            }
        }
        helper.shutdownNow();
    }
}
