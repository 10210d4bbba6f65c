package io.github.pointclip.segmentation;

import java.util.List;
import java.util.Objects;

/**
 * One object category of ShapeNetPart and its parts: its index (the HDF5 {@code label}), name,
 * WordNet synset, where its parts start among the 50 global part ids, how many ground-truth parts
 * it has, and the official PointCLIP V2 part names, prompt sentences and view weights.
 *
 * <p>{@link #partCount()} is the number of ground-truth parts the metrics count (seg_num of the
 * original metric code); {@link #partNames()} are the parts that have a prompt. They differ only for
 * lamp: 4 ground-truth parts, of which only 0 (leg or wire) and 1 (lampshade) can be predicted.
 * Local part p of this category is global part id {@code firstPart() + p}. Immutable.
 */
public final class PartCategory {

    private final int index;
    private final String name;
    private final String synset;
    private final int firstPart;
    private final int partCount;
    private final List<String> partNames;
    private final List<String> officialPrompts;
    private final float[] officialViewWeights;

    PartCategory(int index, String name, String synset, int firstPart, int partCount, List<String> partNames,
                 List<String> officialPrompts, float[] officialViewWeights) {
        this.index = index;
        this.name = Objects.requireNonNull(name, "name");
        this.synset = Objects.requireNonNull(synset, "synset");
        this.firstPart = firstPart;
        this.partCount = partCount;
        this.partNames = List.copyOf(partNames);
        this.officialPrompts = List.copyOf(officialPrompts);
        this.officialViewWeights = officialViewWeights.clone();
        if (this.partNames.size() != this.officialPrompts.size() || this.partNames.size() > partCount
            || officialViewWeights.length != ShapeNetPart.VIEWS) {
            throw new IllegalArgumentException("inconsistent category " + name);
        }
    }

    /** @return the category index 0–15, as in the HDF5 {@code label} and {@code all_object_categories.txt} */
    public int index() {
        return index;
    }

    /** @return the lower-case name, e.g. {@code airplane} */
    public String name() {
        return name;
    }

    /** @return the WordNet synset id, e.g. {@code 02691156} */
    public String synset() {
        return synset;
    }

    /** @return the global part id of local part 0 (index_start of the original code) */
    public int firstPart() {
        return firstPart;
    }

    /** @return the number of ground-truth parts the metrics count (seg_num; 4 for lamp) */
    public int partCount() {
        return partCount;
    }

    /**
     * @return the official part names in local part order, as the PointCLIP V2 prompt keys spell them
     *     (e.g. {@code engine or frame}); for lamp only the 2 parts that have a prompt
     */
    public List<String> partNames() {
        return partNames;
    }

    /**
     * The official prompt sentences of the PointCLIP V2 release ({@code best_prompt} of its
     * segmentation code), one per part of {@link #partNames()}, exactly as released (a few start with
     * a space). Table parts 1 and 2 share one sentence, so part 2 is never predicted with them.
     *
     * @return the sentences, in local part order
     */
    public List<String> officialPrompts() {
        return officialPrompts;
    }

    /** @return the official per-view weights of the PointCLIP V2 release (10 values; 1.0 each for most categories) */
    public float[] officialViewWeights() {
        return officialViewWeights.clone();
    }

    /**
     * @param local a local part, 0 to {@link #partCount()} − 1
     * @return its global part id (0–49)
     * @throws IndexOutOfBoundsException for a part outside the category
     */
    public int globalPart(int local) {
        return firstPart + Objects.checkIndex(local, partCount);
    }

    /**
     * @param global a global part id
     * @return its local part in this category
     * @throws IllegalArgumentException when the part belongs to another category
     */
    public int localPart(int global) {
        if (global < firstPart || global >= firstPart + partCount) {
            throw new IllegalArgumentException("part " + global + " is not a part of " + name + " (its parts are "
                + firstPart + ".." + (firstPart + partCount - 1) + ")");
        }
        return global - firstPart;
    }

    @Override
    public String toString() {
        return name + " (" + index + ", " + partCount + " parts from " + firstPart + ": " + partNames + ")";
    }
}
