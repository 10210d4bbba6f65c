package io.github.pointclip.projection;

/**
 * Bilinear image resize with {@code align_corners=True} semantics (corner pixels map to corner
 * pixels), as the reference pipelines use before the CLIP encoder. The index and weight tables
 * are computed once per size pair, so {@link #resize} is allocation-free. Immutable and
 * thread-safe.
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
        for (int r = 0; r < outHeight; r++) {
            int a = srcOffset + row0[r] * inWidth;
            int b = srcOffset + row1[r] * inWidth;
            float h1 = rowWeight[r];
            float h0 = 1f - h1;
            int o = dstOffset + r * outWidth;
            for (int c = 0; c < outWidth; c++) {
                float w1 = colWeight[c];
                float w0 = 1f - w1;
                int c0 = col0[c], c1 = col1[c];
                dst[o + c] = h0 * (w0 * src[a + c0] + w1 * src[a + c1]) + h1 * (w0 * src[b + c0] + w1 * src[b + c1]);
            }
        }
    }
}
