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

    private final Step step;
    private final double gamma;
    private final boolean actualGradient;
    private final boolean selectFraction;
    private final InverseHvp.Config solver;
    private final StopRule stop;

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
        s.put("damping", solver.damping());
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
                delta[j] = gamma / n * meanG[j] / (fisher[j] + solver.damping());
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
