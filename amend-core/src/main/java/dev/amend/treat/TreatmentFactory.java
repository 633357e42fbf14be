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
 *       counterfactual-candidate on (or ewc with gamma 0.03), stop-on clean+query:loss; needs a clean set</td></tr>
 * </table>
 *
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
    /** Deletion strength of EWC-deletion and of the paper's Newton step: the middle of the paper's range. */
    public static final double DEFAULT_GAMMA = 0.03;
    /** The [G20] Newton step is exact at gamma = 1. */
    public static final double DEFAULT_EXACT_GAMMA = 1;
    public static final double DEFAULT_LAMBDA = 0;
    public static final double DEFAULT_MU = 0.1;
    public static final double DEFAULT_BETA = 1;
    /** delta of the [G20] step's (H' + delta I): a mean Hessian's eigenvalues are of order 1 here. */
    public static final double DEFAULT_DAMPING = 0.01;
    /**
     * delta of the paper's step (F + delta): the entries of a mean diagonal Fisher are of order
     * 1e-4 for the paper's CNN, so 0.01 would swamp them; 1e-6 only guards directions with F = 0.
     */
    public static final double DEFAULT_FISHER_DAMPING = 1e-6;
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

    /** Starts a treatment by name (case-insensitive); unknown names are refused with the list of valid ones. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The treatment {@code name} with every default. */
    public static Treatment create(String name, long seed) {
        return builder(name).optSeed(seed).build();
    }

    /** Optional settings of a treatment; {@link #build()} checks that each applies to it. */
    public static final class Builder {
        private final String name;
        private final Set<String> given = new LinkedHashSet<>();
        private Double gamma;
        private double lambda = DEFAULT_LAMBDA;
        private double mu = DEFAULT_MU;
        private double beta = DEFAULT_BETA;
        private Double damping;
        private StopRule stop;
        private boolean startCandidate = DEFAULT_START_CANDIDATE;
        private boolean exactStep;
        private InverseHvp.Solver solver = InverseHvp.Solver.CG;
        private long seed;
        private TrainConfig train;
        private Integer maxEpochs;
        private double relabelConfidence = Retain.DEFAULT_CONFIDENCE;
        private Retain.Variant variant = Retain.Variant.FINETUNE;
        private boolean counterfactualCandidate = Retain.DEFAULT_COUNTERFACTUAL_CANDIDATE;

        private Builder(String name) {
            String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
            if (!OPTIONS.containsKey(n)) {
                throw new AmendException("unknown treatment '" + name + "'; valid: " + String.join(", ", NAMES));
            }
            this.name = n;
        }

        /** Deletion strength (EWC-deletion, Newton removal). */
        public Builder optGamma(double value) {
            given.add("gamma");
            gamma = checked("gamma", value, value >= 0, "a number >= 0");
            return this;
        }

        /** Isotropic prior precision of EWC-deletion (the paper sets 0). */
        public Builder optLambda(double value) {
            given.add("lambda");
            lambda = checked("lambda", value, value >= 0, "a number >= 0");
            return this;
        }

        /** L2 locality weight of fine-tuning on the failures. */
        public Builder optMu(double value) {
            given.add("mu");
            mu = checked("mu", value, value >= 0, "a number >= 0");
            return this;
        }

        /** Weight of the failure loss in the combined treatment. */
        public Builder optBeta(double value) {
            given.add("beta");
            beta = checked("beta", value, value >= 0, "a number >= 0");
            return this;
        }

        /** retain: the counterfactual model's confidence needed to relabel a flagged example (tau). */
        public Builder optRelabelConfidence(double value) {
            given.add("relabel-confidence");
            relabelConfidence = checked("relabel-confidence", value, value >= 0 && value <= 1, "in [0, 1]");
            return this;
        }

        /** retain: how the corrected data reach the model, {@code finetune} (default) or {@code ewc}. */
        public Builder optVariant(String value) {
            given.add("variant");
            variant = Retain.Variant.parse(value);
            return this;
        }

        /** retain: whether theta_del competes as epoch 0 of the final fine-tuning (default on). */
        public Builder optCounterfactualCandidate(boolean value) {
            given.add("counterfactual-candidate");
            counterfactualCandidate = value;
            return this;
        }

        /** delta added to the curvature of the Newton step. */
        public Builder optDamping(double value) {
            given.add("damping");
            damping = checked("damping", value, value >= 0, "a number >= 0");
            return this;
        }

        /**
         * The solver of the exact Newton step's (H' + delta I)^{-1} g: {@code cg} (default) or
         * {@code lissa} (docs/methods.md 2(b) defaults: depth 10,000 minibatch products of 64, scale from
         * power iteration).
         */
        public Builder optSolver(String value) {
            given.add("solver");
            solver = switch (value.toLowerCase(Locale.ROOT)) {
                case "cg" -> InverseHvp.Solver.CG;
                case "lissa" -> InverseHvp.Solver.LISSA;
                default -> throw new AmendException("unknown solver '" + value + "' for newton-removal: cg or lissa");
            };
            return this;
        }

        /** The [G20] Newton step with the Hessian of D\C instead of the paper's Fisher step. */
        public Builder optExactStep(boolean value) {
            if (value) {
                given.add("exact-step");
            }
            exactStep = value;
            return this;
        }

        /** What early stopping watches, e.g. {@code validation:loss}; default {@link #defaultStopRule}. */
        public Builder optStopOn(StopRule rule) {
            given.add("stop-on");
            stop = rule;
            return this;
        }

        /** Whether theta* competes with the trained epochs in early stopping; default {@value #DEFAULT_START_CANDIDATE}. */
        public Builder optStartCandidate(boolean value) {
            given.add("start-candidate");
            startCandidate = value;
            return this;
        }

        /** Seed of minibatch shuffling (and of LiSSA, were it chosen); default 0. */
        public Builder optSeed(long value) {
            seed = value;
            return this;
        }

        /** The training scheme; default {@link TrainConfig#paperDefaults(long)} with the seed. */
        public Builder optTrain(TrainConfig config) {
            train = config;
            return this;
        }

        /** A cap on the epochs of the training scheme (demos, quick experiments). */
        public Builder optMaxEpochs(int epochs) {
            maxEpochs = epochs;
            return this;
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
            TrainConfig cfg = (train != null ? train.withSeed(seed) : TrainConfig.paperDefaults(seed))
                    .withStartCompetes(startCandidate);
            if (maxEpochs != null) {
                cfg = cfg.withMaxEpochs(maxEpochs);
            }
            StopRule rule = stop != null ? stop : defaultStopRule(name);
            return switch (name) {
                case "ewc-deletion" -> new EwcDeletion(gamma == null ? DEFAULT_GAMMA : gamma, lambda, cfg, rule);
                case "newton-removal" -> newton(cfg, rule);
                case "finetune-remaining" -> new FinetuneRemaining(cfg, rule);
                case "finetune-failures" -> new FinetuneFailures(mu, beta, false, cfg, rule);
                case "combined" -> new FinetuneFailures(mu, beta, true, cfg, rule);
                case "retrain" -> new Retrain(cfg, rule);
                case "retain" -> retain(cfg, rule);
                default -> throw new IllegalStateException("no treatment " + name);
            };
        }

        private Treatment retain(TrainConfig cfg, StopRule rule) {
            if (given.contains("gamma") && variant != Retain.Variant.EWC) {
                throw new AmendException("gamma applies to retain with variant ewc only");
            }
            if (given.contains("counterfactual-candidate") && variant != Retain.Variant.FINETUNE) {
                throw new AmendException("counterfactual-candidate applies to retain with variant finetune only");
            }
            return new Retain(relabelConfidence, variant, gamma == null ? DEFAULT_GAMMA : gamma, counterfactualCandidate,
                    cfg, rule);
        }

        private Treatment newton(TrainConfig cfg, StopRule rule) {
            double delta = damping != null ? damping : exactStep ? DEFAULT_DAMPING : DEFAULT_FISHER_DAMPING;
            InverseHvp.Config config = InverseHvp.Config.defaults(solver, cfg.seed()).withDamping(delta);
            if (exactStep) {
                return new NewtonRemoval(NewtonRemoval.Step.EXACT, gamma == null ? DEFAULT_EXACT_GAMMA : gamma,
                        false, true, config, rule);
            }
            if (given.contains("solver")) {
                throw new AmendException("solver applies to newton-removal with exact-step only; the paper's step "
                        + "divides by the diagonal Fisher and solves nothing");
            }
            return new NewtonRemoval(NewtonRemoval.Step.PAPER, gamma == null ? DEFAULT_GAMMA : gamma, false, true,
                    config, rule);
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
