package io.github.pointclip.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads Point Cloud Library PCD files (versions 0.6 and 0.7), {@code DATA ascii},
 * {@code DATA binary} (little-endian records) or {@code DATA binary_compressed} (LZF-compressed,
 * one field after another). Fields x, y, z are required; {@code rgb} / {@code rgba} (packed)
 * become the attribute "color" (0–255), {@code normal_x…} "normal", other fields attributes of
 * their name, {@code _} padding is skipped. Organised clouds often mark missing points with NaN:
 * read them with {@link ReadOptions#dropNonFinite()}.
 */
final class PcdReader implements FormatReader {

    private static final int SKIP = -1;
    private static final int PACKED_RGB = -2;
    /** Most scalar values per point (the sum of COUNT); real descriptors have a few hundred. */
    private static final int MAX_COMPONENTS = 1 << 16;

    @Override
    public void read(ByteInput in, CloudCollector out, long fileSize) throws IOException {
        in.commentChar('#');
        String[] fields = null;
        int[] sizes = null;
        char[] types = null;
        int[] counts = null;
        long width = -1;
        long height = 1;
        long points = -1;
        long pointsLine = -1;
        String data = null;
        boolean any = false;
        while (data == null && in.nextLine()) {
            if (!in.hasToken()) {
                continue;
            }
            any = true;
            String key = in.nextWord().toUpperCase(Locale.ROOT);
            List<String> values = new ArrayList<>();
            for (String w = in.nextWord(); w != null; w = in.nextWord()) {
                values.add(w);
            }
            switch (key) {
                case "VERSION", "VIEWPOINT" -> { }
                case "FIELDS" -> fields = values.toArray(new String[0]);
                case "SIZE" -> {
                    sizes = new int[values.size()];
                    for (int i = 0; i < sizes.length; i++) {
                        sizes[i] = (int) Math.min(Integer.MAX_VALUE, headerNumber(in, values.get(i), "SIZE"));
                    }
                }
                case "TYPE" -> {
                    types = new char[values.size()];
                    for (int i = 0; i < types.length; i++) {
                        types[i] = values.get(i).isEmpty() ? '?' : Character.toUpperCase(values.get(i).charAt(0));
                    }
                }
                case "COUNT" -> {
                    counts = new int[values.size()];
                    for (int i = 0; i < counts.length; i++) {
                        counts[i] = (int) Math.min(Integer.MAX_VALUE, headerNumber(in, values.get(i), "COUNT"));
                    }
                }
                case "WIDTH" -> width = headerNumber(in, single(in, key, values), key);
                case "HEIGHT" -> height = headerNumber(in, single(in, key, values), key);
                case "POINTS" -> {
                    points = headerNumber(in, single(in, key, values), key);
                    pointsLine = in.line();
                }
                case "DATA" -> data = single(in, key, values).toLowerCase(Locale.ROOT);
                default -> throw PointCloudFormatException.atLine(in.file(), in.line(), "unknown PCD header line "
                    + PointCloudFormatException.quote(key));
            }
        }
        if (!any) {
            throw PointCloudFormatException.atByte(in.file(), 0, "empty PCD file");
        }
        long dataLine = in.line();
        if (data == null) {
            throw PointCloudFormatException.atLine(in.file(), dataLine, "PCD header has no DATA line");
        }
        if (fields == null || sizes == null || types == null) {
            throw PointCloudFormatException.atLine(in.file(), dataLine, "PCD header lacks FIELDS, SIZE or TYPE");
        }
        if (counts == null) {
            counts = new int[fields.length];
            Arrays.fill(counts, 1);
        }
        if (sizes.length != fields.length || types.length != fields.length || counts.length != fields.length) {
            throw PointCloudFormatException.atLine(in.file(), dataLine, "PCD header lists " + fields.length
                + " FIELDS but " + sizes.length + " SIZE, " + types.length + " TYPE and " + counts.length
                + " COUNT entries");
        }
        for (int f = 0; f < fields.length; f++) {
            boolean ok = switch (types[f]) {
                case 'F' -> sizes[f] == 4 || sizes[f] == 8;
                case 'I', 'U' -> sizes[f] == 1 || sizes[f] == 2 || sizes[f] == 4 || sizes[f] == 8;
                default -> false;
            };
            if (!ok || counts[f] < 1) {
                throw PointCloudFormatException.atLine(in.file(), dataLine, "field "
                    + PointCloudFormatException.quote(fields[f]) + " has unsupported TYPE "
                    + PointCloudFormatException.quote(String.valueOf(types[f])) + " SIZE " + sizes[f] + " COUNT "
                    + counts[f]);
            }
        }
        // Every component takes at least one byte of a record (ascii: a digit; binary: its size),
        // so a record wider than the file is a corrupt header: reject it before planning columns.
        long components = 0;
        long recordBytes = 0;
        for (int f = 0; f < fields.length; f++) {
            components += counts[f];
            recordBytes += (long) counts[f] * sizes[f];
        }
        if (components > MAX_COMPONENTS) {
            throw PointCloudFormatException.atLine(in.file(), dataLine, "the PCD header declares " + components
                + " values per point, more than the " + MAX_COMPONENTS + " this reader supports");
        }
        if (components > fileSize || "binary".equals(data) && recordBytes > fileSize) {
            throw PointCloudFormatException.atLine(in.file(), dataLine, "the PCD header declares records of "
                + components + " values (" + recordBytes + " bytes), more than the whole file of " + fileSize
                + " bytes holds");
        }
        long declaredByShape = width < 0 ? -1 : multiplyOrMax(width, height);
        if (points < 0) {
            if (width < 0) {
                throw PointCloudFormatException.atLine(in.file(), dataLine, "PCD header has neither POINTS nor WIDTH");
            }
            points = declaredByShape;
        } else if (width >= 0 && points != declaredByShape) {
            throw PointCloudFormatException.atLine(in.file(), pointsLine, "POINTS " + points + " disagrees with WIDTH "
                + width + " × HEIGHT " + height + (declaredByShape == Long.MAX_VALUE ? "" : " = " + declaredByShape));
        }
        // Plan: one entry per scalar component, mapping to a row column (or skip / packed colour).
        List<String> columnNames = new ArrayList<>();
        List<Integer> plan = new ArrayList<>();
        List<Integer> componentField = new ArrayList<>();
        for (int f = 0; f < fields.length; f++) {
            String name = fields[f];
            boolean packed = (name.equalsIgnoreCase("rgb") || name.equalsIgnoreCase("rgba")) && counts[f] == 1
                && sizes[f] == 4;
            for (int c = 0; c < counts[f]; c++) {
                componentField.add(f);
                if (name.equals("_")) {
                    plan.add(SKIP);
                } else if (packed) {
                    plan.add(PACKED_RGB - columnNames.size()); // encodes the first of three columns
                    columnNames.add("red");
                    columnNames.add("green");
                    columnNames.add("blue");
                } else {
                    plan.add(columnNames.size());
                    columnNames.add(name);
                }
            }
        }
        if (!out.columns(columnNames)) {
            throw PointCloudFormatException.atLine(in.file(), dataLine, "PCD FIELDS "
                + PointCloudFormatException.quote(String.join(" ", fields)) + " lack x, y or z");
        }
        float[] row = new float[columnNames.size()];
        int[] planArray = plan.stream().mapToInt(Integer::intValue).toArray();
        int[] fieldOf = componentField.stream().mapToInt(Integer::intValue).toArray();
        switch (data) {
            case "ascii" -> readAscii(in, out, points, pointsLine > 0 ? pointsLine : dataLine,
                fileSize / (2 * Math.max(1, components)), fileSize, planArray, fieldOf, fields, types, row);
            case "binary" -> readBinary(in, out, points, fileSize, planArray, fieldOf, types, sizes, row);
            case "binary_compressed" -> readCompressed(in, out, points, fileSize, planArray, fieldOf, types, sizes,
                counts, row);
            default -> throw PointCloudFormatException.atLine(in.file(), dataLine, "unknown PCD DATA type "
                + PointCloudFormatException.quote(data));
        }
    }

    private static String single(ByteInput in, String key, List<String> values) throws PointCloudFormatException {
        if (values.size() != 1) {
            throw PointCloudFormatException.atLine(in.file(), in.line(), key + " needs one value, got "
                + values.size() + ": " + PointCloudFormatException.quote(String.join(" ", values)));
        }
        return values.get(0);
    }

    private static long headerNumber(ByteInput in, String text, String key) throws PointCloudFormatException {
        try {
            long v = Long.parseLong(text);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw PointCloudFormatException.atLine(in.file(), in.line(), "bad " + key + " value "
                + PointCloudFormatException.quote(text));
        }
    }

    private static long multiplyOrMax(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long product = a * b;
        return high != 0 || product < 0 ? Long.MAX_VALUE : product;
    }

    private static void readAscii(ByteInput in, CloudCollector out, long points, long countLine, long plausible,
                                  long fileSize, int[] plan, int[] fieldOf, String[] fields, char[] types, float[] row)
        throws IOException {
        // a point is at least one character and a separator per field
        out.expectPointsWithin(points, plausible, fileSize, "of the file", countLine);
        String[] labels = new String[fields.length];
        for (int f = 0; f < fields.length; f++) {
            labels[f] = ByteInput.printableName(fields[f]) + " of point";
        }
        for (long p = 0; p < points; p++) {
            if (!OffReader.nextContentLine(in)) {
                throw PointCloudFormatException.atLine(in.file(), countLine, "the PCD header declares " + points
                    + " points, the data ends after " + p + " (line " + in.line() + ")");
            }
            for (int k = 0; k < plan.length; k++) {
                if (plan[k] <= PACKED_RGB) {
                    int bits = types[fieldOf[k]] == 'F' ? Float.floatToRawIntBits(in.nextFloat("rgb of point", p))
                        : (int) in.nextLong("rgb of point", p);
                    unpack(bits, row, PACKED_RGB - plan[k]);
                } else {
                    float v = in.nextFloat(labels[fieldOf[k]], p);
                    if (plan[k] >= 0) {
                        row[plan[k]] = v;
                    }
                }
            }
            out.addRow(row, in.line());
        }
        if (OffReader.nextContentLine(in)) {
            throw PointCloudFormatException.atLine(in.file(), in.line(), "data after the " + points
                + " points the PCD header declares");
        }
    }

    private static void readBinary(ByteInput in, CloudCollector out, long points, long fileSize, int[] plan,
                                   int[] fieldOf, char[] types, int[] sizes, float[] row) throws IOException {
        in.endLine();
        out.positionsAreLines(false);
        int record = 0;
        for (int f : fieldOf) {
            record += sizes[f];
        }
        long start = in.offset();
        out.expectPointsWithin(points, (fileSize - start) / Math.max(1, record), fileSize - start, "after the header",
            start);
        for (long p = 0; p < points; p++) {
            long at = in.offset();
            if (!in.ensure(record)) {
                throw PointCloudFormatException.atByte(in.file(), at, "truncated binary PCD: the header declares "
                    + points + " points of " + record + " bytes, the file ends inside point " + p);
            }
            for (int k = 0; k < plan.length; k++) {
                int f = fieldOf[k];
                if (plan[k] <= PACKED_RGB) {
                    unpack(in.s32(false), row, PACKED_RGB - plan[k]);
                    continue;
                }
                float v = readValue(in, types[f], sizes[f]);
                if (plan[k] >= 0) {
                    row[plan[k]] = v;
                }
            }
            out.addRow(row, at);
        }
    }

    /**
     * LZF's densest token, a 3-byte back reference, expands to 264 bytes: a block that claims to
     * decompress to more than this many times its size is corrupt.
     */
    private static final int LZF_MAX_RATIO = 88;

    private static void readCompressed(ByteInput in, CloudCollector out, long points, long fileSize, int[] plan,
                                       int[] fieldOf, char[] types, int[] sizes, int[] counts, float[] row)
        throws IOException {
        in.endLine();
        out.positionsAreLines(false);
        long start = in.offset();
        if (!in.ensure(8)) {
            throw PointCloudFormatException.atByte(in.file(), start, "truncated binary_compressed PCD: the file ends"
                + " before the compressed and uncompressed sizes");
        }
        long compressed = in.s32(false) & 0xffffffffL;
        long uncompressed = in.s32(false) & 0xffffffffL;
        long record = 0;
        for (int f = 0; f < sizes.length; f++) {
            record += (long) sizes[f] * counts[f];
        }
        if (points > Integer.MAX_VALUE || points * record != uncompressed) {
            throw PointCloudFormatException.atByte(in.file(), start + 4, "binary_compressed PCD: the uncompressed"
                + " size " + uncompressed + " is not POINTS " + points + " × " + record + " bytes per point");
        }
        if (compressed > fileSize - start - 8) {
            throw PointCloudFormatException.atByte(in.file(), start, "truncated binary_compressed PCD: "
                + compressed + " compressed bytes declared, " + (fileSize - start - 8) + " left in the file");
        }
        if (uncompressed > compressed * LZF_MAX_RATIO) {
            throw PointCloudFormatException.atByte(in.file(), start + 4, "binary_compressed PCD: " + compressed
                + " compressed bytes cannot hold the " + uncompressed + " bytes declared");
        }
        out.expectPoints(points, points, start);
        byte[] packed = new byte[(int) compressed];
        for (int done = 0; done < packed.length; ) {
            int n = Math.min(1 << 16, packed.length - done);
            if (!in.ensure(n)) {
                throw PointCloudFormatException.atByte(in.file(), start + 8 + done, "truncated binary_compressed PCD");
            }
            in.bytes(packed, done, n);
            done += n;
        }
        byte[] data = Lzf.decompress(in.file(), start + 8, packed, (int) uncompressed);
        // field-major layout: all points' values of the first field, then the second, ...
        long[] fieldStart = new long[sizes.length];
        long at = 0;
        for (int f = 0; f < sizes.length; f++) {
            fieldStart[f] = at;
            at += points * sizes[f] * counts[f];
        }
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int[] component = new int[plan.length];
        for (int k = 1; k < plan.length; k++) {
            component[k] = fieldOf[k] == fieldOf[k - 1] ? component[k - 1] + 1 : 0;
        }
        for (int p = 0; p < points; p++) {
            for (int k = 0; k < plan.length; k++) {
                int f = fieldOf[k];
                int index = (int) (fieldStart[f] + ((long) p * counts[f] + component[k]) * sizes[f]);
                if (plan[k] <= PACKED_RGB) {
                    unpack(buffer.getInt(index), row, PACKED_RGB - plan[k]);
                    continue;
                }
                if (plan[k] >= 0) {
                    row[plan[k]] = value(buffer, index, types[f], sizes[f]);
                }
            }
            out.addRow(row, start);
        }
    }

    private static float value(java.nio.ByteBuffer b, int index, char type, int size) {
        return switch (type) {
            case 'F' -> size == 4 ? b.getFloat(index) : (float) b.getDouble(index);
            case 'I' -> switch (size) {
                case 1 -> b.get(index);
                case 2 -> b.getShort(index);
                case 4 -> b.getInt(index);
                default -> b.getLong(index);
            };
            default -> switch (size) {
                case 1 -> b.get(index) & 0xff;
                case 2 -> b.getShort(index) & 0xffff;
                case 4 -> b.getInt(index) & 0xffffffffL;
                default -> (float) b.getLong(index);
            };
        };
    }

    private static float readValue(ByteInput in, char type, int size) {
        return switch (type) {
            case 'F' -> size == 4 ? in.f32(false) : (float) in.f64(false);
            case 'I' -> switch (size) {
                case 1 -> in.s8();
                case 2 -> (short) in.u16(false);
                case 4 -> in.s32(false);
                default -> in.s64(false);
            };
            default -> switch (size) {
                case 1 -> in.u8();
                case 2 -> in.u16(false);
                case 4 -> in.s32(false) & 0xffffffffL;
                default -> (float) in.s64(false);
            };
        };
    }

    private static void unpack(int bits, float[] row, int column) {
        row[column] = (bits >>> 16) & 0xff;
        row[column + 1] = (bits >>> 8) & 0xff;
        row[column + 2] = bits & 0xff;
    }
}
