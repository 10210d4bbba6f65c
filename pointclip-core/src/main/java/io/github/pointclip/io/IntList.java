package io.github.pointclip.io;

import java.util.Arrays;

/** A growable primitive int array (triangle vertex indices). Not thread-safe. */
final class IntList {

    private int[] values;
    private int size;

    IntList(int initialCapacity) {
        values = new int[Math.max(16, initialCapacity)];
    }

    int size() {
        return size;
    }

    void add(int a, int b, int c) {
        if (size + 3 > values.length) {
            long wanted = Math.max(size + 3L, (long) values.length + (values.length >> 1));
            if (wanted > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("more than " + (Integer.MAX_VALUE - 8) + " indices");
            }
            values = Arrays.copyOf(values, (int) wanted);
        }
        values[size] = a;
        values[size + 1] = b;
        values[size + 2] = c;
        size += 3;
    }

    int get(int index) {
        return values[index];
    }
}
