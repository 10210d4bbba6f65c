package io.github.pointclip.eval;

import io.github.pointclip.io.AtomicFiles;
import io.github.pointclip.io.Sha256;
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
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An on-disk cache of raw image features [samples, V, D], in chunks of consecutive samples, so
 * that an interrupted evaluation resumes where it stopped. A cache lives in a directory named
 * after a hash of its key (model id, pipeline and projector, dataset, split, first-N points), with
 * the key itself in {@code key.txt}; a chunk is the file {@code chunk-<start>-<count>.f32}
 * (header: magic, version, start, count, floats per sample; then little-endian float32).
 *
 * <p>Every chunk is written atomically ({@link AtomicFiles}), so a chunk file is either whole or
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
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(key, "key");
        Path dir = root.resolve(Sha256.hex(key).substring(0, 24));
        Files.createDirectories(dir);
        Path keyFile = dir.resolve("key.txt");
        if (!Files.isRegularFile(keyFile)) {
            AtomicFiles.write(keyFile, out -> out.write((key + "\n").getBytes(StandardCharsets.UTF_8)));
        }
        removeStaleTemporaries(dir);
        return new FeatureCache(dir, key);
    }

    /**
     * The cache key of an evaluation setting: everything the raw image features depend on.
     *
     * @param modelId the CLIP model's id
     * @param pipeline the pipeline's name
     * @param projector the projector's name and parameters, e.g. its {@code toString()}
     * @param dataset the dataset's name
     * @param split the split
     * @param firstPoints points kept per cloud, 0 for all
     * @return the key
     */
    public static String key(String modelId, String pipeline, String projector, String dataset, String split,
        int firstPoints) {
        return "model=" + modelId + "\npipeline=" + pipeline + "\nprojector=" + projector + "\ndataset=" + dataset
            + "\nsplit=" + split + "\nfirst=" + firstPoints;
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
