package dev.amend.identify;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amend.util.Progress;
import ai.djl.ndarray.types.DataType;
import dev.amend.AmendException;
import dev.amend.model.ModelHandle;
import dev.amend.model.ModelHandle.Curvature;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Linear influence (Koh and Liang 2017; [T22] Eq. 8-9 as a baseline; docs/methods.md 2(b)):
 * <pre>
 *   s(z) = - g_Fq^T (H + delta I)^{-1} g_z
 * </pre>
 * with g_Fq the gradient of the mean query loss at theta*, g_z the per-example training
 * gradient and H the Hessian of the training objective R_D (or its Gauss-Newton / empirical
 * Fisher approximation). s(z) > 0 means removing z lowers the query loss (removal changes it by
 * about -s(z)/N). The solve happens once per query set; scoring streams per-example gradients.
 * Names: {@code exact} (Cholesky), {@code influence-cg} (the paper's "GD" variant),
 * {@code influence-lissa} (its "SA" variant).
 */
public final class LinearInfluence implements CauseIdentifier {
    /**
     * The settings of linear influence (docs/identification.md), each solver taking its own:
     * the curvature (every solver), the damping delta ({@code exact}, {@code influence-cg}), CG's
     * tolerance and iteration budget, and LiSSA's scale s, d (effective damping s d), depth J,
     * repeats R and minibatch b. The defaults are the {@code DEFAULT_*} constants of
     * {@link InverseHvp}; build from {@link #DEFAULTS} with the withers. A solve,
     * {@link InverseHvp.Config}, holds this record (Newton removal's exact step too).
     *
     * @param lissaScale s, or {@link InverseHvp#AUTO_SCALE} for 1.5 x the largest eigenvalue
     */
    public record Settings(Curvature curvature, double damping, double cgTolerance, int cgMaxIterations,
            double lissaScale, double lissaDamping, int lissaDepth, int lissaRepeats, int lissaBatch) {
        /** docs/methods.md 2(b): Hessian, delta 0.01, CG to 1e-5 in at most 1000 steps, LiSSA J 10,000, R 1, b 64, s AUTO, d 0.001. */
        public static final Settings DEFAULTS = new Settings(InverseHvp.DEFAULT_CURVATURE, InverseHvp.DEFAULT_DAMPING,
                InverseHvp.DEFAULT_CG_TOLERANCE, InverseHvp.DEFAULT_CG_MAX_ITERATIONS, InverseHvp.DEFAULT_LISSA_SCALE,
                InverseHvp.DEFAULT_LISSA_DAMPING, InverseHvp.DEFAULT_LISSA_DEPTH, InverseHvp.DEFAULT_LISSA_REPEATS,
                InverseHvp.DEFAULT_LISSA_BATCH);

        /** Refuses every value outside its range with a line naming the setting. */
        public Settings {
            if (curvature == null) {
                throw new AmendException("curvature must be given (hessian, ggn or empirical-fisher)");
            }
            if (!(damping >= 0 && Double.isFinite(damping))) {
                throw new AmendException("damping must be a finite number >= 0, got " + damping);
            }
            if (!(cgTolerance > 0 && Double.isFinite(cgTolerance))) {
                throw new AmendException("cg-tolerance must be a positive number, got " + cgTolerance);
            }
            if (!(lissaScale >= 0 && Double.isFinite(lissaScale))) {
                throw new AmendException("lissa-scale must be a positive number (or 0 for auto), got " + lissaScale);
            }
            if (!(lissaDamping >= 0 && lissaDamping < 1)) {
                throw new AmendException("lissa-damping must be in [0, 1), got " + lissaDamping);
            }
            atLeastOne(cgMaxIterations, "cg-max-iterations");
            atLeastOne(lissaDepth, "lissa-depth");
            atLeastOne(lissaRepeats, "lissa-repeats");
            atLeastOne(lissaBatch, "lissa-batch");
        }

        private static void atLeastOne(int value, String name) {
            if (value < 1) {
                throw new AmendException(name + " must be at least 1, got " + value);
            }
        }

        /** These settings with another curvature. */
        public Settings withCurvature(Curvature value) {
            return new Settings(value, damping, cgTolerance, cgMaxIterations, lissaScale, lissaDamping, lissaDepth,
                    lissaRepeats, lissaBatch);
        }

        /** These settings with another damping delta (exact, CG). */
        public Settings withDamping(double value) {
            return new Settings(curvature, value, cgTolerance, cgMaxIterations, lissaScale, lissaDamping, lissaDepth,
                    lissaRepeats, lissaBatch);
        }

        /** These settings with another CG tolerance. */
        public Settings withCgTolerance(double value) {
            return new Settings(curvature, damping, value, cgMaxIterations, lissaScale, lissaDamping, lissaDepth,
                    lissaRepeats, lissaBatch);
        }

        /** These settings with another CG iteration budget. */
        public Settings withCgMaxIterations(int value) {
            return new Settings(curvature, damping, cgTolerance, value, lissaScale, lissaDamping, lissaDepth,
                    lissaRepeats, lissaBatch);
        }

        /** These settings with another LiSSA scale s ({@link InverseHvp#AUTO_SCALE} for auto). */
        public Settings withLissaScale(double value) {
            return new Settings(curvature, damping, cgTolerance, cgMaxIterations, value, lissaDamping, lissaDepth,
                    lissaRepeats, lissaBatch);
        }

        /** These settings with another LiSSA d. */
        public Settings withLissaDamping(double value) {
            return new Settings(curvature, damping, cgTolerance, cgMaxIterations, lissaScale, value, lissaDepth,
                    lissaRepeats, lissaBatch);
        }

        /** These settings with another LiSSA depth J. */
        public Settings withLissaDepth(int value) {
            return new Settings(curvature, damping, cgTolerance, cgMaxIterations, lissaScale, lissaDamping, value,
                    lissaRepeats, lissaBatch);
        }

        /** These settings with another number of LiSSA repeats R. */
        public Settings withLissaRepeats(int value) {
            return new Settings(curvature, damping, cgTolerance, cgMaxIterations, lissaScale, lissaDamping, lissaDepth,
                    value, lissaBatch);
        }

        /** These settings with another LiSSA minibatch b. */
        public Settings withLissaBatch(int value) {
            return new Settings(curvature, damping, cgTolerance, cgMaxIterations, lissaScale, lissaDamping, lissaDepth,
                    lissaRepeats, value);
        }

        /** The solver configuration of these settings for {@code solver}, seeded with {@code seed} (LiSSA's sampling). */
        public InverseHvp.Config config(InverseHvp.Solver solver, long seed) {
            return new InverseHvp.Config(solver, this, seed);
        }
    }

    private final InverseHvp.Config config;

    /** Linear influence solving with {@code config}. */
    public LinearInfluence(InverseHvp.Config config) {
        this.config = config;
    }

    /** Linear influence with {@code solver} and {@code settings}; {@code seed} seeds LiSSA's sampling. */
    public LinearInfluence(InverseHvp.Solver solver, Settings settings, long seed) {
        this(settings.config(solver, seed));
    }

    @Override
    public String name() {
        switch (config.solver()) {
            case EXACT:
                return "exact";
            case CG:
                return "influence-cg";
            default:
                return "influence-lissa";
        }
    }

    @Override
    public Map<String, Object> settings() {
        return new LinkedHashMap<>(InverseHvp.describe(config));
    }

    @Override
    public Ranking identify(IdentificationProblem p) {
        ModelHandle model = p.model();
        double[] v = model.meanLossGradient(p.query(), false);
        InverseHvp.Solution solved = InverseHvp.solveDescribed(model, p.train(), v, config);
        double[] h = solved.h();
        double[] others = p.others() == null ? null : dotWithGradients(model, p.others(), h, -1);
        return new Ranking(name(), dotWithGradients(model, p.train(), h, -1), others, solved.facts());
    }

    /** sign * (u . g_z) for every training example, streamed in chunks. */
    static double[] dotWithGradients(ModelHandle model, dev.amend.data.ExampleSet data, double[] u, double sign) {
        double[] out = new double[data.size()];
        try (NDManager keep = model.newStateManager();
                Progress.Task task = Progress.task("scoring " + data.size() + " examples", data.size())) {
            NDArray uu = keep.create(u).toType(model.dataType(), false);
            model.perExampleGradients(data, ModelHandle.GRADIENT_CHUNK, (from, g) -> {
                double[] d = g.matMul(uu).toType(DataType.FLOAT64, false).toDoubleArray();
                for (int i = 0; i < d.length; i++) {
                    out[from + i] = sign * d[i];
                }
                task.stepTo(from + d.length);
            });
        }
        return out;
    }
}
