package io.github.pointclip.crosspoint;

import io.github.pointclip.PointClip;
import io.github.pointclip.adapter.train.Augmentation;
import io.github.pointclip.adapter.train.FeatureCache;
import io.github.pointclip.adapter.train.FeatureSet;
import io.github.pointclip.adapter.train.PointClipFeatureExtractor;
import io.github.pointclip.dataset.Dataset;
import java.io.IOException;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * The 2-D side of CrossPoint's cross-modal loss in this project: for each training cloud, the frozen CLIP image
 * encoder's feature of the cloud's own depth maps (rendered by the {@link PointClip}'s pipeline), each view's
 * feature L2-normalised, averaged over the views and normalised again. The reference instead trains a ResNet
 * on one rendered RGB image per object; here the image side is fixed, so it is computed once per dataset and
 * kept in the adapter's {@link FeatureCache} (keyed by the model, every projector setting and every sample's
 * content).
 *
 * @param features normalised targets [size, dim], row-major, in the dataset's order
 * @param size number of clouds
 * @param dim CLIP width
 * @param modelId identity of the CLIP model and projector that produced them
 * @param clipModelId the CLIP model's own id ({@code ClipModel.id()}), written into a checkpoint as
 *     {@code model_id} so that {@link PointClip} warns when the encoder is used with other weights; null when
 *     unknown (synthetic targets)
 */
public record ImageTargets(float[] features, int size, int dim, String modelId, String clipModelId) {

    /**
     * Targets whose CLIP model id is unknown.
     *
     * @param features normalised targets [size, dim]
     * @param size number of clouds
     * @param dim CLIP width
     * @param modelId identity of what produced them
     */
    public ImageTargets(float[] features, int size, int dim, String modelId) {
        this(features, size, dim, modelId, null);
    }

    /** Checks the shape. */
    public ImageTargets {
        Objects.requireNonNull(features, "features");
        if (size < 1 || dim < 1 || features.length != size * dim) {
            throw new IllegalArgumentException(features.length + " floats for " + size + " targets of width " + dim);
        }
    }

    /**
     * Computes (or reads from the cache) the targets of every sample of a dataset.
     *
     * @param clip the recogniser whose pipeline renders and whose image encoder encodes; not closed
     * @param dataset the training clouds
     * @param cache feature cache, or null to compute without one
     * @param progress told the number of clouds encoded so far; may be null
     * @return the targets, in the dataset's order
     * @throws IOException if a sample cannot be read (naming it) or the cache cannot be written
     */
    public static ImageTargets compute(PointClip clip, Dataset dataset, FeatureCache cache, IntConsumer progress)
            throws IOException {
        PointClipFeatureExtractor extractor = new PointClipFeatureExtractor(clip);
        int points = clip.pipeline().pointsPerCloud();
        Augmentation none = Augmentation.none(points <= 0 ? Integer.MAX_VALUE : points);
        FeatureSet set;
        if (cache != null) {
            set = cache.features(dataset, extractor, none, 1, 0, progress);
        } else {
            int n = dataset.size();
            int rowWidth = extractor.views() * extractor.dim();
            float[] all = new float[n * rowWidth];
            int[] labels = new int[n];
            int batch = 16;
            for (int start = 0; start < n; start += batch) {
                int end = Math.min(n, start + batch);
                java.util.List<io.github.pointclip.cloud.PointCloud> clouds = new java.util.ArrayList<>();
                for (int i = start; i < end; i++) {
                    io.github.pointclip.dataset.Sample s = dataset.get(i);
                    clouds.add(none.apply(s.cloud(), new java.util.SplittableRandom(0)));
                    labels[i] = s.label();
                }
                System.arraycopy(extractor.extract(clouds), 0, all, start * rowWidth, (end - start) * rowWidth);
                if (progress != null) {
                    progress.accept(end);
                }
            }
            set = new FeatureSet(all, labels, extractor.views(), extractor.dim(), dataset.classNames());
        }
        ImageTargets t = fromViews(set.features(), set.size(), set.views(), set.dim(), extractor.id());
        return t.withClipModelId(clip.model().id());
    }

    /**
     * @param id the CLIP model's id ({@code ClipModel.id()}), or null
     * @return these targets, recorded as coming from that model
     */
    public ImageTargets withClipModelId(String id) {
        return new ImageTargets(features, size, dim, modelId, id);
    }

    /**
     * Targets from raw per-view features: each view normalised, averaged, normalised again.
     *
     * @param viewFeatures [n, views, dim] row-major
     * @param n number of clouds
     * @param views views per cloud
     * @param dim feature width
     * @param modelId identity of what produced them
     * @return the targets
     */
    public static ImageTargets fromViews(float[] viewFeatures, int n, int views, int dim, String modelId) {
        if (viewFeatures.length != n * views * dim) {
            throw new IllegalArgumentException(viewFeatures.length + " floats for " + n + "×" + views + "×" + dim);
        }
        float[] out = new float[n * dim];
        double[] acc = new double[dim];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(acc, 0);
            for (int v = 0; v < views; v++) {
                int base = (i * views + v) * dim;
                double s = 0;
                for (int d = 0; d < dim; d++) {
                    s += (double) viewFeatures[base + d] * viewFeatures[base + d];
                }
                double inv = s > 0 ? 1 / Math.sqrt(s) : 0;
                for (int d = 0; d < dim; d++) {
                    acc[d] += viewFeatures[base + d] * inv;
                }
            }
            double s = 0;
            for (double a : acc) {
                s += a * a;
            }
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("cloud " + i + ": its view features are zero or not finite");
            }
            double inv = 1 / Math.sqrt(s);
            for (int d = 0; d < dim; d++) {
                out[i * dim + d] = (float) (acc[d] * inv);
            }
        }
        return new ImageTargets(out, n, dim, modelId);
    }
}
