package io.github.pointclip.encoder;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads {@link FeatureAdapter}s from checkpoint files, found with {@link java.util.ServiceLoader}
 * (register in {@code META-INF/services/io.github.pointclip.encoder.FeatureAdapterLoader}).
 */
public interface FeatureAdapterLoader {

    /**
     * @param file a checkpoint file
     * @return true if this loader reads the file's format
     */
    boolean accepts(Path file);

    /**
     * @param file the checkpoint
     * @return the adapter
     * @throws IOException if the file is missing, corrupt or incompatible (saying what does not match)
     */
    FeatureAdapter load(Path file) throws IOException;

    /**
     * Loads a checkpoint with the first loader on the class path that reads it.
     *
     * @param file the checkpoint
     * @return the adapter
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws IOException if the loader finds the file corrupt or incompatible
     * @throws IllegalArgumentException if the path is a directory or no loader reads the file (the
     *     message names it and says that a {@code .safetensors} checkpoint is expected)
     */
    static FeatureAdapter loadAny(Path file) throws IOException {
        return CheckpointLoading.loadAny(file, FeatureAdapterLoader.class, new CheckpointLoading.Reader<>() {
            @Override
            public boolean accepts(FeatureAdapterLoader loader, Path checkpoint) {
                return loader.accepts(checkpoint);
            }

            @Override
            public FeatureAdapter load(FeatureAdapterLoader loader, Path checkpoint) throws IOException {
                return loader.load(checkpoint);
            }
        }, "adapter", "pointclip-adapter");
    }
}
