package dev.amend.experiment;

import dev.amend.identify.CauseIdentifier;
import dev.amend.identify.CauseSelection;
import dev.amend.identify.EwcInfluence;
import dev.amend.identify.IdentificationProblem;
import dev.amend.identify.Ranking;
import dev.amend.model.Evaluation;
import dev.amend.treat.EwcDeletion;
import dev.amend.treat.NewtonRemoval;
import dev.amend.treat.Treatment;
import dev.amend.treat.TreatmentProblem;
import dev.amend.treat.TreatmentResult;
import java.util.LinkedHashMap;

/**
 * The repair loop of [T22] Algorithm 1: Step I (identify the causes C of the failures F_q),
 * Step II (treat theta* by removing C) and the evaluation of theta* and theta_rep on F_q, F_h,
 * T\F and T (METHODS.md 1: a repair should raise accuracy on F_h while keeping it on T\F).
 *
 * <p>One {@code Repair} holds what every treatment of the same input shares: the 90/10 split of
 * F_q into F_q_fit and F_q_val (the same split identification uses, from the same seed, so that
 * early stopping of identification and treatment watch the same examples), theta*'s
 * predictions on T, and the Fisher diagonal of D once computed. It can treat many cause sets
 * (the experiments of Fig. 3, 5 and 9 do) and never changes theta*.
 */
public final class Repair {
    private final RepairInput input;
    private final long seed;
    private final TrainRun.Listener listener;
    private final IdentificationProblem problem;
    private final Evaluation before;
    private double[] fisher;

    private Repair(RepairInput input, long seed, TrainRun.Listener listener) {
        this.input = input;
        this.seed = seed;
        this.listener = listener == null ? TrainRun.Listener.NONE : listener;
        this.problem = IdentificationProblem.of(input.model(), input.train(), input.querySet(), input.corrupted(), null,
                seed);
        this.before = input.model().evaluate(input.test());
    }

    /**
     * A repair of {@code input}; {@code seed} splits F_q into fit and validation parts and
     * seeds the treatments' minibatch order. Evaluates theta* on T now.
     */
    public static Repair of(RepairInput input, long seed, TrainRun.Listener listener) {
        return new Repair(input, seed, listener);
    }

    public RepairInput input() {
        return input;
    }

    /** The identification problem over D and F_q, with the split every treatment reuses. */
    public IdentificationProblem identificationProblem() {
        return problem;
    }

    /** theta*'s accuracies on F_q, F_h, T\F and T. */
    public RepairMetrics.Accuracies before() {
        return RepairMetrics.Accuracies.of(before, input.failures());
    }

    /**
     * Step I: ranks D with {@code identifier}. EWC-influence's Fisher diagonal is kept for
     * treatments that need it (EWC-deletion, Newton removal), so it is computed once.
     */
    public Identified identify(CauseIdentifier identifier) {
        listener.stage("identifying causes with " + identifier.name() + " (|D| " + input.train().size() + ", |F_q| "
                + problem.query().size() + ")");
        long start = System.nanoTime();
        Ranking ranking = identifier.identify(problem);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (identifier instanceof EwcInfluence ewc && fisher == null) {
            fisher = ewc.lastFisher();
        }
        return new Identified(ranking, new RepairMetrics.Identification(identifier.name(), identifier.settings(),
                seconds));
    }

    /** A ranking with how it was made: what Step I hands to Step II. */
    public record Identified(Ranking ranking, RepairMetrics.Identification identification) {
    }

    /** Steps I and II: identify, select C, treat, evaluate. */
    public RepairResult run(CauseIdentifier identifier, CauseSelection selection, Treatment treatment) {
        // The selection's own checks (k <= N, a fraction that selects something, no threshold for
        // order-only rankings) on a stand-in ranking, before identification spends minutes.
        selection.select(new Ranking(identifier.name(), new double[input.train().size()]));
        return treat(identify(identifier), selection, treatment);
    }

    /** Step II on the causes chosen from a ranking by {@code selection}. */
    public RepairResult treat(Identified identified, CauseSelection selection, Treatment treatment) {
        int[] causes = selection.select(identified.ranking());
        return treat(identified.ranking(), identified.identification(), selection.toString(), causes, treatment);
    }

    /** Step II on a cause set given directly (positions in D), e.g. the semi-oracle's. */
    public RepairResult treat(int[] causes, String selection, Treatment treatment) {
        return treat(null, null, selection, causes, treatment);
    }

    private RepairResult treat(Ranking ranking, RepairMetrics.Identification identification, String selection,
            int[] causes, Treatment treatment) {
        if (fisher == null && needsFisher(treatment)) {
            // Computed here rather than inside the treatment, so that a sweep over gamma pays for it once.
            listener.stage("computing the Fisher diagonal of D at theta*");
            fisher = input.model().fisherDiagonal(input.train());
        }
        TreatmentProblem p = new TreatmentProblem(input.model(), input.train(), causes, problem.queryFit(),
                problem.queryValidation(), input.validation(), fisher, seed,
                (record, max) -> listener.epoch(treatment.name(), record, max));
        listener.stage("treating with " + treatment.name() + ": removing " + causes.length + " of "
                + input.train().size() + " training examples");
        long start = System.nanoTime();
        TreatmentResult result = treatment.apply(p);
        double seconds = (System.nanoTime() - start) / 1e9;
        try {
            listener.stage("evaluating the repaired model on " + input.test().size() + " test examples");
            Evaluation after = result.model().evaluate(input.test());
            FailureSets f = input.failures();
            RepairMetrics metrics = new RepairMetrics(treatment.name(), treatment.settings(), identification,
                    new RepairMetrics.Causes(selection, causes.length, corruptedAmong(causes)), before(),
                    RepairMetrics.Accuracies.of(after, f), new RepairMetrics.Sizes(f.query().length, f.holdout().length,
                            f.remaining().length, input.test().size(), input.train().size()),
                    result.parameterDistance(), seconds, new LinkedHashMap<>(result.details()));
            return new RepairResult(ranking, causes, result, metrics);
        } catch (RuntimeException | Error e) {
            result.model().close();
            throw e;
        }
    }

    private static boolean needsFisher(Treatment t) {
        return t instanceof EwcDeletion || t instanceof NewtonRemoval && "paper".equals(t.settings().get("step"));
    }

    /** How many of the causes the scenario corrupted; null without ground truth. */
    private Integer corruptedAmong(int[] causes) {
        boolean[] mask = problem.noisy();
        if (mask == null) {
            return null;
        }
        int count = 0;
        for (int c : causes) {
            count += mask[c] ? 1 : 0;
        }
        return count;
    }
}
