package io.github.pointclip.onnx.bundle;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive locks on a lock file, safe between threads of one JVM and between JVMs. An OS file
 * lock alone is not enough: it belongs to the whole JVM, and a second lock on the same file from
 * the same JVM throws {@code OverlappingFileLockException}. So threads first queue on an
 * in-process lock per path, then one of them takes the file lock. Lock files are left in place
 * (deleting them would race with a process that has just opened one).
 */
final class FileLocks {

    /** In-process locks by lock-file path, with a count of users so that idle entries are removed. */
    private static final Map<Path, Entry> IN_PROCESS = new HashMap<>();

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    /** A held lock; closing releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    private FileLocks() {
    }

    /**
     * Blocks until this thread holds the lock on {@code lockFile} (created if absent).
     *
     * @throws IOException when the lock file cannot be created or locked, or the wait is interrupted
     */
    static Held acquire(Path lockFile) throws IOException {
        Path key = lockFile.toAbsolutePath().normalize();
        Entry entry;
        synchronized (IN_PROCESS) {
            entry = IN_PROCESS.computeIfAbsent(key, k -> new Entry());
            entry.users++;
        }
        boolean locked = false;
        FileChannel channel = null;
        try {
            entry.lock.lockInterruptibly();
            locked = true;
            Files.createDirectories(key.getParent());
            channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            channel.lock();
            FileChannel held = channel;
            return () -> {
                try {
                    held.close(); // closing the channel releases the file lock
                } finally {
                    release(key, entry, true);
                }
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            release(key, entry, false);
            throw new java.io.InterruptedIOException("interrupted while waiting for the lock " + key);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            release(key, entry, locked);
            throw e;
        }
    }

    private static void release(Path key, Entry entry, boolean locked) {
        if (locked) {
            entry.lock.unlock();
        }
        synchronized (IN_PROCESS) {
            if (--entry.users == 0) {
                IN_PROCESS.remove(key);
            }
        }
    }
}
