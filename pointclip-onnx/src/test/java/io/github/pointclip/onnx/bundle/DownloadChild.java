package io.github.pointclip.onnx.bundle;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs one download in a separate JVM, for the cross-process locking test. Prints
 * {@code starting} just before it downloads and {@code done} after.
 * Arguments: URI, target, SHA-256, size.
 */
public final class DownloadChild {

    private DownloadChild() {
    }

    /**
     * @param args URI, target, SHA-256, size
     * @throws Exception on failure, which makes the exit status non-zero
     */
    public static void main(String[] args) throws Exception {
        Downloader downloader = Downloader.builder().maxRetries(0).readTimeout(Duration.ofSeconds(30)).build();
        System.out.println("starting");
        System.out.flush();
        downloader.download(URI.create(args[0]), Path.of(args[1]), args[2], Long.parseLong(args[3]));
        System.out.println("done");
        System.out.flush();
    }
}
