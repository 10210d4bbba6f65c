package io.github.pointclip.detection;

/**
 * Overlap of oriented boxes (heading about z): the footprints are intersected as convex polygons
 * in the xy plane and multiplied by the overlap along z, as the VoteNet/ScanNet evaluation does
 * for its boxes.
 */
public final class BoxOverlap {

    private BoxOverlap() {
    }

    /**
     * 3-D intersection over union.
     *
     * @param a a box
     * @param b another box
     * @return {@code |a ∩ b| / |a ∪ b|} in [0, 1]; 0 when the union has no volume
     */
    public static double iou(Box a, Box b) {
        double inter = intersection(a, b);
        double union = a.volume() + b.volume() - inter;
        return union <= 0 ? 0 : Math.min(1, Math.max(0, inter / union));
    }

    /**
     * @param a a box
     * @param b another box
     * @return the volume the two boxes share
     */
    public static double intersection(Box a, Box b) {
        double zLow = Math.max(a.centerZ() - a.sizeZ() / 2, b.centerZ() - b.sizeZ() / 2);
        double zHigh = Math.min(a.centerZ() + a.sizeZ() / 2, b.centerZ() + b.sizeZ() / 2);
        if (zHigh <= zLow) {
            return 0;
        }
        return footprintIntersection(a, b) * (zHigh - zLow);
    }

    /**
     * @param a a box
     * @param b another box
     * @return the area the two footprints share in the xy plane
     */
    public static double footprintIntersection(Box a, Box b) {
        if (a.axisAligned() && b.axisAligned()) {
            double w = Math.min(a.centerX() + a.sizeX() / 2, b.centerX() + b.sizeX() / 2)
                - Math.max(a.centerX() - a.sizeX() / 2, b.centerX() - b.sizeX() / 2);
            double h = Math.min(a.centerY() + a.sizeY() / 2, b.centerY() + b.sizeY() / 2)
                - Math.max(a.centerY() - a.sizeY() / 2, b.centerY() - b.sizeY() / 2);
            return w <= 0 || h <= 0 ? 0 : w * h;
        }
        double[] poly = a.footprint();
        int n = 4;
        double[] clip = b.footprint();
        double[] next = new double[2 * 16];
        double[] cur = new double[2 * 16];
        System.arraycopy(poly, 0, cur, 0, 8);
        // Sutherland–Hodgman: clip a's footprint by each edge of b's (both counter-clockwise, convex)
        for (int e = 0; e < 4 && n > 0; e++) {
            double ex0 = clip[2 * e];
            double ey0 = clip[2 * e + 1];
            double ex1 = clip[(2 * e + 2) % 8];
            double ey1 = clip[(2 * e + 3) % 8];
            int m = 0;
            for (int i = 0; i < n; i++) {
                double px = cur[2 * i];
                double py = cur[2 * i + 1];
                double qx = cur[(2 * i + 2) % (2 * n)];
                double qy = cur[(2 * i + 3) % (2 * n)];
                double sp = side(ex0, ey0, ex1, ey1, px, py);
                double sq = side(ex0, ey0, ex1, ey1, qx, qy);
                if (sp >= 0) {
                    next[2 * m] = px;
                    next[2 * m + 1] = py;
                    m++;
                }
                if ((sp >= 0) != (sq >= 0)) {
                    double t = sp / (sp - sq);
                    next[2 * m] = px + t * (qx - px);
                    next[2 * m + 1] = py + t * (qy - py);
                    m++;
                }
            }
            double[] swap = cur;
            cur = next;
            next = swap;
            n = m;
        }
        double area = 0;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            area += cur[2 * i] * cur[2 * j + 1] - cur[2 * j] * cur[2 * i + 1];
        }
        return Math.max(0, area / 2);
    }

    /** @return > 0 when (px, py) is left of the edge (inside a counter-clockwise polygon) */
    private static double side(double x0, double y0, double x1, double y1, double px, double py) {
        return (x1 - x0) * (py - y0) - (y1 - y0) * (px - x0);
    }
}
