package io.github.pointclip.adapter.autograd;

/**
 * Scratch arrays for the float product kernels, owned by one tensor (a layer's weight) and reused across
 * steps so that training allocates no weight-sized buffers. Not thread-safe: one training loop per model.
 */
final class Workspace {
    private float[] transposed = new float[0];
    private float[][] rows = new float[0][];
    private final float[][] quad = new float[4][];

    float[] transposed(int size) {
        if (transposed.length < size) {
            transposed = new float[size];
        }
        return transposed;
    }

    /** At least {@code count} rows of at least {@code width} floats each. */
    float[][] rows(int count, int width) {
        if (rows.length < count || (count > 0 && rows[0].length < width)) {
            int w = Math.max(width, rows.length > 0 ? rows[0].length : 0);
            float[][] grown = new float[Math.max(count, rows.length)][];
            for (int i = 0; i < grown.length; i++) {
                grown[i] = new float[w];
            }
            rows = grown;
        }
        return rows;
    }

    /** Four rows of at least {@code width} floats, for the right-hand operand of the product kernel. */
    float[][] quad(int width) {
        if (quad[0] == null || quad[0].length < width) {
            for (int i = 0; i < 4; i++) {
                quad[i] = new float[width];
            }
        }
        return quad;
    }
}
