package io.github.pointclip.onnx.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.regex.Pattern;

/** SHA-256 helpers shared by the manifest, the bundle and the downloader. */
final class Sha256 {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private Sha256() {
    }

    static MessageDigest newDigest() {
        return io.github.pointclip.io.Sha256.newDigest();
    }

    /** Feeds the whole file into {@code digest}. */
    static void update(MessageDigest digest, Path file) throws IOException {
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
    }

    /** @return the lower-case hex digest of the file */
    static String of(Path file) throws IOException {
        MessageDigest digest = newDigest();
        update(digest, file);
        return hex(digest.digest());
    }

    static String hex(byte[] digest) {
        return io.github.pointclip.io.Sha256.hex(digest);
    }

    /**
     * @return the digest in lower case
     * @throws IllegalArgumentException when it is not 64 hex digits
     */
    static String normalise(String hex) {
        String lower = hex.trim().toLowerCase(Locale.ROOT);
        if (!HEX64.matcher(lower).matches()) {
            throw new IllegalArgumentException("not a SHA-256 digest (64 hex digits): '" + hex + "'");
        }
        return lower;
    }
}
