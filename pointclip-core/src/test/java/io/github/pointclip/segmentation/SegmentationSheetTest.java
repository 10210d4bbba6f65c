package io.github.pointclip.segmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pointclip.projection.spi.SegmentationProjection;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** Where the sheet draws a point: at the pixel it reads, when it is seen there. */
class SegmentationSheetTest {

    private static final int S = 224;
    private static final int GUTTER = 4;

    /** One view, one point in cell (ix 40, iy 150), reading pixel (row, col) with the given flag. */
    private static BufferedImage render(SegmentationLayout layout, int row, int col, boolean seen) {
        float[] images = new float[S * S];
        java.util.Arrays.fill(images, 1f); // white background
        SegmentationProjection p = SegmentationProjection.of(layout, 1, 1, S, images, new int[] {40, 150, 60},
            new int[] {row, col}, new boolean[] {seen});
        return SegmentationSheet.render(p, new int[] {2});
    }

    private static int at(BufferedImage image, int row, int col) {
        return image.getRGB(GUTTER + col, GUTTER + row) & 0xffffff;
    }

    @Test
    void aPointIsDrawnAtThePixelWhereItsVisibilityWasTested() {
        int part = SegmentationSheet.color(2);
        // official layout: the point reads the transposed pixel (row of iy, column of ix) and is tested there
        BufferedImage official = render(SegmentationLayout.OFFICIAL, 161, 25, true);
        assertEquals(part, at(official, 161, 25), "drawn where it read and was seen");
        assertEquals(0xffffff, at(official, 25, 161), "not at its own pixel, where nothing tested it");
        BufferedImage hidden = render(SegmentationLayout.OFFICIAL, 161, 25, false);
        assertEquals(0xffffff, at(hidden, 161, 25), "not seen: not drawn");
        assertEquals(0xffffff, at(hidden, 25, 161));
        // fixed layout: the read pixel is its own
        BufferedImage fixed = render(SegmentationLayout.FIXED, 25, 161, true);
        assertEquals(part, at(fixed, 25, 161));
        assertEquals(part, at(fixed, 26, 162), "a 3x3 dot");
    }
}
