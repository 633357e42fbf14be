package dev.amend.identify;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.data.Splits;
import dev.amend.model.ModelHandle;
import dev.amend.model.ModelHandle.Curvature;
import dev.amend.util.Cholesky;
import dev.amend.util.Progress;
import dev.amend.util.Vectors;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Solvers for h = (H + delta I)^{-1} v with H a curvature of the training objective
 * (docs/methods.md 2(b)): EXACT (explicit matrix, Cholesky), CG (full-batch products) and LISSA
 * (Agarwal et al. 2017, stochastic recursion as in Koh and Liang 2017). Shared by linear
 * influence and Newton removal.
 */
public final class InverseHvp {

    /** How the system is solved. */
    public enum Solver {
        EXACT, CG, LISSA
    }

    /** The curvature C of the training objective: its Hessian (docs/methods.md 2(b)). */
    public static final Curvature DEFAULT_CURVATURE = Curvature.HESSIAN;
    /** A LiSSA scale of 0 asks for AUTO: 1.5 x the largest eigenvalue from 20 power iterations. */
    public static final double AUTO_SCALE = 0;
    /** LiSSA's scale s: {@link #AUTO_SCALE}. */
    public static final double DEFAULT_LISSA_SCALE = AUTO_SCALE;
    /** delta of (C + delta I) for CG and the exact solve (docs/methods.md 2(b)). */
    public static final double DEFAULT_DAMPING = 0.01;
    /** CG stops when the residual is below this times |v|. */
    public static final double DEFAULT_CG_TOLERANCE = 1e-5;
    /** CG's iteration budget, each a curvature product over D. */
    public static final int DEFAULT_CG_MAX_ITERATIONS = 1000;
    /** LiSSA's d: the damping is s d. */
    public static final double DEFAULT_LISSA_DAMPING = 0.001;
    /** LiSSA's recursion depth J. */
    public static final int DEFAULT_LISSA_DEPTH = 10_000;
    /** LiSSA's independent recursions R. */
    public static final int DEFAULT_LISSA_REPEATS = 1;
    /** LiSSA's minibatch per step. */
    public static final int DEFAULT_LISSA_BATCH = 64;

    /**
     * Settings; {@code lissaScale <= 0} means AUTO (1.5 x the largest eigenvalue from 20 power
     * iterations), {@code lissaDamping} is d (effective damping s*d), depth J, repeats R, batch b.
     */
    public record Config(Solver solver, Curvature curvature, double damping, double cgTolerance, int cgMaxIterations,
            double lissaScale, double lissaDamping, int lissaDepth, int lissaRepeats, int lissaBatch, long seed) {

        public Config {
            if (damping < 0 || !Double.isFinite(damping)) {
                throw new AmendException("damping must be a finite number >= 0, got " + damping);
            }
            if (lissaDepth < 1 || lissaRepeats < 1 || lissaBatch < 1) {
                throw new AmendException("LiSSA depth, repeats and batch size must be >= 1");
            }
        }

        /** docs/methods.md defaults for a solver. */
        public static Config defaults(Solver solver, long seed) {
            return new Config(solver, DEFAULT_CURVATURE, DEFAULT_DAMPING, DEFAULT_CG_TOLERANCE, DEFAULT_CG_MAX_ITERATIONS,
                    DEFAULT_LISSA_SCALE, DEFAULT_LISSA_DAMPING, DEFAULT_LISSA_DEPTH, DEFAULT_LISSA_REPEATS, DEFAULT_LISSA_BATCH, seed);
        }

        public Config withDamping(double d) {
            return new Config(solver, curvature, d, cgTolerance, cgMaxIterations, lissaScale, lissaDamping, lissaDepth,
                    lissaRepeats, lissaBatch, seed);
        }

        public Config withCurvature(Curvature c) {
            return new Config(solver, c, damping, cgTolerance, cgMaxIterations, lissaScale, lissaDamping, lissaDepth,
                    lissaRepeats, lissaBatch, seed);
        }

        public Config withCg(double tolerance, int maxIterations) {
            return new Config(solver, curvature, damping, tolerance, maxIterations, lissaScale, lissaDamping, lissaDepth,
                    lissaRepeats, lissaBatch, seed);
        }

        public Config withLissa(double scale, double d, int depth, int repeats, int batch) {
            return new Config(solver, curvature, damping, cgTolerance, cgMaxIterations, scale, d, depth, repeats, batch,
                    seed);
        }

        Map<String, Object> describe() {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("solver", solver.name().toLowerCase());
            s.put("curvature", curvature.name().toLowerCase());
            switch (solver) {
                case EXACT:
                    s.put("damping", damping);
                    break;
                case CG:
                    s.put("damping", damping);
                    s.put("cg_tolerance", cgTolerance);
                    s.put("cg_max_iterations", cgMaxIterations);
                    break;
                default:
                    s.put("lissa_scale", lissaScale > 0 ? lissaScale : "auto");
                    s.put("lissa_damping", lissaDamping);
                    s.put("lissa_depth", lissaDepth);
                    s.put("lissa_repeats", lissaRepeats);
                    s.put("lissa_batch", lissaBatch);
                    s.put("seed", seed);
            }
            return s;
        }
    }

    private InverseHvp() {
    }

    /** (C + delta I) v over the whole data set. */
    static double[] product(ModelHandle model, Curvature c, ExampleSet data, double damping, double[] v) {
        double[] hv = model.curvatureVectorProduct(c, data, v);
        return damping == 0 ? hv : Vectors.axpy(hv, damping, v);
    }

    /** Solves (H + delta I) h = v with the configured solver; returns h. */
    public static double[] solve(ModelHandle model, ExampleSet data, double[] v, Config cfg) {
        switch (cfg.solver()) {
            case EXACT:
                return exact(model, data, v, cfg);
            case CG:
                return cg(model, data, v, cfg);
            default:
                return lissa(model, data, v, cfg);
        }
    }

    /** The explicit matrix (C + delta I), one product per unit vector (P <= a few thousand). */
    public static double[][] matrix(ModelHandle model, ExampleSet data, Curvature c, double damping) {
        int p = model.numParameters();
        if (p > 5000) {
            throw new AmendException("the exact solver builds a " + p + " x " + p
                    + " matrix; use --solver cg or lissa for models with more than 5000 parameters");
        }
        double[][] h = new double[p][];
        for (int j = 0; j < p; j++) {
            double[] e = new double[p];
            e[j] = 1;
            h[j] = product(model, c, data, damping, e);
        }
        // Symmetrise: products are exact, but rounding differs between columns.
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < i; j++) {
                double s = (h[i][j] + h[j][i]) / 2;
                h[i][j] = s;
                h[j][i] = s;
            }
        }
        return h;
    }

    private static double[] exact(ModelHandle model, ExampleSet data, double[] v, Config cfg) {
        return new Cholesky(matrix(model, data, cfg.curvature(), cfg.damping())).solve(v);
    }

    private static double[] cg(ModelHandle model, ExampleSet data, double[] v, Config cfg) {
        int p = v.length;
        double[] x = new double[p];
        double[] r = v.clone();
        double[] d = r.clone();
        double rr = Vectors.dot(r, r);
        double stop = cfg.cgTolerance() * Vectors.norm(v);
        int maxIt = Math.min(p, cfg.cgMaxIterations());
        try (Progress.Task task = Progress.task("conjugate gradients", maxIt)) {
            for (int it = 0; it < maxIt && Math.sqrt(rr) > stop; it++) {
                double[] ad = product(model, cfg.curvature(), data, cfg.damping(), d);
                double dad = Vectors.dot(d, ad);
                if (!(dad > 0)) {
                    throw new AmendException("negative curvature in conjugate gradients (d^T H d = " + dad
                            + "): raise the damping or use the ggn curvature");
                }
                double a = rr / dad;
                x = Vectors.axpy(x, a, d);
                r = Vectors.axpy(r, -a, ad);
                double rrNew = Vectors.dot(r, r);
                d = Vectors.axpy(r, rrNew / rr, d);
                rr = rrNew;
                task.step();
            }
        }
        return x;
    }

    /** The largest eigenvalue of the curvature (no damping) by power iteration with full-batch products. */
    public static double largestEigenvalue(ModelHandle model, ExampleSet data, Curvature c, int iterations, long seed) {
        java.util.Random rng = new java.util.Random(seed);
        double[] x = new double[model.numParameters()];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        x = Vectors.scale(x, 1 / Vectors.norm(x));
        double lambda = 0;
        try (Progress.Task task = Progress.task("largest eigenvalue (power iteration)", iterations)) {
            for (int it = 0; it < iterations; it++) {
                double[] y = model.curvatureVectorProduct(c, data, x);
                lambda = Vectors.dot(x, y);
                double norm = Vectors.norm(y);
                if (norm == 0) {
                    return 0;
                }
                x = Vectors.scale(y, 1 / norm);
                task.step();
            }
        }
        return lambda;
    }

    private static double[] lissa(ModelHandle model, ExampleSet data, double[] v, Config cfg) {
        double s = cfg.lissaScale() > 0 ? cfg.lissaScale()
                : 1.5 * largestEigenvalue(model, data, cfg.curvature(), 20, cfg.seed());
        if (!(s > 0)) {
            throw new AmendException("LiSSA scale must be positive; the estimated largest eigenvalue is " + s / 1.5);
        }
        double d = cfg.lissaDamping();
        int n = data.size();
        int b = Math.min(cfg.lissaBatch(), n);
        double vNorm = Vectors.norm(v);
        double[] mean = new double[v.length];
        Progress.Task task = Progress.task("LiSSA iterations", (long) cfg.lissaRepeats() * cfg.lissaDepth());
        for (int rep = 0; rep < cfg.lissaRepeats(); rep++) {
            java.util.Random rng = new java.util.Random(cfg.seed() + rep);
            int[] perm = Splits.permutation(n, rng.nextLong());
            int cursor = 0;
            double[] h = v.clone();
            for (int j = 1; j <= cfg.lissaDepth(); j++) {
                if (cursor + b > n) {
                    perm = Splits.permutation(n, rng.nextLong());
                    cursor = 0;
                }
                ExampleSet batch = data.subset(Arrays.copyOfRange(perm, cursor, cursor + b));
                cursor += b;
                double[] hb = model.curvatureVectorProduct(cfg.curvature(), batch, h);
                double[] next = new double[h.length];
                for (int i = 0; i < h.length; i++) {
                    next[i] = v[i] + (1 - d) * h[i] - hb[i] / s;
                }
                h = next;
                task.step();
                if (j % 100 == 0 || j == cfg.lissaDepth()) {
                    double norm = Vectors.norm(h);
                    if (!Double.isFinite(norm) || norm > 1e8 * vNorm) {
                        throw new AmendException("LiSSA diverged after " + j + " steps (|h| = " + norm
                                + "): increase --lissa-scale");
                    }
                }
            }
            for (int i = 0; i < h.length; i++) {
                mean[i] += h[i] / s / cfg.lissaRepeats();
            }
        }
        task.close();
        return mean;
    }

    static Map<String, Object> describe(Config cfg) {
        return cfg.describe();
    }
}
