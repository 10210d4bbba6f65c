package io.github.pointclip.projection.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An ordered, immutable list of {@link View}s, with the camera rigs of the reference methods as
 * presets. The order of views is the order of the depth maps and of the view weights.
 */
public final class ViewRig {

    private static final double PI = Math.PI;

    private final List<View> views;

    private ViewRig(List<View> views) {
        if (views.isEmpty()) {
            throw new IllegalArgumentException("a view rig needs at least one view");
        }
        this.views = List.copyOf(views);
    }

    /**
     * @param views the views, in order
     * @return the rig
     */
    public static ViewRig of(List<View> views) {
        return new ViewRig(Objects.requireNonNull(views, "views"));
    }

    /**
     * @param views the views, in order
     * @return the rig
     */
    public static ViewRig of(View... views) {
        return new ViewRig(List.of(views));
    }

    /**
     * PointCLIP zero-shot: 6 views (front, right, back, left, top, bottom), t = (0, 0, −1.6).
     *
     * @return the rig
     */
    public static ViewRig pointClipV1() {
        double t = -1.6;
        return of(
            View.of(0, 0, PI / 2, 0, 0, t),
            View.of(PI / 2, 0, PI / 2, 0, 0, t),
            View.of(PI, 0, PI / 2, 0, 0, t),
            View.of(3 * PI / 2, 0, PI / 2, 0, 0, t),
            View.of(0, -PI / 2, PI / 2, 0, 0, t),
            View.of(0, PI / 2, PI / 2, 0, 0, t));
    }

    /**
     * PointCLIP few-shot: 10 views (4 side, 4 diagonal, top, bottom), t = (0, 0, −1.4).
     *
     * @return the rig
     */
    public static ViewRig pointClipV1FewShot() {
        double t = -1.4;
        List<View> v = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            v.add(View.of(k * PI / 2, 0, PI / 2, 0, 0, t));
        }
        v.add(View.of(5 * PI / 4, -PI / 4, PI / 2, 0, 0, t));
        v.add(View.of(5 * PI / 4, PI / 4, PI / 2, 0, 0, t));
        v.add(View.of(7 * PI / 4, -PI / 4, PI / 2, 0, 0, t));
        v.add(View.of(7 * PI / 4, PI / 4, PI / 2, 0, 0, t));
        v.add(View.of(0, -PI / 2, PI / 2, 0, 0, t));
        v.add(View.of(0, PI / 2, PI / 2, 0, 0, t));
        return of(v);
    }

    /**
     * PointCLIP V2: 10 views (4 diagonal, 4 side, top, bottom), each tilted by a second rotation
     * about y (π/9 for the first 8, π/15 for the last 2), t = (−0.5, −0.5, −1.5).
     *
     * @return the rig
     */
    public static ViewRig pointClipV2() {
        double tx = -0.5, ty = -0.5, tz = -1.5;
        List<View> v = new ArrayList<>();
        for (int k = 1; k <= 7; k += 2) {
            v.add(View.of(k * PI / 4, 0, PI / 2, tx, ty, tz).thenRotate(0, PI / 9, 0));
        }
        for (int k = 0; k < 4; k++) {
            v.add(View.of(k * PI / 2, 0, PI / 2, tx, ty, tz).thenRotate(0, PI / 9, 0));
        }
        v.add(View.of(0, -PI / 2, PI / 2, tx, ty, tz).thenRotate(0, PI / 15, 0));
        v.add(View.of(0, PI / 2, PI / 2, tx, ty, tz).thenRotate(0, PI / 15, 0));
        return of(v);
    }

    /** @return the number of views */
    public int size() {
        return views.size();
    }

    /**
     * @param i view index
     * @return view {@code i}
     */
    public View view(int i) {
        return views.get(i);
    }

    /** @return the views, unmodifiable */
    public List<View> views() {
        return views;
    }

    @Override
    public String toString() {
        return "ViewRig" + views;
    }
}
