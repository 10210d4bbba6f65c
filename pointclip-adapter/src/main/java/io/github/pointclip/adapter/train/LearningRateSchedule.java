package io.github.pointclip.adapter.train;

/** Learning rate as a function of the epoch, stepped once per epoch. */
@FunctionalInterface
public interface LearningRateSchedule {
    /**
     * @param epoch zero-based epoch
     * @return the learning rate for that epoch
     */
    double rate(int epoch);
}
