package io.github.pointclip.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the read-only reference material in {@code ../shared} (golden outputs, the CLIP
 * vocabulary, the ModelNet40 sample). A fresh clone without it skips the tests that need it,
 * with a message saying so; when the environment variable {@code CI} is set, a missing file
 * fails the test instead, so CI never skips silently.
 *
 * <p>The directory is {@code -Dpointclip.shared.dir} (set by the parent pom to
 * {@code ../shared} beside the checkout) or the environment variable {@code POINTCLIP_SHARED}.
 */
public final class SharedData {

    private SharedData() {
    }

    /**
     * @param relative path inside the shared directory, e.g. {@code golden/projection/chair_1024.npy}
     * @return the existing file or directory
     */
    public static Path require(String relative) {
        Path root = root();
        Path file = root == null ? null : root.resolve(relative);
        if (file != null && Files.exists(file)) {
            return file;
        }
        String message = "shared reference data not found: " + (file == null ? relative : file)
            + " (set -Dpointclip.shared.dir or POINTCLIP_SHARED to the shared/ directory)";
        if (System.getenv("CI") != null) {
            Assertions.fail(message + "; CI is set, so this test must not be skipped");
        }
        Assumptions.abort(message);
        return null; // unreachable
    }

    private static Path root() {
        String dir = System.getProperty("pointclip.shared.dir");
        if (dir == null || dir.isBlank()) {
            dir = System.getenv("POINTCLIP_SHARED");
        }
        if (dir == null || dir.isBlank()) {
            Path guess = Paths.get("").toAbsolutePath();
            for (int up = 0; up < 3 && guess != null; up++, guess = guess.getParent()) {
                Path candidate = guess.resolveSibling("shared");
                if (Files.isDirectory(candidate.resolve("golden"))) {
                    return candidate.normalize();
                }
            }
            return null;
        }
        return Paths.get(dir).toAbsolutePath().normalize();
    }
}
