package io.github.pointclip.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** SHA-256, the digest every cache key, model id and download check of the project uses. */
public final class Sha256 {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private Sha256() {
    }

    /** @return a fresh SHA-256 digest */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must support SHA-256", e);
        }
    }

    /**
     * @param text any text, hashed as UTF-8
     * @return its digest as 64 lower-case hex digits
     */
    public static String hex(String text) {
        return hex(newDigest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * @param digest digest bytes
     * @return them as lower-case hex digits
     */
    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /**
     * Feeds the whole file into {@code digest}.
     *
     * @param digest the digest to update
     * @param file the file
     * @throws IOException when the file cannot be read
     */
    public static void update(MessageDigest digest, Path file) throws IOException {
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
    }

    /**
     * @param file a file
     * @return the lower-case hex digest of its bytes
     * @throws IOException when the file cannot be read
     */
    public static String of(Path file) throws IOException {
        MessageDigest digest = newDigest();
        update(digest, file);
        return hex(digest.digest());
    }

    /**
     * @param hex a digest as written by people or servers (any case, surrounding blanks)
     * @return the digest in lower case
     * @throws IllegalArgumentException when it is not 64 hex digits
     */
    public static String normalise(String hex) {
        String lower = hex.trim().toLowerCase(Locale.ROOT);
        if (!HEX64.matcher(lower).matches()) {
            throw new IllegalArgumentException("not a SHA-256 digest (64 hex digits): '" + hex + "'");
        }
        return lower;
    }
}
