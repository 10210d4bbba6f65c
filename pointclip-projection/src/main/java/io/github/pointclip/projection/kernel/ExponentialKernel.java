package io.github.pointclip.projection.kernel;

/**
 * Exponential (Laplacian-shaped) kernel {@code exp(−d/σ)}, normalised to sum 1; the
 * reproduction study found it best for the RN101 backbone.
 */
public final class ExponentialKernel extends RadialKernel {

    /**
     * @param size odd kernel size
     * @param sigma decay length in pixels
     */
    public ExponentialKernel(int size, double sigma) {
        super(size, sigma);
    }

    @Override
    protected double profile(double d, double sigma) {
        return Math.exp(-d / sigma);
    }

    @Override
    protected String name() {
        return "exponential";
    }
}
