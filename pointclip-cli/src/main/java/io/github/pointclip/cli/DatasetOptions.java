package io.github.pointclip.cli;

import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.Datasets;
import io.github.pointclip.dataset.ScanObjectNNVariant;
import io.github.pointclip.dataset.Split;
import io.github.pointclip.io.ReadOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The labelled dataset a command reads: {@code --data}, {@code --dataset}, {@code --variant}. */
public final class DatasetOptions {

    /** The dataset's directory. */
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "The dataset directory.")
    Path data;

    /** Its layout. */
    @Option(names = "--dataset", required = true, paramLabel = "modelnet40|scanobjectnn|folder",
        description = "modelnet40: modelnet40_ply_hdf5_2048; scanobjectnn: the h5_files directory; "
            + "folder: one sub-folder of point or mesh files per class.")
    String dataset;

    /** The ScanObjectNN variant. */
    @Option(names = "--variant", paramLabel = "obj_only|obj_bg|pb_t50_rs",
        description = "ScanObjectNN variant (default: pb_t50_rs, the hardest).")
    String variant;

    /**
     * @param split the split to read
     * @param options how a folder dataset's files are read (mesh sampling)
     * @return the dataset, streaming
     * @throws PointClipCli.BadInputException for an unknown layout or variant
     * @throws IOException if the files are missing or malformed
     */
    Dataset open(Split split, ReadOptions options) throws IOException {
        String kind = dataset.toLowerCase(Locale.ROOT);
        if (variant != null && !kind.equals("scanobjectnn")) {
            throw new PointClipCli.BadInputException("--variant applies to --dataset scanobjectnn only");
        }
        switch (kind) {
            case "modelnet40":
                return Datasets.modelNet40(data, split);
            case "scanobjectnn":
                return Datasets.scanObjectNN(data, variant(), split);
            case "folder":
                return Datasets.folder(data, split, options);
            default:
                throw new PointClipCli.BadInputException("unknown --dataset '" + dataset
                    + "'; known: modelnet40, scanobjectnn, folder");
        }
    }

    /**
     * Opens the split a command trains or tunes on, named by its {@code --train-split}; a dataset
     * without it (the test-only modelnet40-mini) fails with a line saying which option to use.
     *
     * @param split the split
     * @param options how a folder dataset's files are read
     * @return the dataset
     * @throws IOException if the files are missing or malformed
     */
    Dataset openForTraining(Split split, ReadOptions options) throws IOException {
        try {
            return open(split, options);
        } catch (io.github.pointclip.dataset.DatasetException e) {
            String m = String.valueOf(e.getMessage());
            if (split != Split.TRAIN || !(m.contains("not found") || m.contains("has no train"))) {
                throw e;
            }
            throw new PointClipCli.BadInputException(e.getMessage() + "; a dataset without a train split (such as "
                + "modelnet40-mini) can only train or tune on its test split: --train-split test --allow-test-split");
        }
    }

    /**
     * The split a command trains on, from {@code --train-split} and {@code --allow-test-split}.
     *
     * @param trainSplit the option's value
     * @param allowTestSplit whether training on the test split was allowed explicitly
     * @param whyNotTest the refusal when the test split is chosen without the permission, e.g.
     *     "refusing to train on the test split (…)"; the hint to add the option follows it
     * @return the split
     * @throws PointClipCli.BadInputException for an unknown split, the test split without permission, or a
     *     permission that does nothing
     */
    static Split trainSplit(String trainSplit, boolean allowTestSplit, String whyNotTest) {
        Split from;
        switch (trainSplit.toLowerCase(Locale.ROOT)) {
            case "train":
                from = Split.TRAIN;
                break;
            case "test":
                from = Split.TEST;
                break;
            default:
                throw new PointClipCli.BadInputException("--train-split is train or test, got '" + trainSplit + "'");
        }
        if (from == Split.TEST && !allowTestSplit) {
            throw new PointClipCli.BadInputException(whyNotTest + "; add --allow-test-split");
        }
        if (allowTestSplit && from != Split.TEST) {
            throw new PointClipCli.BadInputException("--allow-test-split does nothing with --train-split " + trainSplit);
        }
        return from;
    }

    private ScanObjectNNVariant variant() {
        if (variant == null) {
            return ScanObjectNNVariant.PB_T50_RS;
        }
        try {
            return ScanObjectNNVariant.valueOf(variant.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new PointClipCli.BadInputException("unknown ScanObjectNN variant '" + variant
                + "'; known: obj_only, obj_bg, pb_t50_rs");
        }
    }
}
