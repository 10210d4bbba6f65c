package io.github.pointclip.detection;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.report.Charts;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A top view (looking down the z axis, x to the right, y up the image) of a scene with boxes: the
 * points in grey, darker the higher (at most {@value #MAX_POINTS} drawn, evenly strided), ground truth as dashed black
 * footprints, detections as solid footprints in a colour per class with their label and score.
 * Drawn with java.awt (headless).
 */
public final class TopView {

    /** Points drawn at most; larger scenes are strided. */
    public static final int MAX_POINTS = 300_000;

    private static final Color TRUTH = Color.BLACK;

    private TopView() {
    }

    /**
     * @param scene the scene
     * @param truth ground-truth boxes (may be empty)
     * @param detections detections (may be empty)
     * @param size the longer side of the image in pixels, ≥ 64
     * @return the picture
     */
    public static BufferedImage render(PointCloud scene, List<LabelledBox> truth, List<Detection> detections, int size) {
        if (size < 64) {
            throw new IllegalArgumentException("image size must be ≥ 64, got " + size);
        }
        float[] b = scene.bounds();
        double minX = b[0];
        double maxX = b[3];
        double minY = b[1];
        double maxY = b[4];
        for (Detection d : detections) {
            double[] e = d.box().bounds();
            minX = Math.min(minX, e[0]);
            maxX = Math.max(maxX, e[3]);
            minY = Math.min(minY, e[1]);
            maxY = Math.max(maxY, e[4]);
        }
        double ex = Math.max(maxX - minX, 1e-6);
        double ey = Math.max(maxY - minY, 1e-6);
        int margin = 10;
        double scale = (size - 2 * margin) / Math.max(ex, ey);
        int w = (int) Math.ceil(ex * scale) + 2 * margin;
        int h = (int) Math.ceil(ey * scale) + 2 * margin;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        int stride = Math.max(1, scene.size() / MAX_POINTS);
        // each pixel shows its highest point, darker the higher it is, so objects stand out from the floor
        float[] top = new float[w * h];
        java.util.Arrays.fill(top, Float.NEGATIVE_INFINITY);
        double zRange = Math.max(b[5] - b[2], 1e-6);
        for (int i = 0; i < scene.size(); i += stride) {
            int px = (int) ((scene.x(i) - minX) * scale) + margin;
            int py = h - 1 - ((int) ((scene.y(i) - minY) * scale) + margin);
            if (px >= 0 && px < w && py >= 0 && py < h && scene.z(i) > top[py * w + px]) {
                top[py * w + px] = scene.z(i);
                int grey = (int) Math.round(215 - 165 * Math.min(1, (scene.z(i) - b[2]) / zRange));
                img.setRGB(px, py, new Color(grey, grey, grey).getRGB());
            }
        }
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        g.setColor(TRUTH);
        for (LabelledBox t : truth) {
            g.draw(footprint(t.box(), minX, minY, scale, margin, h));
        }
        g.setStroke(new BasicStroke(2f));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (Detection d : detections) {
            Color c = colour(d.label());
            g.setColor(c);
            Path2D shape = footprint(d.box(), minX, minY, scale, margin, h);
            g.draw(shape);
            java.awt.Rectangle r = shape.getBounds();
            g.drawString(String.format(Locale.ROOT, "%s %.2f", d.label(), d.score()), r.x, Math.max(11, r.y - 2));
        }
        g.dispose();
        return img;
    }

    /**
     * Renders and writes a PNG, atomically.
     *
     * @param scene the scene
     * @param truth ground truth (may be empty)
     * @param detections detections
     * @param size the longer side in pixels
     * @param file the target
     * @throws IOException if writing fails
     */
    public static void write(PointCloud scene, List<LabelledBox> truth, List<Detection> detections, int size, Path file)
            throws IOException {
        Charts.writePng(render(scene, truth, detections, size), file);
    }

    /**
     * @param label a class label
     * @return a stable, saturated colour for it
     */
    public static Color colour(String label) {
        float hue = (label.hashCode() & 0xffff) / 65536f;
        return Color.getHSBColor(hue, 0.85f, 0.85f);
    }

    private static Path2D footprint(Box box, double minX, double minY, double scale, int margin, int h) {
        double[] f = box.footprint();
        Path2D.Double p = new Path2D.Double();
        for (int i = 0; i < 4; i++) {
            double px = (f[2 * i] - minX) * scale + margin;
            double py = h - 1 - ((f[2 * i + 1] - minY) * scale + margin);
            if (i == 0) {
                p.moveTo(px, py);
            } else {
                p.lineTo(px, py);
            }
        }
        p.closePath();
        return p;
    }
}
