package io.github.pointclip.crosspoint.probe;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.Sample;
import io.github.pointclip.dataset.Split;
import java.util.List;

/** A dataset held in memory, for tests. */
record MemoryDataset(String name, Split split, List<String> classNames, List<PointCloud> clouds, int[] labelArray)
        implements Dataset {

    @Override
    public int size() {
        return clouds.size();
    }

    @Override
    public int label(int index) {
        return labelArray[index];
    }

    @Override
    public String id(int index) {
        return name + "#" + index;
    }

    @Override
    public Sample get(int index) {
        return new Sample(index, labelArray[index], classNames.get(labelArray[index]), id(index), clouds.get(index));
    }

    /**
     * Clouds of {@code perClass} samples per class: 16 points jittered around the class's centre
     * (c, −c, 2c)/classes, so that a cloud's centroid tells its class.
     */
    static MemoryDataset clusters(String name, int classes, int perClass, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        List<PointCloud> clouds = new java.util.ArrayList<>();
        int[] labels = new int[classes * perClass];
        for (int i = 0; i < labels.length; i++) {
            int c = i % classes;
            labels[i] = c;
            float[] xyz = new float[16 * 3];
            for (int p = 0; p < 16; p++) {
                xyz[3 * p] = (float) (c / (double) classes + 0.02 * r.nextGaussian());
                xyz[3 * p + 1] = (float) (-c / (double) classes + 0.02 * r.nextGaussian());
                xyz[3 * p + 2] = (float) (2.0 * c / classes + 0.02 * r.nextGaussian());
            }
            clouds.add(PointCloud.of(xyz));
        }
        List<String> names = java.util.stream.IntStream.range(0, classes).mapToObj(c -> "class" + c).toList();
        return new MemoryDataset(name, Split.TRAIN, names, clouds, labels);
    }
}
