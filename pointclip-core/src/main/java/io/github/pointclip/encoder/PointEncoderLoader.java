package io.github.pointclip.encoder;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads {@link PointEncoder}s (CrossPoint checkpoints) from files, found with {@link java.util.ServiceLoader}
 * (register in {@code META-INF/services/io.github.pointclip.encoder.PointEncoderLoader}).
 */
public interface PointEncoderLoader {

    /**
     * @param file a checkpoint file
     * @return true if this loader reads the file's format
     */
    boolean accepts(Path file);

    /**
     * @param file the checkpoint
     * @return the encoder
     * @throws IOException if the file is missing, corrupt or incompatible (saying what does not match)
     */
    PointEncoder load(Path file) throws IOException;

    /**
     * Loads a checkpoint with the first loader on the class path that reads it.
     *
     * @param file the checkpoint
     * @return the encoder
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws IOException if the loader finds the file corrupt or incompatible
     * @throws IllegalArgumentException if the path is a directory or no loader reads the file (the
     *     message names it and says that a {@code .safetensors} checkpoint is expected)
     */
    static PointEncoder loadAny(Path file) throws IOException {
        return CheckpointLoading.loadAny(file, PointEncoderLoader.class, new CheckpointLoading.Reader<>() {
            @Override
            public boolean accepts(PointEncoderLoader loader, Path checkpoint) {
                return loader.accepts(checkpoint);
            }

            @Override
            public PointEncoder load(PointEncoderLoader loader, Path checkpoint) throws IOException {
                return loader.load(checkpoint);
            }
        }, "point encoder", "pointclip-crosspoint");
    }
}
