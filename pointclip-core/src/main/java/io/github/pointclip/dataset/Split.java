package io.github.pointclip.dataset;

/**
 * Which part of a benchmark a {@link Dataset} holds. ModelNet40 and ScanObjectNN ship
 * {@link #TRAIN} and {@link #TEST}; {@link #VALIDATION} is what
 * {@link Datasets#holdOut(Dataset, double, long)} carves out of a training set, so that
 * searches and trainers tune on data the reported test accuracy never saw.
 */
public enum Split {
    /** The training split ({@code train_files.txt}, {@code training_*.h5}, {@code <class>/train/}). */
    TRAIN("train"),
    /** The test split ({@code test_files.txt}, {@code test_*.h5}, {@code <class>/test/}). */
    TEST("test"),
    /** A validation split: held out of the training set, or a {@code <class>/val/} folder. */
    VALIDATION("val");

    private final String folderName;

    Split(String folderName) {
        this.folderName = folderName;
    }

    /** @return the lower-case name used for split folders and file lists: train, test or val */
    public String folderName() {
        return folderName;
    }
}
