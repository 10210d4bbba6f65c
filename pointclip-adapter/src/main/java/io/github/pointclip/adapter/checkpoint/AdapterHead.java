package io.github.pointclip.adapter.checkpoint;

import io.github.pointclip.adapter.InterViewAdapter;
import io.github.pointclip.adapter.autograd.GradMode;
import io.github.pointclip.adapter.autograd.Tensor;
import io.github.pointclip.adapter.internal.AdapterNetworks;
import io.github.pointclip.encoder.FeatureAdapter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A trained {@link InterViewAdapter} in inference mode (running BatchNorm statistics, no dropout), as the
 * {@link FeatureAdapter} that {@link io.github.pointclip.PointClip} uses. Thread-safe: calls are serialised,
 * since the adapter's product kernels reuse scratch buffers.
 */
public final class AdapterHead implements FeatureAdapter {
    private final InterViewAdapter adapter;
    private final Map<String, String> metadata;
    private final Path source;

    /**
     * @param adapter the trained adapter; owned by this head from now on (do not train it further)
     * @param metadata the checkpoint's metadata
     */
    public AdapterHead(InterViewAdapter adapter, Map<String, String> metadata) {
        this(adapter, metadata, null);
    }

    /**
     * @param adapter the trained adapter; owned by this head from now on (do not train it further)
     * @param metadata the checkpoint's metadata
     * @param source the checkpoint file, named in messages; may be null
     */
    public AdapterHead(InterViewAdapter adapter, Map<String, String> metadata, Path source) {
        this.adapter = Objects.requireNonNull(adapter, "adapter");
        this.metadata = Map.copyOf(metadata);
        this.source = source;
    }

    @Override
    public int viewCount() {
        return adapter.views();
    }

    @Override
    public int embeddingDim() {
        return adapter.channels();
    }

    @Override
    public synchronized float[] logits(float[] rawImageFeatures, int clouds, float[] textFeatures, int classes) {
        int v = adapter.views();
        int d = adapter.channels();
        if (rawImageFeatures.length != clouds * v * d) {
            throw new IllegalArgumentException("expected " + clouds + "×" + v + "×" + d + " image features, got "
                    + rawImageFeatures.length);
        }
        if (textFeatures.length != classes * d) {
            throw new IllegalArgumentException("expected " + classes + "×" + d + " text features, got "
                    + textFeatures.length);
        }
        try (GradMode.Scope ignored = GradMode.disable()) {
            Tensor x = Tensor.fromFloats(clouds, v * d, rawImageFeatures);
            Tensor text = AdapterNetworks.repeatText(Tensor.fromFloats(classes, d, textFeatures), v);
            Tensor logits = AdapterNetworks.logits(adapter, x, text, false);
            return logits.toFloatArray();
        }
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public Path source() {
        return source;
    }
}
