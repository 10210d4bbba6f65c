package io.github.pointclip.crosspoint;

import io.github.pointclip.crosspoint.probe.LabelledFeatures;
import io.github.pointclip.crosspoint.probe.LinearClassifier;
import io.github.pointclip.crosspoint.probe.LinearProbe;
import java.util.List;

/**
 * A small linear probe for tests: leave-one-out nearest class mean on standardised features (each feature
 * centred and scaled over the data set), counted over the samples whose class has at least one other sample.
 */
final class Probes {
    private Probes() {
    }

    /**
     * Leave-one-out accuracy of the project's linear probe (logistic regression, C = 1, standardised, at most 300 L-BFGS iterations), over the
     * samples whose class has at least one other sample.
     */
    static double leaveOneOutLinear(float[] features, int[] labels, int dim, List<String> classNames) {
        int n = labels.length;
        int[] counts = new int[classNames.size()];
        for (int l : labels) {
            counts[l]++;
        }
        int correct = 0;
        int evaluated = 0;
        LinearProbe probe = LinearProbe.builder().maxIterations(300).build();
        for (int i = 0; i < n; i++) {
            if (counts[labels[i]] < 2) {
                continue;
            }
            float[] rest = new float[(n - 1) * dim];
            int[] restLabels = new int[n - 1];
            for (int j = 0, r = 0; j < n; j++) {
                if (j != i) {
                    System.arraycopy(features, j * dim, rest, r * dim, dim);
                    restLabels[r++] = labels[j];
                }
            }
            LinearClassifier c = probe.fit(LabelledFeatures.of(rest, dim, restLabels, classNames));
            double[] scores = c.scores(features, i * dim);
            int best = 0;
            for (int k = 1; k < scores.length; k++) {
                if (scores[k] > scores[best]) {
                    best = k;
                }
            }
            evaluated++;
            if (best == labels[i]) {
                correct++;
            }
        }
        return correct / (double) evaluated;
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
