package io.github.pointclip.report;

import io.github.pointclip.eval.EvaluationResult;
import io.github.pointclip.internal.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws the report's charts with java.awt (works headless): the confusion matrix as a heat map,
 * rows normalised per true class, and the per-class accuracy as horizontal bars.
 */
public final class Charts {

    private static final Color INK = new Color(33, 37, 41);
    private static final Color GRID = new Color(222, 226, 230);
    private static final Color BAR = new Color(52, 101, 164);
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 13);

    private Charts() {
    }

    /**
     * @param r the result
     * @return the confusion-matrix image: true class down, predicted class across; colour is the
     *     fraction of the row's samples, counts written in cells when there are at most 20 classes
     */
    public static BufferedImage confusion(EvaluationResult r) {
        List<String> names = r.classNames();
        int k = names.size();
        int cell = k <= 10 ? 36 : k <= 20 ? 24 : 16;
        int label = Math.min(160, 12 + maxWidth(names));
        int top = 30 + label, left = label + 10;
        int width = left + k * cell + 20, height = top + k * cell + 40;
        BufferedImage img = canvas(width, height);
        Graphics2D g = graphics(img);
        g.setFont(TITLE);
        g.drawString("Confusion matrix (rows: true class, columns: predicted)", 10, 18);
        g.setFont(FONT);
        FontMetrics fm = g.getFontMetrics();
        int[][] m = r.confusion();
        for (int t = 0; t < k; t++) {
            int rowSum = 0;
            for (int v : m[t]) {
                rowSum += v;
            }
            for (int p = 0; p < k; p++) {
                double frac = rowSum == 0 ? 0 : (double) m[t][p] / rowSum;
                g.setColor(heat(frac, t == p));
                g.fillRect(left + p * cell, top + t * cell, cell, cell);
                if (k <= 20 && m[t][p] > 0) {
                    String s = Integer.toString(m[t][p]);
                    g.setColor(frac > 0.5 ? Color.WHITE : INK);
                    g.drawString(s, left + p * cell + (cell - fm.stringWidth(s)) / 2,
                        top + t * cell + (cell + fm.getAscent()) / 2 - 2);
                }
            }
            g.setColor(INK);
            String name = clip(names.get(t), fm, label - 6);
            g.drawString(name, left - 6 - fm.stringWidth(name), top + t * cell + (cell + fm.getAscent()) / 2 - 2);
        }
        AffineTransform saved = g.getTransform();
        for (int p = 0; p < k; p++) {
            String name = clip(names.get(p), fm, label - 6);
            g.setTransform(saved);
            g.translate(left + p * cell + (cell + fm.getAscent()) / 2 - 2, top - 6);
            g.rotate(-Math.PI / 2);
            g.setColor(INK);
            g.drawString(name, 0, 0);
        }
        g.setTransform(saved);
        g.setColor(GRID);
        g.drawRect(left, top, k * cell, k * cell);
        g.setColor(INK);
        g.drawString(String.format(Locale.ROOT, "%d samples, accuracy %.2f%%", r.samples(), 100 * r.accuracy()),
            left, top + k * cell + 24);
        g.dispose();
        return img;
    }

    /**
     * @param r the result
     * @return horizontal bars of per-class accuracy with the sample count, and a line at the
     *     overall accuracy; classes without samples are marked {@code no samples}
     */
    public static BufferedImage perClass(EvaluationResult r) {
        List<String> names = r.classNames();
        double[] acc = r.perClassAccuracy();
        int[] counts = r.classCounts();
        int row = 18, label = Math.min(180, 12 + maxWidth(names)), barWidth = 420;
        int top = 40, left = label + 10;
        int width = left + barWidth + 120, height = top + names.size() * row + 30;
        BufferedImage img = canvas(width, height);
        Graphics2D g = graphics(img);
        g.setFont(TITLE);
        g.drawString(String.format(Locale.ROOT, "Per-class accuracy (mean class accuracy %.2f%%)",
            100 * r.meanClassAccuracy()), 10, 18);
        g.setFont(FONT);
        FontMetrics fm = g.getFontMetrics();
        for (int pct = 0; pct <= 100; pct += 25) {
            int x = left + pct * barWidth / 100;
            g.setColor(GRID);
            g.drawLine(x, top - 4, x, top + names.size() * row);
            g.setColor(INK);
            String s = pct + "%";
            g.drawString(s, x - fm.stringWidth(s) / 2, top - 8);
        }
        for (int c = 0; c < names.size(); c++) {
            int y = top + c * row;
            g.setColor(INK);
            String name = clip(names.get(c), fm, label - 6);
            g.drawString(name, left - 6 - fm.stringWidth(name), y + row - 5);
            if (counts[c] == 0) {
                g.setColor(Color.GRAY);
                g.drawString("no samples", left + 4, y + row - 5);
                continue;
            }
            int w = (int) Math.round(acc[c] * barWidth);
            g.setColor(BAR);
            g.fillRect(left, y + 3, Math.max(1, w), row - 6);
            g.setColor(INK);
            g.drawString(String.format(Locale.ROOT, "%.1f%% (%d/%d)", 100 * acc[c], Math.round(acc[c] * counts[c]),
                counts[c]), left + w + 6, y + row - 5);
        }
        if (!Double.isNaN(r.accuracy())) {
            int x = left + (int) Math.round(r.accuracy() * barWidth);
            g.setColor(new Color(204, 0, 0));
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {4, 3}, 0));
            g.drawLine(x, top - 2, x, top + names.size() * row);
            g.drawString("overall", x + 3, top + names.size() * row + 14);
        }
        g.dispose();
        return img;
    }

    /**
     * Writes an image as PNG, atomically.
     *
     * @param image the image
     * @param file the target
     * @throws IOException if writing fails
     */
    public static void writePng(BufferedImage image, Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    private static Color heat(double frac, boolean diagonal) {
        // white to blue; the diagonal in green so that right answers stand out
        float f = (float) Math.min(1, Math.max(0, frac));
        if (diagonal) {
            return blend(new Color(240, 249, 240), new Color(35, 139, 69), f);
        }
        return blend(Color.WHITE, new Color(8, 48, 107), f);
    }

    private static Color blend(Color a, Color b, float t) {
        return new Color(Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
            Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
            Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
    }

    private static BufferedImage canvas(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    private static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(INK);
        return g;
    }

    private static int maxWidth(List<String> names) {
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = probe.createGraphics();
        FontMetrics fm = g.getFontMetrics(FONT);
        int w = 0;
        for (String n : names) {
            w = Math.max(w, fm.stringWidth(n));
        }
        g.dispose();
        return w;
    }

    private static String clip(String s, FontMetrics fm, int width) {
        if (fm.stringWidth(s) <= width) {
            return s;
        }
        String t = s;
        while (t.length() > 1 && fm.stringWidth(t + "…") > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "…";
    }
}
