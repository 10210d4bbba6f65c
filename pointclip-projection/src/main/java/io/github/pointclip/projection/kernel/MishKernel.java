package io.github.pointclip.projection.kernel;

/**
 * Mish-shaped kernel: the Mish gate {@code tanh(softplus(−d/σ))}, a smooth profile that falls
 * off more slowly than a Gaussian near the centre and like {@code exp(−d/σ)} far from it;
 * normalised to sum 1.
 */
public final class MishKernel extends RadialKernel {

    /**
     * @param size odd kernel size
     * @param sigma scale in pixels
     */
    public MishKernel(int size, double sigma) {
        super(size, sigma);
    }

    @Override
    protected double profile(double d, double sigma) {
        double x = -d / sigma;
        double softplus = Math.log1p(Math.exp(x));
        return Math.tanh(softplus);
    }

    @Override
    protected String name() {
        return "mish";
    }
}
