package io.github.pointclip.internal;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * The root of PointCLIP's caches (models, text and image features): the system property
 * {@code pointclip.cache}, else the environment variable {@code POINTCLIP_CACHE}, else
 * {@code $XDG_CACHE_HOME/pointclip}, else {@code ~/.cache/pointclip}. Read on every call, never
 * in a static initialiser.
 */
public final class CacheDirectory {

    private CacheDirectory() {
    }

    /** @return the cache root from the JVM's system properties and environment (it may not exist yet) */
    public static Path root() {
        return root(System::getProperty, System::getenv);
    }

    /**
     * The cache root from given settings (for tests and for components that take injected settings).
     *
     * @param properties system-property lookup
     * @param environment environment-variable lookup
     * @return the cache root, absolute and normalised
     */
    public static Path root(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        String dir = nonBlank(properties.apply("pointclip.cache"));
        if (dir == null) {
            dir = nonBlank(environment.apply("POINTCLIP_CACHE"));
        }
        if (dir != null) {
            return Path.of(dir).toAbsolutePath().normalize();
        }
        String xdg = nonBlank(environment.apply("XDG_CACHE_HOME"));
        if (xdg != null) {
            return Path.of(xdg, "pointclip").toAbsolutePath().normalize();
        }
        String home = nonBlank(properties.apply("user.home"));
        return Path.of(home != null ? home : ".", ".cache", "pointclip").toAbsolutePath().normalize();
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
