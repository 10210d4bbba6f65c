package io.github.pointclip.io;

import java.io.IOException;

/**
 * Reads STL triangle meshes, ascii ({@code solid … facet … outer loop … vertex x y z …}) or
 * binary (80-byte header, uint32 count, 50 bytes per triangle, little-endian). A file is binary
 * unless it starts with {@code solid} and its size is not that of a binary file (some binary
 * exporters also start their header with "solid"). Corners shared by several triangles are
 * stored once, so the vertices of an STL are its distinct corners in order of appearance.
 */
final class StlReader implements FormatReader {

    private static final int HEADER_BYTES = 84;
    private static final int TRIANGLE_BYTES = 50;

    @Override
    public void read(ByteInput in, CloudCollector out, long fileSize) throws IOException {
        boolean binary;
        if (in.ensure(HEADER_BYTES)) {
            long declared = (in.peek(80) | in.peek(81) << 8 | in.peek(82) << 16 | (long) in.peek(83) << 24);
            binary = !startsWithSolid(in) || HEADER_BYTES + TRIANGLE_BYTES * declared == fileSize;
        } else {
            binary = !in.ensure(5) || !startsWithSolid(in);
        }
        if (binary) {
            readBinary(in, out, fileSize);
        } else {
            readAscii(in, out);
        }
    }

    private static boolean startsWithSolid(ByteInput in) {
        String solid = "solid";
        for (int i = 0; i < solid.length(); i++) {
            if ((in.peek(i) | 0x20) != solid.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static void readBinary(ByteInput in, CloudCollector out, long fileSize) throws IOException {
        out.positionsAreLines(false);
        if (!in.ensure(HEADER_BYTES)) {
            throw PointCloudFormatException.atByte(in.file(), fileSize, "binary STL shorter than its "
                + HEADER_BYTES + "-byte header");
        }
        in.skip(80);
        long count = in.s32(false) & 0xffffffffL;
        long needed = HEADER_BYTES + TRIANGLE_BYTES * count;
        if (fileSize < needed) {
            long complete = (fileSize - HEADER_BYTES) / TRIANGLE_BYTES;
            throw PointCloudFormatException.atByte(in.file(), HEADER_BYTES + complete * TRIANGLE_BYTES,
                "truncated binary STL: the header declares " + count + " triangles (" + needed
                    + " bytes), the file has " + fileSize + " bytes and ends inside triangle " + complete);
        }
        if (count == 0) {
            throw PointCloudFormatException.atByte(in.file(), 80, "binary STL declares 0 triangles");
        }
        // Distinct corners are at most 3·count; expect about half as many as corners.
        out.expectPoints(Math.min(count * 3, out.options().maxPoints()), count, 80);
        int[] triangle = new int[3];
        for (long t = 0; t < count; t++) {
            long at = in.offset();
            if (!in.ensure(TRIANGLE_BYTES)) {
                throw PointCloudFormatException.atByte(in.file(), at, "truncated binary STL: the file ends inside"
                    + " triangle " + t + " of " + count);
            }
            in.skip(12); // facet normal, recomputable and often zero
            for (int corner = 0; corner < 3; corner++) {
                long where = in.offset();
                float x = in.f32(false);
                float y = in.f32(false);
                float z = in.f32(false);
                triangle[corner] = out.addUnique(x, y, z, where);
            }
            in.skip(2); // attribute byte count
            out.addPolygon(triangle, 3);
        }
    }

    private static void readAscii(ByteInput in, CloudCollector out) throws IOException {
        int[] triangle = new int[3];
        int corners = -1; // -1 outside an "outer loop"
        long facets = 0;
        boolean solid = false;
        while (in.nextLine()) {
            if (!in.hasToken()) {
                continue;
            }
            if (in.nextTokenIs("vertex")) {
                in.skipToken();
                if (corners < 0) {
                    throw PointCloudFormatException.atLine(in.file(), in.line(), "vertex outside an 'outer loop'");
                }
                if (corners == 3) {
                    throw PointCloudFormatException.atLine(in.file(), in.line(), "facet " + facets
                        + " has more than 3 vertices");
                }
                float x = in.nextFloat("x of a vertex of facet", facets);
                float y = in.nextFloat("y of a vertex of facet", facets);
                float z = in.nextFloat("z of a vertex of facet", facets);
                triangle[corners++] = out.addUnique(x, y, z, in.line());
            } else if (in.nextTokenIs("outer")) {
                corners = 0;
            } else if (in.nextTokenIs("endloop")) {
                if (corners != 3) {
                    throw PointCloudFormatException.atLine(in.file(), in.line(), "facet " + facets + " has "
                        + Math.max(corners, 0) + " vertices, expected 3");
                }
                out.addPolygon(triangle, 3);
                facets++;
                corners = -1;
            } else if (in.nextTokenIs("solid")) {
                solid = true;
            } else if (!(in.nextTokenIs("facet") || in.nextTokenIs("endfacet") || in.nextTokenIs("endsolid"))) {
                throw PointCloudFormatException.atLine(in.file(), in.line(), "unexpected "
                    + PointCloudFormatException.quote(in.nextWord()) + " in ascii STL");
            }
        }
        if (!solid) {
            throw PointCloudFormatException.atLine(in.file(), 1, "ascii STL does not start with 'solid'");
        }
        if (corners >= 0) {
            throw PointCloudFormatException.atLine(in.file(), in.line(), "the file ends inside facet " + facets);
        }
    }
}
