package io.github.pointclip.projection.spi;

/**
 * Bilinear image resize with {@code align_corners=True} semantics (corner pixels map to corner
 * pixels), as the reference pipelines use before the CLIP encoder. The index and weight tables
 * are computed once per size pair and scratch space is per thread, so {@link #resize} is
 * allocation-free once a thread has warmed up. Immutable and thread-safe.
 */
public final class BilinearResize {

    private final int inHeight;
    private final int inWidth;
    private final int outHeight;
    private final int outWidth;
    private final int[] row0;
    private final int[] row1;
    private final float[] rowWeight;
    private final int[] col0;
    private final int[] col1;
    private final float[] colWeight;
    /**
     * Per-thread scratch: the source rows interpolated to the output width, then one blended output row. Separate
     * zero-offset row arrays, because HotSpot vectorises the vertical blend only over arrays read at the same
     * index (it cannot rule out aliasing between one array at two offsets).
     */
    private final ThreadLocal<float[][]> rows;

    /**
     * @param inHeight source height
     * @param inWidth source width
     * @param outHeight destination height
     * @param outWidth destination width
     */
    public BilinearResize(int inHeight, int inWidth, int outHeight, int outWidth) {
        if (inHeight <= 0 || inWidth <= 0 || outHeight <= 0 || outWidth <= 0) {
            throw new IllegalArgumentException("sizes must be positive: " + inHeight + "x" + inWidth + " -> "
                + outHeight + "x" + outWidth);
        }
        this.inHeight = inHeight;
        this.inWidth = inWidth;
        this.outHeight = outHeight;
        this.outWidth = outWidth;
        row0 = new int[outHeight];
        row1 = new int[outHeight];
        rowWeight = new float[outHeight];
        table(inHeight, outHeight, row0, row1, rowWeight);
        col0 = new int[outWidth];
        col1 = new int[outWidth];
        colWeight = new float[outWidth];
        table(inWidth, outWidth, col0, col1, colWeight);
        rows = ThreadLocal.withInitial(() -> new float[inHeight + 1][outWidth]);
    }

    private static void table(int in, int out, int[] i0, int[] i1, float[] w1) {
        float scale = out > 1 ? (float) (in - 1) / (float) (out - 1) : 0f;
        for (int o = 0; o < out; o++) {
            float src = scale * o;
            int lo = Math.min((int) src, in - 1);
            i0[o] = lo;
            i1[o] = Math.min(lo + 1, in - 1);
            w1[o] = src - lo;
        }
    }

    /** @return source height */
    public int inHeight() {
        return inHeight;
    }

    /** @return source width */
    public int inWidth() {
        return inWidth;
    }

    /** @return destination height */
    public int outHeight() {
        return outHeight;
    }

    /** @return destination width */
    public int outWidth() {
        return outWidth;
    }

    /**
     * Resizes one image.
     *
     * @param src source pixels, row-major, starting at {@code srcOffset}
     * @param srcOffset index of the source's first pixel
     * @param dst destination (modified), row-major, starting at {@code dstOffset}
     * @param dstOffset index of the destination's first pixel
     */
    public void resize(float[] src, int srcOffset, float[] dst, int dstOffset) {
        // Interpolate every source row horizontally once, then blend pairs of those rows; the
        // arithmetic is the same as h0·(w0·a + w1·b) + h1·(w0·c + w1·d) per pixel, with fewer operations.
        float[][] rows = this.rows.get();
        for (int r = 0; r < inHeight; r++) {
            int in = srcOffset + r * inWidth;
            float[] row = rows[r];
            for (int c = 0; c < outWidth; c++) {
                float w1 = colWeight[c];
                row[c] = (1f - w1) * src[in + col0[c]] + w1 * src[in + col1[c]];
            }
        }
        float[] blended = rows[inHeight];
        for (int r = 0; r < outHeight; r++) {
            float[] a = rows[row0[r]];
            float[] b = rows[row1[r]];
            float h1 = rowWeight[r];
            float h0 = 1f - h1;
            for (int c = 0; c < outWidth; c++) {
                blended[c] = h0 * a[c] + h1 * b[c];
            }
            System.arraycopy(blended, 0, dst, dstOffset + r * outWidth, outWidth);
        }
    }

    /**
     * Resizes {@code images} consecutive images and writes each one {@code channels} times, giving
     * the [N, channels, outHeight, outWidth] layout an image encoder takes (a depth map repeated
     * over RGB, with no mean/std normalisation, as the references do).
     *
     * @param src source images [N, inHeight, inWidth] starting at {@code srcOffset}
     * @param srcOffset index of the first source pixel
     * @param images number of images N
     * @param channels copies of each resized image, e.g. 3
     * @param dst destination (modified) starting at {@code dstOffset}
     * @param dstOffset index of the first destination value
     */
    public void resizeReplicated(float[] src, int srcOffset, int images, int channels, float[] dst, int dstOffset) {
        int inPixels = inHeight * inWidth;
        int outPixels = outHeight * outWidth;
        for (int n = 0; n < images; n++) {
            int first = dstOffset + n * channels * outPixels;
            resize(src, srcOffset + n * inPixels, dst, first);
            for (int c = 1; c < channels; c++) {
                System.arraycopy(dst, first, dst, first + c * outPixels, outPixels);
            }
        }
    }
}
