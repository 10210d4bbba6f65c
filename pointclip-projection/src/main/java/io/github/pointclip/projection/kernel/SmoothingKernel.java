package io.github.pointclip.projection.kernel;

/**
 * A square 2-D smoothing kernel applied to every depth slice of the V2 grid (a 3-D convolution
 * with depth size 1, zero padding {@code size/2}, bias 0).
 *
 * <p>Implement this interface to plug in a custom kernel: return an odd {@link #size()} and
 * {@code size·size} row-major weights. Weights are used as given; the built-in kernels are
 * normalised to sum 1 so that smoothing preserves the depth scale. Implementations must be
 * immutable.
 */
public interface SmoothingKernel {

    /** @return the kernel width and height, odd and positive */
    int size();

    /** @return {@code size()·size()} weights, row-major (a copy the caller may keep) */
    float[] weights();

    /** @return a short description for provenance records, e.g. {@code gaussian(size=3, sigma=3.0)} */
    String description();

    /**
     * The reference PointCLIP V2 kernel: 3×3 Gaussian with σ = 3.
     *
     * @return the kernel
     */
    static SmoothingKernel pointClipV2() {
        return new GaussianKernel(3, 3.0);
    }
}
