package io.github.pointclip.crosspoint;

import io.github.pointclip.adapter.Precision;
import io.github.pointclip.adapter.autograd.GradMode;
import io.github.pointclip.adapter.autograd.Tensor;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.crosspoint.internal.Clouds;
import io.github.pointclip.crosspoint.internal.CrossPointNet;
import io.github.pointclip.encoder.PointEncoder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A trained CrossPoint encoder in inference: each cloud is resampled to the checkpoint's point count (its first
 * points, repeated when it has fewer), normalised to the unit sphere, and run through the backbone with batch
 * norm's running statistics. Thread-safe: inference only reads the parameters, and graph recording is off on
 * the calling thread for the duration of a call. Clouds are encoded in batches of {@value #BATCH}; a cloud's
 * features do not depend on the others in its batch.
 */
public final class CrossPointEncoder implements PointEncoder {
    /** Clouds per forward pass. */
    static final int BATCH = 16;

    private final CrossPointNet net;
    private final int points;
    private final Map<String, String> metadata;
    private final Path source;

    CrossPointEncoder(CrossPointCheckpoint checkpoint, Path source) {
        this.net = new CrossPointNet(checkpoint.config(), checkpoint.clipDim(), Precision.FLOAT,
                new SplittableRandom(0));
        net.loadState(checkpoint.state());
        this.points = checkpoint.points();
        this.metadata = checkpoint.metadata();
        this.source = source;
    }

    @Override
    public int embeddingDim() {
        return net.clipDim();
    }

    @Override
    public int featureDim() {
        return net.config().featureDim();
    }

    /** @return points per cloud that every cloud is resampled to */
    public int points() {
        return points;
    }

    /** @return the architecture */
    public EncoderConfig config() {
        return net.config();
    }

    @Override
    public float[] features(List<PointCloud> clouds) {
        return run(clouds, false);
    }

    @Override
    public float[] embed(List<PointCloud> clouds) {
        return run(clouds, true);
    }

    private float[] run(List<PointCloud> clouds, boolean project) {
        Objects.requireNonNull(clouds, "clouds");
        int width = project ? embeddingDim() : featureDim();
        float[] out = new float[clouds.size() * width];
        try (GradMode.Scope ignored = GradMode.disable()) {
            for (int start = 0; start < clouds.size(); start += BATCH) {
                int end = Math.min(clouds.size(), start + BATCH);
                float[] xyz = new float[(end - start) * points * 3];
                for (int i = start; i < end; i++) {
                    float[] c = Clouds.fixedSize(Objects.requireNonNull(clouds.get(i), "cloud " + i), points);
                    CloudAugmentation.normalize(c, points);
                    System.arraycopy(c, 0, xyz, (i - start) * points * 3, c.length);
                }
                Tensor f = net.features(Tensor.fromFloats((end - start) * points, 3, xyz), points, false);
                Tensor y = project ? net.cmid(f, false) : f;
                System.arraycopy(y.toFloatArray(), 0, out, start * width, (end - start) * width);
            }
        }
        return out;
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public Path source() {
        return source;
    }

    @Override
    public String toString() {
        return "CrossPointEncoder[" + net.config() + ", clip " + net.clipDim() + ", " + points + " points"
                + (source == null ? "" : ", " + source) + "]";
    }
}
