package io.github.pointclip.adapter.search;

import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.Datasets;
import io.github.pointclip.dataset.Split;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a search may run (DESIGN §5): on a validation split the user names, never silently on the test
 * set, since tuning on test labels makes the test accuracy optimistic (the references were criticised
 * for it).
 */
public final class SearchSplits {

    private static final Logger LOG = LoggerFactory.getLogger(SearchSplits.class);

    private SearchSplits() {
    }

    /**
     * The validation part of a stratified hold-out of a training split
     * ({@link Datasets#holdOut(Dataset, double, long)}).
     *
     * @param train a {@link Split#TRAIN} dataset
     * @param fraction share of each class held out, in (0, 1)
     * @param seed the hold-out seed
     * @return the held-out samples
     * @throws IllegalArgumentException if {@code train} is not a training split or the fraction is bad
     */
    public static Dataset validation(Dataset train, double fraction, long seed) {
        Objects.requireNonNull(train, "train");
        if (train.split() != Split.TRAIN) {
            throw new IllegalArgumentException("a validation hold-out is drawn from a train split, not from "
                + train.name() + " (" + train.split().folderName() + ")");
        }
        return Datasets.holdOut(train, fraction, seed).validation();
    }

    /**
     * Checks that a dataset may be searched on: a test split only with {@code allowTest}, and then
     * with a warning.
     *
     * @param dataset the dataset to search on
     * @param allowTest whether the caller explicitly allowed the test split
     * @return {@code dataset}
     * @throws IllegalArgumentException for a test split without {@code allowTest}
     */
    public static Dataset checked(Dataset dataset, boolean allowTest) {
        Objects.requireNonNull(dataset, "dataset");
        if (dataset.split() == Split.TEST) {
            if (!allowTest) {
                throw new IllegalArgumentException("refusing to search on the test split " + dataset.name()
                    + " (that tunes on test labels); use a validation hold-out of the train split, or allow the test"
                    + " split explicitly");
            }
            LOG.warn("searching on the test split {}; accuracies measured on it afterwards are optimistic",
                dataset.name());
        }
        return dataset;
    }
}
