package io.github.pointclip.segmentation;

import io.github.pointclip.projection.spi.SegmentationProjection;
import io.github.pointclip.report.Charts;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Pictures of a segmentation: the views' depth images (the encoder's input, grey) side by side in rows
 * of five, with every visible point drawn in its part's {@linkplain #color(int) colour}.
 *
 * <p>A point is drawn at the pixel it reads ({@link SegmentationProjection#pixelRow}, {@code pixelColumn}) when it
 * passes the visibility test there ({@link SegmentationProjection#seen}), so pixel and test always belong together.
 * In a {@link SegmentationLayout#FIXED} projection that is the point's own pixel; in an
 * {@link SegmentationLayout#OFFICIAL} one the transposed pixel it reads. For a picture of the points where they
 * are, give a FIXED projection whatever layout produced the labels (the CLI's {@code segment --png} and
 * {@code eval --report} do).
 */
public final class SegmentationSheet {

    private static final int GUTTER = 4;
    private static final int PER_ROW = 5;
    /** Ten well separated colours (matplotlib's tab10), cycled for more parts. */
    private static final int[] PALETTE = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2,
        0x7f7f7f, 0xbcbd22, 0x17becf};

    private SegmentationSheet() {
    }

    /**
     * @param part a part index
     * @return its colour as 0xRRGGBB
     */
    public static int color(int part) {
        return PALETTE[Math.floorMod(part, PALETTE.length)];
    }

    /**
     * Renders the sheet.
     *
     * @param projection the cloud's projection (its images, read pixels and visibility flags)
     * @param labels one part index per point of the projection
     * @return the image
     * @throws IllegalArgumentException if there is not one label per point
     */
    public static BufferedImage render(SegmentationProjection projection, int[] labels) {
        Objects.requireNonNull(projection, "projection");
        int n = projection.pointCount();
        if (labels.length != n) {
            throw new IllegalArgumentException(labels.length + " labels for " + n + " points");
        }
        int views = projection.viewCount(), s = projection.imageSize();
        int cols = Math.min(views, PER_ROW), rows = (views + PER_ROW - 1) / PER_ROW;
        BufferedImage image = new BufferedImage(cols * s + (cols + 1) * GUTTER, rows * s + (rows + 1) * GUTTER,
            BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.dispose();
        float[] images = projection.images();
        for (int v = 0; v < views; v++) {
            int x0 = GUTTER + (v % PER_ROW) * (s + GUTTER), y0 = GUTTER + (v / PER_ROW) * (s + GUTTER);
            for (int r = 0; r < s; r++) {
                for (int c = 0; c < s; c++) {
                    float depth = images[(v * s + r) * s + c];
                    int grey = Math.round(Math.max(0f, Math.min(1f, depth)) * 255f);
                    image.setRGB(x0 + c, y0 + r, grey << 16 | grey << 8 | grey);
                }
            }
            for (int i = 0; i < n; i++) {
                if (!projection.seen(v, i)) {
                    continue;
                }
                // the pixel the point reads, where seen() tested it (fixed layout: its own pixel)
                int row = projection.pixelRow(v, i), col = projection.pixelColumn(v, i);
                int rgb = color(labels[i]);
                for (int dr = -1; dr <= 1; dr++) {
                    for (int dc = -1; dc <= 1; dc++) {
                        int rr = row + dr, cc = col + dc;
                        if (rr >= 0 && rr < s && cc >= 0 && cc < s) {
                            image.setRGB(x0 + cc, y0 + rr, rgb);
                        }
                    }
                }
            }
        }
        return image;
    }

    /**
     * Writes the sheet as a PNG, atomically.
     *
     * @param projection the projection
     * @param labels one part index per point
     * @param file the PNG
     * @throws IOException if writing fails
     */
    public static void write(SegmentationProjection projection, int[] labels, Path file) throws IOException {
        Charts.writePng(render(projection, labels), file);
    }
}
