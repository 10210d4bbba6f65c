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
     * @throws IllegalArgumentException if no loader reads the file
     */
    static FeatureAdapter loadAny(Path file) throws IOException {
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        for (FeatureAdapterLoader loader : java.util.ServiceLoader.load(FeatureAdapterLoader.class,
            FeatureAdapterLoader.class.getClassLoader())) {
            if (loader.accepts(file)) {
                return loader.load(file);
            }
        }
        throw new IllegalArgumentException("no adapter loader reads " + file
            + " (not an adapter checkpoint, or io.github.pointclip:pointclip-adapter is not on the class path)");
    }
}
