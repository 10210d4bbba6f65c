package io.github.pointclip.io;

import io.github.pointclip.internal.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NumPy {@code .npy} array read into float32: shape plus C-order data. Reads versions 1–3
 * with dtypes float32, float64, (u)int8/16/32/64 in either byte order; writes float32 version 1
 * atomically. Immutable.
 */
public final class NpyArray {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern DTYPE = Pattern.compile("([<>|=])([fiub])(\\d{1,2})");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private final int[] shape;
    private final float[] data;

    private NpyArray(int[] shape, float[] data) {
        this.shape = shape;
        this.data = data;
    }

    /**
     * @param data C-order values (copied)
     * @param shape the shape; its product must equal {@code data.length}
     * @return the array
     */
    public static NpyArray of(float[] data, int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " values, data has "
                + data.length);
        }
        return new NpyArray(shape.clone(), data.clone());
    }

    /** @return the shape (a copy) */
    public int[] shape() {
        return shape.clone();
    }

    /** @return the values in C order (a copy) */
    public float[] data() {
        return data.clone();
    }

    /** Hands out the internal array to readers in this package without a copy. */
    float[] dataNoCopy() {
        return data;
    }

    /**
     * Reads a {@code .npy} file.
     *
     * @param file the file
     * @return the array, converted to float32
     * @throws PointCloudFormatException if the file is not a valid npy array or is truncated
     * @throws IOException if reading fails
     */
    public static NpyArray read(Path file) throws IOException {
        return read(file, (shape, dataOffset, itemSize) -> { });
    }

    /** Inspects an array's header before its data is read, e.g. to reject a shape early. */
    @FunctionalInterface
    interface HeaderCheck {
        /**
         * @param shape the declared shape
         * @param dataOffset byte offset of the first value
         * @param itemSize bytes per value
         * @throws PointCloudFormatException to reject the file before its data is read
         */
        void check(int[] shape, long dataOffset, int itemSize) throws PointCloudFormatException;
    }

    /**
     * Reads a {@code .npy} file, letting {@code check} reject it from the header alone.
     *
     * @param file the file
     * @param check called once the header is parsed, before the data is read
     * @return the array, converted to float32
     */
    static NpyArray read(Path file, HeaderCheck check) throws IOException {
        long size = Files.size(file);
        return read(Files.newInputStream(file), size, file, check);
    }

    /**
     * Reads a {@code .npy} array from a stream, letting {@code check} reject it from the header alone.
     *
     * @param stream the array's bytes from its start; closed on return
     * @param fileSize the number of bytes the stream holds
     * @param file the name that error messages show
     * @param check called once the header is parsed, before the data is read
     * @return the array, converted to float32
     */
    static NpyArray read(InputStream stream, long fileSize, Path file, HeaderCheck check) throws IOException {
        try (InputStream in = new BufferedInputStream(stream, 1 << 16)) {
            byte[] prefix = new byte[8];
            readFully(file, in, prefix, 0);
            if (!Arrays.equals(Arrays.copyOf(prefix, 6), MAGIC)) {
                throw PointCloudFormatException.atByte(file, 0, "not a .npy file (bad magic)");
            }
            int major = prefix[6] & 0xff;
            long headerLength;
            long offset;
            if (major == 1) {
                byte[] length = new byte[2];
                readFully(file, in, length, 8);
                headerLength = (length[0] & 0xff) | (length[1] & 0xff) << 8;
                offset = 10;
            } else if (major == 2 || major == 3) {
                byte[] length = new byte[4];
                readFully(file, in, length, 8);
                headerLength = Integer.toUnsignedLong((length[0] & 0xff) | (length[1] & 0xff) << 8
                    | (length[2] & 0xff) << 16 | (length[3] & 0xff) << 24);
                offset = 12;
            } else {
                throw PointCloudFormatException.atByte(file, 6, "unsupported .npy version " + major);
            }
            if (headerLength > 1 << 20 || headerLength > fileSize - offset) {
                throw PointCloudFormatException.atByte(file, 8, "header length " + headerLength + " is implausible"
                    + " for a file of " + fileSize + " bytes");
            }
            byte[] headerBytes = new byte[(int) headerLength];
            readFully(file, in, headerBytes, offset);
            String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            int newline = header.indexOf('\n');
            if (newline >= 0) {
                header = header.substring(0, newline);
            }
            Matcher descr = DESCR.matcher(header);
            Matcher fortran = FORTRAN.matcher(header);
            Matcher shapeMatch = SHAPE.matcher(header);
            if (!descr.find() || !fortran.find() || !shapeMatch.find()) {
                throw PointCloudFormatException.atByte(file, offset, "malformed .npy header "
                    + PointCloudFormatException.quote(header.trim()));
            }
            Matcher dtype = DTYPE.matcher(descr.group(1));
            if (!dtype.matches() || !supported(dtype.group(2).charAt(0), Integer.parseInt(dtype.group(3)))) {
                throw PointCloudFormatException.atByte(file, offset, "unsupported dtype "
                    + PointCloudFormatException.quote(descr.group(1)) + "; supported: float32, float64,"
                    + " (u)int8/16/32/64 and bool");
            }
            if (fortran.group(1).equals("True")) {
                throw PointCloudFormatException.atByte(file, offset, "Fortran-order arrays are not supported; save"
                    + " with np.ascontiguousarray");
            }
            int[] shape = parseShape(file, offset, shapeMatch.group(1));
            long count = 1;
            for (int d : shape) {
                count *= d; // each factor is below 2^31 and the running product below 2^31 here
                if (count > Integer.MAX_VALUE - 8) {
                    throw PointCloudFormatException.atByte(file, offset, "shape " + Arrays.toString(shape)
                        + " holds more values than a Java array can (" + (Integer.MAX_VALUE - 8) + ")");
                }
            }
            ByteOrder order = dtype.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            char kind = dtype.group(2).charAt(0);
            int size = Integer.parseInt(dtype.group(3));
            long dataStart = offset + headerLength;
            check.check(shape, dataStart, size);
            long available = fileSize - dataStart;
            if (count * size > available) { // checked before allocating: the header cannot claim more than the file has
                throw PointCloudFormatException.atByte(file, dataStart, "truncated: the header declares shape "
                    + Arrays.toString(shape) + " of " + size + "-byte values (" + count * size + " bytes), the file"
                    + " has " + available + " bytes after the header");
            }
            float[] values = readValues(file, in, dataStart, (int) count, kind, size, order);
            return new NpyArray(shape, values);
        }
    }

    private static boolean supported(char kind, int size) {
        return switch (kind) {
            case 'f' -> size == 4 || size == 8;
            case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
            case 'b' -> size == 1;
            default -> false;
        };
    }

    private static int[] parseShape(Path file, long offset, String text) throws PointCloudFormatException {
        String[] parts = text.split(",", -1);
        int[] dims = new int[parts.length];
        int k = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.isEmpty() && i == parts.length - 1 && i > 0) {
                continue; // trailing comma of a 1-tuple "(5,)"
            }
            if (p.endsWith("L")) {
                p = p.substring(0, p.length() - 1);
            }
            if (!p.matches("-?[0-9]{1,19}")) {
                if (p.isEmpty() && parts.length == 1) {
                    break; // "()" is a scalar
                }
                throw PointCloudFormatException.atByte(file, offset, "bad shape "
                    + PointCloudFormatException.quote("(" + text + ")"));
            }
            long d;
            try {
                d = Long.parseLong(p);
            } catch (NumberFormatException e) {
                d = Long.MAX_VALUE;
            }
            if (d < 0) {
                throw PointCloudFormatException.atByte(file, offset, "negative dimension " + d + " in shape "
                    + PointCloudFormatException.quote("(" + text + ")"));
            }
            if (d > Integer.MAX_VALUE - 8) {
                throw PointCloudFormatException.atByte(file, offset, "dimension " + p + " in shape "
                    + PointCloudFormatException.quote("(" + text + ")") + " is larger than a Java array");
            }
            dims[k++] = (int) d;
        }
        return Arrays.copyOf(dims, k);
    }

    private static float[] readValues(Path file, InputStream in, long dataStart, int count, char kind, int size,
                                      ByteOrder order) throws IOException {
        if (!supported(kind, size)) {
            throw PointCloudFormatException.atByte(file, 0, "unsupported dtype " + kind + size);
        }
        float[] out = new float[count];
        byte[] chunk = new byte[size * 8192];
        ByteBuffer buffer = ByteBuffer.wrap(chunk).order(order);
        int done = 0;
        while (done < count) {
            int n = Math.min(8192, count - done);
            int bytes = n * size;
            int read = in.readNBytes(chunk, 0, bytes);
            if (read < bytes) {
                throw PointCloudFormatException.atByte(file, dataStart + (long) done * size + read,
                    "truncated: expected " + count + " values of " + size + " bytes, file ends after "
                        + (done + read / size));
            }
            buffer.clear();
            for (int i = 0; i < n; i++) {
                out[done + i] = switch (kind) {
                    case 'f' -> size == 4 ? buffer.getFloat() : (float) buffer.getDouble();
                    case 'i' -> size == 1 ? buffer.get() : size == 2 ? buffer.getShort()
                        : size == 4 ? buffer.getInt() : buffer.getLong();
                    default -> size == 1 ? Byte.toUnsignedInt(buffer.get()) : size == 2
                        ? Short.toUnsignedInt(buffer.getShort()) : size == 4
                        ? Integer.toUnsignedLong(buffer.getInt()) : (float) buffer.getLong();
                };
            }
            done += n;
        }
        return out;
    }

    private static void readFully(Path file, InputStream in, byte[] buf, long offset) throws IOException {
        if (in.readNBytes(buf, 0, buf.length) < buf.length) {
            throw PointCloudFormatException.atByte(file, offset, "truncated .npy header");
        }
    }

    /**
     * Writes this array as float32 little-endian {@code .npy} (version 1), atomically.
     *
     * @param file the target file
     * @throws IOException if writing fails; the target is then unchanged
     */
    public void write(Path file) throws IOException {
        write(file, data, shape);
    }

    /**
     * Writes float32 C-order data as a {@code .npy} file (version 1), atomically.
     *
     * @param file the target file
     * @param data the values
     * @param shape the shape; its product must equal {@code data.length}
     * @throws IOException if writing fails; the target is then unchanged
     */
    public static void write(Path file, float[] data, int... shape) throws IOException {
        long n = 1;
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            n *= d;
            dims.append(d).append(", ");
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " values, data has "
                + data.length);
        }
        String shapeText = shape.length == 1 ? shape[0] + "," : dims.substring(0, Math.max(0, dims.length() - 2));
        StringBuilder header = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (")
            .append(shapeText).append("), }");
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header.append(" ".repeat(pad)).append('\n');
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.ISO_8859_1);
        AtomicFiles.write(file, out -> {
            out.write(MAGIC);
            out.write(1);
            out.write(0);
            out.write(headerBytes.length & 0xff);
            out.write(headerBytes.length >>> 8);
            out.write(headerBytes);
            ByteBuffer buffer = ByteBuffer.allocate(4 * 8192).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < data.length; i += 8192) {
                int m = Math.min(8192, data.length - i);
                buffer.clear();
                buffer.asFloatBuffer().put(data, i, m);
                out.write(buffer.array(), 0, 4 * m);
            }
        });
    }
}
