package io.github.pointclip.report;

import io.github.pointclip.projection.spi.DepthMaps;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Renders depth maps as one grey-scale PNG: the views side by side in rows of up to five,
 * each stretched from its own minimum (black) to maximum (white), with a 4-pixel gutter.
 */
public final class ContactSheet {

    private static final int GUTTER = 4;
    private static final int PER_ROW = 5;

    private ContactSheet() {
    }

    /**
     * @param maps the depth maps
     * @return the sheet image
     */
    public static BufferedImage render(DepthMaps maps) {
        int v = maps.viewCount(), h = maps.height(), w = maps.width();
        int cols = Math.min(v, PER_ROW), rows = (v + PER_ROW - 1) / PER_ROW;
        BufferedImage image = new BufferedImage(cols * w + (cols + 1) * GUTTER, rows * h + (rows + 1) * GUTTER,
            BufferedImage.TYPE_BYTE_GRAY);
        java.awt.Graphics2D g = image.createGraphics();
        g.setColor(new java.awt.Color(128, 128, 128));
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.dispose();
        for (int k = 0; k < v; k++) {
            float[] map = maps.view(k);
            float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
            for (float f : map) {
                min = Math.min(min, f);
                max = Math.max(max, f);
            }
            float span = max > min ? max - min : 1f;
            int x0 = GUTTER + (k % PER_ROW) * (w + GUTTER), y0 = GUTTER + (k / PER_ROW) * (h + GUTTER);
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    int grey = Math.round((map[r * w + c] - min) / span * 255f);
                    image.getRaster().setSample(x0 + c, y0 + r, 0, grey);
                }
            }
        }
        return image;
    }

    /**
     * Writes the sheet as a PNG, atomically.
     *
     * @param maps the depth maps
     * @param file the PNG file
     * @throws IOException if writing fails
     */
    public static void write(DepthMaps maps, Path file) throws IOException {
        io.github.pointclip.report.Charts.writePng(render(maps), file);
    }
}
