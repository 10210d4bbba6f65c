package io.github.pointclip.crosspoint;

/**
 * A small linear probe for tests: leave-one-out nearest class mean on standardised features (each feature
 * centred and scaled over the data set), counted over the samples whose class has at least one other sample.
 */
final class Probes {
    private Probes() {
    }

    static double leaveOneOutNearestMean(float[] features, int[] labels, int dim) {
        int n = labels.length;
        double[] mean = new double[dim];
        double[] sd = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dim; d++) {
                mean[d] += features[i * dim + d] / (double) n;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dim; d++) {
                double v = features[i * dim + d] - mean[d];
                sd[d] += v * v / n;
            }
        }
        double[][] x = new double[n][dim];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dim; d++) {
                x[i][d] = sd[d] > 1e-12 ? (features[i * dim + d] - mean[d]) / Math.sqrt(sd[d]) : 0;
            }
        }
        int classes = 0;
        for (int l : labels) {
            classes = Math.max(classes, l + 1);
        }
        double[][] sums = new double[classes][dim];
        int[] counts = new int[classes];
        for (int i = 0; i < n; i++) {
            counts[labels[i]]++;
            for (int d = 0; d < dim; d++) {
                sums[labels[i]][d] += x[i][d];
            }
        }
        int correct = 0;
        int evaluated = 0;
        for (int i = 0; i < n; i++) {
            if (counts[labels[i]] < 2) {
                continue;
            }
            evaluated++;
            int best = -1;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                int count = counts[c] - (c == labels[i] ? 1 : 0);
                if (count == 0) {
                    continue;
                }
                double dist = 0;
                for (int d = 0; d < dim; d++) {
                    double centre = (sums[c][d] - (c == labels[i] ? x[i][d] : 0)) / count;
                    dist += (x[i][d] - centre) * (x[i][d] - centre);
                }
                if (dist < bestDistance) {
                    bestDistance = dist;
                    best = c;
                }
            }
            if (best == labels[i]) {
                correct++;
            }
        }
        return correct / (double) evaluated;
    }
}
