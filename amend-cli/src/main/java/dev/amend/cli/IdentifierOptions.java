package dev.amend.cli;

import dev.amend.AmendException;
import dev.amend.identify.EwcInfluence;
import dev.amend.identify.Identifiers;
import dev.amend.identify.InverseHvp;
import dev.amend.identify.LinearInfluence;
import dev.amend.identify.SgdInfluence;
import dev.amend.train.TrainConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The settings of the identification methods ({@link Identifiers.Options}), shared by
 * {@code amend identify}, {@code amend repair} and the experiment and bench commands. The help
 * texts quote the {@code DEFAULT_*} constants of the method classes; an option not given keeps
 * that default (or the base a command starts from, {@link #applyTo}). A command that runs one
 * method refuses options that method does not use ({@link #options(String)}).
 */
public final class IdentifierOptions {
    @Option(names = "--ewc-lambda", paramLabel = "X",
            description = "ewc-influence: precision of the isotropic prior of Eq. 10 (default " + EwcInfluence.DEFAULT_LAMBDA
                    + ", as in the paper).")
    Double lambda;

    @Option(names = "--influence-damping", paramLabel = "X",
            description = "influence-cg, exact: delta of (H + delta I) (default " + InverseHvp.DEFAULT_DAMPING + ").")
    Double damping;

    @Option(names = "--curvature", paramLabel = "C",
            description = "influence-cg, influence-lissa, exact: hessian, ggn or empirical-fisher (default "
                    + "hessian).")
    String curvature;

    @Option(names = "--cg-tolerance", paramLabel = "X",
            description = "influence-cg: stop when the residual is below X times |v| (default "
                    + InverseHvp.DEFAULT_CG_TOLERANCE + ").")
    Double cgTolerance;

    @Option(names = "--cg-max-iterations", paramLabel = "N",
            description = "influence-cg: at most N iterations, each a Hessian-vector product over D (default "
                    + InverseHvp.DEFAULT_CG_MAX_ITERATIONS + ").")
    Integer cgMaxIterations;

    @Option(names = "--lissa-scale", paramLabel = "S",
            description = "influence-lissa: scale s > 0 (default: 1.5 x the largest eigenvalue, from 20 power iterations).")
    Double lissaScale;

    @Option(names = "--lissa-damping", paramLabel = "D",
            description = "influence-lissa: d, so that the damping is s d (default " + InverseHvp.DEFAULT_LISSA_DAMPING + ").")
    Double lissaDamping;

    @Option(names = "--lissa-depth", paramLabel = "J",
            description = "influence-lissa: recursion steps J, each a Hessian-vector product on a minibatch "
                    + "(default " + InverseHvp.DEFAULT_LISSA_DEPTH + ").")
    Integer lissaDepth;

    @Option(names = "--lissa-repeats", paramLabel = "R",
            description = "influence-lissa: independent recursions averaged (default " + InverseHvp.DEFAULT_LISSA_REPEATS + ").")
    Integer lissaRepeats;

    @Option(names = "--lissa-batch", paramLabel = "B",
            description = "influence-lissa: minibatch size of each step (default " + InverseHvp.DEFAULT_LISSA_BATCH + ").")
    Integer lissaBatch;

    @Option(names = "--last-epochs", paramLabel = "E",
            description = "sgd-influence: go back through the last E >= 1 epochs only (default: all).")
    Integer lastEpochs;

    @Option(names = "--ewc-stop-on", paramLabel = "WHAT",
            description = "ewc-influence: what the early stopping of its fine-tuning on the failure query set watches "
                    + "on its 10%% validation part: loss (default, measured steadier over seeds; docs/results.md) or "
                    + "accuracy (ties broken by loss).")
    String ewcStopOn;

    @Option(names = "--auxiliary-start", paramLabel = "FROM",
            description = "sgd-influence on a model trained without a recorded plain-SGD trajectory: start the auxiliary "
                    + "SGD run at theta-star (default: 3 epochs at lr 0.001 from theta*) or init (theta*'s "
                    + "initialisation, 20 epochs at lr 0.05, the setting of Hara et al., which leaves the paper's CNN "
                    + "untrained; docs/identification.md).")
    String auxiliaryStart;

    /** Every method's settings: the defaults with the options given. A bad value is the user's error. */
    public Identifiers.Options options() {
        return applyTo(Identifiers.Options.DEFAULTS);
    }

    /**
     * The settings of {@code method}'s run: {@link #options()}, refusing an option given for
     * another method, which would otherwise be ignored without a word.
     */
    public Identifiers.Options options(String method) {
        Identifiers.Options options = options();
        Identifiers.requireApplicable(method, given());
        return options;
    }

    /** The identification options given on the command line: setting name to option name. */
    Map<String, String> given() {
        Map<String, String> given = new LinkedHashMap<>();
        given(given, "lambda", "--ewc-lambda", lambda);
        given(given, "damping", "--influence-damping", damping);
        given(given, "curvature", "--curvature", curvature);
        given(given, "cg-tolerance", "--cg-tolerance", cgTolerance);
        given(given, "cg-max-iterations", "--cg-max-iterations", cgMaxIterations);
        given(given, "lissa-scale", "--lissa-scale", lissaScale);
        given(given, "lissa-damping", "--lissa-damping", lissaDamping);
        given(given, "lissa-depth", "--lissa-depth", lissaDepth);
        given(given, "lissa-repeats", "--lissa-repeats", lissaRepeats);
        given(given, "lissa-batch", "--lissa-batch", lissaBatch);
        given(given, "last-epochs", "--last-epochs", lastEpochs);
        given(given, "ewc-stop-on", "--ewc-stop-on", ewcStopOn);
        given(given, "auxiliary-start", "--auxiliary-start", auxiliaryStart);
        return given;
    }

    /** {@code base} with the options given on the command line in place of its values. */
    public Identifiers.Options applyTo(Identifiers.Options base) {
        EwcInfluence.Settings ewc = base.ewcInfluence();
        if (lambda != null) {
            ewc = ewc.withLambda(lambda);
        }
        if (ewcStopOn != null) {
            ewc = ewc.withStopOn(TrainConfig.StopCriterion.parse("--ewc-stop-on", ewcStopOn));
        }
        LinearInfluence.Settings linear = base.linearInfluence();
        if (damping != null) {
            linear = linear.withDamping(damping);
        }
        if (curvature != null) {
            linear = linear.withCurvature(Identifiers.parseCurvature(curvature));
        }
        if (cgTolerance != null) {
            linear = linear.withCgTolerance(cgTolerance);
        }
        if (cgMaxIterations != null) {
            linear = linear.withCgMaxIterations(cgMaxIterations);
        }
        if (lissaScale != null) {
            // 0 would silently mean the automatic scale; on the command line that is the option left out.
            if (!(lissaScale > 0)) {
                throw new AmendException("lissa-scale must be a positive number, got " + lissaScale);
            }
            linear = linear.withLissaScale(lissaScale);
        }
        if (lissaDamping != null) {
            linear = linear.withLissaDamping(lissaDamping);
        }
        if (lissaDepth != null) {
            linear = linear.withLissaDepth(lissaDepth);
        }
        if (lissaRepeats != null) {
            linear = linear.withLissaRepeats(lissaRepeats);
        }
        if (lissaBatch != null) {
            linear = linear.withLissaBatch(lissaBatch);
        }
        SgdInfluence.Settings sgd = base.sgdInfluence();
        if (lastEpochs != null) {
            // 0 would silently mean all epochs; on the command line that is the option left out.
            if (lastEpochs < 1) {
                throw new AmendException("last-epochs must be at least 1, got " + lastEpochs);
            }
            sgd = sgd.withLastEpochs(lastEpochs);
        }
        if (auxiliaryStart != null) {
            sgd = sgd.withAuxiliaryStart(SgdInfluence.AuxiliaryStart.parse(auxiliaryStart));
        }
        return new Identifiers.Options(ewc, linear, sgd);
    }

    private static void given(Map<String, String> given, String setting, String option, Object value) {
        if (value != null) {
            given.put(setting, option);
        }
    }
}
