package dev.amend.treat;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.identify.InverseHvp;
import dev.amend.model.Evaluation;
import dev.amend.model.ModelHandle;
import dev.amend.util.Vectors;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Newton update removal ([T22] Eq. 14; Guo et al. 2020; docs/methods.md 3(b)). Two step rules:
 * <ul>
 *   <li>{@code EXACT} ([G20]): theta* + gamma (H' + delta I)^{-1} (sum_C g_z + m alpha theta*) / (N - m),
 *       H' the Hessian of R_{D\C}; with gamma = 1 and a convex model this lands on the retrained
 *       optimum up to second order. With {@code actualGradient} the right-hand side is
 *       -grad R_{D\C}(theta*) computed directly (for models not at an exact optimum).</li>
 *   <li>{@code PAPER} (Eq. 14 as used for Fig. 5): theta* + gamma (F_D + N delta)^{-1} mean_C g_z, with
 *       F_D = N F the diagonal empirical Fisher summed over D and the gradient of the causes' mean
 *       loss, that is theta* + (gamma / N) mean_C g_z / (F + delta) with F the mean Fisher; gamma
 *       shares its axis with EWC-deletion's (docs/treatment.md explains this reading of the paper's
 *       gamma and what the other reading measured).</li>
 * </ul>
 * A one-step update has no epochs to stop early; instead, when {@code selectFraction} is on,
 * theta* + t (theta_rep - theta*) for t in {0.25, 0.5, 0.75, 1} is scored by a {@link StopRule}
 * (default: accuracy on F_q_val, ties by loss) and the best kept (docs/methods.md 7, item 7).
 */
public final class NewtonRemoval implements Treatment {
    private static final double[] FRACTIONS = {0.25, 0.5, 0.75, 1};

    /** Which Newton step. */
    public enum Step {
        EXACT, PAPER
    }

    /** gamma of the paper's step: it shares its axis with EWC-deletion's, and its default. */
    public static final double DEFAULT_GAMMA = EwcDeletion.DEFAULT_GAMMA;
    /** The [G20] Newton step is exact at gamma = 1. */
    public static final double DEFAULT_EXACT_GAMMA = 1;
    /**
     * delta of the paper's step (F + delta): the entries of a mean diagonal Fisher are of order
     * 1e-4 for the paper's CNN, so 0.01 would swamp them; 1e-6 only guards directions with F = 0.
     */
    public static final double DEFAULT_FISHER_DAMPING = 1e-6;
    /** delta of the [G20] step's (H' + delta I): a mean Hessian's eigenvalues are of order 1 here. */
    public static final double DEFAULT_DAMPING = 0.01;
    /** The exact step solves with conjugate gradients. */
    public static final InverseHvp.Solver DEFAULT_SOLVER = InverseHvp.Solver.CG;

    /**
     * The settings of Newton removal (docs/treatment.md): which step, its gamma, the damping delta
     * added to the curvature and, for the exact step, the solver of (H' + delta I)^{-1} g (CG or
     * LiSSA with the defaults of docs/methods.md 2(b)). The defaults differ by step:
     * {@link #PAPER_DEFAULTS} and {@link #EXACT_DEFAULTS}.
     *
     * @param gamma finite and >= 0
     * @param damping finite and >= 0
     * @param solver CG or LISSA; the paper's step solves nothing and takes CG, the default
     */
    public record Settings(Step step, double gamma, double damping, InverseHvp.Solver solver) {
        /** The paper's step: gamma {@value NewtonRemoval#DEFAULT_GAMMA}, delta {@value NewtonRemoval#DEFAULT_FISHER_DAMPING}. */
        public static final Settings PAPER_DEFAULTS = new Settings(Step.PAPER, DEFAULT_GAMMA, DEFAULT_FISHER_DAMPING,
                DEFAULT_SOLVER);
        /** The [G20] step: gamma {@value NewtonRemoval#DEFAULT_EXACT_GAMMA}, delta {@value NewtonRemoval#DEFAULT_DAMPING}, CG. */
        public static final Settings EXACT_DEFAULTS = new Settings(Step.EXACT, DEFAULT_EXACT_GAMMA, DEFAULT_DAMPING,
                DEFAULT_SOLVER);

        /** Refuses values out of range and a solver for the paper's step, naming the setting. */
        public Settings {
            if (step == null) {
                throw new AmendException("step must be given (paper or exact)");
            }
            if (!(gamma >= 0) || !Double.isFinite(gamma)) {
                throw new AmendException("gamma must be a finite number >= 0, got " + gamma);
            }
            if (!(damping >= 0) || !Double.isFinite(damping)) {
                throw new AmendException("damping must be a finite number >= 0, got " + damping);
            }
            if (solver == null || solver == InverseHvp.Solver.EXACT) {
                throw new AmendException("solver must be cg or lissa for newton-removal, got " + solver);
            }
            if (step == Step.PAPER && solver != DEFAULT_SOLVER) {
                throw solverNeedsExactStep();
            }
        }

        /** The defaults of {@code step}. */
        public static Settings defaults(Step step) {
            return step == Step.EXACT ? EXACT_DEFAULTS : PAPER_DEFAULTS;
        }

        /** These settings with another step (gamma, damping and solver kept). */
        public Settings withStep(Step value) {
            return new Settings(value, gamma, damping, solver);
        }

        /** These settings with another gamma. */
        public Settings withGamma(double value) {
            return new Settings(step, value, damping, solver);
        }

        /** These settings with another damping delta. */
        public Settings withDamping(double value) {
            return new Settings(step, gamma, value, solver);
        }

        /** These settings with another solver (exact step only). */
        public Settings withSolver(InverseHvp.Solver value) {
            return new Settings(step, gamma, damping, value);
        }

        /** The solver configuration: the defaults of docs/methods.md 2(b) with this damping, seeded with {@code seed}. */
        public InverseHvp.Config config(long seed) {
            return InverseHvp.Config.defaults(solver, seed).withDamping(damping);
        }
    }

    /** The error for a solver chosen for the paper's step. */
    static AmendException solverNeedsExactStep() {
        return new AmendException("solver applies to newton-removal with exact-step only; the paper's step "
                + "divides by the diagonal Fisher and solves nothing");
    }

    private final Step step;
    private final double gamma;
    private final boolean actualGradient;
    private final boolean selectFraction;
    private final InverseHvp.Config solver;
    private final StopRule stop;

    /**
     * Newton removal with {@code settings}, the step fraction chosen by {@code stop}; {@code seed}
     * seeds LiSSA were it the solver.
     */
    public NewtonRemoval(Settings settings, long seed, StopRule stop) {
        this(settings.step(), settings.gamma(), false, true, settings.config(seed), stop);
    }

    /**
     * A Newton step with every choice open (tests compare the variants).
     *
     * @param actualGradient the exact step's right-hand side computed as -grad R_{D\C}(theta*)
     * @param selectFraction choose the step fraction by {@code stop} instead of taking the full step
     */
    public NewtonRemoval(Step step, double gamma, boolean actualGradient, boolean selectFraction,
            InverseHvp.Config solver, StopRule stop) {
        if (!(gamma >= 0) || !Double.isFinite(gamma)) {
            throw new AmendException("gamma must be a finite number >= 0, got " + gamma);
        }
        this.step = step;
        this.gamma = gamma;
        this.actualGradient = actualGradient;
        this.selectFraction = selectFraction;
        this.solver = solver;
        this.stop = stop;
    }

    @Override
    public String name() {
        return "newton-removal";
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("step", step.name().toLowerCase());
        s.put("gamma", gamma);
        s.put("damping", solver.settings().damping());
        if (step == Step.EXACT) {
            s.put("solver", solver.solver().name().toLowerCase());
            s.put("actual_gradient", actualGradient);
        }
        s.put("select_fraction", selectFraction);
        s.put("stop_on", stop.toString());
        return s;
    }

    @Override
    public TreatmentResult apply(TreatmentProblem p) {
        ModelHandle model = p.model();
        double[] thetaStar = model.getParameters();
        int n = p.train().size();
        int m = p.causes().length;
        if (m >= n) {
            throw new AmendException("cannot remove all " + n + " training examples with a Newton step");
        }
        ExampleSet causes = p.causeSet();
        double[] meanG = model.meanLossGradient(causes, false);
        double[] delta;
        if (step == Step.PAPER) {
            double[] fisher = p.fisherDiagonal();
            delta = new double[meanG.length];
            for (int j = 0; j < delta.length; j++) {
                delta[j] = gamma / n * meanG[j] / (fisher[j] + solver.settings().damping());
            }
        } else {
            double[] sumG = Vectors.scale(meanG, m);
            ExampleSet remaining = p.remaining();
            double[] rhs;
            if (actualGradient) {
                rhs = Vectors.scale(model.meanLossGradient(remaining, true), -1);
            } else {
                rhs = Vectors.scale(Vectors.axpy(sumG, m * model.spec().weightDecay(), thetaStar), 1.0 / (n - m));
            }
            delta = Vectors.scale(InverseHvp.solve(model, remaining, rhs, solver), gamma);
        }
        if (!Vectors.finite(delta)) {
            throw new AmendException("the Newton step is not finite: raise the damping");
        }
        ModelHandle repaired = model.copy();
        double chosen = 1;
        ExampleSet check = stop.checkSet(p);
        if (selectFraction && check.size() > 0) {
            Evaluation best = null;
            for (double t : FRACTIONS) {
                repaired.setParameters(Vectors.axpy(thetaStar, t, delta));
                Evaluation e = repaired.evaluate(check);
                boolean better = stop.metric() == dev.amend.train.TrainConfig.StopCriterion.LOSS
                        ? best == null || e.meanLoss() < best.meanLoss()
                        : best == null || e.accuracy() > best.accuracy()
                                || (e.accuracy() == best.accuracy() && e.meanLoss() < best.meanLoss());
                if (better) {
                    best = e;
                    chosen = t;
                }
            }
        }
        repaired.setParameters(Vectors.axpy(thetaStar, chosen, delta));
        return Treatments.result(repaired, thetaStar, null,
                Map.of("fraction", chosen, "gamma", gamma, "stop_rule", stop.describeFor(p)));
    }
}
