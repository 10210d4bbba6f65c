package io.github.pointclip.onnx.internal;

import io.github.pointclip.internal.AtomicFiles;
import io.github.pointclip.internal.CacheDirectory;
import io.github.pointclip.internal.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SHA-256 digests of large files, remembered by absolute path, size and modification time so
 * that a model file is hashed once per version of the file rather than on every start. The memo
 * is one small file per key in {@code <cache>/model-ids/} holding the 64 hex digits; entries are
 * written atomically, an entry that is not 64 hex digits is ignored (and rewritten), and a file
 * that changes while it is hashed is not remembered. Thread-safe; the memo directory may be
 * shared by processes.
 *
 * <p>What the memo cannot see: a file changed in place with the same size and modification
 * time (bit rot, or a tool that restores the time stamp). {@link #rehash(Path)} always reads the
 * file, as {@code pointclip models verify} does.
 */
public final class DigestMemo {

    private static final Logger LOG = LoggerFactory.getLogger(DigestMemo.class);
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private final Path dir;

    /**
     * @param dir the memo directory; created when the first entry is written
     */
    public DigestMemo(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
    }

    /** @return the memo in {@code <cache>/model-ids/} of the {@linkplain CacheDirectory cache root} */
    public static DigestMemo inCache() {
        return new DigestMemo(CacheDirectory.root().resolve("model-ids"));
    }

    /** @return the memo directory */
    public Path directory() {
        return dir;
    }

    /**
     * @param file a regular file
     * @return its lower-case hex SHA-256: remembered when the file's path, size and modification
     *     time are known, else computed and remembered
     * @throws IOException when the file cannot be read
     */
    public String sha256(Path file) throws IOException {
        Version version = Version.of(file);
        Optional<String> known = read(version);
        return known.isPresent() ? known.get() : hashAndRemember(version);
    }

    /**
     * @param file a regular file
     * @return its lower-case hex SHA-256, always read from the file; the memo is updated
     * @throws IOException when the file cannot be read
     */
    public String rehash(Path file) throws IOException {
        return hashAndRemember(Version.of(file));
    }

    /**
     * @param file a regular file
     * @return the remembered digest of this version of the file, if any
     * @throws IOException when the file's size or time stamp cannot be read
     */
    public Optional<String> remembered(Path file) throws IOException {
        return read(Version.of(file));
    }

    /** @return the memo file of this version of {@code file} (it may not exist) */
    public Path entry(Path file) throws IOException {
        return entry(Version.of(file));
    }

    private Path entry(Version v) {
        return dir.resolve(io.github.pointclip.internal.Sha256.hex(v.key()) + ".sha256");
    }

    private Optional<String> read(Version version) {
        Path entry = entry(version);
        String text;
        try {
            text = Files.readString(entry, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.debug("ignoring unreadable digest memo {}: {}", entry, e.toString());
            return Optional.empty();
        }
        if (!HEX64.matcher(text).matches()) {
            LOG.debug("ignoring corrupt digest memo {} for {}", entry, version.file);
            return Optional.empty();
        }
        return Optional.of(text);
    }

    private String hashAndRemember(Version version) throws IOException {
        long start = System.nanoTime();
        String hex = Sha256.of(version.file);
        LOG.debug("SHA-256 of {} ({} bytes) in {} ms", version.file, version.size, (System.nanoTime() - start) / 1_000_000);
        if (!version.equals(Version.of(version.file))) {
            LOG.debug("{} changed while it was hashed; not remembering its digest", version.file);
            return hex;
        }
        try {
            AtomicFiles.write(entry(version), out -> out.write(hex.getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not remember the SHA-256 of {} in {}: {}", version.file, dir, e.toString());
        }
        return hex;
    }

    /** A file's identity for the memo: absolute path, size, modification time in milliseconds. */
    private record Version(Path file, long size, long modifiedMillis) {
        static Version of(Path file) throws IOException {
            Path abs = file.toAbsolutePath().normalize();
            return new Version(abs, Files.size(abs), Files.getLastModifiedTime(abs).toMillis());
        }

        String key() {
            return file + "|" + size + "|" + modifiedMillis;
        }
    }
}
