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
}
