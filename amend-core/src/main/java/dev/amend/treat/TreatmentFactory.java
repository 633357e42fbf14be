package dev.amend.treat;

import dev.amend.AmendException;
import dev.amend.identify.InverseHvp;
import dev.amend.train.TrainConfig;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a {@link Treatment} from its command-line name and options, with the defaults of
 * docs/methods.md 3 in one place:
 *
 * <table>
 *   <caption>names, options and defaults</caption>
 *   <tr><th>name</th><th>class</th><th>options</th></tr>
 *   <tr><td>ewc-deletion</td><td>{@link EwcDeletion}</td><td>gamma 0.03, lambda 0, stop-on query:accuracy</td></tr>
 *   <tr><td>newton-removal</td><td>{@link NewtonRemoval}</td><td>gamma 0.03 (the paper's step, Eq. 14, mean
 *       Fisher of D, damping 1e-6 on the mean Fisher) or with exact step gamma 1 (the [G20] step, Hessian of D\C by CG,
 *       damping 0.01); the step fraction chosen by stop-on query:accuracy</td></tr>
 *   <tr><td>finetune-remaining</td><td>{@link FinetuneRemaining}</td><td>stop-on validation:loss</td></tr>
 *   <tr><td>finetune-failures</td><td>{@link FinetuneFailures}</td><td>mu 0.1, stop-on query:loss</td></tr>
 *   <tr><td>combined</td><td>{@link FinetuneFailures} (combined)</td><td>mu 0.1, beta 1,
 *       stop-on validation+query:loss</td></tr>
 *   <tr><td>retrain</td><td>{@link Retrain}</td><td>stop-on validation:loss</td></tr>
 *   <tr><td>retain</td><td>{@link Retain}</td><td>relabel-confidence 0.8, variant finetune with
 *       counterfactual-candidate off (or ewc with gamma 0.03), stop-on clean+query:loss; needs a clean set</td></tr>
 * </table>
 *
 * Each treatment's own settings are one record with its defaults as named constants
 * ({@link EwcDeletion.Settings}, {@link NewtonRemoval.Settings}, {@link FinetuneFailures.Settings},
 * {@link Retain.Settings}); the builder takes a whole record or single options on top of it,
 * and it knows which were given, so that a treatment's defaults never hide behind a null.
 * Every treatment trains (or, for Newton, solves) with the standard scheme of docs/methods.md 3,
 * {@link TrainConfig#paperDefaults(long)}, unless another is given, with theta* not a candidate
 * of early stopping unless start-candidate is set (docs/methods.md 3). An option the chosen
 * treatment does not take is refused rather than ignored: a user who sets mu for EWC-deletion
 * has misunderstood something, and a silently ignored setting would hide it.
 */
public final class TreatmentFactory {
    /** The treatment names, in the order help texts list them. */
    public static final List<String> NAMES = List.of("ewc-deletion", "newton-removal", "finetune-remaining",
            "finetune-failures", "combined", "retrain", "retain");
    /**
     * Whether theta* competes with the trained epochs in early stopping. Off: V carries the
     * training data's corruption and prefers theta*, which fits it (docs/results.md).
     */
    public static final boolean DEFAULT_START_CANDIDATE = false;

    /** The default early-stopping rule of a treatment (docs/methods.md 3). */
    public static StopRule defaultStopRule(String name) {
        return switch (name) {
            case "ewc-deletion", "newton-removal" -> StopRule.DELETION_DEFAULT;
            case "finetune-failures" -> StopRule.FAILURES_DEFAULT;
            case "combined" -> StopRule.COMBINED_DEFAULT;
            case "retain" -> StopRule.RETAIN_DEFAULT;
            default -> StopRule.REMAINING_DEFAULT;
        };
    }

    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "retain", Set.of("relabel-confidence", "variant", "gamma", "counterfactual-candidate", "stop-on",
                    "start-candidate"),
            "ewc-deletion", Set.of("gamma", "lambda", "stop-on", "start-candidate"),
            "newton-removal", Set.of("gamma", "damping", "exact-step", "solver", "stop-on"),
            "finetune-remaining", Set.of("stop-on", "start-candidate"),
            "finetune-failures", Set.of("mu", "stop-on", "start-candidate"),
            "combined", Set.of("mu", "beta", "stop-on", "start-candidate"),
            "retrain", Set.of("stop-on", "start-candidate"));

    private TreatmentFactory() {
    }

    /**
     * Whether treatment {@code name} (case-insensitive) takes {@code option}, e.g.
     * {@code start-candidate}, which newton-removal does not: a caller that applies one setting to
     * several treatments asks this instead of having {@link Builder#build()} refuse it.
     */
    public static boolean takes(String name, String option) {
        return new Builder(name).takes(option);
    }

    /** Starts a treatment by name (case-insensitive); unknown names are refused with the list of valid ones. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The treatment {@code name} with every default. */
    public static Treatment create(String name, long seed) {
        return builder(name).optSeed(seed).build();
    }

    /**
     * Optional settings of a treatment; {@link #build()} checks that each applies to it. Options
     * given one by one apply on top of the treatment's settings record (its defaults, or the
     * record given with {@code optSettings}).
     */
    public static final class Builder {
        private final String name;
        private final Set<String> given = new LinkedHashSet<>();
        private EwcDeletion.Settings ewcDeletion = EwcDeletion.Settings.DEFAULTS;
        private NewtonRemoval.Settings newton = NewtonRemoval.Settings.PAPER_DEFAULTS;
        private FinetuneFailures.Settings failures = FinetuneFailures.Settings.DEFAULTS;
        private Retain.Settings retain = Retain.Settings.DEFAULTS;
        private double gamma;
        private double lambda;
        private double mu;
        private double beta;
        private double damping;
        private boolean exactStep;
        private InverseHvp.Solver solver = NewtonRemoval.DEFAULT_SOLVER;
        private double relabelConfidence;
        private Retain.Variant variant;
        private boolean counterfactualCandidate;
        private StopRule stop;
        private boolean startCandidate = DEFAULT_START_CANDIDATE;
        private long seed;
        private TrainConfig train = TrainConfig.paperDefaults(0);
        private int maxEpochs;
        private boolean capEpochs;

        private Builder(String name) {
            String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
            if (!OPTIONS.containsKey(n)) {
                throw new AmendException("unknown treatment '" + name + "'; valid: " + String.join(", ", NAMES));
            }
            this.name = n;
            this.stop = defaultStopRule(n);
        }

        /** EWC-deletion's settings record, in place of its defaults. */
        public Builder optSettings(EwcDeletion.Settings settings) {
            requireTreatment("ewc-deletion");
            ewcDeletion = settings;
            return this;
        }

        /** Newton removal's settings record (its step included), in place of the paper step's defaults. */
        public Builder optSettings(NewtonRemoval.Settings settings) {
            requireTreatment("newton-removal");
            newton = settings;
            return this;
        }

        /** The settings record of fine-tuning on the failures or of the combined treatment. */
        public Builder optSettings(FinetuneFailures.Settings settings) {
            requireTreatment("finetune-failures", "combined");
            failures = settings;
            return this;
        }

        /** Retain's settings record, in place of its defaults. */
        public Builder optSettings(Retain.Settings settings) {
            requireTreatment("retain");
            retain = settings;
            return this;
        }

        /** Deletion strength (EWC-deletion, Newton removal, retain with variant ewc). */
        public Builder optGamma(double value) {
            gamma = checked("gamma", value, value >= 0, "a number >= 0");
            given.add("gamma");
            return this;
        }

        /** Isotropic prior precision of EWC-deletion (the paper sets 0). */
        public Builder optLambda(double value) {
            lambda = checked("lambda", value, value >= 0, "a number >= 0");
            given.add("lambda");
            return this;
        }

        /** L2 locality weight of fine-tuning on the failures. */
        public Builder optMu(double value) {
            mu = checked("mu", value, value >= 0, "a number >= 0");
            given.add("mu");
            return this;
        }

        /** Weight of the failure loss in the combined treatment. */
        public Builder optBeta(double value) {
            beta = checked("beta", value, value >= 0, "a number >= 0");
            given.add("beta");
            return this;
        }

        /** retain: the counterfactual model's confidence needed to relabel a flagged example (tau). */
        public Builder optRelabelConfidence(double value) {
            relabelConfidence = checked("relabel-confidence", value, value >= 0 && value <= 1, "in [0, 1]");
            given.add("relabel-confidence");
            return this;
        }

        /** retain: how the corrected data reach the model, {@code finetune} (default) or {@code ewc}. */
        public Builder optVariant(String value) {
            variant = Retain.Variant.parse(value);
            given.add("variant");
            return this;
        }

        /** retain: whether theta_del competes as epoch 0 of the final fine-tuning (default on). */
        public Builder optCounterfactualCandidate(boolean value) {
            counterfactualCandidate = value;
            given.add("counterfactual-candidate");
            return this;
        }

        /** delta added to the curvature of the Newton step. */
        public Builder optDamping(double value) {
            damping = checked("damping", value, value >= 0, "a number >= 0");
            given.add("damping");
            return this;
        }

        /**
         * The solver of the exact Newton step's (H' + delta I)^{-1} g: {@code cg} (default) or
         * {@code lissa} (docs/methods.md 2(b) defaults: depth 10,000 minibatch products of 64, scale from
         * power iteration).
         */
        public Builder optSolver(String value) {
            solver = switch (value.toLowerCase(Locale.ROOT)) {
                case "cg" -> InverseHvp.Solver.CG;
                case "lissa" -> InverseHvp.Solver.LISSA;
                default -> throw new AmendException("unknown solver '" + value + "' for newton-removal: cg or lissa");
            };
            given.add("solver");
            return this;
        }

        /**
         * The [G20] Newton step with the Hessian of D\C instead of the paper's Fisher step; its
         * defaults are {@link NewtonRemoval.Settings#EXACT_DEFAULTS}.
         */
        public Builder optExactStep(boolean value) {
            if (value) {
                given.add("exact-step");
            }
            exactStep = value;
            return this;
        }

        /** What early stopping watches, e.g. {@code validation:loss}; default {@link #defaultStopRule}. */
        public Builder optStopOn(StopRule rule) {
            stop = java.util.Objects.requireNonNull(rule, "rule");
            given.add("stop-on");
            return this;
        }

        /** Whether theta* competes with the trained epochs in early stopping; default {@value #DEFAULT_START_CANDIDATE}. */
        public Builder optStartCandidate(boolean value) {
            startCandidate = value;
            given.add("start-candidate");
            return this;
        }

        /** Seed of minibatch shuffling (and of LiSSA, were it chosen); default 0. */
        public Builder optSeed(long value) {
            seed = value;
            return this;
        }

        /** The training scheme (its seed replaced by {@link #optSeed}); default {@link TrainConfig#paperDefaults(long)}. */
        public Builder optTrain(TrainConfig config) {
            train = java.util.Objects.requireNonNull(config, "config");
            return this;
        }

        /** A cap on the epochs of the training scheme (demos, quick experiments). */
        public Builder optMaxEpochs(int epochs) {
            maxEpochs = epochs;
            capEpochs = true;
            return this;
        }

        private boolean takes(String option) {
            return OPTIONS.get(name).contains(option);
        }

        /** The treatment; an option it does not take is an {@link AmendException}. */
        public Treatment build() {
            Set<String> allowed = OPTIONS.get(name);
            for (String option : given) {
                if (!allowed.contains(option)) {
                    throw new AmendException(option + " does not apply to treatment " + name
                            + (allowed.isEmpty() ? ", which takes no options" : "; it takes " + String.join(", ",
                                    new TreeSet<>(allowed))));
                }
            }
            TrainConfig cfg = train.withSeed(seed).withStartCompetes(startCandidate);
            if (capEpochs) {
                cfg = cfg.withMaxEpochs(maxEpochs);
            }
            return switch (name) {
                case "ewc-deletion" -> new EwcDeletion(ewcDeletionSettings(), cfg, stop);
                case "newton-removal" -> new NewtonRemoval(newtonSettings(), cfg.seed(), stop);
                case "finetune-remaining" -> new FinetuneRemaining(cfg, stop);
                case "finetune-failures" -> new FinetuneFailures(failuresSettings(), false, cfg, stop);
                case "combined" -> new FinetuneFailures(failuresSettings(), true, cfg, stop);
                case "retrain" -> new Retrain(cfg, stop);
                case "retain" -> new Retain(retainSettings(), cfg, stop);
                default -> throw new IllegalStateException("no treatment " + name);
            };
        }

        private EwcDeletion.Settings ewcDeletionSettings() {
            EwcDeletion.Settings s = ewcDeletion;
            s = given.contains("gamma") ? s.withGamma(gamma) : s;
            return given.contains("lambda") ? s.withLambda(lambda) : s;
        }

        private FinetuneFailures.Settings failuresSettings() {
            FinetuneFailures.Settings s = failures;
            s = given.contains("mu") ? s.withMu(mu) : s;
            return given.contains("beta") ? s.withBeta(beta) : s;
        }

        private NewtonRemoval.Settings newtonSettings() {
            NewtonRemoval.Settings s = newton;
            if (exactStep && s.step() != NewtonRemoval.Step.EXACT) {
                // The exact step's own defaults, unless a record was given: then only its step changes.
                s = s == NewtonRemoval.Settings.PAPER_DEFAULTS ? NewtonRemoval.Settings.EXACT_DEFAULTS
                        : s.withStep(NewtonRemoval.Step.EXACT);
            }
            if (given.contains("solver") && s.step() != NewtonRemoval.Step.EXACT) {
                throw NewtonRemoval.solverNeedsExactStep();
            }
            s = given.contains("gamma") ? s.withGamma(gamma) : s;
            s = given.contains("damping") ? s.withDamping(damping) : s;
            return given.contains("solver") ? s.withSolver(solver) : s;
        }

        private Retain.Settings retainSettings() {
            Retain.Settings s = retain;
            s = given.contains("relabel-confidence") ? s.withRelabelConfidence(relabelConfidence) : s;
            s = given.contains("variant") ? s.withVariant(variant) : s;
            if (given.contains("gamma") && s.variant() != Retain.Variant.EWC) {
                throw new AmendException("gamma applies to retain with variant ewc only");
            }
            if (given.contains("counterfactual-candidate") && s.variant() != Retain.Variant.FINETUNE) {
                throw new AmendException("counterfactual-candidate applies to retain with variant finetune only");
            }
            s = given.contains("gamma") ? s.withGamma(gamma) : s;
            return given.contains("counterfactual-candidate") ? s.withCounterfactualCandidate(counterfactualCandidate)
                    : s;
        }

        private void requireTreatment(String... names) {
            if (!List.of(names).contains(name)) {
                throw new AmendException("these settings are " + String.join(" or ", names) + "'s, not " + name + "'s");
            }
        }

        /** A user's number, refused up front when it is NaN, infinite or out of range. */
        private static double checked(String setting, double value, boolean inRange, String expected) {
            if (!Double.isFinite(value) || !inRange) {
                throw new AmendException(setting + " must be " + expected + ", got " + value);
            }
            return value;
        }
    }
}
