package io.github.pointclip.adapter;

import java.util.Arrays;

/**
 * One named tensor of a model's state: a shape (PyTorch's, so 1-D for vectors) and float values, row-major.
 * Immutable: arrays are copied in and out.
 */
public final class StateTensor {
    private final int[] shape;
    private final float[] data;

    /**
     * @param shape dimensions, each ≥ 1
     * @param data values, as many as the product of the dimensions
     * @throws IllegalArgumentException on a bad shape or count
     */
    public StateTensor(int[] shape, float[] data) {
        long count = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("bad shape " + Arrays.toString(shape));
            }
            count *= d;
        }
        if (count != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + count + " values, got "
                    + data.length);
        }
        this.shape = shape.clone();
        this.data = data.clone();
    }

    /** @return a copy of the shape */
    public int[] shape() {
        return shape.clone();
    }

    /** @return a copy of the values */
    public float[] data() {
        return data.clone();
    }

    /** @return number of values */
    public int size() {
        return data.length;
    }

    float get(int index) {
        return data[index];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateTensor s && Arrays.equals(shape, s.shape) && Arrays.equals(data, s.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "StateTensor" + Arrays.toString(shape);
    }
}
