package dev.amend.train;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.model.ModelHandle;
import dev.amend.util.Cholesky;
import dev.amend.util.Vectors;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Full-batch minimisation of the training objective R_D = mean_D l + (alpha/2)||theta||^2 to a
 * gradient-norm tolerance: Newton's method with the exact Hessian for small models (P &lt;= 600),
 * L-BFGS otherwise. Used for models that must sit at their optimum (logistic regression for
 * the exactness tests of influence functions, docs/methods.md 6) and for exact retraining.
 */
public final class Optimum {
    private static final int NEWTON_MAX_PARAMS = 600;
    private static final int HISTORY = 10;

    private Optimum() {
    }

    /** Result: iterations used and the final gradient norm. */
    public record Result(int iterations, double gradientNorm, double objective) {
    }

    /** Minimises R_D in place, starting from the model's current parameters. */
    public static Result fit(ModelHandle model, ExampleSet data, double tolerance, int maxIterations) {
        return model.numParameters() <= NEWTON_MAX_PARAMS ? newton(model, data, tolerance, maxIterations)
                : lbfgs(model, data, tolerance, maxIterations);
    }

    /** R_D at the model's current parameters. */
    public static double objective(ModelHandle model, ExampleSet data) {
        double[] theta = model.getParameters();
        return model.evaluate(data).meanLoss() + model.spec().weightDecay() / 2 * Vectors.dot(theta, theta);
    }

    private static Result newton(ModelHandle model, ExampleSet data, double tol, int maxIter) {
        int p = model.numParameters();
        double[] theta = model.getParameters();
        double f = objective(model, data);
        double[] g = model.meanLossGradient(data, true);
        int it = 0;
        while (Vectors.norm(g) > tol && it < maxIter) {
            double[][] h = new double[p][];
            for (int j = 0; j < p; j++) {
                double[] e = new double[p];
                e[j] = 1;
                h[j] = model.hessianVectorProduct(data, e);
            }
            double[] step = new Cholesky(h).solve(g);
            double t = 1;
            double[] next;
            double fn;
            do {
                next = Vectors.axpy(theta, -t, step);
                model.setParameters(next);
                fn = objective(model, data);
                t /= 2;
            } while (fn > f + 1e-4 * 2 * t * -Vectors.dot(g, step) && t > 1e-10);
            it++;
            if (!(fn < f)) {
                // No decrease left at float64 precision: theta is the optimum to rounding.
                model.setParameters(theta);
                break;
            }
            theta = next;
            f = fn;
            g = model.meanLossGradient(data, true);
        }
        return new Result(it, Vectors.norm(g), f);
    }

    private static Result lbfgs(ModelHandle model, ExampleSet data, double tol, int maxIter) {
        double[] theta = model.getParameters();
        double f = objective(model, data);
        double[] g = model.meanLossGradient(data, true);
        Deque<double[][]> history = new ArrayDeque<>();
        int it = 0;
        while (Vectors.norm(g) > tol && it < maxIter) {
            double[] d = direction(g, history);
            double slope = Vectors.dot(g, d);
            if (slope >= 0) {
                history.clear();
                d = Vectors.scale(g, -1);
                slope = Vectors.dot(g, d);
            }
            double t = 1;
            double[] next;
            double fn;
            while (true) {
                next = Vectors.axpy(theta, t, d);
                model.setParameters(next);
                fn = objective(model, data);
                if (fn <= f + 1e-4 * t * slope || t < 1e-12) {
                    break;
                }
                t /= 2;
            }
            if (!Double.isFinite(fn)) {
                throw new AmendException("full-batch optimisation diverged (objective " + fn + ")");
            }
            double[] gn = model.meanLossGradient(data, true);
            double[] s = Vectors.axpy(next, -1, theta);
            double[] y = Vectors.axpy(gn, -1, g);
            if (Vectors.dot(s, y) > 1e-12 * Vectors.norm(s) * Vectors.norm(y)) {
                history.addLast(new double[][] {s, y});
                if (history.size() > HISTORY) {
                    history.removeFirst();
                }
            }
            boolean stalled = f - fn <= 0 && t < 1e-12;
            theta = next;
            f = fn;
            g = gn;
            it++;
            if (stalled) {
                break;
            }
        }
        return new Result(it, Vectors.norm(g), f);
    }

    /** The two-loop recursion: -H_k g from the stored (s, y) pairs. */
    private static double[] direction(double[] g, Deque<double[][]> history) {
        double[] q = g.clone();
        int m = history.size();
        double[] alpha = new double[m];
        double[][][] pairs = history.toArray(new double[0][][]);
        for (int i = m - 1; i >= 0; i--) {
            double rho = 1 / Vectors.dot(pairs[i][1], pairs[i][0]);
            alpha[i] = rho * Vectors.dot(pairs[i][0], q);
            q = Vectors.axpy(q, -alpha[i], pairs[i][1]);
        }
        if (m > 0) {
            double[] s = pairs[m - 1][0];
            double[] y = pairs[m - 1][1];
            q = Vectors.scale(q, Vectors.dot(s, y) / Vectors.dot(y, y));
        }
        for (int i = 0; i < m; i++) {
            double rho = 1 / Vectors.dot(pairs[i][1], pairs[i][0]);
            double beta = rho * Vectors.dot(pairs[i][1], q);
            q = Vectors.axpy(q, alpha[i] - beta, pairs[i][0]);
        }
        return Vectors.scale(q, -1);
    }
}
