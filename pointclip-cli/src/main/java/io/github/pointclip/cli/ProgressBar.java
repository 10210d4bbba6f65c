package io.github.pointclip.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on stderr with count, rate and ETA, redrawn in place at most ten times
 * a second on a terminal; without a console (output redirected to a log) it prints plain lines at
 * most every five seconds instead. The final state is drawn once. Thread-safe.
 */
final class ProgressBar implements AutoCloseable {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final String label;
    private final String unit;
    private final long start = System.nanoTime();
    private long total;
    private final boolean interactive;
    private long lastDraw;
    private long lastDone = -1;
    private boolean drawn;

    ProgressBar(PrintWriter err, String label, long total, String unit) {
        this(err, label, total, unit, System.console() != null);
    }

    ProgressBar(PrintWriter err, String label, long total, String unit, boolean interactive) {
        this.interactive = interactive;
        this.err = err;
        this.label = label;
        this.total = total;
        this.unit = unit;
    }

    /** Sets a new total when it becomes known. */
    synchronized void total(long newTotal) {
        this.total = newTotal;
    }

    /** Shows {@code done} of the total, with an optional note (e.g. the loss). */
    synchronized void update(long done, String note) {
        long now = System.nanoTime();
        boolean finished = total > 0 && done >= total;
        long interval = interactive ? 100_000_000L : 5_000_000_000L;
        if (finished ? done == lastDone : now - lastDraw < interval) {
            return;
        }
        lastDraw = now;
        lastDone = done;
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        StringBuilder line = new StringBuilder(interactive ? "\r" : "").append(label).append(' ');
        if (total > 0) {
            int filled = (int) Math.min(WIDTH, WIDTH * done / total);
            line.append('[').append("#".repeat(filled)).append(" ".repeat(WIDTH - filled)).append("] ");
            line.append(done).append('/').append(total);
            if (rate > 0 && done < total) {
                line.append(" ETA ").append(duration((total - done) / rate));
            }
        } else {
            line.append(done);
        }
        line.append(String.format(Locale.ROOT, " %.1f %s/s", rate, unit));
        if (note != null && !note.isEmpty()) {
            line.append(' ').append(note);
        }
        if (interactive) {
            err.print(line);
        } else {
            err.println(line);
        }
        err.flush();
        drawn = interactive;
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
            : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public synchronized void close() {
        if (drawn) {
            err.println();
            err.flush();
        }
    }
}
