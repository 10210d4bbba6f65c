package io.github.pointclip.projection.spi;

import io.github.pointclip.segmentation.SegmentationLayout;
import java.util.Objects;

/**
 * The output of a {@link SegmentationProjector} for one cloud of N points and V views: the image
 * encoder's input (one channel per view, to be repeated over RGB), and per view and point the grid
 * cell (ix, iy, iz), the pixel (row, col) of the S×S logit map the point reads, and its visibility.
 * Immutable: accessors return copies or single values.
 */
public final class SegmentationProjection {

    private final SegmentationLayout layout;
    private final int views;
    private final int points;
    private final int imageSize;
    private final float[] images;
    private final int[] cells;
    private final int[] pixels;
    private final boolean[] seen;

    private SegmentationProjection(SegmentationLayout layout, int views, int points, int imageSize, float[] images,
            int[] cells, int[] pixels, boolean[] seen) {
        this.layout = layout;
        this.views = views;
        this.points = points;
        this.imageSize = imageSize;
        this.images = images;
        this.cells = cells;
        this.pixels = pixels;
        this.seen = seen;
    }

    /**
     * Creates a projection from copies of the arrays.
     *
     * @param layout the layout the pixels and flags were computed for
     * @param views V
     * @param points N
     * @param imageSize S
     * @param images [V, S, S] encoder input, one channel
     * @param cells [V, N, 3] (ix, iy, iz): ix = image row, iy = image column, iz = depth cell
     * @param pixels [V, N, 2] (row, col) in the S×S logit map
     * @param seen [V, N] visibility flags
     * @return the projection
     * @throws IllegalArgumentException if a length does not match the sizes
     */
    public static SegmentationProjection of(SegmentationLayout layout, int views, int points, int imageSize,
            float[] images, int[] cells, int[] pixels, boolean[] seen) {
        Objects.requireNonNull(layout, "layout");
        if (views < 1 || points < 1 || imageSize < 1) {
            throw new IllegalArgumentException("views, points and image size must be positive, got " + views + ", "
                + points + ", " + imageSize);
        }
        check("images", images.length, (long) views * imageSize * imageSize);
        check("cells", cells.length, 3L * views * points);
        check("pixels", pixels.length, 2L * views * points);
        check("seen", seen.length, (long) views * points);
        for (int i = 0; i < pixels.length; i++) {
            if (pixels[i] < 0 || pixels[i] >= imageSize) {
                throw new IllegalArgumentException("pixel coordinate " + pixels[i] + " at index " + i
                    + " is outside the " + imageSize + "x" + imageSize + " image");
            }
        }
        return new SegmentationProjection(layout, views, points, imageSize, images.clone(), cells.clone(),
            pixels.clone(), seen.clone());
    }

    private static void check(String what, int length, long expected) {
        if (length != expected) {
            throw new IllegalArgumentException(what + " has " + length + " values, expected " + expected);
        }
    }

    /** @return the layout the pixels and flags belong to */
    public SegmentationLayout layout() {
        return layout;
    }

    /** @return the number of views V */
    public int viewCount() {
        return views;
    }

    /** @return the number of points N */
    public int pointCount() {
        return points;
    }

    /** @return the side S of the images and of the logit maps */
    public int imageSize() {
        return imageSize;
    }

    /** @return a copy of the encoder input [V, S, S], one channel per view, no mean/std normalisation */
    public float[] images() {
        return images.clone();
    }

    /**
     * Writes the encoder input [V, 3, S, S] (each view repeated over three channels) into {@code out}.
     *
     * @param out destination (modified), at least {@code offset + V·3·S·S} long
     * @param offset index of the first value written
     */
    public void copyEncoderInput(float[] out, int offset) {
        int plane = imageSize * imageSize;
        for (int v = 0; v < views; v++) {
            for (int c = 0; c < 3; c++) {
                System.arraycopy(images, v * plane, out, offset + (3 * v + c) * plane, plane);
            }
        }
    }

    /**
     * @param view view index
     * @param point point index
     * @param axis 0 = ix (image row), 1 = iy (image column), 2 = iz (depth cell)
     * @return the grid cell coordinate
     */
    public int cell(int view, int point, int axis) {
        return cells[3 * index(view, point) + Objects.checkIndex(axis, 3)];
    }

    /**
     * @param view view index
     * @param point point index
     * @return the row of the S×S logit map the point reads
     */
    public int pixelRow(int view, int point) {
        return pixels[2 * index(view, point)];
    }

    /**
     * @param view view index
     * @param point point index
     * @return the column of the S×S logit map the point reads
     */
    public int pixelColumn(int view, int point) {
        return pixels[2 * index(view, point) + 1];
    }

    /**
     * @param view view index
     * @param point point index
     * @return whether the point is visible in the view
     */
    public boolean seen(int view, int point) {
        return seen[index(view, point)];
    }

    /** @return a copy of the cells [V, N, 3] */
    public int[] cells() {
        return cells.clone();
    }

    /** @return a copy of the pixels [V, N, 2] */
    public int[] pixels() {
        return pixels.clone();
    }

    /** @return a copy of the visibility flags [V, N] */
    public boolean[] seenFlags() {
        return seen.clone();
    }

    private int index(int view, int point) {
        return Objects.checkIndex(view, views) * points + Objects.checkIndex(point, points);
    }
}
