package io.github.pointclip.eval;

import io.github.pointclip.internal.AtomicFiles;
import io.github.pointclip.internal.FeatureKeys;
import io.github.pointclip.internal.Sha256;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An on-disk cache of raw image features [samples, V, D], in chunks of consecutive samples, so
 * that an interrupted evaluation resumes where it stopped. A cache lives in a directory named
 * after a hash of its key (what the features depend on, by value: see {@code FeatureKeys}), with
 * the key itself and a note for people in {@code key.txt}; a chunk is the file
 * {@code chunk-<start>-<count>.f32} (header: magic, version, start, count, floats per sample;
 * then little-endian float32). A chunk with fewer samples than the evaluation's chunk size is
 * the finished part of a chunk whose evaluation was interrupted: it is read as a prefix and
 * replaced by the whole chunk once that is done.
 *
 * <p>Every chunk is written atomically ({@code AtomicFiles}), so a chunk file is either whole or
 * absent, whatever interrupts the writer. A chunk that does not read back as expected (wrong
 * header or length) is logged, deleted and computed again. Safe to use from several threads and
 * processes: two writers of one chunk write the same bytes.
 */
final class FeatureCache {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureCache.class);
    private static final int MAGIC = 0x50434643; // "PCFC"
    private static final int VERSION = 1;
    private static final int HEADER = 20;
    /**
     * Temporary files of writers that died (e.g. killed JVMs) older than this are removed on open;
     * a live writer needs milliseconds for a chunk.
     */
    private static final Duration STALE = Duration.ofMinutes(10);

    private final Path directory;
    private final String key;

    private FeatureCache(Path directory, String key) {
        this.directory = directory;
        this.key = key;
    }

    /**
     * Opens (creating it when needed) the cache of one key under a root directory.
     *
     * @param root the directory holding caches, e.g. {@code <cache root>/eval-features}
     * @param key what the features depend on; see {@link #key}
     * @return the cache
     * @throws IOException if the directory cannot be created or the key file written
     */
    public static FeatureCache open(Path root, String key) throws IOException {
        return open(root, key, "");
    }

    /**
     * Opens (creating it when needed) the cache of one key under a root directory.
     *
     * @param root the directory holding caches, e.g. {@code <cache root>/eval-features}
     * @param key what the features depend on; hashed into the directory's name
     * @param note written after the key into {@code key.txt} for people (e.g. the dataset's
     *     name and location); not part of the key
     * @return the cache
     * @throws IOException if the directory cannot be created or the key file written
     */
    public static FeatureCache open(Path root, String key, String note) throws IOException {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(key, "key");
        Path dir = root.resolve(Sha256.hex(key).substring(0, 24));
        Files.createDirectories(dir);
        Path keyFile = dir.resolve("key.txt");
        if (!Files.isRegularFile(keyFile)) {
            String text = key.endsWith("\n") ? key : key + "\n";
            AtomicFiles.write(keyFile, out -> out.write((text + (note.isEmpty() ? "" : "# " + note + "\n"))
                .getBytes(StandardCharsets.UTF_8)));
        }
        removeStaleTemporaries(dir);
        return new FeatureCache(dir, key);
    }

    /** @return the cache's directory */
    public Path directory() {
        return directory;
    }

    /** @return the key */
    public String key() {
        return key;
    }

    /**
     * Reads a chunk.
     *
     * @param start index of its first sample
     * @param count samples in it
     * @param perSample floats per sample (V·D)
     * @return the features [count · perSample], or null when the chunk is absent or unreadable
     * @throws IOException if the file exists but cannot be read
     */
    public float[] read(int start, int count, int perSample) throws IOException {
        Path file = chunkFile(start, count);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        long expected = HEADER + 4L * count * perSample;
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length != expected || buf.getInt() != MAGIC || buf.getInt() != VERSION || buf.getInt() != start
            || buf.getInt() != count || buf.getInt() != perSample) {
            LOG.warn("feature cache chunk {} is not what was expected ({} bytes, expected {}); computing it again",
                file, bytes.length, expected);
            Files.deleteIfExists(file);
            return null;
        }
        float[] out = new float[count * perSample];
        buf.asFloatBuffer().get(out);
        return out;
    }

    /**
     * Writes a chunk atomically.
     *
     * @param start index of its first sample
     * @param count samples in it
     * @param perSample floats per sample (V·D)
     * @param features [count · perSample] (not modified)
     * @throws IOException if writing fails; no partial chunk is left behind
     */
    public void write(int start, int count, int perSample, float[] features) throws IOException {
        if (features.length < count * perSample) {
            throw new IllegalArgumentException("chunk needs " + count * perSample + " floats, got " + features.length);
        }
        ByteBuffer buf = ByteBuffer.allocate(HEADER + 4 * count * perSample).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(MAGIC).putInt(VERSION).putInt(start).putInt(count).putInt(perSample);
        buf.asFloatBuffer().put(features, 0, count * perSample);
        AtomicFiles.write(chunkFile(start, count), out -> new DataOutputStream(out).write(buf.array()));
    }

    /**
     * The longest stored chunk that starts at a sample, whole or the finished part of an
     * interrupted one.
     *
     * @param start index of the chunk's first sample
     * @param max the most samples wanted
     * @param perSample floats per sample (V·D)
     * @return its first {@code min(count, max)} samples, or null when there is none (or none readable)
     * @throws IOException if a chunk file exists but cannot be read, or the directory not listed
     */
    public Prefix readPrefix(int start, int max, int perSample) throws IOException {
        List<Integer> counts = new ArrayList<>();
        String prefix = "chunk-" + start + "-";
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, prefix + "*.f32")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                try {
                    counts.add(Integer.parseInt(name.substring(prefix.length(), name.length() - 4)));
                } catch (NumberFormatException e) {
                    // not one of ours
                }
            }
        }
        counts.sort(Collections.reverseOrder());
        for (int count : counts) {
            if (count < 1) {
                continue;
            }
            float[] f = read(start, count, perSample);
            if (f != null) {
                int kept = Math.min(count, max);
                return new Prefix(kept, kept == count ? f : Arrays.copyOf(f, kept * perSample));
            }
        }
        return null;
    }

    /**
     * Deletes the chunks that start at a sample and hold fewer samples than a whole one (the
     * finished parts of interrupted runs), once the whole chunk is written.
     *
     * @param start index of the chunk's first sample
     * @param whole samples in the whole chunk
     */
    public void deletePartials(int start, int whole) {
        for (int count = 1; count < whole; count++) {
            try {
                Files.deleteIfExists(chunkFile(start, count));
            } catch (IOException e) {
                LOG.debug("could not delete {}: {}", chunkFile(start, count), e.toString());
            }
        }
    }

    /**
     * The first samples of a chunk, read from the cache.
     *
     * @param count samples read
     * @param features their features [count · perSample]
     */
    public record Prefix(int count, float[] features) {
    }

    /**
     * @param start index of the chunk's first sample
     * @param count samples in it
     * @return whether the chunk file exists
     */
    public boolean contains(int start, int count) {
        return Files.isRegularFile(chunkFile(start, count));
    }

    private Path chunkFile(int start, int count) {
        return directory.resolve("chunk-" + start + "-" + count + ".f32");
    }

    private static void removeStaleTemporaries(Path dir) {
        Instant cutoff = Instant.now().minus(STALE);
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, ".chunk-*.tmp")) {
            for (Path tmp : temps) {
                FileTime modified = Files.getLastModifiedTime(tmp);
                if (modified.toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(tmp);
                }
            }
        } catch (IOException e) {
            LOG.debug("could not clean temporary files in {}: {}", dir, e.toString());
        }
    }

    @Override
    public String toString() {
        return "FeatureCache[" + directory + "]";
    }
}
