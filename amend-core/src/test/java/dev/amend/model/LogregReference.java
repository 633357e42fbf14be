package dev.amend.model;

import dev.amend.data.ExampleSet;

/**
 * Multinomial logistic regression (architecture {@code logreg}) written out in plain Java
 * doubles, independent of DJL and of {@link ModelHandle}: per-example losses, gradients,
 * Hessians and the diagonal empirical Fisher, and a Newton solver for penalised objectives.
 * The exactness tests compare the library against it (docs/methods.md 6).
 *
 * <p>Flat parameter order as in {@code LinearLayer}: the weight (K, d) row by row, then the
 * bias (K): W[k][j] at k d + j, b[k] at K d + k. Inputs have the model's input mean (a single
 * channel) subtracted, as {@link ModelHandle#inputs} does.
 */
public final class LogregReference {
    private final double[][] x;
    private final int[] y;
    private final int k;
    private final int d;

    /** @param inputMean the spec's input mean, subtracted in float as the model's input pipeline does */
    public LogregReference(ExampleSet data, float inputMean) {
        if (data.channels() != 1) {
            throw new IllegalArgumentException("one channel only");
        }
        this.k = data.numClasses();
        this.d = data.imageSize();
        this.y = data.labels().clone();
        this.x = new double[data.size()][d];
        for (int i = 0; i < data.size(); i++) {
            float[] img = data.image(i);
            for (int j = 0; j < d; j++) {
                x[i][j] = img[j] - inputMean;
            }
        }
    }

    public int size() {
        return y.length;
    }

    public int numParameters() {
        return k * d + k;
    }

    /** Index of W[c][j] (j < d) or of b[c] (j = d) in theta: the bias acts on a constant feature 1. */
    private int at(int c, int j) {
        return j < d ? c * d + j : k * d + c;
    }

    private double feature(int i, int j) {
        return j < d ? x[i][j] : 1.0;
    }

    /** Softmax probabilities of example i. */
    public double[] probabilities(double[] theta, int i) {
        double[] z = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            double s = theta[at(c, d)];
            for (int j = 0; j < d; j++) {
                s += theta[at(c, j)] * x[i][j];
            }
            z[c] = s;
            max = Math.max(max, s);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        for (int c = 0; c < k; c++) {
            z[c] /= sum;
        }
        return z;
    }

    /** l(z_i; theta) = -log p(y_i | x_i), by log-sum-exp. */
    public double loss(double[] theta, int i) {
        double[] z = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            double s = theta[at(c, d)];
            for (int j = 0; j < d; j++) {
                s += theta[at(c, j)] * x[i][j];
            }
            z[c] = s;
            max = Math.max(max, s);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            sum += Math.exp(z[c] - max);
        }
        return max + Math.log(sum) - z[y[i]];
    }

    public double[] losses(double[] theta) {
        double[] l = new double[size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = loss(theta, i);
        }
        return l;
    }

    public double meanLoss(double[] theta) {
        double s = 0;
        for (int i = 0; i < size(); i++) {
            s += loss(theta, i);
        }
        return s / size();
    }

    /** grad_W l = (p - e_y) x^T, grad_b l = p - e_y. */
    public double[] gradient(double[] theta, int i) {
        double[] p = probabilities(theta, i);
        p[y[i]] -= 1;
        double[] g = new double[numParameters()];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j <= d; j++) {
                g[at(c, j)] = p[c] * feature(i, j);
            }
        }
        return g;
    }

    /** grad mean_S l over this reference's examples. */
    public double[] meanGradient(double[] theta) {
        double[] g = new double[numParameters()];
        for (int i = 0; i < size(); i++) {
            double[] gi = gradient(theta, i);
            for (int j = 0; j < g.length; j++) {
                g[j] += gi[j];
            }
        }
        for (int j = 0; j < g.length; j++) {
            g[j] /= size();
        }
        return g;
    }

    /** Hessian of mean_S l: mean_i (diag(p_i) - p_i p_i^T) kron (x~_i x~_i^T), x~ = (x, 1). */
    public double[][] meanHessian(double[] theta) {
        int n = numParameters();
        double[][] h = new double[n][n];
        for (int i = 0; i < size(); i++) {
            double[] p = probabilities(theta, i);
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    double s = (a == b ? p[a] : 0) - p[a] * p[b];
                    for (int u = 0; u <= d; u++) {
                        double su = s * feature(i, u);
                        for (int v = 0; v <= d; v++) {
                            h[at(a, u)][at(b, v)] += su * feature(i, v);
                        }
                    }
                }
            }
        }
        for (double[] row : h) {
            for (int j = 0; j < n; j++) {
                row[j] /= size();
            }
        }
        return h;
    }

    /** Diagonal empirical Fisher (1/N) sum_i g_i^2 (docs/methods.md 2(e)), one example at a time. */
    public double[] fisher(double[] theta) {
        double[] f = new double[numParameters()];
        for (int i = 0; i < size(); i++) {
            double[] g = gradient(theta, i);
            for (int j = 0; j < f.length; j++) {
                f[j] += g[j] * g[j];
            }
        }
        for (int j = 0; j < f.length; j++) {
            f[j] /= size();
        }
        return f;
    }

    /**
     * Minimises sign * mean_S l(theta) + sum_j w_j (theta_j - c_j)^2 by Newton's method from c,
     * to a gradient norm below {@code tolerance * max(1, 2 max_j w_j)} (the penalty's curvature
     * sets the rounding floor of its gradient); fails if it does not get there (the objective
     * must be locally convex along the path, as it is for the strong penalties used here).
     */
    public double[] minimisePenalised(double sign, double[] c, double[] w, double tolerance) {
        double[] theta = c.clone();
        int n = numParameters();
        double wMax = 0;
        for (double v : w) {
            wMax = Math.max(wMax, v);
        }
        double floor = tolerance * Math.max(1, 2 * wMax);
        for (int it = 0; it < 100; it++) {
            double[] g = meanGradient(theta);
            for (int j = 0; j < n; j++) {
                g[j] = sign * g[j] + 2 * w[j] * (theta[j] - c[j]);
            }
            if (norm(g) < floor) {
                return theta;
            }
            double[][] h = meanHessian(theta);
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    h[a][b] *= sign;
                }
                h[a][a] += 2 * w[a];
            }
            double[] step = solve(h, g);
            for (int j = 0; j < n; j++) {
                theta[j] -= step[j];
            }
        }
        throw new IllegalStateException("Newton did not reach a gradient norm of " + tolerance);
    }

    /** Solves A x = b by Gaussian elimination with partial pivoting (A is copied). */
    public static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = java.util.Arrays.copyOf(a[i], n + 1);
            m[i][n] = b[i];
        }
        for (int col = 0; col < n; col++) {
            int piv = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[piv][col])) {
                    piv = r;
                }
            }
            double[] t = m[col];
            m[col] = m[piv];
            m[piv] = t;
            for (int r = col + 1; r < n; r++) {
                double f = m[r][col] / m[col][col];
                for (int c = col; c <= n; c++) {
                    m[r][c] -= f * m[col][c];
                }
            }
        }
        double[] sol = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = m[r][n];
            for (int c = r + 1; c < n; c++) {
                s -= m[r][c] * sol[c];
            }
            sol[r] = s / m[r][r];
        }
        return sol;
    }

    public static double norm(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /** ||a - b|| / ||b||. */
    public static double relativeError(double[] a, double[] b) {
        double num = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(num) / norm(b);
    }

    /** max_j |a_j - b_j| / |b_j| over the components with b_j != 0 (and a_j must be 0 where b_j is). */
    public static double maxComponentRelativeError(double[] a, double[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double e = b[i] == 0 ? (a[i] == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.abs(a[i] - b[i]) / Math.abs(b[i]);
            worst = Math.max(worst, e);
        }
        return worst;
    }
}
