package io.github.pointclip.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Text features by (model id, prompt): a bounded in-memory LRU in front of an optional
 * directory with one small file per prompt ({@code <dir>/<model id>/<sha256 of prompt>.tf}),
 * written atomically. A file that does not hold the expected prompt and dimension is ignored
 * (and rewritten), so a corrupt cache costs a recomputation, never a wrong answer. Thread-safe.
 */
public final class TextFeatureCache {

    private static final Logger LOG = LoggerFactory.getLogger(TextFeatureCache.class);
    private static final int MAGIC = 0x50435446; // "PCTF"

    private final Path dir;
    private final Map<String, float[]> memory;

    /**
     * @param dir directory for the disk cache, or null for memory only
     * @param maxEntries in-memory capacity
     */
    public TextFeatureCache(Path dir, int maxEntries) {
        this.dir = dir;
        this.memory = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** @return the feature, or null when neither memory nor disk has it */
    public float[] get(String modelId, String prompt, int dim) {
        String key = modelId + '\n' + prompt;
        synchronized (memory) {
            float[] f = memory.get(key);
            if (f != null) {
                return f;
            }
        }
        if (dir == null) {
            return null;
        }
        Path file = file(modelId, prompt);
        try (InputStream in = Files.newInputStream(file)) {
            DataInputStream data = new DataInputStream(in);
            if (data.readInt() != MAGIC) {
                throw new IOException("bad magic");
            }
            int storedDim = data.readInt();
            byte[] text = new byte[data.readInt()];
            data.readFully(text);
            if (storedDim != dim || !new String(text, StandardCharsets.UTF_8).equals(prompt)) {
                LOG.warn("ignoring text-feature cache file {}: it holds another prompt or dimension", file);
                return null;
            }
            float[] f = new float[dim];
            for (int i = 0; i < dim; i++) {
                f[i] = data.readFloat();
            }
            synchronized (memory) {
                memory.put(key, f);
            }
            return f;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.warn("ignoring unreadable text-feature cache file {}: {}", file, e.toString());
            return null;
        }
    }

    /** Stores a feature in memory and, when a directory is set, on disk (atomically; failures are logged). */
    public void put(String modelId, String prompt, float[] feature) {
        synchronized (memory) {
            memory.put(modelId + '\n' + prompt, feature);
        }
        if (dir == null) {
            return;
        }
        Path file = file(modelId, prompt);
        byte[] text = prompt.getBytes(StandardCharsets.UTF_8);
        try {
            AtomicFiles.write(file, out -> {
                DataOutputStream data = new DataOutputStream(out);
                data.writeInt(MAGIC);
                data.writeInt(feature.length);
                data.writeInt(text.length);
                data.write(text);
                for (float f : feature) {
                    data.writeFloat(f);
                }
                data.flush();
            });
        } catch (IOException e) {
            LOG.warn("could not write text-feature cache file {}: {}", file, e.toString());
        }
    }

    private Path file(String modelId, String prompt) {
        String safeId = modelId.replaceAll("[^A-Za-z0-9._-]", "_");
        return dir.resolve(safeId.length() > 64 ? safeId.substring(0, 64) : safeId).resolve(Sha256.hex(prompt) + ".tf");
    }
}
