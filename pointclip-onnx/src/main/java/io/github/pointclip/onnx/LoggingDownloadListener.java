package io.github.pointclip.onnx;

import io.github.pointclip.onnx.bundle.DownloadListener;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs download progress at INFO, once per tenth of each file (per 10 MB when the size is unknown). Thread-safe. */
final class LoggingDownloadListener implements DownloadListener {

    private static final Logger LOG = LoggerFactory.getLogger(LoggingDownloadListener.class);

    private final Map<URI, Long> lastStep = new ConcurrentHashMap<>();

    @Override
    public void onProgress(URI uri, long bytesDone, long bytesTotal) {
        long step = bytesTotal > 0 ? bytesDone * 10 / bytesTotal : bytesDone / 10_000_000;
        Long previous = lastStep.put(uri, step);
        if (previous == null || previous != step) {
            String name = uri.getPath().substring(uri.getPath().lastIndexOf('/') + 1);
            if (bytesTotal > 0) {
                LOG.info(String.format(Locale.ROOT, "downloading %s: %.1f of %.1f MB (%d%%)", name, bytesDone / 1e6,
                    bytesTotal / 1e6, bytesDone * 100 / bytesTotal));
            } else {
                LOG.info(String.format(Locale.ROOT, "downloading %s: %.1f MB", name, bytesDone / 1e6));
            }
        }
    }

    @Override
    public void onRetry(URI uri, int attempt, IOException cause) {
        LOG.warn("download of {} failed (attempt {}): {}; retrying", uri, attempt, cause.getMessage());
    }
}
