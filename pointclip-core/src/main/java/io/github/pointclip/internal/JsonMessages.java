package io.github.pointclip.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Pattern;

/**
 * Turns the message of a Jackson exception into one line that can follow a file name in a
 * message for the user: no line breaks, no {@code [Source: REDACTED ...]} location (the line and
 * column are kept, in the caller's words). Every place that shows a Jackson exception to a user
 * goes through this class; callers keep the original exception as the cause.
 *
 * <p>Public so that the other modules of the SDK can use it; not meant for applications and may
 * move once the modules are split for the module system.
 */
public final class JsonMessages {

    /** Jackson's location inside an original message, e.g. {@code [Source: REDACTED ...; line: 1, column: 2]}. */
    private static final Pattern JSON_SOURCE = Pattern.compile(
        "\\s*\\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]");
    private static final Pattern LEFTOVER_SOURCE = Pattern.compile(
        "\\s*\\[?Source: (?:REDACTED|\\(\\w+\\))[^;\\]]*[;\\]]?");
    private static final Pattern BREAKS = Pattern.compile("\\s*\\R\\s*");

    private JsonMessages() {
    }

    /**
     * @param e a Jackson exception
     * @return what was wrong and where: {@code "line L, column C: reason"} when the location is
     *     known, else the reason alone; on one line
     */
    public static String of(JsonProcessingException e) {
        long line = line(e);
        String where = line <= 0 ? "" : "line " + line + ", column " + e.getLocation().getColumnNr() + ": ";
        return where + reason(e);
    }

    /**
     * @param e a Jackson exception
     * @return what was wrong, without where (for messages that give the line themselves), on one line
     */
    public static String reason(JsonProcessingException e) {
        String original = e.getOriginalMessage();
        if (original == null || original.isBlank()) {
            original = e.getClass().getSimpleName();
        }
        String m = JSON_SOURCE.matcher(original).replaceAll(" line $1, column $2");
        return oneLine(LEFTOVER_SOURCE.matcher(m).replaceAll(""));
    }

    /**
     * @param e a Jackson exception
     * @return the 1-based line of the problem, or −1 when Jackson does not know it
     */
    public static long line(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() <= 0 ? -1 : at.getLineNr();
    }

    /**
     * @param message any text
     * @return it with every line break (and the blanks around it) replaced by one space, trimmed
     */
    public static String oneLine(String message) {
        return BREAKS.matcher(message.strip()).replaceAll(" ").replaceAll("[\\t ]{2,}", " ");
    }
}
