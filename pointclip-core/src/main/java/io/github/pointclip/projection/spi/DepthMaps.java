package io.github.pointclip.projection.spi;

import java.util.Objects;

/**
 * V single-channel depth maps of H×W pixels, [V, H, W] in C order, with the views that made
 * them. Immutable: accessors return copies or write into caller-owned arrays.
 */
public final class DepthMaps {

    private final float[] data;
    private final ViewRig views;
    private final int height;
    private final int width;

    private DepthMaps(float[] data, ViewRig views, int height, int width) {
        this.data = data;
        this.views = views;
        this.height = height;
        this.width = width;
    }

    /**
     * Creates depth maps from a copy of {@code data}.
     *
     * @param data pixels [V, H, W], C order
     * @param views the V views that made the maps
     * @param height H
     * @param width W
     * @return the maps
     */
    public static DepthMaps of(float[] data, ViewRig views, int height, int width) {
        return wrap(Objects.requireNonNull(data, "data").clone(), views, height, width);
    }

    /** Takes ownership of {@code data} without copying; the caller must not modify it afterwards. */
    static DepthMaps wrap(float[] data, ViewRig views, int height, int width) {
        Objects.requireNonNull(views, "views");
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("map size must be positive, got " + height + "x" + width);
        }
        long expected = (long) views.size() * height * width;
        if (data.length < expected) {
            throw new IllegalArgumentException("depth maps need " + expected + " floats for " + views.size() + "x"
                + height + "x" + width + ", got " + data.length);
        }
        return new DepthMaps(data.length == expected ? data : java.util.Arrays.copyOf(data, (int) expected),
            views, height, width);
    }

    /** @return the number of maps V */
    public int viewCount() {
        return views.size();
    }

    /** @return the views that made the maps */
    public ViewRig views() {
        return views;
    }

    /** @return height H */
    public int height() {
        return height;
    }

    /** @return width W */
    public int width() {
        return width;
    }

    /**
     * @param view map index
     * @param row row index
     * @param col column index
     * @return the pixel value
     */
    public float get(int view, int row, int col) {
        Objects.checkIndex(view, viewCount());
        Objects.checkIndex(row, height);
        Objects.checkIndex(col, width);
        return data[(view * height + row) * width + col];
    }

    /** @return a copy of all pixels, [V, H, W] */
    public float[] toArray() {
        return data.clone();
    }

    /**
     * @param view map index
     * @return a copy of one map, [H, W]
     */
    public float[] view(int view) {
        Objects.checkIndex(view, viewCount());
        float[] out = new float[height * width];
        System.arraycopy(data, view * height * width, out, 0, out.length);
        return out;
    }

    /**
     * Resizes every map to {@code size}×{@code size} with bilinear interpolation
     * (align_corners=True), as the reference does before the encoder.
     *
     * @param size new height and width
     * @return the resized maps
     */
    public DepthMaps resize(int size) {
        BilinearResize resize = new BilinearResize(height, width, size, size);
        float[] out = new float[viewCount() * size * size];
        for (int v = 0; v < viewCount(); v++) {
            resize.resize(data, v * height * width, out, v * size * size);
        }
        return new DepthMaps(out, views, size, size);
    }
}
