package io.github.pointclip.io;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.internal.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a cloud as binary little-endian PLY: float x y z, then each attribute — "normal" as
 * float nx ny nz, "color" as red green blue (uchar when every value is an integer in 0–255, else
 * float), a width-1 attribute as one float property of its name, a wider one as
 * {@code name_0 … name_k}. Atomic.
 */
final class PlyWriter {

    private PlyWriter() {
    }

    static void write(PointCloud cloud, Path file) throws IOException {
        int n = cloud.size();
        List<float[]> values = new ArrayList<>();
        List<String[]> names = new ArrayList<>();
        List<Boolean> asBytes = new ArrayList<>();
        for (String name : cloud.attributeNames()) {
            float[] v = cloud.attribute(name);
            int width = v.length / n;
            String[] props = new String[width];
            if (name.equals("normal") && width == 3) {
                props = new String[] {"nx", "ny", "nz"};
            } else if (name.equals("color") && width == 3) {
                props = new String[] {"red", "green", "blue"};
            } else if (width == 1) {
                props[0] = sanitize(name);
            } else {
                for (int k = 0; k < width; k++) {
                    props[k] = sanitize(name) + "_" + k;
                }
            }
            values.add(v);
            names.add(props);
            asBytes.add(name.equals("color") && width == 3 && allBytes(v));
        }
        StringBuilder header = new StringBuilder("ply\nformat binary_little_endian 1.0\n")
            .append("comment written by PointCLIP for Java\n")
            .append("element vertex ").append(n).append('\n')
            .append("property float x\nproperty float y\nproperty float z\n");
        int record = 12;
        for (int a = 0; a < names.size(); a++) {
            for (String prop : names.get(a)) {
                header.append("property ").append(asBytes.get(a) ? "uchar " : "float ").append(prop).append('\n');
                record += asBytes.get(a) ? 1 : 4;
            }
        }
        header.append("end_header\n");
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.US_ASCII);
        int recordSize = record;
        AtomicFiles.write(file, out -> {
            out.write(headerBytes);
            int perChunk = Math.max(1, (1 << 16) / recordSize);
            ByteBuffer buffer = ByteBuffer.allocate(perChunk * recordSize).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                buffer.putFloat(cloud.x(i)).putFloat(cloud.y(i)).putFloat(cloud.z(i));
                for (int a = 0; a < values.size(); a++) {
                    int width = names.get(a).length;
                    float[] v = values.get(a);
                    for (int k = 0; k < width; k++) {
                        float value = v[i * width + k];
                        if (asBytes.get(a)) {
                            buffer.put((byte) (int) value);
                        } else {
                            buffer.putFloat(value);
                        }
                    }
                }
                if (buffer.remaining() < recordSize) {
                    out.write(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
            }
            out.write(buffer.array(), 0, buffer.position());
        });
    }

    private static boolean allBytes(float[] values) {
        for (float v : values) {
            if (!(v >= 0 && v <= 255 && v == Math.rint(v))) {
                return false;
            }
        }
        return true;
    }

    private static String sanitize(String name) {
        String clean = name.replaceAll("[^A-Za-z0-9_]", "_");
        return clean.isEmpty() ? "attribute" : clean;
    }
}
