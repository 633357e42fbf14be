package dev.amend.run;

import dev.amend.AmendException;
import dev.amend.identify.CauseIdentifier;
import dev.amend.identify.CauseSelection;
import dev.amend.identify.IdentificationProblem;
import dev.amend.identify.Ranking;
import dev.amend.model.Evaluation;
import dev.amend.model.ModelHandle;
import dev.amend.run.format.RepairMetrics;
import dev.amend.treat.CleanSet;
import dev.amend.treat.EwcDeletion;
import dev.amend.treat.NewtonRemoval;
import dev.amend.treat.Retain;
import dev.amend.treat.Treatment;
import dev.amend.treat.TreatmentProblem;
import dev.amend.treat.TreatmentResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The repair loop of [T22] Algorithm 1: Step I (identify the causes C of the failures F_q),
 * Step II (treat theta* by removing C) and the evaluation of theta* and theta_rep on F_q, F_h,
 * T\F and T (docs/methods.md 1: a repair should raise accuracy on F_h while keeping it on T\F).
 *
 * <p>One {@code Repair} holds what every treatment of the same input shares: the 90/10 split of
 * F_q into F_q_fit and F_q_val (the same split identification uses, from the same seed, so that
 * early stopping of identification and treatment watch the same examples), theta*'s
 * predictions on T, and the Fisher diagonal of D once computed. It can treat many cause sets
 * (the experiments of Fig. 3, 5 and 9 do) and never changes theta*.
 *
 * <p>Every repair is judged by the acceptance check of docs/methods.md 3(e), which uses only what
 * a user has (the validation split V and F_q_val, never T, F_h or the corruption mask), and
 * {@link #treatAuto} chooses the number of causes the same way. V is the training run's
 * validation split, or for a model brought from elsewhere check data or a part of the test set
 * held out ({@link RepairInput#withCheckData}, {@link RepairInput#withHeldOutCheck}); without V
 * no repair is accepted.
 */
public final class Repair {
    /** The allowed fall of accuracy on the check set: 0.5 points. */
    public static final double DEFAULT_TOLERANCE = 0.005;
    /** The cause-set sizes {@code --top-k auto} tries, capped at N/2. */
    public static final List<Integer> AUTO_GRID = List.of(25, 50, 100, 200, 400, 800);

    /** Which examples the acceptance check watches for damage to the rest of the model. */
    public enum CheckSet {
        /** V, the base validation split: it carries the training data's corruption. */
        VALIDATION,
        /** V without the examples the identification scores above the cut of C. */
        UNFLAGGED_VALIDATION;

        /** The name used in options and metrics.json. */
        public String text() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Parses {@link #text()}. */
        public static CheckSet parse(String setting, String text) {
            for (CheckSet c : values()) {
                if (c.text().equalsIgnoreCase(text == null ? "" : text.strip())) {
                    return c;
                }
            }
            throw new AmendException("unknown " + setting + " '" + text + "'; valid: validation, unflagged-validation");
        }
    }

    /**
     * The fewest examples of F_q_val below which a repair's notes say that the acceptance check's
     * verdict rests on a handful of failures.
     */
    public static final int MIN_QUERY_VALIDATION = 5;

    /** The check set of the acceptance check by default. */
    public static final CheckSet DEFAULT_CHECK_SET = CheckSet.UNFLAGGED_VALIDATION;

    /**
     * The largest share of V the unflagged check set may leave out. Beyond it the check uses
     * all of V: a check blind to more than a quarter of V cannot speak for the rest of the
     * model (docs/treatment.md, "The repair acceptance check": with the top 1,000 of 2,700
     * removed under input noise it left out 112-125 of 300 and accepted repairs that cost T
     * 2 to 13 points; with label flips and k up to 200 it left out 3-27).
     */
    public static final double MAX_UNFLAGGED_LEFT_OUT = 0.25;

    private final RepairInput input;
    private final long seed;
    private final TrainRun.Listener listener;
    private final IdentificationProblem problem;
    private final Evaluation before;
    private final Evaluation validationBefore;
    private final Evaluation queryValidationBefore;
    private double tolerance = DEFAULT_TOLERANCE;
    private CheckSet checkSet = DEFAULT_CHECK_SET;
    private double[] fisher;
    private CleanSet clean;
    private RepairMemo memo;
    private String memoRun;

    private Repair(RepairInput input, long seed, TrainRun.Listener listener) {
        this.input = input;
        this.seed = seed;
        this.listener = listener == null ? TrainRun.Listener.NONE : listener;
        this.problem = IdentificationProblem.of(input.model(), input.train(), input.querySet(), input.corrupted(), null,
                seed);
        this.before = input.model().evaluate(input.test());
        this.validationBefore = hasValidation() ? input.model().evaluate(input.validation()) : null;
        this.queryValidationBefore = input.model().evaluate(problem.queryValidation());
    }

    /**
     * What the user should be told about this repair before its results are read, one sentence
     * each, as of the acceptance settings now: the input's notes ({@link RepairInput#notes}),
     * then a check set V that theta* classifies without error (docs/treatment.md, "The repair
     * acceptance check"). Every repair's metrics.json records them.
     */
    public List<String> notes() {
        List<String> notes = new ArrayList<>(input.notes());
        int queryValidation = problem.queryValidation().size();
        if (queryValidation < MIN_QUERY_VALIDATION) {
            notes.add("F_q_val, the part of the query failures F_q that the acceptance check reads, has only "
                    + count(queryValidation, "example") + " (a tenth of the " + problem.query().size() + " of F_q):"
                    + " a repair is accepted only if the repaired model gets more of " + (queryValidation == 1 ? "it"
                            : "them") + " right, so the verdict rests on " + (queryValidation == 1 ? "that one"
                            : "these " + queryValidation) + "; " + moreFailures() + " (with " + failuresFor(
                                    MIN_QUERY_VALIDATION) + " or more failures in F, F_q_val has " + MIN_QUERY_VALIDATION
                    + ")");
        }
        if (validationBefore != null && validationBefore.accuracy() >= 1.0) {
            notes.add(perfectCheckSetNote());
        }
        return notes;
    }

    /**
     * {@link #notes()} and what the ranking's identification measured that the user should know:
     * a conjugate-gradient solve that stopped above its tolerance (docs/identification.md).
     */
    public List<String> notes(Ranking ranking) {
        List<String> notes = notes();
        String unconverged = unconvergedNote(ranking);
        if (unconverged != null) {
            notes.add(unconverged);
        }
        return notes;
    }

    /** The note for a ranking whose CG solve stopped above its tolerance, or null. */
    public static String unconvergedNote(Ranking ranking) {
        if (ranking == null || !Boolean.FALSE.equals(ranking.facts().get("cg_converged"))) {
            return null;
        }
        return String.format(Locale.ROOT, "conjugate gradients stopped after %s iterations at a residual of %.3g |v|,"
                + " above --cg-tolerance: the scores rest on an unconverged solve (--cg-max-iterations)",
                ranking.facts().get("cg_iterations"), ((Number) ranking.facts().get("cg_relative_residual"))
                        .doubleValue());
    }

    /** Where more failures come from, for this input. */
    private String moreFailures() {
        ValidationSource.Kind kind = input.validationSource().kind();
        if (input.failuresNamed()) {
            return "name more failures";
        }
        if (kind == ValidationSource.Kind.HELD_OUT_TEST || kind == ValidationSource.Kind.CHECK_DATA) {
            return "name more failures (--failures-data), or give a larger test set";
        }
        return "a larger test set gives more failures";
    }

    /** "1 example", "2 examples". */
    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /**
     * The fewest failures |F| whose F_q (floor(|F|/2) of them) gives an F_q_val of {@code size}
     * (docs/methods.md 1).
     */
    private static int failuresFor(int size) {
        int f = 2;
        while (IdentificationProblem.queryValidationSize(f / 2) < size) {
            f++;
        }
        return f;
    }

    /** The note for a V that theta* classifies without error: the check can only see its accuracy fall. */
    private String perfectCheckSetNote() {
        int n = validationBefore.size();
        ValidationSource.Kind kind = input.validationSource().kind();
        String text = String.format(Locale.ROOT, "the model classifies all %d examples of the check set V correctly"
                + " before the repair, so the acceptance check can only see its accuracy there fall: a repair that"
                + " gets one of them wrong loses %.1f points (allowed: %.1f) and", n, 100.0 / n, tolerance * 100)
                + (100.0 / n > tolerance * 100 + 1e-9 ? " is not accepted" : " counts against the allowance");
        String docs = " (docs/treatment.md, \"The validation split of your own model\")";
        if (kind == ValidationSource.Kind.HELD_OUT_TEST && input.failuresNamed()) {
            return text + "; V is drawn from the test examples outside the failures named, which hold none of the"
                    + " model's mistakes when the failures named are all of them: name fewer failures, or give"
                    + " --check-data with labelled examples the model was not trained on" + docs;
        }
        if (kind == ValidationSource.Kind.HELD_OUT_TEST || kind == ValidationSource.Kind.CHECK_DATA) {
            return text + "; give --check-data with more labelled examples the model was not trained on, enough to"
                    + " hold some of its mistakes" + docs;
        }
        return text + "; a run with a larger validation split (amend train --val-fraction) checks more closely";
    }

    /** Sets the acceptance check: the allowed fall of accuracy (a fraction) and the check set. */
    public Repair withAcceptance(double allowedFall, CheckSet set) {
        if (!(allowedFall >= 0) || allowedFall > 1) {
            throw new AmendException("the acceptance tolerance must be in [0, 1] (a fraction of accuracy), got "
                    + allowedFall);
        }
        this.tolerance = allowedFall;
        this.checkSet = set;
        return this;
    }

    /**
     * Gives every treatment the trusted clean set D_c (docs/methods.md 5; the retain treatment
     * needs one). It must be disjoint from D and T: {@link CleanData} draws or checks it.
     */
    public Repair withCleanSet(CleanSet set) {
        this.clean = set;
        return this;
    }

    /**
     * Lets experiments answer an identification or repair they already computed from {@code memo}
     * ({@link #identify}, {@link #metrics}); {@code run} is the base run's folder (theta*, D, V and
     * T). A null memo computes everything. Without a clean set only: a repair with one always
     * computes.
     */
    public Repair withMemo(RepairMemo memo, Path run) {
        this.memo = memo;
        this.memoRun = run.toAbsolutePath().normalize().toString();
        return this;
    }

    /** Everything an identification or repair of this Repair depends on besides its method, or null. */
    private String memoKey() {
        if (memo == null || clean != null) {
            return null;
        }
        FailureSets f = input.failures();
        return memoRun + "|seed " + seed + "|F_q " + Arrays.toString(f.query()) + "|F_h "
                + Arrays.toString(f.holdout()) + "|acceptance " + tolerance + " " + checkSet;
    }

    private boolean hasValidation() {
        return input.validation() != null && input.validation().size() > 0;
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
     * Step I: ranks D with {@code identifier}. EWC-influence's Fisher diagonal stays cached in
     * the model for treatments that need it (EWC-deletion, Newton removal), so it is computed
     * once; V is scored too when the method can, in the same run, for the acceptance check
     * (the identification's seconds include that).
     */
    public Identified identify(CauseIdentifier identifier) {
        String key = memoKey();
        if (key == null) {
            return computeIdentified(identifier);
        }
        String k = key + "|identify " + identifier.name() + " " + new TreeMap<>(identifier.settings());
        Identified known = memo.identification(k);
        if (known != null) {
            listener.stage("identifying causes with " + identifier.name() + ": the same identification ran earlier in"
                    + " this process, reusing it");
            return known;
        }
        Identified made = computeIdentified(identifier);
        memo.putIdentification(k, made);
        return made;
    }

    private Identified computeIdentified(CauseIdentifier identifier) {
        listener.stage("identifying causes with " + identifier.name() + " (|D| " + input.train().size() + ", |F_q| "
                + problem.query().size() + ")");
        long start = System.nanoTime();
        // V rides along with the problem, so methods that can score it do so in the same run.
        Ranking ranking = identifier.identify(hasValidation() ? problem.withOthers(input.validation()) : problem);
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] validationScores = ranking.otherScores();
        return new Identified(ranking, new RepairMetrics.Identification(identifier.name(), identifier.settings(),
                seconds), validationScores);
    }

    /**
     * A ranking with how it was made: what Step I hands to Step II.
     *
     * @param validationScores the scores of V's examples on the ranking's scale, or null
     */
    public record Identified(Ranking ranking, RepairMetrics.Identification identification, double[] validationScores) {
        public Identified(Ranking ranking, RepairMetrics.Identification identification) {
            this(ranking, identification, null);
        }
    }

    /** Steps I and II: identify, select C, treat, evaluate. */
    public RepairResult run(CauseIdentifier identifier, CauseSelection selection, Treatment treatment) {
        checkSelection(selection);
        return treat(identify(identifier), selection, treatment);
    }

    /**
     * The selection's own checks ({@code k < N}, a fraction that selects something but not everything)
     * on a stand-in ranking of D, so that a selection that cannot work is refused before
     * identification spends minutes; {@link #run} makes them first.
     *
     * @throws AmendException with the selection's one-line message
     */
    public void checkSelection(CauseSelection selection) {
        selection.checkForRemoval(input.train().size());
    }

    /** Step I, then {@link #treatAuto}. */
    public RepairResult runAuto(CauseIdentifier identifier, Treatment treatment) {
        return treatAuto(identify(identifier), treatment);
    }

    /** Step II on the causes chosen from a ranking by {@code selection}. */
    public RepairResult treat(Identified identified, CauseSelection selection, Treatment treatment) {
        int[] causes = selection.selectForRemoval(identified.ranking());
        return treat(identified, selection.toString(), causes, treatment);
    }

    /**
     * Step II's metrics only, for experiments: {@link #treat(Identified, CauseSelection, Treatment)}
     * with the repaired model closed at once, answered from the memo when the same repair (same
     * causes, treatment settings and ranking) ran earlier ({@link #withMemo}).
     */
    public RepairMetrics metrics(Identified identified, CauseSelection selection, Treatment treatment) {
        int[] causes = selection.selectForRemoval(identified.ranking());
        return metrics(identified, selection.toString(), causes, treatment);
    }

    /** {@link #metrics(Identified, CauseSelection, Treatment)} for a cause set given directly. */
    public RepairMetrics metrics(int[] causes, String selection, Treatment treatment) {
        return metrics(null, selection, causes, treatment);
    }

    private RepairMetrics metrics(Identified identified, String selection, int[] causes, Treatment treatment) {
        String key = memoKey();
        String k = key == null ? null : key + "|treat " + treatment.name() + " " + new TreeMap<>(treatment.settings())
                + "|selection " + selection + "|causes " + Arrays.toString(causes) + "|ranked by "
                + (identified == null ? "-" : identified.identification().method() + " "
                        + (identified.identification().settings() == null ? "{}"
                                : new TreeMap<>(identified.identification().settings())));
        if (k != null) {
            RepairMetrics known = memo.repair(k);
            if (known != null) {
                listener.stage("treating with " + treatment.name() + ": the same repair (" + causes.length
                        + " causes) ran earlier in this process, reusing its metrics");
                return known;
            }
        }
        try (RepairResult r = treat(identified, selection, causes, treatment)) {
            if (k != null) {
                memo.putRepair(k, r.metrics());
            }
            return r.metrics();
        }
    }

    /** Step II on a cause set given directly (positions in D), e.g. the semi-oracle's. */
    public RepairResult treat(int[] causes, String selection, Treatment treatment) {
        return treat(null, selection, causes, treatment);
    }

    /**
     * {@code --top-k auto} (docs/methods.md 3(e)): treats the top k of the ranking for every k of
     * {@link #AUTO_GRID} up to N/2 and keeps the accepted repair with the lowest mean loss on V and
     * F_q_val. When no k is accepted the result is the candidate with the lowest such loss, marked
     * not accepted: theta* stays the recommended model. The ranking is computed once.
     */
    public RepairResult treatAuto(Identified identified, Treatment treatment) {
        int n = input.train().size();
        List<Integer> ks = new ArrayList<>(AUTO_GRID.stream().filter(k -> k <= n / 2).toList());
        if (ks.isEmpty()) {
            ks.add(Math.max(1, n / 2));
        }
        List<RepairMetrics.Candidate> candidates = new ArrayList<>();
        RepairResult bestAccepted = null;
        double bestAcceptedLoss = Double.POSITIVE_INFINITY;
        RepairResult fallback = null;
        double fallbackLoss = Double.POSITIVE_INFINITY;
        try {
            for (int k : ks) {
                listener.stage("top-k auto: trying k = " + k);
                RepairResult r = treat(identified, "top-k:auto", identified.ranking().top(k), treatment);
                RepairMetrics.Acceptance a = r.metrics().acceptance();
                double loss = a.checkLoss();
                candidates.add(new RepairMetrics.Candidate(k, a.accepted(), a.reason(), loss,
                        r.metrics().causes().corrupted(), r.metrics().after()));
                RepairResult dropped = r;
                if (a.accepted() && loss < bestAcceptedLoss) {
                    dropped = bestAccepted;
                    bestAccepted = r;
                    bestAcceptedLoss = loss;
                } else if (!a.accepted() && loss < fallbackLoss) {
                    dropped = fallback;
                    fallback = r;
                    fallbackLoss = loss;
                }
                if (dropped != null) {
                    dropped.close();
                }
            }
        } catch (RuntimeException | Error e) {
            closeAll(bestAccepted, fallback);
            throw e;
        }
        RepairResult chosen = bestAccepted != null ? bestAccepted : fallback;
        RepairResult other = bestAccepted != null ? fallback : null;
        if (other != null) {
            other.close();
        }
        Integer k = bestAccepted != null ? chosen.causes().length : null;
        return new RepairResult(chosen.ranking(), chosen.causes(), chosen.treatment(),
                chosen.metrics().withAuto(new RepairMetrics.AutoK(candidates, k)));
    }

    private static void closeAll(RepairResult... results) {
        for (RepairResult r : results) {
            if (r != null) {
                r.close();
            }
        }
    }

    private RepairResult treat(Identified identified, String selection, int[] causes, Treatment treatment) {
        Ranking ranking = identified == null ? null : identified.ranking();
        RepairMetrics.Identification identification = identified == null ? null : identified.identification();
        if (fisher == null && needsFisher(treatment)) {
            // Computed here rather than inside the treatment, so that a sweep over gamma pays for it once.
            if (!input.model().hasCachedFisher(input.train())) {
                listener.stage("computing the Fisher diagonal of D at theta*");
            }
            fisher = input.model().fisherDiagonal(input.train());
        }
        TreatmentProblem p = treatmentProblem(causes, treatment.name());
        listener.stage("treating with " + treatment.name() + ": removing " + causes.length + " of "
                + input.train().size() + " training examples");
        long start = System.nanoTime();
        TreatmentResult result = treatment.apply(p);
        double seconds = (System.nanoTime() - start) / 1e9;
        try {
            listener.stage("evaluating the repaired model on " + input.test().size() + " test examples");
            Evaluation after = result.model().evaluate(input.test());
            FailureSets f = input.failures();
            Map<String, Object> details = new LinkedHashMap<>(result.details());
            // The per-example decisions stay with the result (causes.csv); metrics.json gets their summary.
            if (details.remove(Retain.DECISIONS) instanceof Retain.Decisions d) {
                details.put("retain", d.summary(input.corrupted(), input.originalLabels()));
            }
            RepairMetrics metrics = new RepairMetrics(treatment.name(), treatment.settings(), identification,
                    new RepairMetrics.Causes(selection, causes.length, corruptedAmong(causes)), before(),
                    RepairMetrics.Accuracies.of(after, f), new RepairMetrics.Sizes(f.query().length, f.holdout().length,
                            f.remaining().length, input.test().size(), input.train().size(),
                            hasValidation() ? input.validation().size() : 0),
                    result.parameterDistance(), seconds, details,
                    accept(result, identified, causes), null, notes(ranking));
            return new RepairResult(ranking, causes, result, metrics);
        } catch (RuntimeException | Error e) {
            result.model().close();
            throw e;
        }
    }

    /**
     * What a treatment of {@code causes} works on: theta*, D, F_q's split, V, the Fisher diagonal
     * once computed and the clean set; for experiments that run a treatment's steps one by one.
     */
    public TreatmentProblem treatmentProblem(int[] causes, String treatmentName) {
        return new TreatmentProblem(input.model(), input.train(), causes, problem.queryFit(), problem.queryValidation(),
                input.validation(), fisher, seed, (record, max) -> listener.epoch(treatmentName, record, max), clean);
    }

    /** A model's accuracies on F_q, F_h, T\F and T. */
    public RepairMetrics.Accuracies evaluate(ModelHandle model) {
        return RepairMetrics.Accuracies.of(model.evaluate(input.test()), input.failures());
    }

    /** The acceptance check of docs/methods.md 3(e) for one repaired model. */
    private RepairMetrics.Acceptance accept(TreatmentResult result, Identified identified, int[] causes) {
        Evaluation queryAfter = result.model().evaluate(problem.queryValidation());
        RepairMetrics.Check queryCheck = RepairMetrics.Check.of(queryValidationBefore, queryAfter);
        RepairMetrics.Check validation = null;
        RepairMetrics.Check unflagged = null;
        Evaluation vAfter = hasValidation() ? result.model().evaluate(input.validation()) : null;
        if (vAfter != null) {
            validation = RepairMetrics.Check.of(validationBefore, vAfter);
            double[] scores = identified == null ? null : identified.validationScores();
            if (scores != null && causes.length > 0) {
                double cut = Double.POSITIVE_INFINITY;
                for (int c : causes) {
                    cut = Math.min(cut, identified.ranking().score(c));
                }
                double threshold = cut;
                int[] keep = IntStream.range(0, scores.length).filter(i -> !(scores[i] >= threshold)).toArray();
                if (keep.length > 0) {
                    unflagged = RepairMetrics.Check.of(validationBefore.subset(keep), vAfter.subset(keep));
                }
            }
        }
        boolean unflaggedAsked = checkSet == CheckSet.UNFLAGGED_VALIDATION && unflagged != null;
        int leftOut = unflagged == null ? 0 : validation.size() - unflagged.size();
        boolean useUnflagged = unflaggedAsked && leftOut <= MAX_UNFLAGGED_LEFT_OUT * validation.size();
        RepairMetrics.Check check = useUnflagged ? unflagged : validation;
        String checkName = check == null ? null
                : (useUnflagged ? CheckSet.UNFLAGGED_VALIDATION : CheckSet.VALIDATION).text();
        String checkLabel = unflaggedAsked && !useUnflagged
                ? String.format(Locale.ROOT, "%s (the unflagged part would leave out %d of %d, more than %.0f%%)",
                        checkName, leftOut, validation.size(), MAX_UNFLAGGED_LEFT_OUT * 100)
                : checkName;
        boolean accepted;
        String reason;
        if (check == null) {
            accepted = false;
            reason = "not checked: there is no validation split to show that the rest of the model is intact (give"
                    + " check data, or hold part of the test set out as one)";
        } else if (!(queryCheck.accuracyAfter() > queryCheck.accuracyBefore())) {
            accepted = false;
            reason = String.format(Locale.ROOT, "accuracy on F_q_val did not rise (%.3f -> %.3f)",
                    queryCheck.accuracyBefore(), queryCheck.accuracyAfter());
        } else {
            double fall = check.accuracyBefore() - check.accuracyAfter();
            accepted = fall <= tolerance + 1e-12;
            reason = String.format(Locale.ROOT, "accuracy on F_q_val rose %.3f -> %.3f; on %s it %s %.1f points (%s %.1f)",
                    queryCheck.accuracyBefore(), queryCheck.accuracyAfter(), checkLabel, fall > 0 ? "fell" : "rose",
                    Math.abs(fall) * 100, accepted ? "allowed fall" : "more than the allowed", tolerance * 100);
        }
        // The loss on V and F_q_val together, from the two evaluations above.
        double checkLoss = (vAfter == null ? queryAfter : vAfter.concat(queryAfter)).meanLoss();
        return new RepairMetrics.Acceptance(accepted, reason, checkName, tolerance, validation, unflagged, queryCheck,
                checkLoss, input.validationSource());
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
