package dev.amend.identify;

import com.fasterxml.jackson.annotation.JsonValue;
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
 * {@code oracle} (docs/identification.md), with each method's settings record taken from
 * {@link Options}. Which settings a method uses is said by {@link #usesSetting}; the command line
 * refuses a setting given for a method that does not use it rather than silently ignoring it.
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

    private record Flat(double lambda, double damping, Curvature curvature, double cgTolerance, int cgMaxIterations,
            double lissaScale, double lissaDamping, int lissaDepth, int lissaRepeats, int lissaBatch, int lastEpochs,
            TrainConfig.StopCriterion ewcStopOn, SgdInfluence.AuxiliaryStart auxiliaryStart) {
    }

    /**
     * The methods that use each setting, by the name of its record component prefixed with the
     * record's method ({@code lambda}, {@code ewc-stop-on}, ...): what a caller checks a given
     * setting against. LiSSA's damping is s d, set with lissa-damping: damping is CG's and the
     * exact solve's only, since a second knob for it would be ambiguous.
     */
    public static final Map<String, Set<String>> SETTING_USERS = settingUsers();

    private static Map<String, Set<String>> settingUsers() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put("lambda", Set.of(EWC_INFLUENCE));
        m.put("ewc-stop-on", Set.of(EWC_INFLUENCE));
        m.put("damping", Set.of(INFLUENCE_CG, EXACT));
        m.put("curvature", LINEAR);
        m.put("cg-tolerance", Set.of(INFLUENCE_CG));
        m.put("cg-max-iterations", Set.of(INFLUENCE_CG));
        for (String lissa : List.of("lissa-scale", "lissa-damping", "lissa-depth", "lissa-repeats", "lissa-batch")) {
            m.put(lissa, Set.of(INFLUENCE_LISSA));
        }
        m.put("last-epochs", Set.of(SGD_INFLUENCE));
        m.put("auxiliary-start", Set.of(SGD_INFLUENCE));
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Whether {@code method} uses {@code setting} (a key of {@link #SETTING_USERS}). */
    public static boolean usesSetting(String method, String setting) {
        Set<String> users = SETTING_USERS.get(setting);
        if (users == null) {
            throw new IllegalArgumentException("no identification setting " + setting);
        }
        return users.contains(canonical(method));
    }

    /**
     * Refuses the {@code given} settings that {@code method} does not use, with one line naming
     * each and the methods that use it.
     *
     * @param given setting names of {@link #SETTING_USERS} mapped to how the user named them
     * @throws AmendException "X (m only) does not apply to method"
     */
    public static void requireApplicable(String method, Map<String, String> given) {
        String m = canonical(method);
        List<String> refused = new ArrayList<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (!usesSetting(m, e.getKey())) {
                refused.add(e.getValue() + " (" + String.join(", ", NAMES.stream()
                        .filter(SETTING_USERS.get(e.getKey())::contains).toList()) + " only)");
            }
        }
        if (!refused.isEmpty()) {
            throw new AmendException(String.join(", ", refused) + (refused.size() == 1 ? " does" : " do")
                    + " not apply to " + m);
        }
    }

    private Identifiers() {
    }

    /**
     * The settings of every identification method, one record per method, each built from its
     * {@code DEFAULT_*} constants: an experiment that compares several methods gives one
     * {@code Options} and each method takes its own record. A method that takes no settings
     * ({@code random}, {@code oracle}) ignores them all.
     *
     * <p>In spec.json these settings are one flat object with the keys of the former options
     * ({@code lambda}, {@code damping}, {@code curvature}, ...), each with the value used.
     *
     * @param ewcInfluence the settings of {@code ewc-influence}
     * @param linearInfluence those of {@code influence-cg}, {@code influence-lissa} and {@code exact}
     * @param sgdInfluence those of {@code sgd-influence}
     */
    public record Options(EwcInfluence.Settings ewcInfluence, LinearInfluence.Settings linearInfluence,
            SgdInfluence.Settings sgdInfluence) {
        /** Every method with its defaults (docs/methods.md 2). */
        public static final Options DEFAULTS = new Options(EwcInfluence.Settings.DEFAULTS,
                LinearInfluence.Settings.DEFAULTS, SgdInfluence.Settings.DEFAULTS);

        /** Refuses a missing record: a method without settings would have nothing to run with. */
        public Options {
            Objects.requireNonNull(ewcInfluence, "ewcInfluence");
            Objects.requireNonNull(linearInfluence, "linearInfluence");
            Objects.requireNonNull(sgdInfluence, "sgdInfluence");
        }

        /** {@link #DEFAULTS}. */
        public static Options defaults() {
            return DEFAULTS;
        }

        /** These options with other EWC-influence settings. */
        public Options withEwcInfluence(EwcInfluence.Settings value) {
            return new Options(value, linearInfluence, sgdInfluence);
        }

        /** These options with other linear-influence settings. */
        public Options withLinearInfluence(LinearInfluence.Settings value) {
            return new Options(ewcInfluence, value, sgdInfluence);
        }

        /** These options with other SGD-influence settings. */
        public Options withSgdInfluence(SgdInfluence.Settings value) {
            return new Options(ewcInfluence, linearInfluence, value);
        }

        /** The flat form spec.json holds: the keys of the former options, in their order. */
        @JsonValue
        Flat flat() {
            return new Flat(ewcInfluence.lambda(), linearInfluence.damping(), linearInfluence.curvature(),
                    linearInfluence.cgTolerance(), linearInfluence.cgMaxIterations(), linearInfluence.lissaScale(),
                    linearInfluence.lissaDamping(), linearInfluence.lissaDepth(), linearInfluence.lissaRepeats(),
                    linearInfluence.lissaBatch(), sgdInfluence.lastEpochs(), ewcInfluence.stopOn(),
                    sgdInfluence.auxiliaryStart());
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
     * @throws AmendException for an unknown name
     */
    public static CauseIdentifier create(String name, Options options, long seed, EpochListener listener) {
        Objects.requireNonNull(options, "options");
        String method = canonical(name);
        return switch (method) {
            case EWC_INFLUENCE -> new EwcInfluence(options.ewcInfluence(), seed, listener);
            case INFLUENCE_CG -> new LinearInfluence(InverseHvp.Solver.CG, options.linearInfluence(), seed);
            case INFLUENCE_LISSA -> new LinearInfluence(InverseHvp.Solver.LISSA, options.linearInfluence(), seed);
            case EXACT -> new LinearInfluence(InverseHvp.Solver.EXACT, options.linearInfluence(), seed);
            case SGD_INFLUENCE -> new SgdInfluence(options.sgdInfluence());
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
}
