package dev.amend.util;

import dev.amend.AmendException;

/** Cholesky factorisation A = L L^T of a symmetric positive definite matrix, and solves with it. */
public final class Cholesky {
    private final double[][] l;

    /** Factors {@code a} (only its lower triangle is read); fails if it is not positive definite. */
    public Cholesky(double[][] a) {
        int n = a.length;
        l = new double[n][n];
        for (int j = 0; j < n; j++) {
            double d = a[j][j];
            for (int k = 0; k < j; k++) {
                d -= l[j][k] * l[j][k];
            }
            if (!(d > 0)) {
                throw new AmendException("the curvature matrix is not positive definite (pivot " + j + " = " + d
                        + "): raise the damping or use curvature=ggn");
            }
            l[j][j] = Math.sqrt(d);
            for (int i = j + 1; i < n; i++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                l[i][j] = s / l[j][j];
            }
        }
    }

    /** x with A x = b. */
    public double[] solve(double[] b) {
        int n = l.length;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i][k] * y[k];
            }
            y[i] = s / l[i][i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k][i] * x[k];
            }
            x[i] = s / l[i][i];
        }
        return x;
    }
}
