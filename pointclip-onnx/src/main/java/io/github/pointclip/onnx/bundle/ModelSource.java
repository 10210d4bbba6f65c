package io.github.pointclip.onnx.bundle;

/** Where {@link ModelResolver} found a bundle. */
public enum ModelSource {
    /** The path given to the builder. */
    EXPLICIT,
    /** The system property {@code pointclip.model}. */
    SYSTEM_PROPERTY,
    /** The environment variable {@code POINTCLIP_MODEL}. */
    ENVIRONMENT,
    /** A directory named after the model in the cache directory. */
    CACHE,
    /** Downloaded into the cache directory by this resolution. */
    DOWNLOAD
}
