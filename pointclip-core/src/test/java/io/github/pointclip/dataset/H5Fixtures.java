package io.github.pointclip.dataset;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Small h5 files written with jHDF's writer, with coordinates that encode where they belong. */
final class H5Fixtures {

    private H5Fixtures() {
    }

    /**
     * The coordinate the fixtures store: unique per (file tag, sample, point, axis) and exact in float32.
     */
    static float value(int tag, int sample, int point, int axis) {
        return tag * 100_000f + sample * 100f + point * 3 + axis + 0.25f;
    }

    /** {@code count} clouds of {@code points} points whose values are {@link #value}. */
    static float[][][] clouds(int tag, int count, int points) {
        float[][][] data = new float[count][points][3];
        for (int s = 0; s < count; s++) {
            for (int p = 0; p < points; p++) {
                for (int a = 0; a < 3; a++) {
                    data[s][p][a] = value(tag, s, p, a);
                }
            }
        }
        return data;
    }

    /** The packed coordinates of one fixture cloud, computed independently of any reader. */
    static float[] expected(int tag, int sample, int points) {
        float[] xyz = new float[3 * points];
        for (int i = 0; i < xyz.length; i++) {
            xyz[i] = value(tag, sample, i / 3, i % 3);
        }
        return xyz;
    }

    /** Writes the given root datasets (name to Java array) to an h5 file. */
    static Path write(Path file, Map<String, Object> datasets) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (WritableHdfFile out = HdfFile.write(file)) {
            datasets.forEach(out::putDataset);
        }
        return file;
    }

    /** Writes {@code data} and {@code label} with creation options (chunking, compression, unsigned). */
    static Path write(Path file, Object data, DatasetCreationOptions dataOptions, Object label,
        DatasetCreationOptions labelOptions) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (WritableHdfFile out = HdfFile.write(file)) {
            out.putDataset("data", data, dataOptions);
            out.putDataset("label", label, labelOptions);
        }
        return file;
    }

    /** Writes {@code data} and {@code label} to an h5 file. */
    static Path write(Path file, Object data, Object label) throws IOException {
        return write(file, Map.of("data", data, "label", label));
    }

    /** Labels 0, 1, 2 … cycling over {@code classes}, as an [N] int array. */
    static int[] cyclicLabels(int count, int classes) {
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % classes;
        }
        return labels;
    }

    /** Writes a text file. */
    static Path text(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
