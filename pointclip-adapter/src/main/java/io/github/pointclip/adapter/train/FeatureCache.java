package io.github.pointclip.adapter.train;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.Sample;
import io.github.pointclip.eval.SkippedSample;
import io.github.pointclip.internal.AtomicFiles;
import io.github.pointclip.internal.CacheDirectory;
import io.github.pointclip.internal.FeatureKeys;
import io.github.pointclip.internal.ReadCheck;
import io.github.pointclip.internal.Sha256;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes a dataset's clouds (with a chosen number of augmented copies) once and keeps the features on disk.
 * An entry is keyed by content, never by a name: a SHA-256 over the extractor's id (model checksum and every
 * projector parameter, {@code FeatureKeys}), the class names, every sample's
 * {@link Dataset#contentIdentity(int) content identity} (absolute file path, size, modification time, file key, row; or a hash of
 * its points) and label, the augmentation, the number of copies and the seed; any change there is a miss, and two
 * datasets that share a name and sample ids but not their files never share an entry. Copy c of sample i is augmented with a generator seeded from (seed, c, i), so features do not depend on
 * the batch order. Entries are written atomically and carry a CRC; a corrupt entry is logged and recomputed.
 * Before any encoding, every sample of a missing entry is read once ({@code ReadCheck}), so a file that cannot be
 * read stops the call at once, naming the file, or, with {@link #checkedFeatures skipBad}, is left out and listed.
 * Thread-safe counters; one computation per call.
 */
public final class FeatureCache {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureCache.class);
    private static final int MAGIC = 0x50434646; // "PCFF"
    private static final int VERSION = 1;
    private static final int ENCODE_BATCH = 16;
    /** Threads of the up-front read: parsing files is CPU work, a few threads are plenty. */
    private static final int READ_THREADS = Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));

    private final Path dir;
    private final AtomicInteger hits = new AtomicInteger();
    private final AtomicInteger misses = new AtomicInteger();

    /**
     * @param dir the cache folder, created on first write
     */
    public FeatureCache(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    /** @return a cache in {@code <CacheDirectory.root()>/adapter-features} */
    public static FeatureCache defaultCache() {
        return new FeatureCache(CacheDirectory.root().resolve("adapter-features"));
    }

    /**
     * Features of every sample of a dataset, {@code copies} times augmented, rows ordered copy-major
     * (copy 0 of every sample, then copy 1...). Computed and stored on a miss.
     *
     * @param dataset the samples
     * @param extractor the encoder
     * @param augmentation the augmentation ({@link Augmentation#none} for validation)
     * @param copies augmented copies per sample, ≥ 1
     * @param seed augmentation seed
     * @param progress told the number of clouds encoded so far, of {@code copies·dataset.size()}; may be null
     * @return the features
     * @throws IOException the read error of the first sample that cannot be read (naming its file, before any
     *     encoding), or if the cache cannot be written
     */
    public FeatureSet features(Dataset dataset, FeatureExtractor extractor, Augmentation augmentation, int copies,
            long seed, IntConsumer progress) throws IOException {
        return checkedFeatures(dataset, extractor, augmentation, copies, seed, false, progress).features();
    }

    /**
     * Features of a dataset as {@link #features} gives them, with a choice for samples that cannot be read. On a
     * miss, every sample is read once before any encoding ({@code ReadCheck}): without {@code skipBad} the first
     * unreadable one stops the call there; with it, the unreadable samples are left out (logged as warnings) and the
     * readable ones are a dataset of their own, with their own cache entry, which a rerun finds after the same check.
     *
     * @param dataset the samples
     * @param extractor the encoder
     * @param augmentation the augmentation ({@link Augmentation#none} for validation)
     * @param copies augmented copies per sample, ≥ 1
     * @param seed augmentation seed
     * @param skipBad whether to leave out the samples that cannot be read instead of stopping
     * @param progress told the number of clouds encoded so far; may be null
     * @return the features, the dataset they are of and the samples left out
     * @throws IOException the read error of the first unreadable sample (naming its file) unless {@code skipBad},
     *     with it when no sample can be read; or if the cache cannot be written
     */
    public CheckedFeatures checkedFeatures(Dataset dataset, FeatureExtractor extractor, Augmentation augmentation,
            int copies, long seed, boolean skipBad, IntConsumer progress) throws IOException {
        if (copies < 1) {
            throw new IllegalArgumentException("copies must be ≥ 1, got " + copies);
        }
        String key = key(dataset, extractor, augmentation, copies, seed);
        FeatureSet cached = read(dir.resolve(key + ".features"), key, dataset.classNames());
        ReadCheck.Outcome checked = new ReadCheck.Outcome(dataset, List.of());
        if (cached == null) {
            checked = ReadCheck.check(dataset, skipBad, READ_THREADS);
            if (checked.readable() != dataset) {
                key = key(checked.readable(), extractor, augmentation, copies, seed);
                cached = read(dir.resolve(key + ".features"), key, dataset.classNames());
            }
        }
        Dataset data = checked.readable();
        Path file = dir.resolve(key + ".features");
        if (cached != null) {
            hits.incrementAndGet();
            LOG.debug("feature cache hit {} for {}", file, data.name());
            if (progress != null) {
                progress.accept(cached.size());
            }
            return new CheckedFeatures(cached, data, skipped(checked.skipped()));
        }
        misses.incrementAndGet();
        LOG.info("encoding {} clouds of {} ({} copies) for the feature cache", copies * data.size(), data.name(),
                copies);
        FeatureSet computed = compute(data, extractor, augmentation, copies, seed, progress);
        write(file, key, computed);
        return new CheckedFeatures(computed, data, skipped(checked.skipped()));
    }

    private static List<SkippedSample> skipped(List<ReadCheck.Unreadable> unreadable) {
        return unreadable.stream().map(u -> new SkippedSample(u.index(), u.id(), u.reason())).toList();
    }

    /**
     * What {@link #checkedFeatures} gives.
     *
     * @param features the features of {@code dataset}
     * @param dataset the samples encoded: the dataset asked for, or the subset of its readable samples
     * @param skipped the samples left out because they cannot be read, in index order; empty when none
     */
    public record CheckedFeatures(FeatureSet features, Dataset dataset, List<SkippedSample> skipped) {

        /**
         * Validates and copies the components.
         *
         * @param features the features
         * @param dataset the samples encoded
         * @param skipped the samples left out
         */
        public CheckedFeatures {
            Objects.requireNonNull(features, "features");
            Objects.requireNonNull(dataset, "dataset");
            skipped = List.copyOf(skipped);
        }
    }

    /** @return number of lookups served from disk */
    public int hits() {
        return hits.get();
    }

    /** @return number of lookups that had to encode */
    public int misses() {
        return misses.get();
    }

    /** @return the cache folder */
    public Path directory() {
        return dir;
    }

    static String key(Dataset dataset, FeatureExtractor extractor, Augmentation augmentation, int copies, long seed)
            throws IOException {
        MessageDigest md = Sha256.newDigest();
        StringBuilder s = new StringBuilder("pointclip-features v").append(VERSION).append(" by content\n");
        s.append(extractor.id()).append('\n').append(extractor.views()).append('x').append(extractor.dim()).append('\n');
        s.append(FeatureKeys.dataset(dataset)).append('\n');
        s.append(augmentation).append('\n').append(copies).append('\n')
                .append(augmentation.isIdentity() ? 0 : seed).append('\n');
        md.update(s.toString().getBytes(StandardCharsets.UTF_8));
        return Sha256.hex(md.digest());
    }

    private static FeatureSet compute(Dataset dataset, FeatureExtractor extractor, Augmentation augmentation,
            int copies, long seed, IntConsumer progress) throws IOException {
        int n = dataset.size();
        int width = extractor.views() * extractor.dim();
        float[] features = new float[copies * n * width];
        int[] labels = new int[copies * n];
        int done = 0;
        for (int c = 0; c < copies; c++) {
            List<PointCloud> batch = new ArrayList<>();
            int first = 0;
            for (int i = 0; i < n; i++) {
                Sample s = dataset.get(i);
                SplittableRandom r = new SplittableRandom(mix(seed, c, i));
                batch.add(augmentation.apply(s.cloud(), r));
                labels[c * n + i] = s.label();
                if (batch.size() == ENCODE_BATCH || i == n - 1) {
                    float[] f = extractor.extract(batch);
                    if (f.length != batch.size() * width) {
                        throw new IllegalStateException("extractor gave " + f.length + " features for " + batch.size()
                                + " clouds of " + width);
                    }
                    System.arraycopy(f, 0, features, (c * n + first) * width, f.length);
                    done += batch.size();
                    first = i + 1;
                    batch.clear();
                    if (progress != null) {
                        progress.accept(done);
                    }
                }
            }
        }
        return new FeatureSet(features, labels, extractor.views(), extractor.dim(), dataset.classNames());
    }

    static long mix(long seed, int copy, int index) {
        long z = seed * 0x9E3779B97F4A7C15L + copy * 0xBF58476D1CE4E5B9L + index * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void write(Path file, String key, FeatureSet set) throws IOException {
        AtomicFiles.write(file, raw -> {
            CheckedOutputStream checked = new CheckedOutputStream(raw, new CRC32());
            DataOutputStream out = new DataOutputStream(checked);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(key);
            out.writeInt(set.size());
            out.writeInt(set.views());
            out.writeInt(set.dim());
            for (int l : set.labelData()) {
                out.writeInt(l);
            }
            byte[] buf = new byte[4 * set.rowWidth()];
            float[] data = set.data();
            for (int row = 0; row < set.size(); row++) {
                int base = row * set.rowWidth();
                for (int j = 0; j < set.rowWidth(); j++) {
                    int bits = Float.floatToRawIntBits(data[base + j]);
                    buf[4 * j] = (byte) (bits >>> 24);
                    buf[4 * j + 1] = (byte) (bits >>> 16);
                    buf[4 * j + 2] = (byte) (bits >>> 8);
                    buf[4 * j + 3] = (byte) bits;
                }
                out.write(buf);
            }
            out.flush();
            long crc = checked.getChecksum().getValue();
            raw.write(new byte[] {(byte) (crc >>> 24), (byte) (crc >>> 16), (byte) (crc >>> 8), (byte) crc});
        });
    }

    private static FeatureSet read(Path file, String key, List<String> classNames) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            CheckedInputStream checked = new CheckedInputStream(raw, new CRC32());
            DataInputStream in = new DataInputStream(checked);
            if (in.readInt() != MAGIC || in.readInt() != VERSION || !key.equals(in.readUTF())) {
                LOG.warn("ignoring feature cache entry {}: wrong header", file);
                return null;
            }
            int n = in.readInt();
            int views = in.readInt();
            int dim = in.readInt();
            if (n < 0 || views < 1 || dim < 1 || (long) n * views * dim > Integer.MAX_VALUE - 8) {
                LOG.warn("ignoring feature cache entry {}: bad sizes", file);
                return null;
            }
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = in.readInt();
            }
            float[] features = new float[n * views * dim];
            byte[] buf = new byte[4 * views * dim];
            for (int row = 0; row < n; row++) {
                in.readFully(buf);
                int base = row * views * dim;
                for (int j = 0; j < views * dim; j++) {
                    features[base + j] = Float.intBitsToFloat(((buf[4 * j] & 0xff) << 24) | ((buf[4 * j + 1] & 0xff) << 16)
                            | ((buf[4 * j + 2] & 0xff) << 8) | (buf[4 * j + 3] & 0xff));
                }
            }
            long crc = checked.getChecksum().getValue();
            DataInputStream tail = new DataInputStream(raw);
            long stored = tail.readInt() & 0xffffffffL;
            if (stored != crc || raw.read() != -1) {
                LOG.warn("ignoring feature cache entry {}: checksum mismatch", file);
                return null;
            }
            return new FeatureSet(features, labels, views, dim, classNames);
        } catch (NoSuchFileException e) {
            return null;
        } catch (EOFException | IllegalArgumentException e) {
            LOG.warn("ignoring truncated or corrupt feature cache entry {}: {}", file, e.toString());
            return null;
        } catch (IOException e) {
            LOG.warn("cannot read feature cache entry {}: {}", file, e.toString());
            return null;
        }
    }
}
