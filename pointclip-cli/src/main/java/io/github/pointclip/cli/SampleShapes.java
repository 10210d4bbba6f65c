package io.github.pointclip.cli;

import io.github.pointclip.internal.AtomicFiles;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Procedurally built sample meshes, so that the README and the docs run on shapes the project
 * makes itself. {@code main} writes {@code examples/samples/chair.obj}; a test checks the
 * committed file equals the generator's output.
 */
public final class SampleShapes {

    private final List<float[]> vertices = new ArrayList<>();
    private final List<int[]> faces = new ArrayList<>();

    private SampleShapes() {
    }

    /**
     * A chair of axis-aligned boxes: a seat, four legs and a backrest with two rails, about 1 unit tall,
     * y up, facing −z.
     *
     * @return the chair as an OBJ document (vertices and triangles)
     */
    public static String chairObj() {
        SampleShapes s = new SampleShapes();
        float legW = 0.06f;
        s.box(-0.25f, 0.00f, -0.25f, 0.5f, 0.06f, 0.5f);          // seat
        for (float x : new float[] {-0.25f, 0.25f - legW}) {
            for (float z : new float[] {-0.25f, 0.25f - legW}) {
                s.box(x, -0.45f, z, legW, 0.45f, legW);             // legs
            }
        }
        s.box(-0.25f, 0.06f, 0.19f, legW, 0.5f, legW);              // back posts
        s.box(0.25f - legW, 0.06f, 0.19f, legW, 0.5f, legW);
        s.box(-0.25f, 0.40f, 0.20f, 0.5f, 0.16f, 0.04f);            // top rail
        s.box(-0.19f, 0.20f, 0.21f, 0.38f, 0.06f, 0.02f);           // middle rail
        return s.toObj("PointCLIP for Java sample chair (procedural, see SampleShapes)");
    }

    private void box(float x, float y, float z, float dx, float dy, float dz) {
        int base = vertices.size() + 1; // OBJ indices are 1-based
        for (int i = 0; i < 8; i++) {
            vertices.add(new float[] {x + ((i & 1) != 0 ? dx : 0), y + ((i & 2) != 0 ? dy : 0), z + ((i & 4) != 0 ? dz : 0)});
        }
        int[][] quads = {{0, 2, 3, 1}, {4, 5, 7, 6}, {0, 1, 5, 4}, {2, 6, 7, 3}, {0, 4, 6, 2}, {1, 3, 7, 5}};
        for (int[] q : quads) {
            faces.add(new int[] {base + q[0], base + q[1], base + q[2]});
            faces.add(new int[] {base + q[0], base + q[2], base + q[3]});
        }
    }

    private String toObj(String comment) {
        StringBuilder s = new StringBuilder("# ").append(comment).append('\n');
        for (float[] v : vertices) {
            s.append(String.format(Locale.ROOT, "v %.4f %.4f %.4f%n", v[0], v[1], v[2]));
        }
        for (int[] f : faces) {
            s.append("f ").append(f[0]).append(' ').append(f[1]).append(' ').append(f[2]).append('\n');
        }
        return s.toString().replace("\r\n", "\n");
    }

    /**
     * Writes the sample meshes into a directory.
     *
     * @param args the output directory, default {@code examples/samples}
     * @throws IOException if writing fails
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "examples/samples");
        String obj = chairObj();
        AtomicFiles.write(dir.resolve("chair.obj"), out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(obj);
            w.flush();
        });
    }
}
