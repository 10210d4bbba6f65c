package io.github.pointclip.onnx.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * HTML character-reference unescaping with the exact rules of Python's {@code html.unescape}
 * (which CLIP applies twice): named references from the HTML5 table, also without their
 * semicolon and as the longest known prefix of an unknown name, decimal and hexadecimal numeric
 * references with the HTML5 replacements for invalid code points.
 */
final class HtmlUnescaper {

    private static final String ENTITY_RESOURCE = "html5-entities.txt";

    /** Longest name the reference pattern accepts, in code points (without the semicolon). */
    private static final int MAX_NAME_CODE_POINTS = 32;

    /** Above any valid code point; numeric references saturate here instead of overflowing. */
    private static final int TOO_LARGE = 0x110000;

    /** Windows-1252 replacements the HTML5 standard prescribes for references to C1 controls etc. */
    private static final Map<Integer, String> INVALID_CHARREFS = Map.ofEntries(
        Map.entry(0x00, "\ufffd"), Map.entry(0x0d, "\r"), Map.entry(0x80, "\u20ac"), Map.entry(0x81, "\u0081"),
        Map.entry(0x82, "\u201a"), Map.entry(0x83, "\u0192"), Map.entry(0x84, "\u201e"), Map.entry(0x85, "\u2026"),
        Map.entry(0x86, "\u2020"), Map.entry(0x87, "\u2021"), Map.entry(0x88, "\u02c6"), Map.entry(0x89, "\u2030"),
        Map.entry(0x8a, "\u0160"), Map.entry(0x8b, "\u2039"), Map.entry(0x8c, "\u0152"), Map.entry(0x8d, "\u008d"),
        Map.entry(0x8e, "\u017d"), Map.entry(0x8f, "\u008f"), Map.entry(0x90, "\u0090"), Map.entry(0x91, "\u2018"),
        Map.entry(0x92, "\u2019"), Map.entry(0x93, "\u201c"), Map.entry(0x94, "\u201d"), Map.entry(0x95, "\u2022"),
        Map.entry(0x96, "\u2013"), Map.entry(0x97, "\u2014"), Map.entry(0x98, "\u02dc"), Map.entry(0x99, "\u2122"),
        Map.entry(0x9a, "\u0161"), Map.entry(0x9b, "\u203a"), Map.entry(0x9c, "\u0153"), Map.entry(0x9d, "\u009d"),
        Map.entry(0x9e, "\u017e"), Map.entry(0x9f, "\u0178"));

    private HtmlUnescaper() {
    }

    /**
     * @param text any text
     * @return the text with every character reference replaced, as Python's {@code html.unescape}
     */
    static String unescape(String text) {
        int amp = text.indexOf('&');
        if (amp < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        while (amp >= 0) {
            out.append(text, copied, amp);
            int end = replaceReference(text, amp + 1, out);
            if (end < 0) {
                out.append('&');
                copied = amp + 1;
            } else {
                copied = end;
            }
            amp = text.indexOf('&', copied);
        }
        out.append(text, copied, text.length());
        return out.toString();
    }

    /**
     * Matches one reference after an ampersand and appends its replacement.
     *
     * @param text the text
     * @param start index just after the ampersand
     * @param out receives the replacement
     * @return the index after the reference, or −1 when none starts here (nothing appended)
     */
    private static int replaceReference(String text, int start, StringBuilder out) {
        int n = text.length();
        if (start >= n) {
            return -1;
        }
        if (text.charAt(start) == '#') {
            return replaceNumeric(text, start + 1, out);
        }
        int end = start;
        int codePoints = 0;
        while (end < n && codePoints < MAX_NAME_CODE_POINTS && isNameChar(text.charAt(end))) {
            end += Character.isHighSurrogate(text.charAt(end)) && end + 1 < n
                && Character.isLowSurrogate(text.charAt(end + 1)) ? 2 : 1;
            codePoints++;
        }
        if (end == start) {
            return -1;
        }
        if (end < n && text.charAt(end) == ';') {
            end++;
        }
        String name = text.substring(start, end);
        Map<String, String> entities = Entities.TABLE;
        String value = entities.get(name);
        if (value != null) {
            out.append(value);
            return end;
        }
        // the longest known prefix of at least two characters, the rest kept as it is
        for (int length = name.length() - 1; length > 1; length--) {
            value = entities.get(name.substring(0, length));
            if (value != null) {
                out.append(value).append(name, length, name.length());
                return end;
            }
        }
        out.append('&').append(name);
        return end;
    }

    private static boolean isNameChar(char c) {
        return c != '\t' && c != '\n' && c != '\f' && c != ' ' && c != '<' && c != '&' && c != '#' && c != ';';
    }

    private static int replaceNumeric(String text, int start, StringBuilder out) {
        int n = text.length();
        int radix = 10;
        int digitsStart = start;
        if (start < n && (text.charAt(start) == 'x' || text.charAt(start) == 'X')) {
            radix = 16;
            digitsStart = start + 1;
        }
        int end = digitsStart;
        int value = 0;
        while (end < n && asciiDigit(text.charAt(end), radix) >= 0) {
            value = Math.min(TOO_LARGE, value * radix + asciiDigit(text.charAt(end), radix));
            end++;
        }
        if (end == digitsStart) {
            return -1;
        }
        if (end < n && text.charAt(end) == ';') {
            end++;
        }
        String invalid = INVALID_CHARREFS.get(value);
        if (invalid != null) {
            out.append(invalid);
        } else if (value >= Character.MIN_SURROGATE && value <= Character.MAX_SURROGATE || value >= TOO_LARGE) {
            out.append('\ufffd');
        } else if (!isDroppedCodePoint(value)) {
            out.appendCodePoint(value);
        }
        return end;
    }

    private static int asciiDigit(char c, int radix) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (radix == 16 && c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (radix == 16 && c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Code points that a numeric reference may not produce and that Python's unescape drops. */
    private static boolean isDroppedCodePoint(int cp) {
        return cp >= 0x1 && cp <= 0x8 || cp == 0xb || cp >= 0xe && cp <= 0x1f || cp >= 0x7f && cp <= 0x9f
            || cp >= 0xfdd0 && cp <= 0xfdef || (cp & 0xfffe) == 0xfffe;
    }

    /** The named-reference table, read from the class path on first use (not at class load). */
    private static final class Entities {
        static final Map<String, String> TABLE = load();

        private static Map<String, String> load() {
            Map<String, String> table = new HashMap<>(4096);
            try (InputStream in = HtmlUnescaper.class.getResourceAsStream(ENTITY_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + ENTITY_RESOURCE + " missing beside "
                        + HtmlUnescaper.class.getName());
                }
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isEmpty() || line.startsWith("#")) {
                        continue;
                    }
                    int tab = line.indexOf('\t');
                    StringBuilder value = new StringBuilder(2);
                    for (String hex : line.substring(tab + 1).split(" ")) {
                        value.appendCodePoint(Integer.parseInt(hex, 16));
                    }
                    table.put(line.substring(0, tab), value.toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read resource " + ENTITY_RESOURCE, e);
            }
            return Map.copyOf(table);
        }
    }
}
