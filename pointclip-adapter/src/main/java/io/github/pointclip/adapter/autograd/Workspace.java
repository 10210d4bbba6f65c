package io.github.pointclip.adapter.autograd;

/**
 * Scratch arrays for the float product kernels, owned by one tensor (a layer's weight) and reused across
 * steps so that training allocates no weight-sized buffers. Not thread-safe: one training loop per model.
 */
final class Workspace {
    private float[][] rows = new float[0][];
    private final float[][] quad = new float[4][];
    private float[] accumulator = new float[0];
    private float[][] panel = new float[0][];
    private Workspace helper;

    /** The scratch of the {@link ComputeThreads} helper working on the same product. */
    Workspace helper() {
        if (helper == null) {
            helper = new Workspace();
        }
        return helper;
    }

    /** At least {@code count} rows of at least {@code width} floats, for the gathered panel of multTransB. */
    float[][] panel(int count, int width) {
        if (panel.length < count || panel[0].length < width) {
            panel = new float[Math.max(count, panel.length)][Math.max(width, panel.length > 0 ? panel[0].length : 0)];
        }
        return panel;
    }

    /** One row of at least {@code width} floats. */
    float[] accumulator(int width) {
        if (accumulator.length < width) {
            accumulator = new float[width];
        }
        return accumulator;
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
