package io.github.pointclip.projection.kernel;

/**
 * Sigmoid-shaped kernel {@code 2·sigmoid(−d/σ) = 2/(1 + exp(d/σ))}: 1 at the centre, a flat
 * shoulder, then an exponential tail; normalised to sum 1.
 */
public final class SigmoidKernel extends RadialKernel {

    /**
     * @param size odd kernel size
     * @param sigma scale in pixels
     */
    public SigmoidKernel(int size, double sigma) {
        super(size, sigma);
    }

    @Override
    protected double profile(double d, double sigma) {
        return 2.0 / (1.0 + Math.exp(d / sigma));
    }

    @Override
    protected String name() {
        return "sigmoid";
    }
}
