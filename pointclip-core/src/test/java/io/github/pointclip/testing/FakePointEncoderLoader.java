package io.github.pointclip.testing;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.encoder.PointEncoder;
import io.github.pointclip.encoder.PointEncoderLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test {@link PointEncoderLoader} for files ending in {@code .fakeenc}: the file's text is the
 * embedding width; a file reading {@code corrupt} fails as a corrupt checkpoint.
 */
public final class FakePointEncoderLoader implements PointEncoderLoader {

    /** Encoders loaded and not yet closed, so that tests see who closes them. */
    public static final AtomicInteger OPEN = new AtomicInteger();

    @Override
    public boolean accepts(Path file) {
        return file.getFileName().toString().endsWith(".fakeenc");
    }

    @Override
    public PointEncoder load(Path file) throws IOException {
        String text = Files.readString(file).strip();
        if (text.equals("corrupt")) {
            throw new IOException(file + ": truncated header");
        }
        OPEN.incrementAndGet();
        return new FirstPointEncoder(Integer.parseInt(text), file, OPEN);
    }

    /**
     * Embeds a cloud as (x, y, z, 1, 0, …) of its first point, widened to the width; features are the
     * same. Records the sizes of the clouds it saw.
     */
    public static final class FirstPointEncoder implements PointEncoder {
        private final int dim;
        private final Path source;
        private final AtomicInteger open;
        private boolean closed;
        /** Sizes of the clouds embedded, in order. */
        public final List<Integer> seen = new ArrayList<>();

        /**
         * @param dim embedding width, at least 4
         * @param source the file, or null
         * @param open counter decremented on the first close, or null
         */
        public FirstPointEncoder(int dim, Path source, AtomicInteger open) {
            this.dim = dim;
            this.source = source;
            this.open = open;
        }

        @Override
        public int embeddingDim() {
            return dim;
        }

        @Override
        public int featureDim() {
            return dim;
        }

        @Override
        public float[] features(List<PointCloud> clouds) {
            return embed(clouds);
        }

        @Override
        public synchronized float[] embed(List<PointCloud> clouds) {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            float[] out = new float[clouds.size() * dim];
            for (int k = 0; k < clouds.size(); k++) {
                PointCloud c = clouds.get(k);
                seen.add(c.size());
                out[k * dim] = c.x(0);
                out[k * dim + 1] = c.y(0);
                out[k * dim + 2] = c.z(0);
                out[k * dim + 3] = 1;
            }
            return out;
        }

        @Override
        public Map<String, String> metadata() {
            return Map.of("encoder", "first-point");
        }

        @Override
        public Path source() {
            return source;
        }

        /** @return whether it was closed */
        public synchronized boolean closed() {
            return closed;
        }

        @Override
        public synchronized void close() {
            if (!closed && open != null) {
                open.decrementAndGet();
            }
            closed = true;
        }
    }
}
