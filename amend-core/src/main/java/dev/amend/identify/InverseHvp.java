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
import java.util.Objects;

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
     * One solve: the solver, the settings it reads and the seed of LiSSA's sampling. The settings
     * are declared once, in {@link LinearInfluence.Settings} (curvature, damping delta, CG's
     * tolerance and budget, LiSSA's s, d, J, R and b), which linear influence and Newton removal's
     * exact step share; each solver reads its own of them.
     */
    public record Config(Solver solver, LinearInfluence.Settings settings, long seed) {

        public Config {
            Objects.requireNonNull(solver, "solver");
            Objects.requireNonNull(settings, "settings");
        }

        /** docs/methods.md defaults for a solver ({@link LinearInfluence.Settings#DEFAULTS}). */
        public static Config defaults(Solver solver, long seed) {
            return new Config(solver, LinearInfluence.Settings.DEFAULTS, seed);
        }

        /** This solve with other settings. */
        public Config withSettings(LinearInfluence.Settings value) {
            return new Config(solver, value, seed);
        }

        /** This solve with another damping delta (exact, CG). */
        public Config withDamping(double d) {
            return withSettings(settings.withDamping(d));
        }

        /** This solve with another curvature. */
        public Config withCurvature(Curvature c) {
            return withSettings(settings.withCurvature(c));
        }

        /** This solve with CG's tolerance and iteration budget. */
        public Config withCg(double tolerance, int maxIterations) {
            return withSettings(settings.withCgTolerance(tolerance).withCgMaxIterations(maxIterations));
        }

        /** This solve with LiSSA's scale s, d, depth J, repeats R and minibatch b. */
        public Config withLissa(double scale, double d, int depth, int repeats, int batch) {
            return withSettings(settings.withLissaScale(scale).withLissaDamping(d).withLissaDepth(depth)
                    .withLissaRepeats(repeats).withLissaBatch(batch));
        }

        Map<String, Object> describe() {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("solver", solver.name().toLowerCase());
            s.put("curvature", settings.curvature().name().toLowerCase());
            switch (solver) {
                case EXACT:
                    s.put("damping", settings.damping());
                    break;
                case CG:
                    s.put("damping", settings.damping());
                    s.put("cg_tolerance", settings.cgTolerance());
                    s.put("cg_max_iterations", settings.cgMaxIterations());
                    break;
                default:
                    s.put("lissa_scale", settings.lissaScale() > 0 ? settings.lissaScale() : "auto");
                    s.put("lissa_damping", settings.lissaDamping());
                    s.put("lissa_depth", settings.lissaDepth());
                    s.put("lissa_repeats", settings.lissaRepeats());
                    s.put("lissa_batch", settings.lissaBatch());
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
        return solveDescribed(model, data, v, cfg).h();
    }

    /**
     * h with what the solve measured: for CG the iterations run, the final residual relative to
     * |v| and whether it reached the tolerance ({@code cg_iterations}, {@code cg_relative_residual},
     * {@code cg_converged}); for LiSSA the scale s it used ({@code lissa_scale}, estimated when
     * AUTO); nothing for the exact solve.
     */
    public record Solution(double[] h, Map<String, Object> facts) {
    }

    /** {@link #solve}, with the facts of the solve. */
    public static Solution solveDescribed(ModelHandle model, ExampleSet data, double[] v, Config cfg) {
        switch (cfg.solver()) {
            case EXACT:
                return new Solution(exact(model, data, v, cfg), Map.of());
            case CG:
                return cg(model, data, v, cfg);
            default:
                return lissa(model, data, v, cfg);
        }
    }

    /** The explicit matrix (C + delta I), one product per unit vector (P up to a few thousand). */
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
        LinearInfluence.Settings set = cfg.settings();
        return new Cholesky(matrix(model, data, set.curvature(), set.damping())).solve(v);
    }

    private static Solution cg(ModelHandle model, ExampleSet data, double[] v, Config cfg) {
        LinearInfluence.Settings set = cfg.settings();
        int p = v.length;
        double[] x = new double[p];
        double[] r = v.clone();
        double[] d = r.clone();
        double rr = Vectors.dot(r, r);
        double stop = set.cgTolerance() * Vectors.norm(v);
        int maxIt = Math.min(p, set.cgMaxIterations());
        int it = 0;
        try (Progress.Task task = Progress.task("conjugate gradients", maxIt)) {
            for (; it < maxIt && Math.sqrt(rr) > stop; it++) {
                double[] ad = product(model, set.curvature(), data, set.damping(), d);
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
        double vNorm = Vectors.norm(v);
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("cg_iterations", it);
        facts.put("cg_relative_residual", vNorm == 0 ? 0.0 : Math.sqrt(rr) / vNorm);
        facts.put("cg_converged", Math.sqrt(rr) <= stop);
        return new Solution(x, facts);
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

    private static Solution lissa(ModelHandle model, ExampleSet data, double[] v, Config cfg) {
        LinearInfluence.Settings set = cfg.settings();
        double s = set.lissaScale() > 0 ? set.lissaScale()
                : 1.5 * largestEigenvalue(model, data, set.curvature(), 20, cfg.seed());
        if (!(s > 0)) {
            throw new AmendException("LiSSA scale must be positive; the estimated largest eigenvalue is " + s / 1.5);
        }
        double d = set.lissaDamping();
        int n = data.size();
        int b = Math.min(set.lissaBatch(), n);
        double vNorm = Vectors.norm(v);
        double[] mean = new double[v.length];
        try (Progress.Task task = Progress.task("LiSSA iterations", (long) set.lissaRepeats() * set.lissaDepth())) {
            for (int rep = 0; rep < set.lissaRepeats(); rep++) {
                java.util.Random rng = new java.util.Random(cfg.seed() + rep);
                int[] perm = Splits.permutation(n, rng.nextLong());
                int cursor = 0;
                double[] h = v.clone();
                for (int j = 1; j <= set.lissaDepth(); j++) {
                    if (cursor + b > n) {
                        perm = Splits.permutation(n, rng.nextLong());
                        cursor = 0;
                    }
                    ExampleSet batch = data.subset(Arrays.copyOfRange(perm, cursor, cursor + b));
                    cursor += b;
                    double[] hb = model.curvatureVectorProduct(set.curvature(), batch, h);
                    double[] next = new double[h.length];
                    for (int i = 0; i < h.length; i++) {
                        next[i] = v[i] + (1 - d) * h[i] - hb[i] / s;
                    }
                    h = next;
                    task.step();
                    if (j % 100 == 0 || j == set.lissaDepth()) {
                        double norm = Vectors.norm(h);
                        if (!Double.isFinite(norm) || norm > 1e8 * vNorm) {
                            throw new AmendException("LiSSA diverged after " + j + " steps (|h| = " + norm
                                    + "): increase --lissa-scale");
                        }
                    }
                }
                for (int i = 0; i < h.length; i++) {
                    mean[i] += h[i] / s / set.lissaRepeats();
                }
            }
        }
        return new Solution(mean, Map.of("lissa_scale", s));
    }

    static Map<String, Object> describe(Config cfg) {
        return cfg.describe();
    }
}
