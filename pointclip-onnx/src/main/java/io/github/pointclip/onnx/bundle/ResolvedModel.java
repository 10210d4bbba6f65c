package io.github.pointclip.onnx.bundle;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The outcome of {@link ModelResolver#resolvePath()}.
 *
 * @param directory the bundle directory, absolute
 * @param source where it was found
 */
public record ResolvedModel(Path directory, ModelSource source) {
    /** Checks the arguments. */
    public ResolvedModel {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(source, "source");
    }
}
