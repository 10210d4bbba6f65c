package io.github.pointclip.onnx.bundle;

import java.io.IOException;
import java.net.URI;

/**
 * Receives progress of a {@link Downloader}. Called on the downloader's threads; implementations
 * must be quick and must not throw. The library reports progress; drawing a bar is the caller's job.
 */
@FunctionalInterface
public interface DownloadListener {

    /** A listener that ignores everything. */
    DownloadListener NONE = (uri, done, total) -> { };

    /**
     * @param uri the address being fetched
     * @param bytesDone bytes of the file now on disk, including bytes kept from an earlier attempt
     * @param bytesTotal the size of the file, or −1 when neither the caller nor the server said
     */
    void onProgress(URI uri, long bytesDone, long bytesTotal);

    /**
     * An attempt failed and will be retried; the default does nothing.
     *
     * @param uri the address being fetched
     * @param attempt the 1-based number of the attempt that failed
     * @param cause why it failed
     */
    default void onRetry(URI uri, int attempt, IOException cause) {
    }
}
