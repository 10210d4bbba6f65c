package io.github.pointclip.io;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, the digest every cache key, model id and download check of the project uses. */
public final class Sha256 {

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
}
