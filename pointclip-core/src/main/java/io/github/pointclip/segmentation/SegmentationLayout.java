package io.github.pointclip.segmentation;

import java.util.Locale;

/**
 * Which of the two geometries of PointCLIP V2's zero-shot part segmentation to use
 * (SEGMENTATION.md §6). They differ in where a point reads its pixel and in how the patch tokens are
 * laid out as maps; everything else is identical.
 */
public enum SegmentationLayout {

    /**
     * The library default: each point is tested for visibility and reads its logits at its own pixel
     * (row = camera x cell, column = camera y cell), and the patch tokens are used in the raster order
     * the image encoder returns them.
     */
    FIXED,

    /**
     * The original code, bit for bit, for comparison with published figures: visibility and logits
     * are read at the transposed pixel (defect A) and the token maps are scrambled by a reshape
     * without a permute (defect B). With real CLIP weights it cannot be expected to segment sensibly.
     */
    OFFICIAL;

    /** @return the lower-case name used on the command line and in reports: {@code fixed}, {@code official} */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param id {@code fixed} or {@code official} (case-insensitive)
     * @return the layout
     * @throws IllegalArgumentException naming the accepted values
     */
    public static SegmentationLayout parse(String id) {
        for (SegmentationLayout l : values()) {
            if (l.id().equalsIgnoreCase(id == null ? "" : id.trim())) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown segmentation layout '" + id + "'; expected fixed or official");
    }
}
