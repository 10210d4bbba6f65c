package io.github.pointclip.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Buffered input over a file for every reader: text lines tokenised in place (no String per
 * token, numbers parsed straight from the bytes) and binary primitives in either byte order,
 * both tracking the 1-based line number and the byte offset for error messages.
 *
 * <p>Text mode: {@link #nextLine()} makes a whole line available; the token methods consume it
 * left to right. Binary mode: {@link #ensure(int)} then the {@code read…} methods. A reader may
 * switch from text to binary after a header with {@link #endLine()}. Not thread-safe.
 */
final class ByteInput implements Closeable {

    /** Lines longer than this are rejected rather than buffered without bound. */
    static final int MAX_LINE_BYTES = 1 << 26;

    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    private final Path file;
    private final InputStream in;
    private byte[] buf;
    private int pos;
    private int lim;
    private long base;
    private boolean eof;

    private long line;
    private boolean inLine;
    private int lineEnd;
    private int nextLineStart;
    private int cursor;
    private boolean commaSeparates;
    private byte commentChar;
    private boolean lastWasNumber;

    ByteInput(Path file, InputStream in) {
        this.file = file;
        this.in = in;
        this.buf = new byte[1 << 16];
    }

    Path file() {
        return file;
    }

    /** Also treats ',' as a token separator (CSV-like text). */
    void commaSeparates(boolean enabled) {
        commaSeparates = enabled;
    }

    /** A token starting with this character ends the line (0 for none). */
    void commentChar(char c) {
        commentChar = (byte) c;
    }

    /** @return the current 1-based line number (0 before the first line) */
    long line() {
        return line;
    }

    /** @return the offset from the start of the file of the next byte to be read */
    long offset() {
        return base + (inLine ? cursor : pos);
    }

    // ---------------------------------------------------------------- buffering

    /** Moves unread bytes to the front and reads more; false if nothing more could be read. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            base += pos;
            lim -= pos;
            nextLineStart -= pos;
            pos = 0;
        }
        if (lim == buf.length) {
            if (buf.length >= MAX_LINE_BYTES) {
                throw PointCloudFormatException.atLine(file, line + 1, "line longer than " + MAX_LINE_BYTES
                    + " bytes; is this a binary file read as text?");
            }
            buf = Arrays.copyOf(buf, Math.min(MAX_LINE_BYTES, buf.length * 2));
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            eof = true;
            return false;
        }
        lim += n;
        return true;
    }

    /**
     * Makes {@code n} bytes available to the binary readers.
     *
     * @return false if the file ends first
     */
    boolean ensure(int n) throws IOException {
        if (buf.length < n) {
            buf = Arrays.copyOf(buf, n);
        }
        while (lim - pos < n) {
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    /** @return true if at least one more byte can be read */
    boolean hasMore() throws IOException {
        return inLine ? nextLineStart < lim || ensureAfterLine() : ensure(1);
    }

    private boolean ensureAfterLine() throws IOException {
        endLine();
        return ensure(1);
    }

    // ---------------------------------------------------------------- text lines

    /**
     * Advances to the next line.
     *
     * @return false at the end of the file
     */
    boolean nextLine() throws IOException {
        if (inLine) {
            pos = nextLineStart;
            inLine = false;
        }
        int scan = pos;
        while (true) {
            int nl = indexOfNewline(scan);
            if (nl >= 0) {
                lineEnd = nl;
                nextLineStart = nl + 1;
                break;
            }
            int scanned = lim - pos;
            if (!fill()) {
                if (pos == lim) {
                    return false;
                }
                lineEnd = lim;
                nextLineStart = lim;
                break;
            }
            scan = pos + scanned;
        }
        if (lineEnd > pos && buf[lineEnd - 1] == '\r') {
            lineEnd--;
        }
        line++;
        cursor = pos;
        inLine = true;
        return true;
    }

    private int indexOfNewline(int from) {
        byte[] b = buf;
        for (int i = from, end = lim; i < end; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Restarts tokenising the current line from its first byte. */
    void rewindLine() {
        cursor = pos;
    }

    /** Leaves the current line so that binary reading starts right after its newline. */
    void endLine() {
        if (inLine) {
            pos = nextLineStart;
            inLine = false;
        }
    }

    private boolean isSeparator(byte c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == 0x0b || (c == ',' && commaSeparates);
    }

    private void skipSeparators() {
        while (cursor < lineEnd && isSeparator(buf[cursor])) {
            cursor++;
        }
        if (cursor < lineEnd && commentChar != 0 && buf[cursor] == commentChar) {
            cursor = lineEnd;
        }
    }

    private int tokenEnd() {
        int end = cursor;
        while (end < lineEnd && !isSeparator(buf[end])) {
            end++;
        }
        return end;
    }

    /** @return true if the current line has another token (comments excluded) */
    boolean hasToken() {
        skipSeparators();
        return cursor < lineEnd;
    }

    /** @return the next token as a String (for keywords and header values), or null if none */
    String nextWord() {
        if (!hasToken()) {
            return null;
        }
        int end = tokenEnd();
        String word = new String(buf, cursor, end - cursor, StandardCharsets.ISO_8859_1);
        cursor = end;
        return word;
    }

    /** Skips the next token, if any. */
    void skipToken() {
        if (hasToken()) {
            cursor = tokenEnd();
        }
    }

    /** @return the rest of the current line, trimmed */
    String restOfLine() {
        String rest = new String(buf, cursor, lineEnd - cursor, StandardCharsets.ISO_8859_1).trim();
        cursor = lineEnd;
        return rest;
    }

    /** @return whether the next token starts with the given ASCII keyword, case-insensitively */
    boolean nextTokenIs(String keyword) {
        if (!hasToken()) {
            return false;
        }
        int end = tokenEnd();
        if (end - cursor != keyword.length()) {
            return false;
        }
        for (int i = 0; i < keyword.length(); i++) {
            if (Character.toLowerCase((char) buf[cursor + i]) != Character.toLowerCase(keyword.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses the next token as a float.
     *
     * @param what what the number is, for the error message ("intensity of point")
     * @throws PointCloudFormatException if there is no token or it is not a number
     */
    float nextFloat(String what) throws PointCloudFormatException {
        return nextFloat(what, -1);
    }

    /**
     * Parses the next token as a float; the error message is built only on failure, so a hot
     * loop allocates nothing.
     *
     * @param what what the number is ("x of point")
     * @param index appended to {@code what} in the message ("x of point 7"), or -1 for none
     * @throws PointCloudFormatException if there is no token or it is not a number
     */
    float nextFloat(String what, long index) throws PointCloudFormatException {
        if (!hasToken()) {
            throw PointCloudFormatException.atLine(file, line, "missing " + label(what, index));
        }
        int start = cursor;
        int end = tokenEnd();
        cursor = end;
        float v = parseFloat(buf, start, end);
        if (v == v || isNaNToken(start, end)) { // NaN from the fast path only for a real "nan" token
            return v;
        }
        throw badNumber(label(what, index), start, end);
    }

    private static String label(String what, long index) {
        return index < 0 ? what : what + " " + index;
    }

    /**
     * Parses the next token as a float, or returns NaN when it is not a number (the token is
     * consumed either way); {@link #lastTokenWasNumber()} tells which.
     */
    float tryNextFloat() {
        lastWasNumber = false;
        if (!hasToken()) {
            return Float.NaN;
        }
        int start = cursor;
        int end = tokenEnd();
        cursor = end;
        float v = parseFloat(buf, start, end);
        lastWasNumber = v == v || isNaNToken(start, end);
        return v;
    }

    /** @return whether the last {@link #tryNextFloat()} found a number */
    boolean lastTokenWasNumber() {
        return lastWasNumber;
    }

    /**
     * Parses the next token as a long integer.
     *
     * @param what what the number is, for the error message
     */
    long nextLong(String what) throws PointCloudFormatException {
        return nextLong(what, -1);
    }

    /**
     * Parses the next token as a long integer, building the error message only on failure.
     *
     * @param what what the number is
     * @param index appended to {@code what} in the message, or -1 for none
     */
    long nextLong(String what, long index) throws PointCloudFormatException {
        if (!hasToken()) {
            throw PointCloudFormatException.atLine(file, line, "missing " + label(what, index));
        }
        int start = cursor;
        int end = tokenEnd();
        cursor = end;
        long v = parseLong(start, end);
        if (v == Long.MIN_VALUE) {
            throw badNumber(label(what, index), start, end);
        }
        return v;
    }

    /**
     * Parses the integer prefix of the next token up to a '/' (OBJ face syntax {@code v/vt/vn}).
     *
     * @param what what the number is, for the error message
     * @param index appended to {@code what} in the message
     */
    long nextIndexBeforeSlash(String what, long index) throws PointCloudFormatException {
        if (!hasToken()) {
            throw PointCloudFormatException.atLine(file, line, "missing " + label(what, index));
        }
        int start = cursor;
        int end = tokenEnd();
        cursor = end;
        int stop = start;
        while (stop < end && buf[stop] != '/') {
            stop++;
        }
        long v = parseLong(start, stop);
        if (v == Long.MIN_VALUE) {
            throw badNumber(label(what, index), start, end);
        }
        return v;
    }

    private PointCloudFormatException badNumber(String what, int start, int end) {
        String token = new String(buf, start, Math.min(end - start, FileFormatException.MAX_QUOTED_CHARS + 1),
            StandardCharsets.ISO_8859_1);
        return PointCloudFormatException.atLine(file, line, "bad " + what + ": " + FileFormatException.quote(token)
            + " is not a number");
    }

    /**
     * @param name a name read from a file (a property, field or element name)
     * @return the name itself when it is a short run of letters, digits, '_', '-' or '.', else
     *     {@link FileFormatException#quote quoted}, so messages that show it stay printable
     */
    static String printableName(String name) {
        if (name != null && !name.isEmpty() && name.length() <= FileFormatException.MAX_QUOTED_CHARS) {
            boolean plain = true;
            for (int i = 0; i < name.length() && plain; i++) {
                char c = name.charAt(i);
                plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
                    || c == '.';
            }
            if (plain) {
                return name;
            }
        }
        return FileFormatException.quote(name);
    }

    /** @return the value, or Long.MIN_VALUE if [start, stop) is not an integer */
    private long parseLong(int start, int stop) {
        int i = start;
        boolean negative = false;
        if (i < stop && (buf[i] == '-' || buf[i] == '+')) {
            negative = buf[i] == '-';
            i++;
        }
        if (i == stop || stop - i > 18) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < stop; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                return Long.MIN_VALUE;
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    private boolean isNaNToken(int start, int end) {
        int i = start;
        if (i < end && (buf[i] == '-' || buf[i] == '+')) {
            i++;
        }
        return end - i == 3 && (buf[i] | 0x20) == 'n' && (buf[i + 1] | 0x20) == 'a' && (buf[i + 2] | 0x20) == 'n';
    }

    /**
     * Parses a decimal float from bytes, correctly rounded. Returns NaN for anything that is not
     * a number (callers tell a real "nan" token apart with {@link #isNaNToken}). The fast path
     * is exact: at most 15 significant digits and a power of ten up to 22 are exact doubles, so
     * one multiplication or division gives the correctly rounded double; its conversion to float
     * can only round twice when the double lands exactly on a float midpoint, which falls back
     * to {@link Float#parseFloat}.
     */
    static float parseFloat(byte[] b, int start, int end) {
        int i = start;
        boolean negative = false;
        if (i < end && (b[i] == '-' || b[i] == '+')) {
            negative = b[i] == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int exp10 = 0;
        boolean any = false;
        boolean lost = false;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            any = true;
            if (digits < 18) {
                mantissa = mantissa * 10 + d;
                if (mantissa != 0) {
                    digits++;
                }
            } else {
                exp10++;
                lost |= d != 0;
            }
        }
        if (i < end && b[i] == '.') {
            for (i++; i < end; i++) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                any = true;
                if (digits < 18) {
                    mantissa = mantissa * 10 + d;
                    if (mantissa != 0) {
                        digits++;
                    }
                    exp10--;
                } else {
                    lost |= d != 0;
                }
            }
        }
        if (any && i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean expNegative = false;
            if (i < end && (b[i] == '-' || b[i] == '+')) {
                expNegative = b[i] == '-';
                i++;
            }
            int e = 0;
            boolean expDigits = false;
            for (; i < end; i++) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                expDigits = true;
                if (e < 100_000) {
                    e = e * 10 + d;
                }
            }
            if (!expDigits) {
                return Float.NaN;
            }
            exp10 += expNegative ? -e : e;
        }
        if (i != end || !any) {
            return slowParse(b, start, end);
        }
        if (mantissa == 0) {
            return negative ? -0f : 0f;
        }
        if (digits > 15 || lost || exp10 < -22 || exp10 > 22) {
            return slowParse(b, start, end);
        }
        double d = exp10 >= 0 ? mantissa * POW10[exp10] : mantissa / POW10[-exp10];
        float f = (float) d;
        if ((double) f != d && !Float.isInfinite(f)) {
            float neighbour = d > f ? Math.nextUp(f) : Math.nextDown(f);
            if (((double) f + (double) neighbour) * 0.5 == d) {
                return slowParse(b, start, end);
            }
        }
        return negative ? -f : f;
    }

    private static float slowParse(byte[] b, int start, int end) {
        String token = new String(b, start, end - start, StandardCharsets.ISO_8859_1);
        String body = token.startsWith("-") || token.startsWith("+") ? token.substring(1) : token;
        boolean negative = token.startsWith("-");
        if (body.equalsIgnoreCase("nan")) {
            return Float.NaN;
        }
        if (body.equalsIgnoreCase("inf") || body.equalsIgnoreCase("infinity")) {
            return negative ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        }
        // Float.parseFloat also accepts hex, type suffixes and spaces, which no point format has
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) {
                return Float.NaN;
            }
        }
        try {
            return Float.parseFloat(token);
        } catch (NumberFormatException e) {
            return Float.NaN;
        }
    }

    // ---------------------------------------------------------------- binary

    /** Skips {@code n} bytes; false if the file ends first. */
    boolean skip(long n) throws IOException {
        endLine();
        while (n > 0) {
            int avail = lim - pos;
            if (avail == 0 && !fill()) {
                return false;
            }
            int step = (int) Math.min(n, lim - pos);
            pos += step;
            n -= step;
        }
        return true;
    }

    /** Reads one byte as unsigned; the caller has ensured it is available. */
    int u8() {
        return buf[pos++] & 0xff;
    }

    int s8() {
        return buf[pos++];
    }

    int u16(boolean bigEndian) {
        int a = buf[pos] & 0xff;
        int b = buf[pos + 1] & 0xff;
        pos += 2;
        return bigEndian ? a << 8 | b : b << 8 | a;
    }

    int s32(boolean bigEndian) {
        int a = buf[pos] & 0xff;
        int b = buf[pos + 1] & 0xff;
        int c = buf[pos + 2] & 0xff;
        int d = buf[pos + 3] & 0xff;
        pos += 4;
        return bigEndian ? a << 24 | b << 16 | c << 8 | d : d << 24 | c << 16 | b << 8 | a;
    }

    long s64(boolean bigEndian) {
        long lo = s32(bigEndian) & 0xffffffffL;
        long hi = s32(bigEndian) & 0xffffffffL;
        return bigEndian ? lo << 32 | hi : hi << 32 | lo;
    }

    float f32(boolean bigEndian) {
        return Float.intBitsToFloat(s32(bigEndian));
    }

    double f64(boolean bigEndian) {
        return Double.longBitsToDouble(s64(bigEndian));
    }

    /** Copies {@code dst.length} available bytes. */
    void bytes(byte[] dst) {
        bytes(dst, 0, dst.length);
    }

    /** Copies {@code n} available bytes into {@code dst} from {@code offset}. */
    void bytes(byte[] dst, int offset, int n) {
        System.arraycopy(buf, pos, dst, offset, n);
        pos += n;
    }

    /** @return the byte {@code ahead} positions after the read position, without consuming it */
    int peek(int ahead) {
        return buf[pos + ahead] & 0xff;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
