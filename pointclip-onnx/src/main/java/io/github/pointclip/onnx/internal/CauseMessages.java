package io.github.pointclip.onnx.internal;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.pointclip.internal.JsonMessages;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the messages of ONNX Runtime and Jackson exceptions into one line that can follow a file
 * name in a message for the user: no line breaks, no ONNX Runtime C++ source locations or
 * function signatures, no {@code Error code - ORT_...} prefix, no Jackson {@code [Source: ...]}
 * location (the line and column are kept). Callers keep the original exception as the cause.
 */
public final class CauseMessages {

    private static final Pattern ORT_PREFIX = Pattern.compile("^Error code - ORT_\\w+ - message:\\s*");
    /** The file is named by the caller already. */
    private static final Pattern ORT_LOAD = Pattern.compile("^Load model from .*? failed:\\s*");
    /** A C++ source location of ONNX Runtime, POSIX or Windows: {@code .../onnxruntime/core/x.cc:12}. */
    private static final Pattern ORT_SOURCE = Pattern.compile(
        "(?:[A-Za-z]:)?[\\w.\\\\/-]*onnxruntime[\\\\/][\\w.\\\\/-]+\\.(?:cc|cpp|cu|c|h|hpp)(?::\\d+|\\(\\d+\\))?");
    /** The head of a C++ signature up to its parameter list: return type and qualified name. */
    private static final Pattern CPP_HEAD = Pattern.compile("\\s*[\\w:<>,*& ~]*::[\\w~<>]+\\(");

    private CauseMessages() {
    }

    /**
     * @param e any exception; ONNX Runtime and Jackson ones get their own treatment
     * @return its message on one line, cleaned for the user; the class name when it has no message
     */
    public static String of(Throwable e) {
        if (e instanceof OrtException) {
            return ort(e.getMessage());
        }
        if (e instanceof JsonProcessingException) {
            return json((JsonProcessingException) e);
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : oneLine(m);
    }

    /**
     * @param message an ONNX Runtime message
     * @return it without the error-code prefix and C++ source locations, on one line
     */
    public static String ort(String message) {
        if (message == null || message.isBlank()) {
            return "ONNX Runtime error";
        }
        String m = ORT_PREFIX.matcher(message.strip()).replaceFirst("");
        m = ORT_LOAD.matcher(m).replaceFirst("");
        StringBuilder out = new StringBuilder();
        Matcher source = ORT_SOURCE.matcher(m);
        int at = 0;
        while (source.find(at)) {
            out.append(m, at, source.start());
            at = skipSignature(m, source.end());
        }
        out.append(m.substring(at));
        return oneLine(out.toString().replaceAll("\\s*onnxruntime::\\S+", " "));
    }

    /** @return the index after a C++ signature starting at {@code from}, or {@code from} when there is none */
    private static int skipSignature(String m, int from) {
        Matcher head = CPP_HEAD.matcher(m).region(from, m.length());
        if (!head.lookingAt()) {
            return from;
        }
        int depth = 1;
        int i = head.end();
        while (i < m.length() && depth > 0) {
            char c = m.charAt(i++);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
        }
        if (m.startsWith(" const", i)) {
            i += " const".length();
        }
        if (m.startsWith(" [with ", i)) {
            int close = m.indexOf(']', i);
            i = close < 0 ? m.length() : close + 1;
        }
        return i;
    }

    /**
     * @param e a Jackson exception
     * @return its message without the location, with "line L, column C" in front when known, on one line
     * @see JsonMessages#of(JsonProcessingException)
     */
    public static String json(JsonProcessingException e) {
        return JsonMessages.of(e);
    }

    /**
     * @param e a Jackson exception
     * @return what was wrong, without where (for messages that give the line themselves), on one line
     * @see JsonMessages#reason(JsonProcessingException)
     */
    public static String jsonReason(JsonProcessingException e) {
        return JsonMessages.reason(e);
    }

    /**
     * @param message any text
     * @return it with every line break (and the blanks around it) replaced by one space, trimmed
     */
    public static String oneLine(String message) {
        return JsonMessages.oneLine(message);
    }
}
