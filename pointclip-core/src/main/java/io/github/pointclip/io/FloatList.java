package io.github.pointclip.io;

import java.util.Arrays;

/** A growable primitive float array, so readers never box a coordinate. Not thread-safe. */
final class FloatList {

    private float[] values;
    private int size;

    FloatList(int initialCapacity) {
        values = new float[Math.max(16, initialCapacity)];
    }

    int size() {
        return size;
    }

    void add(float value) {
        if (size == values.length) {
            grow(size + 1);
        }
        values[size++] = value;
    }

    void add(float a, float b, float c) {
        if (size + 3 > values.length) {
            grow(size + 3);
        }
        values[size] = a;
        values[size + 1] = b;
        values[size + 2] = c;
        size += 3;
    }

    float get(int index) {
        return values[index];
    }

    /**
     * Returns the values; the internal array itself when it is exactly full, so that a reader
     * that knew the count up front never copies its largest array.
     */
    float[] toArray() {
        return size == values.length ? values : Arrays.copyOf(values, size);
    }

    private void grow(int minCapacity) {
        long wanted = Math.max(minCapacity, (long) values.length + (values.length >> 1));
        int capacity = (int) Math.min(wanted, Integer.MAX_VALUE - 8);
        if (capacity < minCapacity) {
            throw new IllegalStateException("more than " + (Integer.MAX_VALUE - 8) + " values");
        }
        values = Arrays.copyOf(values, capacity);
    }
}
