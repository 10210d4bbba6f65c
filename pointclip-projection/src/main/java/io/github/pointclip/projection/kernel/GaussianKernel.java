package io.github.pointclip.projection.kernel;

/**
 * Gaussian kernel {@code exp(−d²/(2σ²))}, normalised to sum 1. With size 3 and σ = 3 it is the
 * PointCLIP V2 reference kernel (best for most backbones in the reproduction study).
 */
public final class GaussianKernel extends RadialKernel {

    /**
     * @param size odd kernel size
     * @param sigma standard deviation in pixels
     */
    public GaussianKernel(int size, double sigma) {
        super(size, sigma);
    }

    @Override
    protected double profile(double d, double sigma) {
        return Math.exp(-d * d / (2 * sigma * sigma));
    }

    @Override
    protected String name() {
        return "gaussian";
    }
}
