package io.github.pointclip.projection.kernel;

/**
 * Base of the built-in kernels: weights {@code f(d)} of the Euclidean distance d (in pixels) of
 * each tap from the centre, normalised to sum 1. Subclasses define the radial profile.
 */
public abstract class RadialKernel implements SmoothingKernel {

    private final int size;
    private final double sigma;
    private final float[] weights;

    /**
     * @param size odd kernel size
     * @param sigma the profile's scale parameter, positive
     */
    protected RadialKernel(int size, double sigma) {
        if (size <= 0 || size % 2 == 0) {
            throw new IllegalArgumentException("kernel size must be odd and positive, got " + size);
        }
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be positive and finite, got " + sigma);
        }
        this.size = size;
        this.sigma = sigma;
        this.weights = computeWeights(size, sigma);
    }

    /**
     * The unnormalised weight of a tap at distance {@code d} from the centre.
     *
     * @param d distance in pixels, ≥ 0
     * @param sigma the scale parameter
     * @return the weight, finite and ≥ 0
     */
    protected abstract double profile(double d, double sigma);

    /** @return the name used in {@link #description()} */
    protected abstract String name();

    private float[] computeWeights(int size, double sigma) {
        int c = size / 2;
        double[] w = new double[size * size];
        double sum = 0;
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                double value = profile(Math.hypot(i - c, j - c), sigma);
                if (!(value >= 0) || Double.isInfinite(value)) {
                    throw new IllegalStateException(name() + " profile gave " + value + " at distance "
                        + Math.hypot(i - c, j - c));
                }
                w[i * size + j] = value;
                sum += value;
            }
        }
        if (!(sum > 0)) {
            throw new IllegalStateException(name() + " kernel weights sum to " + sum);
        }
        float[] out = new float[w.length];
        for (int k = 0; k < w.length; k++) {
            out[k] = (float) (w[k] / sum);
        }
        return out;
    }

    @Override
    public final int size() {
        return size;
    }

    /** @return the scale parameter σ */
    public final double sigma() {
        return sigma;
    }

    @Override
    public final float[] weights() {
        return weights.clone();
    }

    @Override
    public String description() {
        return name() + "(size=" + size + ", sigma=" + sigma + ")";
    }

    @Override
    public String toString() {
        return description();
    }
}
