package io.github.pointclip.crosspoint;

import io.github.pointclip.adapter.StateTensor;
import io.github.pointclip.adapter.checkpoint.CheckpointException;
import io.github.pointclip.adapter.checkpoint.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A trained CrossPoint encoder as a safetensors file: the network's state dict (named and shaped as the
 * reference's PyTorch one, F32) and string metadata. Metadata: {@code format} ({@value #FORMAT}),
 * {@code format_version} ({@value #FORMAT_VERSION}), the architecture ({@code encoder}, {@code widths},
 * {@code emb_dims}, {@code k}, {@code head_hidden}, {@code imid_dim}, {@code clip_dim}), {@code points} (points
 * per cloud it was trained on; inference resamples every cloud to it), {@code clip_model} (identity of the CLIP
 * model and projector whose image features it was aligned with), {@code model_id} (the CLIP model's own id,
 * which {@code PointClip} checks against the model it runs with, warning on a mismatch) and the training provenance
 * ({@code epochs}, {@code seed}, {@code batch}, {@code learning_rate}, {@code weight_decay}, {@code temperature},
 * {@code dataset}, {@code samples}, {@code imid_loss}, {@code cmid_loss}, {@code created_by}). Immutable.
 */
public final class CrossPointCheckpoint {
    /** The format name in the metadata. */
    public static final String FORMAT = "pointclip-crosspoint";
    /** The format version this library writes and reads. */
    public static final String FORMAT_VERSION = "1";

    private final EncoderConfig config;
    private final int clipDim;
    private final int points;
    private final Map<String, StateTensor> state;
    private final Map<String, String> metadata;

    /**
     * @param config the architecture
     * @param clipDim CMID head width
     * @param points points per cloud
     * @param state the state dict
     * @param provenance further metadata (training settings, model id…); the architecture keys are set from the
     *     other arguments and win over entries of the same name
     */
    public CrossPointCheckpoint(EncoderConfig config, int clipDim, int points, Map<String, StateTensor> state,
            Map<String, String> provenance) {
        this.config = Objects.requireNonNull(config, "config");
        if (clipDim < 1 || points < 1) {
            throw new IllegalArgumentException("clip width " + clipDim + " and points " + points + " must be ≥ 1");
        }
        this.clipDim = clipDim;
        this.points = points;
        this.state = Collections.unmodifiableMap(new LinkedHashMap<>(state));
        Map<String, String> m = new LinkedHashMap<>(provenance);
        m.put("format", FORMAT);
        m.put("format_version", FORMAT_VERSION);
        m.put("encoder", config.kind());
        m.put("widths", String.join(",", Arrays.stream(config.widths()).mapToObj(Integer::toString).toList()));
        m.put("emb_dims", Integer.toString(config.embDims()));
        m.put("k", Integer.toString(config.k()));
        m.put("head_hidden", Integer.toString(config.headHidden()));
        m.put("imid_dim", Integer.toString(config.imidDim()));
        m.put("clip_dim", Integer.toString(clipDim));
        m.put("points", Integer.toString(points));
        this.metadata = Collections.unmodifiableMap(m);
    }

    /**
     * Reads and checks a checkpoint.
     *
     * @param file the safetensors file
     * @return the checkpoint
     * @throws CheckpointException if the file is not a CrossPoint checkpoint of this format version, or its
     *     metadata is incomplete (naming the file and the problem)
     * @throws IOException if it cannot be read
     */
    public static CrossPointCheckpoint load(Path file) throws IOException {
        SafeTensors.Contents contents = SafeTensors.read(file);
        Map<String, String> m = contents.metadata();
        if (!FORMAT.equals(m.get("format"))) {
            throw new CheckpointException(file, "not a CrossPoint encoder (format "
                    + (m.get("format") == null ? "missing" : "'" + m.get("format") + "'") + ", expected '" + FORMAT + "')");
        }
        if (!FORMAT_VERSION.equals(m.get("format_version"))) {
            throw new CheckpointException(file, "unsupported format_version " + m.get("format_version")
                    + ", this library reads " + FORMAT_VERSION);
        }
        try {
            int[] widths = Arrays.stream(required(file, m, "widths").split(",")).mapToInt(Integer::parseInt).toArray();
            EncoderConfig config = new EncoderConfig(required(file, m, "encoder"), widths,
                    Integer.parseInt(required(file, m, "emb_dims")), Integer.parseInt(required(file, m, "k")),
                    Integer.parseInt(required(file, m, "head_hidden")), Integer.parseInt(required(file, m, "imid_dim")));
            int clipDim = Integer.parseInt(required(file, m, "clip_dim"));
            int points = Integer.parseInt(required(file, m, "points"));
            return new CrossPointCheckpoint(config, clipDim, points, contents.tensors(), m);
        } catch (IllegalArgumentException e) {
            // NumberFormatException included
            throw new CheckpointException(file, "bad architecture metadata: " + e.getMessage(), e);
        }
    }

    private static String required(Path file, Map<String, String> m, String key) throws CheckpointException {
        String v = m.get(key);
        if (v == null || v.isBlank()) {
            throw new CheckpointException(file, "metadata '" + key + "' is missing");
        }
        return v;
    }

    /**
     * Writes the checkpoint atomically.
     *
     * @param file the target, replaced if it exists
     * @throws IOException if writing fails (the target is then unchanged)
     */
    public void save(Path file) throws IOException {
        SafeTensors.write(file, state, metadata);
    }

    /** @return the architecture */
    public EncoderConfig config() {
        return config;
    }

    /** @return the CMID head's width (CLIP's embedding width) */
    public int clipDim() {
        return clipDim;
    }

    /** @return points per cloud the encoder was trained on */
    public int points() {
        return points;
    }

    /** @return the state dict (unmodifiable) */
    public Map<String, StateTensor> state() {
        return state;
    }

    /** @return all metadata (unmodifiable) */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * The encoder for inference.
     *
     * @param source the file it came from, or null
     * @return a thread-safe encoder
     * @throws IllegalArgumentException if the tensors do not fit the architecture (naming the first that does not)
     */
    public CrossPointEncoder toEncoder(Path source) {
        return new CrossPointEncoder(this, source);
    }
}
