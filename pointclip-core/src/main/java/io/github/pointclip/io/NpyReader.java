package io.github.pointclip.io;

import io.github.pointclip.cloud.PointCloud;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a NumPy {@code .npy} array of shape [N, C ≥ 3] (float32, float64 or integer) as N
 * points; columns after z become the attribute "extra" of width C − 3. The shape is checked
 * against {@link ReadOptions#maxPoints()} before any data is read.
 */
final class NpyReader {

    private NpyReader() {
    }

    static PointCloud read(Path file, ReadOptions options) throws IOException {
        long size = Files.size(file);
        return read(Files.newInputStream(file), size, file, options);
    }

    /**
     * @param in the array's bytes from its start; closed on return
     * @param size the number of bytes {@code in} holds
     * @param file the name that error messages show
     * @param options the read options
     */
    static PointCloud read(InputStream in, long size, Path file, ReadOptions options) throws IOException {
        long[] layout = new long[2];
        NpyArray array = NpyArray.read(in, size, file, (shape, dataOffset, itemSize) -> {
            if (shape.length != 2 || shape[1] < 3) {
                throw PointCloudFormatException.atByte(file, 10, "a point cloud .npy needs shape [N, ≥3], this one"
                    + " is " + Arrays.toString(shape));
            }
            if (shape[0] == 0) {
                throw PointCloudFormatException.atByte(file, 10, "the array holds no points (shape "
                    + Arrays.toString(shape) + ")");
            }
            if (shape[0] > options.maxPoints()) {
                throw PointCloudFormatException.atByte(file, 10, "the array holds " + shape[0]
                    + " points, more than maxPoints=" + options.maxPoints()
                    + "; raise ReadOptions.maxPoints to read this file");
            }
            layout[0] = dataOffset;
            layout[1] = itemSize;
        });
        int[] shape = array.shape();
        int n = shape[0];
        int columns = shape[1];
        float[] data = array.dataNoCopy();
        float[] xyz = data;
        float[] extra = null;
        if (columns > 3) {
            xyz = new float[3 * n];
            extra = options.keepAttributes() ? new float[(columns - 3) * n] : null;
            for (int i = 0; i < n; i++) {
                System.arraycopy(data, i * columns, xyz, 3 * i, 3);
                if (extra != null) {
                    System.arraycopy(data, i * columns + 3, extra, (columns - 3) * i, columns - 3);
                }
            }
        }
        if (!options.dropNonFinite()) {
            for (int i = 0; i < xyz.length; i++) {
                if (!Float.isFinite(xyz[i])) {
                    int point = i / 3;
                    long offset = layout[0] + ((long) point * columns + i % 3) * layout[1];
                    throw PointCloudFormatException.atByte(file, offset, "point " + point + " has a non-finite "
                        + "xyz".charAt(i % 3) + " coordinate (" + xyz[i]
                        + "); set ReadOptions.dropNonFinite(true) to drop such points");
                }
            }
        }
        PointCloud.Builder builder = PointCloud.builder().coordinates(xyz).dropNonFinite(true);
        if (extra != null) {
            builder.attribute("extra", extra);
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw PointCloudFormatException.of(file, e.getMessage(), e);
        }
    }
}
