package io.github.pointclip.dataset;

import java.util.Objects;

/**
 * A dataset divided into disjoint training and validation parts by
 * {@link Datasets#holdOut(Dataset, double, long)}.
 *
 * @param train the samples left for training ({@link Split#TRAIN})
 * @param validation the held-out samples ({@link Split#VALIDATION})
 */
public record HoldOut(Dataset train, Dataset validation) {

    /**
     * @param train the samples left for training
     * @param validation the held-out samples
     * @throws NullPointerException if either part is null
     */
    public HoldOut {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
    }
}
