package io.github.pointclip.io;

import java.io.IOException;
import java.util.Arrays;

/**
 * Reads Wavefront OBJ meshes: {@code v x y z} vertices and {@code f} faces whose corners are
 * {@code i}, {@code i/t}, {@code i/t/n} or {@code i//n}, 1-based or negative (relative to the
 * vertices read so far). Polygons are split into a fan of triangles. Every other statement
 * ({@code vt}, {@code vn}, {@code g}, {@code usemtl}…) is skipped.
 */
final class ObjReader implements FormatReader {

    @Override
    public void read(ByteInput in, CloudCollector out, long fileSize) throws IOException {
        in.commentChar('#');
        int[] polygon = new int[16];
        long faces = 0;
        while (in.nextLine()) {
            if (in.nextTokenIs("v")) {
                in.skipToken();
                long v = out.vertexCount();
                float x = in.nextFloat("x of vertex", v);
                float y = in.nextFloat("y of vertex", v);
                float z = in.nextFloat("z of vertex", v);
                out.add(x, y, z, in.line());
            } else if (in.nextTokenIs("f")) {
                in.skipToken();
                if (!out.sampling()) {
                    out.sawFaces();
                    continue;
                }
                int vertices = out.vertexCount();
                int k = 0;
                while (in.hasToken()) {
                    long index = in.nextIndexBeforeSlash("vertex index of face", faces);
                    long resolved = index > 0 ? index - 1 : vertices + index;
                    if (index == 0 || resolved < 0 || resolved >= vertices) {
                        throw PointCloudFormatException.atLine(in.file(), in.line(), "face " + faces
                            + " refers to vertex " + index + ", but " + vertices + " vertices are defined before it");
                    }
                    if (k == polygon.length) {
                        polygon = Arrays.copyOf(polygon, 2 * k);
                    }
                    polygon[k++] = (int) resolved;
                }
                if (k < 3) {
                    throw PointCloudFormatException.atLine(in.file(), in.line(), "face " + faces + " has " + k
                        + " vertices, at least 3 needed");
                }
                out.addPolygon(polygon, k);
                faces++;
            }
        }
    }
}
