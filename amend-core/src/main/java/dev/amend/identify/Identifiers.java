package dev.amend.identify;

import dev.amend.AmendException;
import dev.amend.model.ModelHandle.Curvature;
import dev.amend.train.TrainConfig;
import dev.amend.train.EpochListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The one place where a method's name (as written on the command line and in ranking.json)
 * becomes a {@link CauseIdentifier}: {@code ewc-influence}, {@code influence-cg},
 * {@code influence-lissa}, {@code exact}, {@code sgd-influence}, {@code random} and
 * {@code oracle} (docs/identification.md). Method settings that are not given keep the
 * defaults of docs/methods.md 2; a setting given for a method that does not use it is an error
 * rather than silently ignored, so that a spec.json never records a setting that had no effect.
 */
public final class Identifiers {
    public static final String EWC_INFLUENCE = "ewc-influence";
    public static final String INFLUENCE_CG = "influence-cg";
    public static final String INFLUENCE_LISSA = "influence-lissa";
    public static final String EXACT = "exact";
    public static final String SGD_INFLUENCE = "sgd-influence";
    public static final String RANDOM = "random";
    public static final String ORACLE = "oracle";

    /** Every method name, in the order of [T22] Fig. 2(c) and docs/identification.md. */
    public static final List<String> NAMES = List.of(EWC_INFLUENCE, INFLUENCE_CG, INFLUENCE_LISSA, EXACT, SGD_INFLUENCE,
            RANDOM, ORACLE);

    private static final Set<String> LINEAR = Set.of(INFLUENCE_CG, INFLUENCE_LISSA, EXACT);

    private Identifiers() {
    }

    /**
     * Method settings, each optional (null = the method's default of docs/methods.md 2). Built with
     * {@link #builder()}; {@link #describe()} lists those that were given. A record of plain
     * values, so that spec.json can hold it.
     */
    public record Options(Double lambda, Double damping, Curvature curvature, Double cgTolerance,
            Integer cgMaxIterations, Double lissaScale, Double lissaDamping, Integer lissaDepth, Integer lissaRepeats,
            Integer lissaBatch, Integer lastEpochs, TrainConfig.StopCriterion ewcStopOn,
            SgdInfluence.AuxiliaryStart auxiliaryStart) {

        public Options {
            if (lambda != null && !(lambda >= 0 && Double.isFinite(lambda))) {
                throw new AmendException("lambda must be a finite number >= 0, got " + lambda);
            }
            if (damping != null && !(damping >= 0 && Double.isFinite(damping))) {
                throw new AmendException("damping must be a finite number >= 0, got " + damping);
            }
            positive(lissaScale, "lissa-scale");
            positive(cgTolerance, "cg-tolerance");
            atLeastOne(cgMaxIterations, "cg-max-iterations");
            atLeastOne(lissaDepth, "lissa-depth");
            atLeastOne(lissaRepeats, "lissa-repeats");
            atLeastOne(lissaBatch, "lissa-batch");
            atLeastOne(lastEpochs, "last-epochs");
            if (lissaDamping != null && !(lissaDamping >= 0 && lissaDamping < 1)) {
                throw new AmendException("lissa-damping must be in [0, 1), got " + lissaDamping);
            }
        }

        /** No setting given: every method runs with its defaults. */
        public static Options defaults() {
            return builder().build();
        }

        /** Starts options with nothing set. */
        public static Builder builder() {
            return new Builder();
        }

        /**
         * These options without the settings {@code method} does not use: one set of options can
         * then serve several methods (an experiment comparing them), each taking its own.
         */
        public Options restrictTo(String method) {
            String m = canonical(method);
            return new Options(m.equals(EWC_INFLUENCE) ? lambda : null,
                    m.equals(INFLUENCE_CG) || m.equals(EXACT) ? damping : null, LINEAR.contains(m) ? curvature : null,
                    m.equals(INFLUENCE_CG) ? cgTolerance : null, m.equals(INFLUENCE_CG) ? cgMaxIterations : null,
                    lissa(m, lissaScale), lissa(m, lissaDamping), lissa(m, lissaDepth), lissa(m, lissaRepeats),
                    lissa(m, lissaBatch), m.equals(SGD_INFLUENCE) ? lastEpochs : null,
                    m.equals(EWC_INFLUENCE) ? ewcStopOn : null, m.equals(SGD_INFLUENCE) ? auxiliaryStart : null);
        }

        private static <T> T lissa(String method, T value) {
            return method.equals(INFLUENCE_LISSA) ? value : null;
        }

        /** The settings that were given, by their option names (for spec.json). */
        public Map<String, Object> describe() {
            Map<String, Object> given = new LinkedHashMap<>();
            put(given, "lambda", lambda);
            put(given, "damping", damping);
            put(given, "curvature", curvature == null ? null : curvatureName(curvature));
            put(given, "cg-tolerance", cgTolerance);
            put(given, "cg-max-iterations", cgMaxIterations);
            put(given, "lissa-scale", lissaScale);
            put(given, "lissa-damping", lissaDamping);
            put(given, "lissa-depth", lissaDepth);
            put(given, "lissa-repeats", lissaRepeats);
            put(given, "lissa-batch", lissaBatch);
            put(given, "last-epochs", lastEpochs);
            put(given, "ewc-stop-on", ewcStopOn == null ? null : ewcStopOn.name().toLowerCase(Locale.ROOT));
            put(given, "auxiliary-start", auxiliaryStart == null ? null : auxiliaryStart.text());
            return given;
        }

        private static void put(Map<String, Object> map, String key, Object value) {
            if (value != null) {
                map.put(key, value);
            }
        }

        private static void positive(Double value, String name) {
            if (value != null && !(value > 0 && Double.isFinite(value))) {
                throw new AmendException(name + " must be a positive number, got " + value);
            }
        }

        private static void atLeastOne(Integer value, String name) {
            if (value != null && value < 1) {
                throw new AmendException(name + " must be at least 1, got " + value);
            }
        }
    }

    /** Builds {@link Options}; every setting is optional. */
    public static final class Builder {
        private Double lambda;
        private Double damping;
        private Curvature curvature;
        private Double cgTolerance;
        private Integer cgMaxIterations;
        private Double lissaScale;
        private Double lissaDamping;
        private Integer lissaDepth;
        private Integer lissaRepeats;
        private Integer lissaBatch;
        private Integer lastEpochs;
        private TrainConfig.StopCriterion ewcStopOn;
        private SgdInfluence.AuxiliaryStart auxiliaryStart;

        private Builder() {
        }

        /** EWC-influence: precision of the isotropic prior (Eq. 10; default 0). */
        public Builder optLambda(Double value) {
            this.lambda = value;
            return this;
        }

        /** influence-cg, exact: delta of (H + delta I) (default 0.01). */
        public Builder optDamping(Double value) {
            this.damping = value;
            return this;
        }

        /** Linear influence: the matrix H (default the Hessian). */
        public Builder optCurvature(Curvature value) {
            this.curvature = value;
            return this;
        }

        /** influence-cg: relative residual at which CG stops (default 1e-5). */
        public Builder optCgTolerance(Double value) {
            this.cgTolerance = value;
            return this;
        }

        /** influence-cg: iteration limit (default 1000, at most P). */
        public Builder optCgMaxIterations(Integer value) {
            this.cgMaxIterations = value;
            return this;
        }

        /** influence-lissa: scale s (default AUTO, 1.5 x the largest eigenvalue). */
        public Builder optLissaScale(Double value) {
            this.lissaScale = value;
            return this;
        }

        /** influence-lissa: d, the effective damping being s d (default 0.001). */
        public Builder optLissaDamping(Double value) {
            this.lissaDamping = value;
            return this;
        }

        /** influence-lissa: recursion depth J (default 10,000). */
        public Builder optLissaDepth(Integer value) {
            this.lissaDepth = value;
            return this;
        }

        /** influence-lissa: repeats R averaged (default 1). */
        public Builder optLissaRepeats(Integer value) {
            this.lissaRepeats = value;
            return this;
        }

        /** influence-lissa: minibatch b of each step (default 64). */
        public Builder optLissaBatch(Integer value) {
            this.lissaBatch = value;
            return this;
        }

        /** sgd-influence: only the last E epochs of the trajectory (default all). */
        public Builder optLastEpochs(Integer value) {
            this.lastEpochs = value;
            return this;
        }

        /**
         * ewc-influence: what the early stopping of its fine-tuning on F_q_fit watches on F_q_val
         * (default accuracy, ties by loss; loss measured steadier, docs/results.md).
         */
        public Builder optEwcStopOn(TrainConfig.StopCriterion value) {
            this.ewcStopOn = value;
            return this;
        }

        /**
         * sgd-influence on a model without a plain-SGD trajectory: where the auxiliary SGD run
         * starts: {@code INIT} (default, docs/methods.md 2(c)) or {@code THETA_STAR} (a short run from
         * theta*; docs/results.md). The experiment package trains it.
         */
        public Builder optAuxiliaryStart(SgdInfluence.AuxiliaryStart value) {
            this.auxiliaryStart = value;
            return this;
        }

        public Options build() {
            return new Options(lambda, damping, curvature, cgTolerance, cgMaxIterations, lissaScale, lissaDamping,
                    lissaDepth, lissaRepeats, lissaBatch, lastEpochs, ewcStopOn, auxiliaryStart);
        }
    }

    /** {@link #create(String, Options, long, EpochListener)} without a listener. */
    public static CauseIdentifier create(String name, Options options, long seed) {
        return create(name, options, seed, EpochListener.NONE);
    }

    /**
     * The identifier called {@code name} (case-insensitive) with {@code options} applied.
     *
     * @param seed seeds EWC-influence's fine-tuning minibatches and LiSSA's sampling
     * @param listener hears the epochs of EWC-influence's fine-tuning
     * @throws AmendException for an unknown name, or for a setting the method does not use
     */
    public static CauseIdentifier create(String name, Options options, long seed, EpochListener listener) {
        Objects.requireNonNull(options, "options");
        String method = canonical(name);
        checkApplicable(method, options);
        return switch (method) {
            case EWC_INFLUENCE -> new EwcInfluence(orElse(options.lambda(), 0.0), EwcInfluence.defaultTraining(seed)
                    .withStopCriterion(orElse(options.ewcStopOn(), EwcInfluence.DEFAULT_STOP_ON)),
                    listener == null ? EpochListener.NONE : listener);
            case INFLUENCE_CG, INFLUENCE_LISSA, EXACT -> new LinearInfluence(solverConfig(method, options, seed));
            case SGD_INFLUENCE -> new SgdInfluence(orElse(options.lastEpochs(), 0));
            case RANDOM -> new RandomIdentifier(seed);
            case ORACLE -> new OracleIdentifier();
            default -> throw new IllegalStateException("no identifier for " + method);
        };
    }

    /**
     * {@code name} in the canonical spelling of {@link #NAMES}.
     *
     * @throws AmendException "unknown method ...; valid: ..." for anything else
     */
    public static String canonical(String name) {
        String method = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(method)) {
            throw new AmendException("unknown identification method '" + (name == null ? "" : name.strip())
                    + "'; valid: " + String.join(", ", NAMES));
        }
        return method;
    }

    /** Whether the method scores with a recorded plain-SGD trajectory ({@code sgd-influence}). */
    public static boolean needsTrajectory(String name) {
        return canonical(name).equals(SGD_INFLUENCE);
    }

    /** Whether the method needs the ground-truth corruption mask ({@code oracle}). */
    public static boolean needsMask(String name) {
        return canonical(name).equals(ORACLE);
    }

    /** "hessian", "ggn" or "empirical-fisher": the text form of a curvature. */
    public static String curvatureName(Curvature c) {
        return c.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Reads "hessian", "ggn" or "empirical-fisher" (case-insensitive; "_" for "-" accepted).
     *
     * @throws AmendException for anything else
     */
    public static Curvature parseCurvature(String text) {
        String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Curvature c : Curvature.values()) {
            if (curvatureName(c).equals(s)) {
                return c;
            }
        }
        throw new AmendException("unknown curvature '" + text + "'; valid: hessian, ggn, empirical-fisher");
    }

    private static InverseHvp.Config solverConfig(String method, Options o, long seed) {
        InverseHvp.Solver solver = switch (method) {
            case INFLUENCE_CG -> InverseHvp.Solver.CG;
            case INFLUENCE_LISSA -> InverseHvp.Solver.LISSA;
            default -> InverseHvp.Solver.EXACT;
        };
        InverseHvp.Config c = InverseHvp.Config.defaults(solver, seed);
        if (o.curvature() != null) {
            c = c.withCurvature(o.curvature());
        }
        if (o.damping() != null) {
            c = c.withDamping(o.damping());
        }
        if (o.cgTolerance() != null || o.cgMaxIterations() != null) {
            c = c.withCg(orElse(o.cgTolerance(), c.cgTolerance()), orElse(o.cgMaxIterations(), c.cgMaxIterations()));
        }
        // The config's own scale of 0 means AUTO, which is what an absent --lissa-scale asks for.
        return c.withLissa(orElse(o.lissaScale(), c.lissaScale()), orElse(o.lissaDamping(), c.lissaDamping()),
                orElse(o.lissaDepth(), c.lissaDepth()), orElse(o.lissaRepeats(), c.lissaRepeats()),
                orElse(o.lissaBatch(), c.lissaBatch()));
    }

    /** Which methods use each setting; a setting given for another method is refused. */
    private static void checkApplicable(String method, Options o) {
        List<String> refused = new ArrayList<>();
        refuse(refused, method, "lambda", o.lambda(), Set.of(EWC_INFLUENCE));
        // LiSSA's damping is s * d and set with lissa-damping: a second knob for it would be ambiguous.
        refuse(refused, method, "damping", o.damping(), Set.of(INFLUENCE_CG, EXACT));
        refuse(refused, method, "curvature", o.curvature(), LINEAR);
        refuse(refused, method, "cg-tolerance", o.cgTolerance(), Set.of(INFLUENCE_CG));
        refuse(refused, method, "cg-max-iterations", o.cgMaxIterations(), Set.of(INFLUENCE_CG));
        for (Object[] lissa : new Object[][] {{"lissa-scale", o.lissaScale()}, {"lissa-damping", o.lissaDamping()},
                {"lissa-depth", o.lissaDepth()}, {"lissa-repeats", o.lissaRepeats()}, {"lissa-batch", o.lissaBatch()}}) {
            refuse(refused, method, (String) lissa[0], lissa[1], Set.of(INFLUENCE_LISSA));
        }
        refuse(refused, method, "last-epochs", o.lastEpochs(), Set.of(SGD_INFLUENCE));
        refuse(refused, method, "ewc-stop-on", o.ewcStopOn(), Set.of(EWC_INFLUENCE));
        refuse(refused, method, "auxiliary-start", o.auxiliaryStart(), Set.of(SGD_INFLUENCE));
        if (!refused.isEmpty()) {
            throw new AmendException(String.join(", ", refused) + (refused.size() == 1 ? " does" : " do")
                    + " not apply to " + method);
        }
    }

    private static void refuse(List<String> refused, String method, String option, Object value, Set<String> users) {
        if (value != null && !users.contains(method)) {
            refused.add(option + " (" + String.join(", ", NAMES.stream().filter(users::contains).toList()) + " only)");
        }
    }

    private static <T> T orElse(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
