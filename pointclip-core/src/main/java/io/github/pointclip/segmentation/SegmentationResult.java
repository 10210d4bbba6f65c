package io.github.pointclip.segmentation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The figures of a part-segmentation evaluation ({@link SegmentationMetrics}), all in percent.
 *
 * @param shapes the number of shapes scored
 * @param classMiou the mean of the category mIoUs over the categories present
 * @param instanceMiou 100 × the mean shape IoU over all shapes
 * @param accuracy 100 × the mean over shapes of the fraction of correctly labelled points
 * @param perCategory the categories present, in the order they first appeared
 */
public record SegmentationResult(int shapes, double classMiou, double instanceMiou, double accuracy,
                                 List<CategoryScore> perCategory) {

    /**
     * One category's figures.
     *
     * @param category the category name
     * @param shapes its number of shapes
     * @param miou 100 × the mean shape IoU over its shapes
     * @param accuracy 100 × the mean fraction of correctly labelled points over its shapes
     */
    public record CategoryScore(String category, int shapes, double miou, double accuracy) {
        /** Checks the components. */
        public CategoryScore {
            Objects.requireNonNull(category, "category");
        }
    }

    /** Copies the list. */
    public SegmentationResult {
        perCategory = List.copyOf(perCategory);
    }

    /** @return the per-category figures by category name, in the order of {@link #perCategory()} */
    public Map<String, CategoryScore> byCategory() {
        Map<String, CategoryScore> map = new LinkedHashMap<>();
        for (CategoryScore c : perCategory) {
            map.put(c.category(), c);
        }
        return map;
    }
}
