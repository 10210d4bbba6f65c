package io.github.pointclip.eval;

import io.github.pointclip.Pipeline;
import io.github.pointclip.PointClip;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.Sample;
import io.github.pointclip.dataset.Split;
import io.github.pointclip.encoder.Backbone;
import io.github.pointclip.encoder.ClipModel;
import io.github.pointclip.encoder.ImageEncoder;
import io.github.pointclip.encoder.TextEncoder;
import io.github.pointclip.projection.spi.Projector;
import io.github.pointclip.projection.spi.View;
import io.github.pointclip.projection.spi.ViewRig;
import io.github.pointclip.testing.QuadrantImageEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** A tiny projector, model and dataset whose predictions vary from sample to sample. */
final class EvalFakes {

    static final int DIM = 4;
    static final int SIZE = 6;
    static final List<String> CLASSES = List.of("cat", "dog", "emu");

    private EvalFakes() {
    }

    /** Two 2×2 views from the mean of the cloud's points. */
    static final class TinyProjector implements Projector {
        final ViewRig rig = ViewRig.of(View.of(0, 0, 0, 0, 0, 0), View.of(1, 0, 0, 0, 0, 0));

        @Override
        public String name() {
            return "tiny";
        }

        @Override
        public ViewRig views() {
            return rig;
        }

        @Override
        public int height() {
            return 2;
        }

        @Override
        public int width() {
            return 2;
        }

        @Override
        public float[] projectInto(PointCloud cloud, float[] out) {
            if (out == null || out.length < outputLength()) {
                out = new float[outputLength()];
            }
            float x = 0, y = 0, z = 0;
            for (int i = 0; i < cloud.size(); i++) {
                x += cloud.x(i);
                y += cloud.y(i);
                z += cloud.z(i);
            }
            int n = cloud.size();
            for (int v = 0; v < 2; v++) {
                out[4 * v] = x / n + v;
                out[4 * v + 1] = y / n - v;
                out[4 * v + 2] = z / n;
                out[4 * v + 3] = 0.5f;
            }
            return out;
        }

        @Override
        public Map<String, String> parameters() {
            return Map.of("kind", "test");
        }
    }

    /** Image features: quadrant means of the first channel; text: a hash of the prompt. */
    static final class FakeModel implements ClipModel {
        final QuadrantImageEncoder imageEncoder = new QuadrantImageEncoder(DIM, SIZE);

        @Override
        public String id() {
            return "fake-eval-model";
        }

        @Override
        public Backbone backbone() {
            return Backbone.VIT_B16;
        }

        @Override
        public ImageEncoder imageEncoder() {
            return imageEncoder;
        }

        @Override
        public TextEncoder textEncoder() {
            return new TextEncoder() {
                @Override
                public int embeddingDim() {
                    return DIM;
                }

                @Override
                public float[] encode(List<String> texts) {
                    float[] out = new float[texts.size() * DIM];
                    for (int i = 0; i < texts.size(); i++) {
                        SplittableRandom r = new SplittableRandom(texts.get(i).hashCode());
                        for (int d = 0; d < DIM; d++) {
                            out[i * DIM + d] = (float) r.nextGaussian();
                        }
                    }
                    return out;
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public float logitScale() {
            return 100f;
        }

        @Override
        public String executionDevice() {
            return "cpu";
        }

        @Override
        public void close() {
        }
    }

    /** An in-memory dataset of random clouds of 8 points. */
    static class ToyDataset implements Dataset {
        final List<PointCloud> clouds = new ArrayList<>();
        final int[] labels;
        final AtomicInteger reads = new AtomicInteger();

        ToyDataset(int size, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            labels = new int[size];
            for (int i = 0; i < size; i++) {
                float[] xyz = new float[8 * 3];
                for (int k = 0; k < xyz.length; k++) {
                    xyz[k] = (float) (r.nextDouble() * 2 - 1);
                }
                clouds.add(PointCloud.of(xyz));
                labels[i] = r.nextInt(CLASSES.size());
            }
        }

        @Override
        public String name() {
            return "toy/test";
        }

        @Override
        public Split split() {
            return Split.TEST;
        }

        @Override
        public List<String> classNames() {
            return CLASSES;
        }

        @Override
        public int size() {
            return labels.length;
        }

        @Override
        public int label(int index) {
            return labels[index];
        }

        @Override
        public String id(int index) {
            return "toy#" + index;
        }

        @Override
        public Sample get(int index) throws java.io.IOException {
            reads.incrementAndGet();
            return new Sample(index, labels[index], CLASSES.get(labels[index]), id(index), clouds.get(index));
        }
    }

    static PointClip clip(FakeModel model, Path textCache, int batchSize) {
        return PointClip.builder().model(model).pipeline(Pipeline.of("tiny", new TinyProjector(), "a {}."))
            .classes(CLASSES).textCache(textCache).batchSize(batchSize).build();
    }
}
