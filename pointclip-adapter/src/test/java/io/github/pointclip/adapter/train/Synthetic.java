package io.github.pointclip.adapter.train;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/** A separable synthetic problem: class centroids unrelated to the text features, plus Gaussian noise. */
final class Synthetic {
    static final int VIEWS = 2;
    static final int DIM = 16;
    static final int CLASSES = 4;

    private final float[] centroids;
    final float[] text;
    final List<String> classNames = IntStream.range(0, CLASSES).mapToObj(c -> "c" + c).toList();

    Synthetic(long seed) {
        Random r = new Random(seed);
        centroids = new float[CLASSES * VIEWS * DIM];
        for (int i = 0; i < centroids.length; i++) {
            centroids[i] = (float) r.nextGaussian();
        }
        text = new float[CLASSES * DIM];
        for (int c = 0; c < CLASSES; c++) {
            double norm = 0;
            for (int j = 0; j < DIM; j++) {
                text[c * DIM + j] = (float) r.nextGaussian();
                norm += text[c * DIM + j] * text[c * DIM + j];
            }
            for (int j = 0; j < DIM; j++) {
                text[c * DIM + j] /= (float) Math.sqrt(norm);
            }
        }
    }

    FeatureSet sample(int perClass, double noise, long seed) {
        Random r = new Random(seed);
        int n = perClass * CLASSES;
        float[] f = new float[n * VIEWS * DIM];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES;
            for (int j = 0; j < VIEWS * DIM; j++) {
                f[i * VIEWS * DIM + j] = centroids[labels[i] * VIEWS * DIM + j] + (float) (noise * r.nextGaussian());
            }
        }
        return new FeatureSet(f, labels, VIEWS, DIM, classNames);
    }
}
