package io.github.pointclip.adapter.train;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.Sample;
import io.github.pointclip.dataset.Split;
import java.util.List;
import java.util.Random;

/** A small dataset of random clouds held in memory, for tests. */
final class InMemoryDataset implements Dataset {
    private final String name;
    private final List<String> classes;
    private final PointCloud[] clouds;
    private final int[] labels;

    InMemoryDataset(String name, int classCount, int perClass, int points, long seed) {
        this.name = name;
        this.classes = java.util.stream.IntStream.range(0, classCount).mapToObj(c -> "class" + c).toList();
        Random r = new Random(seed);
        clouds = new PointCloud[classCount * perClass];
        labels = new int[clouds.length];
        for (int i = 0; i < clouds.length; i++) {
            labels[i] = i % classCount;
            float[] xyz = new float[3 * points];
            for (int j = 0; j < xyz.length; j++) {
                xyz[j] = (float) (r.nextGaussian() * 0.3 + labels[i] * 0.1);
            }
            clouds[i] = PointCloud.of(xyz);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Split split() {
        return Split.TRAIN;
    }

    @Override
    public List<String> classNames() {
        return classes;
    }

    @Override
    public int size() {
        return clouds.length;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public String id(int index) {
        return name + "#" + index;
    }

    @Override
    public Sample get(int index) {
        return new Sample(index, labels[index], classes.get(labels[index]), id(index), clouds[index]);
    }
}
