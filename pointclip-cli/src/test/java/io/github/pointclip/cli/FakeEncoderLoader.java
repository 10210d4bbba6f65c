package io.github.pointclip.cli;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.encoder.PointEncoder;
import io.github.pointclip.encoder.PointEncoderLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A test {@link PointEncoderLoader} for files that start with {@value #MAGIC} followed by the
 * embedding width: the encoder's features are a cloud's centroid and extent, its embedding those
 * statistics spread over the width. Used before a real checkpoint format is on the class path, and
 * to keep CLI tests independent of training.
 */
public final class FakeEncoderLoader implements PointEncoderLoader {

    static final String MAGIC = "FAKE-ENCODER ";

    /**
     * @param file where to write
     * @param dim the embedding width
     * @return the file
     */
    static Path write(Path file, int dim) throws IOException {
        return Files.writeString(file, MAGIC + dim);
    }

    @Override
    public boolean accepts(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(MAGIC.length());
            return new String(head, StandardCharsets.US_ASCII).equals(MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public PointEncoder load(Path file) throws IOException {
        int dim = Integer.parseInt(Files.readString(file).substring(MAGIC.length()).strip());
        return new Statistics(dim, file);
    }

    /** Features: centroid (3) and per-axis extent (3); embedding: those six, cycled over the width, signed. */
    static final class Statistics implements PointEncoder {
        private final int dim;
        private final Path source;

        Statistics(int dim, Path source) {
            this.dim = dim;
            this.source = source;
        }

        @Override
        public int embeddingDim() {
            return dim;
        }

        @Override
        public int featureDim() {
            return 6;
        }

        @Override
        public float[] features(List<PointCloud> clouds) {
            float[] out = new float[clouds.size() * 6];
            for (int k = 0; k < clouds.size(); k++) {
                PointCloud c = clouds.get(k);
                float[] min = {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE};
                float[] max = {-Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
                for (int i = 0; i < c.size(); i++) {
                    float[] p = {c.x(i), c.y(i), c.z(i)};
                    for (int a = 0; a < 3; a++) {
                        out[k * 6 + a] += p[a] / c.size();
                        min[a] = Math.min(min[a], p[a]);
                        max[a] = Math.max(max[a], p[a]);
                    }
                }
                for (int a = 0; a < 3; a++) {
                    out[k * 6 + 3 + a] = max[a] - min[a];
                }
            }
            return out;
        }

        @Override
        public float[] embed(List<PointCloud> clouds) {
            float[] f = features(clouds);
            float[] out = new float[clouds.size() * dim];
            for (int k = 0; k < clouds.size(); k++) {
                for (int i = 0; i < dim; i++) {
                    out[k * dim + i] = (i % 2 == 0 ? 1 : -1) * f[k * 6 + i % 6] + 0.01f * i;
                }
            }
            return out;
        }

        @Override
        public Map<String, String> metadata() {
            return Map.of("encoder", "fake-statistics");
        }

        @Override
        public Path source() {
            return source;
        }
    }
}
