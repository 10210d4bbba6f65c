package io.github.pointclip.dataset;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.internal.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;

/** The {@link Dataset#contentIdentity(int)} parts: a file's identity, or a hash of a cloud's points. */
final class SourceIdentity {

    private SourceIdentity() {
    }

    /**
     * @param file a file
     * @return its absolute path, size, modification time (nanoseconds) and file key (device and
     *     inode where the file system has them), the attributes read through symbolic links: a
     *     rewritten or replaced file, or a link pointed elsewhere, gets another identity. (The
     *     absolute path rather than the real one: resolving every link costs a status call per
     *     path component, and the file key already tells files apart.)
     * @throws DatasetException if the file no longer exists
     * @throws IOException if it cannot be examined
     */
    static String ofFile(Path file) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new DatasetException(file, "no longer exists", e);
        }
        Object key = a.fileKey();
        return absolute + "|size=" + a.size() + "|mtime=" + a.lastModifiedTime().to(TimeUnit.NANOSECONDS)
            + (key == null ? "" : "|key=" + key);
    }

    /**
     * @param cloud a cloud
     * @return SHA-256 (hex) over its size and its coordinates' float bits
     */
    static String ofPoints(PointCloud cloud) {
        MessageDigest md = Sha256.newDigest();
        float[] xyz = cloud.toArray();
        byte[] bytes = new byte[4 + 4 * xyz.length];
        int n = cloud.size();
        bytes[0] = (byte) (n >>> 24);
        bytes[1] = (byte) (n >>> 16);
        bytes[2] = (byte) (n >>> 8);
        bytes[3] = (byte) n;
        for (int i = 0; i < xyz.length; i++) {
            int bits = Float.floatToRawIntBits(xyz[i]);
            int o = 4 + 4 * i;
            bytes[o] = (byte) (bits >>> 24);
            bytes[o + 1] = (byte) (bits >>> 16);
            bytes[o + 2] = (byte) (bits >>> 8);
            bytes[o + 3] = (byte) bits;
        }
        return Sha256.hex(md.digest(bytes));
    }
}
