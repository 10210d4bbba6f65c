package io.github.pointclip.adapter.train;

/**
 * Cosine annealing after a warm-up, as Dassl's {@code ConstantWarmupScheduler}/{@code LinearWarmupScheduler}
 * wrapping {@code CosineAnnealingLR}: for epoch e &lt; W the warm-up rate (constant, or linear from the
 * warm-up rate towards the base rate); for e ≥ W, {@code min + (base − min)·(1 + cos(π·(e − W)/T))/2}.
 * {@link #pointClip()} is PointCLIP's V1 few-shot schedule.
 *
 * @param baseRate peak rate, &gt; 0
 * @param minRate final rate, in [0, baseRate]
 * @param warmupEpochs number of warm-up epochs W, ≥ 0
 * @param warmupRate rate at the start of warm-up
 * @param linearWarmup linear (true) or constant (false) warm-up
 * @param cosineEpochs period T of the cosine, &gt; 0
 */
public record WarmupCosineSchedule(double baseRate, double minRate, int warmupEpochs, double warmupRate,
        boolean linearWarmup, int cosineEpochs) implements LearningRateSchedule {

    /** Validates the settings. */
    public WarmupCosineSchedule {
        if (!(baseRate > 0) || !(minRate >= 0 && minRate <= baseRate) || warmupEpochs < 0 || !(warmupRate >= 0)
                || cosineEpochs <= 0) {
            throw new IllegalArgumentException("bad schedule: base " + baseRate + ", min " + minRate + ", warm-up "
                    + warmupEpochs + " at " + warmupRate + ", cosine over " + cosineEpochs);
        }
    }

    /**
     * PointCLIP's schedule (250 epochs): epoch 0 at 1e-5, epoch e ≥ 1 at 0.01·(1 + cos(π(e − 1)/250))/2.
     *
     * @return the schedule
     */
    public static WarmupCosineSchedule pointClip() {
        return new WarmupCosineSchedule(0.01, 0.0, 1, 1e-5, false, 250);
    }

    @Override
    public double rate(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be ≥ 0, got " + epoch);
        }
        if (epoch < warmupEpochs) {
            return linearWarmup ? warmupRate + (baseRate - warmupRate) * epoch / warmupEpochs : warmupRate;
        }
        int t = epoch - warmupEpochs;
        return minRate + (baseRate - minRate) * (1 + Math.cos(Math.PI * t / cosineEpochs)) / 2;
    }
}
