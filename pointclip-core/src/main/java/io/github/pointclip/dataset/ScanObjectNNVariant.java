package io.github.pointclip.dataset;

/**
 * The three ScanObjectNN benchmark variants and where their h5 files live under the
 * {@code h5_files} directory of the release.
 */
public enum ScanObjectNNVariant {
    /** Objects only, background removed: {@code main_split_nobg/*_objectdataset.h5}. */
    OBJ_ONLY("main_split_nobg", ""),
    /** Objects with background: {@code main_split/*_objectdataset.h5}. */
    OBJ_BG("main_split", ""),
    /**
     * The hardest perturbed variant (translation, rotation, scaling of the box, 50% background):
     * {@code main_split/*_objectdataset_augmentedrot_scale75.h5}.
     */
    PB_T50_RS("main_split", "_augmentedrot_scale75");

    private final String folder;
    private final String suffix;

    ScanObjectNNVariant(String folder, String suffix) {
        this.folder = folder;
        this.suffix = suffix;
    }

    /** @return the sub-folder of {@code h5_files} holding this variant */
    public String folder() {
        return folder;
    }

    /**
     * @param split {@link Split#TRAIN} or {@link Split#TEST}
     * @return the h5 file name of the split, e.g. {@code training_objectdataset_augmentedrot_scale75.h5}
     * @throws IllegalArgumentException for {@link Split#VALIDATION}, which ScanObjectNN does not ship
     */
    public String fileName(Split split) {
        switch (split) {
            case TRAIN:
                return "training_objectdataset" + suffix + ".h5";
            case TEST:
                return "test_objectdataset" + suffix + ".h5";
            default:
                throw new IllegalArgumentException("ScanObjectNN has no " + split
                    + " split; carve one out of TRAIN with Datasets.holdOut");
        }
    }
}
