package io.github.pointclip.internal;

import io.github.pointclip.PointClip;
import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.projection.spi.Projector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.TreeMap;

/**
 * The content identity that keys every cache of image features (the evaluation's chunk cache,
 * the few-shot and search feature cache): what a feature depends on, by value, never by a name.
 *
 * <p>Raw per-view image features depend on the model's weights (its checksum id), the projector
 * (its class, name, every parameter, view count and image size), the points kept per cloud, and
 * the cloud itself ({@link Dataset#contentIdentity(int)}: absolute file path, size, modification
 * time, read options, row). The prompt template and the view weights act after the cache (on the
 * text features and the logits), so they are recorded but a change of them does not recompute
 * the image features.
 */
public final class FeatureKeys {

    private FeatureKeys() {
    }

    /**
     * Describes, one {@code name=value} a line, everything of a {@link PointClip} that its raw
     * image features depend on, and the pipeline's other settings for the record.
     *
     * @param clip the recogniser
     * @param firstPoints points kept per cloud (the first N), 0 for all
     * @return the description
     */
    public static String imageFeatures(PointClip clip, int firstPoints) {
        // one place to build this, so that it can become the pipeline's own canonical description
        Projector projector = clip.pipeline().projector();
        StringBuilder s = new StringBuilder();
        s.append("model=").append(clip.model().id()).append('\n');
        s.append("embedding=").append(clip.model().imageEncoder().embeddingDim()).append('\n');
        s.append("projector.class=").append(projector.getClass().getName()).append('\n');
        s.append("projector.name=").append(projector.name()).append('\n');
        s.append("projector.views=").append(projector.viewCount()).append('\n');
        s.append("projector.size=").append(projector.height()).append('x').append(projector.width()).append('\n');
        for (Map.Entry<String, String> e : new TreeMap<>(projector.parameters()).entrySet()) {
            s.append("projector.").append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        s.append("first=").append(firstPoints).append('\n');
        return s.toString();
    }

    /**
     * The identity of a dataset's content: SHA-256 over the class names and every sample's
     * {@link Dataset#contentIdentity(int) identity} and label, in index order. For the datasets of
     * {@link io.github.pointclip.dataset.Datasets} this costs one file-status call per file
     * (per sample for an h5 file), no read.
     *
     * @param dataset the dataset
     * @return 64 hex digits
     * @throws IOException if a sample's file cannot be examined
     */
    public static String dataset(Dataset dataset) throws IOException {
        return samples(dataset, 0, dataset.size());
    }

    /**
     * The identity of consecutive samples of a dataset, as {@link #dataset(Dataset)}.
     *
     * @param dataset the dataset
     * @param from first index
     * @param to index after the last
     * @return 64 hex digits
     * @throws IOException if a sample's file cannot be examined
     */
    public static String samples(Dataset dataset, int from, int to) throws IOException {
        String[] identities = new String[to - from];
        for (int i = from; i < to; i++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new java.io.InterruptedIOException("interrupted while identifying " + dataset.name());
            }
            identities[i - from] = dataset.contentIdentity(i);
        }
        return digest(dataset, identities, from, from, to);
    }

    /**
     * @param dataset the dataset (class names and labels)
     * @param identities content identities of samples {@code offset ..}
     * @param offset index of {@code identities[0]}
     * @param from first index hashed
     * @param to index after the last
     * @return SHA-256 (hex) over the class names, the count and each sample's identity and label
     */
    public static String digest(Dataset dataset, String[] identities, int offset, int from, int to) {
        MessageDigest md = Sha256.newDigest();
        md.update((dataset.classNames() + "\n" + (to - from) + "\n").getBytes(StandardCharsets.UTF_8));
        for (int i = from; i < to; i++) {
            md.update((identities[i - offset] + "\t" + dataset.label(i) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return Sha256.hex(md.digest());
    }
}
