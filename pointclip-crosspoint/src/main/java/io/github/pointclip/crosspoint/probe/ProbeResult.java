package io.github.pointclip.crosspoint.probe;

/**
 * The outcome of a linear probe.
 *
 * @param accuracy share of the test rows classified right, in [0, 1]
 * @param meanClassAccuracy the mean over classes with test rows of their accuracy, in [0, 1]
 * @param trainAccuracy share of the training rows classified right (how well the features separate the
 *     classes at all)
 * @param trainSamples training rows
 * @param testSamples test rows
 * @param classes number of classes
 * @param dim feature width
 * @param iterations L-BFGS iterations of the fit
 * @param converged whether the fit reached its tolerance
 */
public record ProbeResult(double accuracy, double meanClassAccuracy, double trainAccuracy, int trainSamples,
        int testSamples, int classes, int dim, int iterations, boolean converged) {
}
