package io.github.pointclip.io;

import java.io.IOException;
import java.util.Locale;

/**
 * Reads Object File Format meshes: an {@code OFF} line (also {@code COFF}, {@code NOFF},
 * {@code CNOFF}, {@code STOFF}, and the {@code OFF123 456 0} run-together form found in
 * ModelNet), the counts {@code vertices faces edges}, the vertex lines (x y z, colours ignored)
 * and the face lines ({@code k i0 … ik-1}, polygons split into a fan of triangles). {@code #}
 * starts a comment. Counts that disagree with the content are errors.
 */
final class OffReader implements FormatReader {

    @Override
    public void read(ByteInput in, CloudCollector out, long fileSize) throws IOException {
        in.commentChar('#');
        if (!nextContentLine(in)) {
            throw PointCloudFormatException.atByte(in.file(), 0, "empty OFF file");
        }
        String keyword = in.nextWord();
        int at = keyword.toUpperCase(Locale.ROOT).indexOf("OFF");
        if (at < 0) {
            throw PointCloudFormatException.atLine(in.file(), in.line(), "not an OFF file: the first line is "
                + PointCloudFormatException.quote(keyword) + ", expected OFF");
        }
        String prefix = keyword.substring(0, at);
        if (prefix.contains("4") || prefix.contains("n")) {
            throw PointCloudFormatException.atLine(in.file(), in.line(), PointCloudFormatException.quote(keyword)
                + " (not 3-D) is not supported");
        }
        String rest = keyword.substring(at + 3);
        long vertexCount;
        long faceCount;
        if (!rest.isEmpty()) { // "OFF8 6 0": counts run into the keyword
            try {
                vertexCount = Long.parseLong(rest);
            } catch (NumberFormatException e) {
                throw PointCloudFormatException.atLine(in.file(), in.line(), "bad OFF keyword "
                    + PointCloudFormatException.quote(keyword));
            }
            faceCount = in.nextLong("face count");
        } else {
            if (!in.hasToken() && !nextContentLine(in)) {
                throw PointCloudFormatException.atLine(in.file(), in.line(), "OFF file ends before the counts line");
            }
            vertexCount = in.nextLong("vertex count");
            faceCount = in.nextLong("face count");
        }
        long countsLine = in.line();
        if (faceCount < 0) {
            throw PointCloudFormatException.atLine(in.file(), countsLine, "negative face count " + faceCount);
        }
        // a vertex is at least "0 0 0\n": 6 bytes
        out.expectPointsWithin(vertexCount, fileSize / 6, fileSize, "of the file", countsLine);
        for (long v = 0; v < vertexCount; v++) {
            if (!nextContentLine(in)) {
                throw PointCloudFormatException.atLine(in.file(), countsLine, "the OFF header declares " + vertexCount
                    + " vertices, the file ends after " + v + " (line " + in.line() + ")");
            }
            float x = in.nextFloat("x of vertex", v);
            float y = in.nextFloat("y of vertex", v);
            float z = in.nextFloat("z of vertex", v);
            out.add(x, y, z, in.line());
        }
        int[] polygon = new int[16];
        for (long f = 0; f < faceCount; f++) {
            if (!nextContentLine(in)) {
                throw PointCloudFormatException.atLine(in.file(), countsLine, "the OFF header declares " + faceCount
                    + " faces, the file ends after " + f + " (line " + in.line() + ")");
            }
            long k = in.nextLong("vertex count of face", f);
            if (k < 0 || k > vertexCount && k > 3) {
                throw PointCloudFormatException.atLine(in.file(), in.line(), "face " + f + " has an implausible"
                    + " vertex count " + k);
            }
            if (polygon.length < k) {
                polygon = new int[(int) k];
            }
            for (int i = 0; i < k; i++) {
                long index = in.nextLong("vertex index of face", f);
                if (index < 0 || index >= vertexCount) {
                    throw PointCloudFormatException.atLine(in.file(), in.line(), "face " + f + " refers to vertex "
                        + index + ", but there are " + vertexCount);
                }
                polygon[i] = (int) index;
            }
            out.addPolygon(polygon, (int) k);
        }
        if (nextContentLine(in)) {
            throw PointCloudFormatException.atLine(in.file(), in.line(), "content after the " + faceCount
                + " faces declared on line " + countsLine + "; are the header counts wrong?");
        }
    }

    /** Advances to the next line with a token (skipping blank and comment lines). */
    static boolean nextContentLine(ByteInput in) throws IOException {
        while (in.nextLine()) {
            if (in.hasToken()) {
                return true;
            }
        }
        return false;
    }
}
