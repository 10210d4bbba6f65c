package io.github.pointclip.prompts;

import java.io.IOException;

/**
 * A chat server could not give an answer: it cannot be reached, it refused the API key, it answered with an
 * error status, or its responses stayed malformed, empty, slow or cut off after the retries. The message is one
 * line that names the server (host and port) and never holds the API key, even where the server quoted it.
 */
public class ChatException extends IOException {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** No connection: connection refused, unknown host, no route. Not retried. */
        UNREACHABLE,
        /** 401 or 403: the API key is missing, wrong or lacks permission. Not retried. */
        UNAUTHORIZED,
        /** Another error status: 404 (wrong base URL or model), 400, or 429/5xx after the retries. */
        HTTP_STATUS,
        /** A 200 response that is not a Chat Completions response, or holds no text, after the retries. */
        BAD_RESPONSE,
        /** No response within the request timeout, after the retries. */
        TIMEOUT,
        /** The connection broke during the exchange, after the retries. */
        CONNECTION
    }

    private final Kind kind;
    private final int status;

    /**
     * @param kind what went wrong
     * @param status the HTTP status, or 0 when there was none
     * @param message one line, already free of secrets
     * @param cause the underlying failure, or null
     */
    public ChatException(Kind kind, int status, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
    }

    /** @return what went wrong */
    public Kind kind() {
        return kind;
    }

    /** @return the HTTP status of the last response, or 0 when there was none */
    public int status() {
        return status;
    }
}
