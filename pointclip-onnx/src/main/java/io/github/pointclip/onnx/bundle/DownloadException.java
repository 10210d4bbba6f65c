package io.github.pointclip.onnx.bundle;

import java.io.IOException;
import java.net.URI;

/**
 * A download failed: an HTTP error status, a transfer that stopped early or stalled, or a file
 * whose size differs from the declared one. Checksum mismatches are reported as
 * {@link ChecksumMismatchException} instead.
 */
public class DownloadException extends IOException {

    private static final long serialVersionUID = 1L;

    private final URI uri;
    private final int status;

    /**
     * @param uri the address that was fetched
     * @param status the HTTP status, or −1 when the failure was not an error status
     * @param reason what went wrong
     * @param cause the underlying cause, or null
     */
    public DownloadException(URI uri, int status, String reason, Throwable cause) {
        super(uri + ": " + (status >= 0 ? "HTTP " + status + ": " : "") + reason, cause);
        this.uri = uri;
        this.status = status;
    }

    /**
     * @param message the whole message
     * @param uri the address that was fetched
     * @param cause the underlying cause, or null
     */
    protected DownloadException(String message, URI uri, Throwable cause) {
        super(message, cause);
        this.uri = uri;
        this.status = -1;
    }

    /** @return the address that was fetched */
    public URI uri() {
        return uri;
    }

    /** @return the HTTP status, or −1 when the failure was not an error status */
    public int status() {
        return status;
    }
}
