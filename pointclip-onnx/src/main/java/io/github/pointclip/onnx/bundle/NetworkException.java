package io.github.pointclip.onnx.bundle;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

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
        // The JDK client wraps a failed name lookup as ConnectException -> ConnectException ->
        // UnresolvedAddressException: look through the whole chain, most specific reason first.
        if (find(cause, UnknownHostException.class, UnresolvedAddressException.class) != null) {
            return new NetworkException(uri, "unknown host " + uri.getHost() + " (" + uri + ")", cause);
        }
        if (find(cause, HttpConnectTimeoutException.class) != null) {
            return new NetworkException(uri, "connection timed out to " + uri, cause);
        }
        if (find(cause, HttpTimeoutException.class, SocketTimeoutException.class) != null) {
            return new NetworkException(uri, "no answer in time from " + uri, cause);
        }
        if (find(cause, ConnectException.class) != null) {
            return new NetworkException(uri, "connection refused to " + uri, cause);
        }
        Throwable c = cause;
        while (c.getCause() != null && !(c instanceof IOException)) {
            c = c.getCause();
        }
        String what = c instanceof IOException
            ? "connection failed (" + (c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage()) + ")"
            : "connection failed (" + c + ")";
        return new NetworkException(uri, what + " to " + uri, cause);
    }

    /** @return the first exception in the cause chain of {@code t} (itself included) of one of the types, or null */
    @SafeVarargs
    private static Throwable find(Throwable t, Class<? extends Throwable>... types) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(c)) {
                    return c;
                }
            }
        }
        return null;
    }
}
