package io.github.pointclip.projection;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.projection.spi.Projector;
import io.github.pointclip.projection.spi.ViewRig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * PointCLIP (V1) sparse perspective projection: each point is projected through a pinhole
 * camera onto one pixel, and a pixel holds the harmonic mean of the depths that land on it
 * ({@code Σ z·w / Σ w} with {@code w = 1/z}); empty pixels are 0. Values are raw depths.
 *
 * <p>Numerics follow DESIGN.md §3 exactly (float32, round-half-down pixel index, points
 * behind the camera or outside the image dropped). Immutable and thread-safe; scratch space is
 * per thread, so {@link #projectInto} is allocation-free once a thread has warmed up.
 */
public final class SparsePerspectiveProjector implements Projector {

    private static final float EPSILON = 1e-12f;

    private final ViewRig views;
    private final int height;
    private final int width;
    private final String name;
    private final ThreadLocal<float[]> scratch = new ThreadLocal<>();

    private SparsePerspectiveProjector(Builder b) {
        this.views = b.views;
        this.height = b.height;
        this.width = b.width;
        this.name = b.name;
    }

    /**
     * PointCLIP zero-shot preset: 6 views, 128×128, translation −1.6.
     *
     * @return the projector
     */
    public static SparsePerspectiveProjector pointClipV1() {
        return builder().build();
    }

    /**
     * PointCLIP few-shot preset: 10 views, 224×224, translation −1.4.
     *
     * @return the projector
     */
    public static SparsePerspectiveProjector pointClipV1FewShot() {
        return builder().name("v1-fewshot").views(ViewRig.pointClipV1FewShot()).size(224).build();
    }

    /** @return a builder with the zero-shot defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder initialised with this projector's settings */
    public Builder toBuilder() {
        return new Builder().name(name).views(views).height(height).width(width);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ViewRig views() {
        return views;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public float[] projectInto(PointCloud cloud, float[] out) {
        Objects.requireNonNull(cloud, "cloud");
        int pixels = height * width;
        int length = views.size() * pixels;
        if (out == null || out.length < length) {
            out = new float[length];
        }
        int n = cloud.size();
        float[] work = scratch.get();
        if (work == null || work.length < 3 * n + pixels) {
            work = new float[3 * n + pixels];
            scratch.set(work);
        }
        int weightBase = 3 * n;
        for (int v = 0; v < views.size(); v++) {
            views.view(v).transform(cloud, work);
            int base = v * pixels;
            java.util.Arrays.fill(out, base, base + pixels, 0f);
            java.util.Arrays.fill(work, weightBase, weightBase + pixels, 0f);
            for (int i = 0; i < n; i++) {
                float x = work[3 * i], y = work[3 * i + 1], z = work[3 * i + 2];
                if (!(z >= 0f)) {
                    continue;
                }
                float zEps = z + EPSILON;
                float fx = (x / zEps + 1f) * height / 2f;
                float fy = (y / zEps + 1f) * width / 2f;
                int row = (int) Math.ceil(fx - 0.5f);
                int col = (int) Math.ceil(fy - 0.5f);
                if (row < 0 || row >= height || col < 0 || col >= width || Float.isNaN(fx) || Float.isNaN(fy)) {
                    continue;
                }
                float w = 1f / zEps;
                int p = row * width + col;
                out[base + p] += z * w;
                work[weightBase + p] += w;
            }
            for (int p = 0; p < pixels; p++) {
                float w = work[weightBase + p];
                if (w > 0f) {
                    out[base + p] /= w;
                }
            }
        }
        return out;
    }

    @Override
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("projector", "sparse-perspective");
        p.put("name", name);
        p.put("views", String.valueOf(views.size()));
        p.put("height", String.valueOf(height));
        p.put("width", String.valueOf(width));
        p.put("rig", views.toString());
        return p;
    }

    @Override
    public String toString() {
        return "SparsePerspectiveProjector[" + name + ", " + views.size() + " views, " + height + "x" + width + "]";
    }

    /** Builds a {@link SparsePerspectiveProjector}; defaults are the PointCLIP zero-shot preset. */
    public static final class Builder {
        private String name = "v1";
        private ViewRig views = ViewRig.pointClipV1();
        private int height = 128;
        private int width = 128;

        private Builder() {
        }

        /**
         * @param name short name for logs and provenance; default {@code "v1"}
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * @param views the cameras; default {@link ViewRig#pointClipV1()}
         * @return this builder
         */
        public Builder views(ViewRig views) {
            this.views = Objects.requireNonNull(views, "views");
            return this;
        }

        /**
         * @param height image height in pixels; default 128
         * @return this builder
         */
        public Builder height(int height) {
            this.height = height;
            return this;
        }

        /**
         * @param width image width in pixels; default 128
         * @return this builder
         */
        public Builder width(int width) {
            this.width = width;
            return this;
        }

        /**
         * @param size height and width in pixels
         * @return this builder
         */
        public Builder size(int size) {
            return height(size).width(size);
        }

        /**
         * @return the projector
         * @throws IllegalArgumentException if the image size is not positive or too large
         */
        public SparsePerspectiveProjector build() {
            if (height <= 0 || width <= 0 || (long) height * width * views.size() > Integer.MAX_VALUE / 2) {
                throw new IllegalArgumentException("invalid image size " + height + "x" + width);
            }
            return new SparsePerspectiveProjector(this);
        }
    }
}
