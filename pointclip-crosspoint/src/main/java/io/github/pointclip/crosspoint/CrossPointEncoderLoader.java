package io.github.pointclip.crosspoint;

import io.github.pointclip.adapter.checkpoint.CheckpointException;
import io.github.pointclip.encoder.PointEncoder;
import io.github.pointclip.encoder.PointEncoderLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads {@link CrossPointCheckpoint}s ({@code *.safetensors}) for {@code PointEncoderLoader.loadAny} and
 * {@code PointClip.builder().pointEncoder(path)}; registered in
 * {@code META-INF/services/io.github.pointclip.encoder.PointEncoderLoader} and in the module descriptor.
 */
public final class CrossPointEncoderLoader implements PointEncoderLoader {
    private static final Logger LOG = LoggerFactory.getLogger(CrossPointEncoderLoader.class);

    /** Creates the loader (called by {@link java.util.ServiceLoader}). */
    public CrossPointEncoderLoader() {
    }

    @Override
    public boolean accepts(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".safetensors");
    }

    @Override
    public PointEncoder load(Path file) throws IOException {
        CrossPointCheckpoint checkpoint = CrossPointCheckpoint.load(file);
        CrossPointEncoder encoder;
        try {
            encoder = checkpoint.toEncoder(file);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, e.getMessage(), e);
        }
        LOG.info("loaded point encoder {}: {}, CLIP width {}, {} points, aligned with {}", file, checkpoint.config(),
                checkpoint.clipDim(), checkpoint.points(), checkpoint.metadata().getOrDefault("clip_model", "?"));
        return encoder;
    }
}
