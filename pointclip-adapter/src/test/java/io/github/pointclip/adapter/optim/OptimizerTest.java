package io.github.pointclip.adapter.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.pointclip.adapter.Precision;
import io.github.pointclip.adapter.autograd.Ops;
import io.github.pointclip.adapter.autograd.Tensor;
import io.github.pointclip.adapter.train.LearningRateSchedule;
import io.github.pointclip.adapter.train.WarmupCosineSchedule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Optimiser steps and schedules against hand-computed values. */
class OptimizerTest {

    /** One step with the loss 2·p, whose gradient is always 2. */
    private static void gradientStep(Tensor p, Optimizer opt) {
        opt.zeroGrad();
        Ops.sum(Ops.scale(p, 2)).backward();
        opt.step();
    }

    @Test
    void sgdWithMomentumAndWeightDecayFollowsPyTorch() {
        for (Precision precision : Precision.values()) {
            Tensor p = Tensor.parameter(precision, 1, 1);
            p.set(0, 1.0);
            Sgd sgd = new Sgd(List.of(p), 0.1, 0.9, 0.5);
            gradientStep(p, sgd);
            // d = 2 + 0.5·1 = 2.5; buf = 2.5; p = 1 − 0.25
            assertEquals(0.75, p.get(0), 1e-7);
            gradientStep(p, sgd);
            // d = 2 + 0.5·0.75 = 2.375; buf = 0.9·2.5 + 2.375 = 4.625; p = 0.75 − 0.4625
            assertEquals(0.2875, p.get(0), 1e-7);
        }
    }

    @Test
    void adamWDecouplesDecayAndCorrectsBias() {
        Tensor p = Tensor.parameter(Precision.DOUBLE, 1, 1);
        p.set(0, 1.0);
        AdamW adam = new AdamW(List.of(p), 0.1, 0.9, 0.999, 1e-8, 0.01);
        gradientStep(p, adam);
        // p·(1 − 0.1·0.01); m̂ = 2, v̂ = 4 → step 0.1·2/(2 + 1e-8)
        double p1 = 0.999 - 0.1 * 2 / (2 + 1e-8);
        assertEquals(p1, p.get(0), 1e-12);
        gradientStep(p, adam);
        // m = 0.38, v = 0.007996; m̂ = 0.38/0.19 = 2, √v̂ = √(0.007996/0.001999) = 2
        assertEquals(p1 * 0.999 - 0.1 * 2 / (2 + 1e-8), p.get(0), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new AdamW(List.of(p), 0.1, 1.0, 0.999, 1e-8, 0));
    }

    @Test
    void pointClipScheduleMatchesDesign() {
        LearningRateSchedule s = WarmupCosineSchedule.pointClip();
        assertEquals(1e-5, s.rate(0), 0);
        assertEquals(0.01, s.rate(1), 1e-15);
        assertEquals(0.005, s.rate(126), 1e-15);
        assertEquals(0.01 * (1 + Math.cos(Math.PI * 9 / 250)) / 2, s.rate(10), 1e-15);
        assertEquals(0.0, s.rate(251), 1e-15);
    }

    @Test
    void linearWarmupThenCosine() {
        WarmupCosineSchedule s = new WarmupCosineSchedule(1.0, 0.1, 2, 0.1, true, 4);
        assertEquals(0.1, s.rate(0), 1e-15);
        assertEquals(0.55, s.rate(1), 1e-15);
        assertEquals(1.0, s.rate(2), 1e-15);
        assertEquals(0.55, s.rate(4), 1e-15);
        assertEquals(0.1, s.rate(6), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosineSchedule(1.0, 2.0, 0, 0, false, 4));
    }
}
