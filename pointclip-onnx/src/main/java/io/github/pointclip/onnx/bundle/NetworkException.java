package io.github.pointclip.onnx.bundle;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;

/**
 * The network failed: the connection was refused, the host is unknown, or the connection timed out
 * or broke. This is not a problem with the user's input or with the model files, and the command
 * line reports it with its own exit code (3). The message says what happened and to which address,
 * e.g. {@code connection refused to https://huggingface.co/...}.
 */
public class NetworkException extends DownloadException {

    private static final long serialVersionUID = 1L;

    /**
     * @param uri the address that could not be reached
     * @param message the whole message, naming the address
     * @param cause the underlying exception, or null
     */
    public NetworkException(URI uri, String message, Throwable cause) {
        super(message, uri, cause);
    }

    /**
     * Describes a low-level failure in the words a user expects.
     *
     * @param uri the address
     * @param cause what the HTTP client threw
     * @return the exception
     */
    static NetworkException of(URI uri, Throwable cause) {
        Throwable c = cause;
        while (c.getCause() != null && !(c instanceof ConnectException) && !(c instanceof UnknownHostException)
                && !(c instanceof HttpTimeoutException)) {
            c = c.getCause();
        }
        String what;
        if (c instanceof HttpConnectTimeoutException) {
            what = "connection timed out";
        } else if (c instanceof HttpTimeoutException) {
            what = "no answer in time";
        } else if (c instanceof ConnectException) {
            what = "connection refused";
        } else if (c instanceof UnknownHostException) {
            return new NetworkException(uri, "unknown host " + uri.getHost() + " in " + uri
                + " (no network, or a wrong hub URL?)", cause);
        } else if (c instanceof IOException) {
            what = "connection failed (" + (c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage()) + ")";
        } else {
            what = "connection failed (" + c + ")";
        }
        return new NetworkException(uri, what + " to " + uri, cause);
    }
}
