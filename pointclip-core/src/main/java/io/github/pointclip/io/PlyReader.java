package io.github.pointclip.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Stanford PLY files: {@code ascii}, {@code binary_little_endian} and
 * {@code binary_big_endian}. The {@code vertex} element needs scalar x, y, z properties of any
 * numeric type; its other scalar properties become attributes (nx/ny/nz "normal",
 * red/green/blue "color", others by name) and its list properties are skipped. The
 * {@code face} element's index list ({@code vertex_indices} or {@code vertex_index}) is read
 * when sampling, validated against the vertex count, and split into triangle fans; every other
 * element is skipped, list properties included.
 */
final class PlyReader implements FormatReader {

    private static final Logger LOG = LoggerFactory.getLogger(PlyReader.class);

    private static final String[][] TYPE_NAMES = {
        {"char", "int8"}, {"uchar", "uint8"}, {"short", "int16"}, {"ushort", "uint16"},
        {"int", "int32"}, {"uint", "uint32"}, {"float", "float32"}, {"double", "float64"}};
    private static final int[] TYPE_SIZES = {1, 1, 2, 2, 4, 4, 4, 8};
    private static final int UINT32 = 5;
    private static final int FLOAT32 = 6;
    private static final int FLOAT64 = 7;

    /** One property: scalar when {@code countType < 0}, else a list with that count type. */
    private record Property(String name, int type, int countType) {
        boolean isList() {
            return countType >= 0;
        }
    }

    /** One element declared in the header. */
    private static final class Element {
        final String name;
        final long count;
        final long line;
        final List<Property> properties = new ArrayList<>();

        Element(String name, long count, long line) {
            this.name = name;
            this.count = count;
            this.line = line;
        }

        /**
         * @return the fewest bytes a record can take: in ascii a token and a separator per
         *     property (the last may end the file), in binary the scalars and list counts
         */
        long leastBytes(boolean ascii) {
            if (ascii) {
                return Math.max(1, 2L * properties.size() - 1);
            }
            long size = 0;
            for (Property p : properties) {
                size += TYPE_SIZES[p.isList() ? p.countType : p.type];
            }
            return size;
        }

        /** @return bytes per record, or -1 if it has a list property */
        int fixedSize() {
            int size = 0;
            for (Property p : properties) {
                if (p.isList()) {
                    return -1;
                }
                size += TYPE_SIZES[p.type];
            }
            return size;
        }
    }

    @Override
    public void read(ByteInput in, CloudCollector out, long fileSize) throws IOException {
        if (!in.nextLine()) {
            throw PointCloudFormatException.atByte(in.file(), 0, "empty PLY file");
        }
        if (!"ply".equals(in.nextWord()) || in.hasToken()) {
            throw PointCloudFormatException.atLine(in.file(), 1, "not a PLY file: the first line must be 'ply'");
        }
        String format = null;
        List<Element> elements = new ArrayList<>();
        boolean ended = false;
        while (!ended && in.nextLine()) {
            String keyword = in.nextWord();
            if (keyword == null) {
                continue;
            }
            switch (keyword) {
                case "format" -> {
                    format = in.nextWord();
                    String version = in.nextWord();
                    if (!"1.0".equals(version)) {
                        throw PointCloudFormatException.atLine(in.file(), in.line(), "unsupported PLY version "
                            + PointCloudFormatException.quote(version));
                    }
                }
                case "comment", "obj_info" -> { }
                case "element" -> {
                    String name = in.nextWord();
                    long count = in.nextLong("count of element " + ByteInput.printableName(name));
                    if (name == null || count < 0) {
                        throw PointCloudFormatException.atLine(in.file(), in.line(), "bad element declaration");
                    }
                    elements.add(new Element(name, count, in.line()));
                }
                case "property" -> {
                    if (elements.isEmpty()) {
                        throw PointCloudFormatException.atLine(in.file(), in.line(), "property before any element");
                    }
                    elements.get(elements.size() - 1).properties.add(property(in));
                }
                case "end_header" -> ended = true;
                default -> throw PointCloudFormatException.atLine(in.file(), in.line(), "unknown PLY header keyword "
                    + PointCloudFormatException.quote(keyword));
            }
        }
        if (!ended) {
            throw PointCloudFormatException.atLine(in.file(), in.line(), "the PLY header has no end_header line");
        }
        if (format == null) {
            throw PointCloudFormatException.atLine(in.file(), in.line(), "the PLY header has no format line");
        }
        boolean ascii = format.equals("ascii");
        boolean bigEndian = format.equals("binary_big_endian");
        if (!ascii && !bigEndian && !format.equals("binary_little_endian")) {
            throw PointCloudFormatException.atLine(in.file(), 2, "unknown PLY format "
                + PointCloudFormatException.quote(format));
        }
        // Counts are not trusted for memory: readers reserve at most what the bytes left can hold
        // and read record by record, so a count larger than the file ends as "truncated".
        in.endLine(); // the data starts after end_header's line break
        long dataBytes = fileSize - in.offset();
        Element vertex = elements.stream().filter(e -> e.name.equals("vertex")).findFirst().orElseThrow(
            () -> PointCloudFormatException.atLine(in.file(), in.line(), "the PLY header declares no vertex element"));
        List<String> names = new ArrayList<>();
        for (Property p : vertex.properties) {
            names.add(p.isList() ? null : p.name);
        }
        if (!out.columns(names)) {
            throw PointCloudFormatException.atLine(in.file(), vertex.line, "the vertex element lacks scalar x, y and"
                + " z properties");
        }
        out.expectPointsWithin(vertex.count, dataBytes / Math.max(1, vertex.leastBytes(ascii)), dataBytes,
            "after the header", vertex.line);
        if (ascii) {
            readAscii(in, out, elements, vertex);
        } else {
            readBinary(in, out, elements, vertex, bigEndian, fileSize);
        }
    }

    private static Property property(ByteInput in) throws PointCloudFormatException {
        String first = in.nextWord();
        if ("list".equals(first)) {
            int countType = type(in, in.nextWord());
            int itemType = type(in, in.nextWord());
            String name = in.nextWord();
            if (name == null || countType == FLOAT32 || countType == FLOAT64) {
                throw PointCloudFormatException.atLine(in.file(), in.line(), "bad list property");
            }
            return new Property(name, itemType, countType);
        }
        int type = type(in, first);
        String name = in.nextWord();
        if (name == null) {
            throw PointCloudFormatException.atLine(in.file(), in.line(), "property without a name");
        }
        return new Property(name, type, -1);
    }

    private static int type(ByteInput in, String name) throws PointCloudFormatException {
        for (int t = 0; t < TYPE_NAMES.length; t++) {
            if (TYPE_NAMES[t][0].equals(name) || TYPE_NAMES[t][1].equals(name)) {
                return t;
            }
        }
        throw PointCloudFormatException.atLine(in.file(), in.line(), "unknown PLY property type "
            + PointCloudFormatException.quote(name));
    }

    private static int faceList(Element e) {
        if (!e.name.equals("face")) {
            return -1;
        }
        int found = -1;
        int lists = 0;
        for (int i = 0; i < e.properties.size(); i++) {
            Property p = e.properties.get(i);
            if (p.isList()) {
                lists++;
                if (p.name.equals("vertex_indices") || p.name.equals("vertex_index")) {
                    return i;
                }
                found = i;
            }
        }
        return lists == 1 ? found : -1;
    }

    // ---------------------------------------------------------------- ascii

    private static void readAscii(ByteInput in, CloudCollector out, List<Element> elements, Element vertex)
        throws IOException {
        int vertexCount = (int) vertex.count;
        float[] row = new float[vertex.properties.size()];
        String[] labels = new String[row.length];
        for (int i = 0; i < row.length; i++) {
            labels[i] = ByteInput.printableName(vertex.properties.get(i).name) + " of vertex";
        }
        int[] polygon = new int[16];
        for (Element e : elements) {
            int faceList = faceList(e);
            for (long r = 0; r < e.count; r++) {
                if (!OffReader.nextContentLine(in)) {
                    throw PointCloudFormatException.atLine(in.file(), e.line, "the PLY header declares " + e.count + " "
                        + ByteInput.printableName(e.name) + " records, the file ends after " + r + " (line " + in.line()
                        + ")");
                }
                if (e == vertex) {
                    for (int i = 0; i < row.length; i++) {
                        Property p = e.properties.get(i);
                        if (p.isList()) {
                            skipAsciiList(in, p, r);
                        } else {
                            row[i] = in.nextFloat(labels[i], r);
                        }
                    }
                    out.addRow(row, in.line());
                } else if (faceList >= 0) {
                    out.sawFaces();
                    if (!out.sampling()) {
                        continue;
                    }
                    for (int i = 0; i < e.properties.size(); i++) {
                        Property p = e.properties.get(i);
                        if (i != faceList) {
                            if (p.isList()) {
                                skipAsciiList(in, p, r);
                            } else {
                                in.nextFloat("property of face", r);
                            }
                            continue;
                        }
                        long k = in.nextLong("vertex count of face", r);
                        if (k < 0 || k > 1 << 20) {
                            throw PointCloudFormatException.atLine(in.file(), in.line(), "face " + r
                                + " has an implausible vertex count " + k);
                        }
                        if (polygon.length < k) {
                            polygon = new int[(int) k];
                        }
                        for (int c = 0; c < k; c++) {
                            polygon[c] = checkIndex(out, in.nextLong("vertex index of face", r), vertexCount, r,
                                in.line());
                        }
                        out.addPolygon(polygon, (int) k);
                    }
                }
            }
        }
        if (OffReader.nextContentLine(in)) {
            throw PointCloudFormatException.atLine(in.file(), in.line(), "data after the last element declared in"
                + " the PLY header; are its counts wrong?");
        }
    }

    private static void skipAsciiList(ByteInput in, Property p, long record) throws PointCloudFormatException {
        long n = in.nextLong("list length in record", record);
        for (long k = 0; k < n; k++) {
            in.nextFloat("list item in record", record);
        }
    }

    private static int checkIndex(CloudCollector out, long index, int vertexCount, long face, long position)
        throws PointCloudFormatException {
        if (index < 0 || index >= vertexCount) {
            throw out.error(position, "face " + face + " refers to vertex " + index + ", but there are "
                + vertexCount);
        }
        return (int) index;
    }

    // ---------------------------------------------------------------- binary

    private static void readBinary(ByteInput in, CloudCollector out, List<Element> elements, Element vertex,
                                   boolean big, long fileSize) throws IOException {
        in.endLine();
        out.positionsAreLines(false);
        int vertexCount = (int) vertex.count;
        float[] row = new float[vertex.properties.size()];
        int[] polygon = new int[16];
        for (Element e : elements) {
            int fixed = e.fixedSize();
            int faceList = faceList(e);
            if (faceList >= 0) {
                out.sawFaces();
            }
            if (e != vertex && fixed >= 0) { // nothing to read: skip all records at once
                long at = in.offset();
                if (fixed > 0 && e.count > (fileSize - at) / fixed || !in.skip(e.count * fixed)) {
                    throw truncated(in, at, e, -1);
                }
                continue;
            }
            boolean collectFaces = faceList >= 0 && out.sampling();
            for (long r = 0; r < e.count; r++) {
                long at = in.offset();
                if (fixed > 0 && !in.ensure(fixed)) {
                    throw truncated(in, at, e, r);
                }
                for (int i = 0; i < e.properties.size(); i++) {
                    Property p = e.properties.get(i);
                    if (!p.isList()) {
                        if (fixed < 0 && !in.ensure(TYPE_SIZES[p.type])) {
                            throw truncated(in, at, e, r);
                        }
                        double v = value(in, p.type, big);
                        if (e == vertex) {
                            row[i] = (float) v;
                        }
                        continue;
                    }
                    if (!in.ensure(TYPE_SIZES[p.countType])) {
                        throw truncated(in, at, e, r);
                    }
                    long k = (long) value(in, p.countType, big);
                    int itemSize = TYPE_SIZES[p.type];
                    if (k < 0 || k > 1 << 20) {
                        throw PointCloudFormatException.atByte(in.file(), in.offset() - TYPE_SIZES[p.countType],
                            "list " + ByteInput.printableName(p.name) + " of " + ByteInput.printableName(e.name) + " "
                                + r + " has an implausible length " + k);
                    }
                    if (k * itemSize > fileSize - in.offset()) { // before ensure() sizes its buffer from k
                        throw truncated(in, at, e, r);
                    }
                    if (collectFaces && i == faceList) {
                        if (!in.ensure((int) k * itemSize)) {
                            throw truncated(in, at, e, r);
                        }
                        if (polygon.length < k) {
                            polygon = new int[(int) k];
                        }
                        for (int c = 0; c < k; c++) {
                            polygon[c] = checkIndex(out, (long) value(in, p.type, big), vertexCount, r, at);
                        }
                        out.addPolygon(polygon, (int) k);
                    } else if (!in.skip(k * itemSize)) {
                        throw truncated(in, at, e, r);
                    }
                }
                if (e == vertex) {
                    out.addRow(row, at);
                }
            }
        }
        if (in.hasMore()) {
            LOG.warn("{}: ignoring bytes after the last PLY element, from byte {}", in.file(), in.offset());
        }
    }

    private static PointCloudFormatException truncated(ByteInput in, long at, Element e, long record) {
        return PointCloudFormatException.atByte(in.file(), at, "truncated binary PLY: the header (line " + e.line
            + ") declares " + e.count + " " + ByteInput.printableName(e.name) + " records, the file ends "
            + (record < 0 ? "inside them" : "inside record " + record));
    }

    private static double value(ByteInput in, int type, boolean big) {
        return switch (type) {
            case 0 -> in.s8();
            case 1 -> in.u8();
            case 2 -> (short) in.u16(big);
            case 3 -> in.u16(big);
            case 4 -> in.s32(big);
            case UINT32 -> in.s32(big) & 0xffffffffL;
            case FLOAT32 -> in.f32(big);
            default -> in.f64(big);
        };
    }
}
