package io.github.pointclip.onnx.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import org.junit.jupiter.api.Test;

/** The reason is looked for in the whole cause chain, the most specific first. */
class NetworkExceptionTest {

    private static final URI AT = URI.create("http://hub.example/x/resolve/main/onnx/model.onnx");

    private static <T extends Throwable> T causedBy(T t, Throwable cause) {
        t.initCause(cause);
        return t;
    }

    @Test
    void anUnresolvedAddressUnderConnectExceptionsIsAnUnknownHost() {
        // what java.net.http.HttpClient throws for a name that does not resolve
        Throwable thrown = causedBy(new ConnectException(), causedBy(new ConnectException(), new UnresolvedAddressException()));
        NetworkException e = NetworkException.of(AT, thrown);
        assertEquals("unknown host hub.example (" + AT + ")", e.getMessage());
        assertSame(thrown, e.getCause());
        assertEquals("unknown host hub.example (" + AT + ")",
            NetworkException.of(AT, causedBy(new IOException("x"), new UnknownHostException("hub.example"))).getMessage());
    }

    @Test
    void timeoutsComeBeforeRefusedAndRefusedBeforeOtherFailures() {
        assertEquals("connection timed out to " + AT, NetworkException.of(AT,
            causedBy(new ConnectException("x"), new HttpConnectTimeoutException("HTTP connect timed out"))).getMessage());
        assertEquals("connection refused to " + AT, NetworkException.of(AT, causedBy(new IOException("wrapped"),
            new ConnectException("Connection refused"))).getMessage());
        assertEquals("connection failed (connection reset) to " + AT,
            NetworkException.of(AT, new IOException("connection reset")).getMessage());
    }
}
