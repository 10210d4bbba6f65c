package io.github.pointclip.crosspoint.probe;

import java.util.function.IntConsumer;

/**
 * Limited-memory BFGS for a smooth convex objective, in double precision, with a backtracking
 * (Armijo) line search. Deterministic: the same objective gives the same iterates.
 */
final class Lbfgs {

    /** The objective: fills {@code grad} and returns the value at {@code x}. */
    interface Objective {
        double evaluate(double[] x, double[] grad);
    }

    /**
     * @param x the minimiser
     * @param value the objective there
     * @param gradientNorm the largest absolute gradient component there
     * @param iterations iterations taken
     * @param converged whether the gradient fell below the tolerance
     */
    record Result(double[] x, double value, double gradientNorm, int iterations, boolean converged) {
    }

    private static final int MEMORY = 10;
    private static final double ARMIJO = 1e-4;
    private static final int MAX_BACKTRACKS = 50;

    private Lbfgs() {
    }

    /**
     * @param f the objective
     * @param start the starting point (not modified)
     * @param maxIterations iteration limit
     * @param tolerance stop when the largest absolute gradient component is at most this
     * @param onIteration called with the iteration number after each iteration
     * @return the result
     */
    static Result minimise(Objective f, double[] start, int maxIterations, double tolerance, IntConsumer onIteration) {
        int n = start.length;
        double[] x = start.clone();
        double[] g = new double[n];
        double fx = f.evaluate(x, g);
        double[][] s = new double[MEMORY][n];
        double[][] y = new double[MEMORY][n];
        double[] rho = new double[MEMORY];
        double[] alpha = new double[MEMORY];
        double[] d = new double[n];
        double[] xNew = new double[n];
        double[] gNew = new double[n];
        int stored = 0;
        int head = 0; // next slot to write
        int it = 0;
        double gmax = maxAbs(g);
        while (gmax > tolerance && it < maxIterations) {
            // two-loop recursion: d = -H g
            for (int i = 0; i < n; i++) {
                d[i] = -g[i];
            }
            for (int k = 0; k < stored; k++) {
                int j = Math.floorMod(head - 1 - k, MEMORY);
                alpha[j] = rho[j] * dot(s[j], d);
                axpy(-alpha[j], y[j], d);
            }
            double gamma;
            if (stored > 0) {
                int last = Math.floorMod(head - 1, MEMORY);
                gamma = dot(s[last], y[last]) / dot(y[last], y[last]);
            } else {
                gamma = 1 / Math.max(1, Math.sqrt(dot(g, g)));
            }
            for (int i = 0; i < n; i++) {
                d[i] *= gamma;
            }
            for (int k = stored - 1; k >= 0; k--) {
                int j = Math.floorMod(head - 1 - k, MEMORY);
                double beta = rho[j] * dot(y[j], d);
                axpy(alpha[j] - beta, s[j], d);
            }
            double slope = dot(g, d);
            if (!(slope < 0)) { // not a descent direction (lost curvature information): restart from the gradient
                stored = 0;
                double scale = 1 / Math.max(1, Math.sqrt(dot(g, g)));
                for (int i = 0; i < n; i++) {
                    d[i] = -g[i] * scale;
                }
                slope = dot(g, d);
            }
            double step = 1;
            double fNew = Double.NaN;
            boolean accepted = false;
            for (int b = 0; b < MAX_BACKTRACKS; b++) {
                for (int i = 0; i < n; i++) {
                    xNew[i] = x[i] + step * d[i];
                }
                fNew = f.evaluate(xNew, gNew);
                if (fNew <= fx + ARMIJO * step * slope) {
                    accepted = true;
                    break;
                }
                step *= 0.5;
            }
            it++;
            if (!accepted) {
                break; // no decrease possible at double precision: x is as good as it gets
            }
            double[] sNext = s[head];
            double[] yNext = y[head];
            for (int i = 0; i < n; i++) {
                sNext[i] = xNew[i] - x[i];
                yNext[i] = gNew[i] - g[i];
            }
            double sy = dot(sNext, yNext);
            if (sy > 1e-12 * Math.sqrt(dot(sNext, sNext) * dot(yNext, yNext))) {
                rho[head] = 1 / sy;
                head = (head + 1) % MEMORY;
                stored = Math.min(MEMORY, stored + 1);
            }
            double[] t = x;
            x = xNew;
            xNew = t;
            t = g;
            g = gNew;
            gNew = t;
            double previous = fx;
            fx = fNew;
            gmax = maxAbs(g);
            onIteration.accept(it);
            if (previous - fx <= 1e-15 * Math.max(1, Math.abs(fx)) && gmax > tolerance) {
                break; // stalled at rounding level
            }
        }
        return new Result(x, fx, gmax, it, gmax <= tolerance);
    }

    static double dot(double[] a, double[] b) {
        double s0 = 0;
        double s1 = 0;
        int n = a.length;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
        }
        if (i < n) {
            s0 += a[i] * b[i];
        }
        return s0 + s1;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double e : v) {
            m = Math.max(m, Math.abs(e));
        }
        return m;
    }
}
