package io.github.pointclip.io;

import java.nio.file.Path;

/**
 * The root of PointCLIP's caches (models, text and image features): the system property
 * {@code pointclip.cache}, else the environment variable {@code POINTCLIP_CACHE}, else
 * {@code $XDG_CACHE_HOME/pointclip}, else {@code ~/.cache/pointclip}. Read on every call, never
 * in a static initialiser.
 */
public final class CacheDirectory {

    private CacheDirectory() {
    }

    /** @return the cache root (it may not exist yet) */
    public static Path root() {
        String dir = System.getProperty("pointclip.cache");
        if (dir == null || dir.isBlank()) {
            dir = System.getenv("POINTCLIP_CACHE");
        }
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir).toAbsolutePath();
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "pointclip").toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".cache", "pointclip");
    }
}
