package io.github.pointclip.adapter.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.pointclip.adapter.Precision;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ComputeThreadsTest {

    /** a·b, a·cᵀ and both gradients, for odd sizes above the parallel threshold. */
    private static float[][] products() {
        Random r = new Random(7);
        int m = 33;
        int k = 517;
        int n = 1030;
        Tensor a = Tensor.parameter(Precision.FLOAT, m, k);
        Tensor b = Tensor.parameter(Precision.FLOAT, k, n);
        Tensor c = Tensor.parameter(Precision.FLOAT, n, k);
        for (Tensor t : new Tensor[] {a, b, c}) {
            for (int i = 0; i < t.size(); i++) {
                t.set(i, r.nextGaussian());
            }
        }
        Tensor ab = Ops.matmul(a, b);
        Tensor act = Ops.matmulTransB(a, c);
        Ops.add(Ops.sum(Ops.mul(ab, ab)), Ops.sum(Ops.mul(act, act))).backward();
        return new float[][] {ab.toFloatArray(), act.toFloatArray(), floats(a.gradToDoubleArray()),
            floats(b.gradToDoubleArray()), floats(c.gradToDoubleArray())};
    }

    private static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Test
    void twoThreadsGiveBitIdenticalProducts() {
        float[][] single = products();
        float[][] split;
        try (ComputeThreads threads = ComputeThreads.open()) {
            assertNotNull(ComputeThreads.active());
            split = products();
        }
        assertNull(ComputeThreads.active(), "closed: deactivated");
        for (int i = 0; i < single.length; i++) {
            assertArrayEquals(single[i], split[i], "product " + i);
        }
    }

    @Test
    void anInterruptedCallerWaitsForTheHelperBeforeThrowing() {
        java.util.concurrent.atomic.AtomicBoolean helperDone = new java.util.concurrent.atomic.AtomicBoolean();
        try (ComputeThreads threads = ComputeThreads.open()) {
            Thread.currentThread().interrupt();
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> threads.split(() -> { }, () -> {
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                    helperDone.set(true);
                }));
            org.junit.jupiter.api.Assertions.assertTrue(helperDone.get(),
                "the helper had finished writing when the caller saw the exception: " + e.getMessage());
            org.junit.jupiter.api.Assertions.assertTrue(Thread.interrupted(), "the interrupt is kept (and cleared here)");
        }
    }
}
