package dev.amend.cli;

import dev.amend.identify.EwcInfluence;
import dev.amend.identify.Identifiers;
import dev.amend.identify.InverseHvp;
import dev.amend.identify.SgdInfluence;
import dev.amend.train.TrainConfig;
import picocli.CommandLine.Option;

/**
 * The settings of the identification methods ({@link Identifiers.Options}), shared by
 * {@code amend identify} and {@code amend experiment identify}. None has a default here:
 * an option not given leaves the method's own default (docs/methods.md 2), and spec.json records
 * only what was given.
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
            description = "influence-cg, influence-lissa, exact: hessian (default), ggn or empirical-fisher.")
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
            description = "influence-lissa: scale s (default: 1.5 x the largest eigenvalue, from 20 power iterations).")
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
            description = "sgd-influence: go back through the last E epochs only (default: all).")
    Integer lastEpochs;

    @Option(names = "--ewc-stop-on", paramLabel = "WHAT",
            description = "ewc-influence: what the early stopping of its fine-tuning on the failure query set watches "
                    + "on its 10%% validation part: loss (default, measured steadier over seeds; docs/results.md) or "
                    + "accuracy (ties broken by loss).")
    String ewcStopOn;

    @Option(names = "--auxiliary-start", paramLabel = "FROM",
            description = "sgd-influence on a model trained without a recorded plain-SGD trajectory: start the auxiliary "
                    + "SGD run at init (theta*'s initialisation, 20 epochs at lr 0.05; default) or theta-star (3 epochs "
                    + "at lr 0.001 from theta*, which ranks far better for Adam-trained CNNs; docs/results.md).")
    String auxiliaryStart;

    /** The settings given; a bad value is the user's error. */
    public Identifiers.Options options() {
        return Identifiers.Options.builder().optLambda(lambda).optDamping(damping)
                .optCurvature(curvature == null ? null : Identifiers.parseCurvature(curvature))
                .optCgTolerance(cgTolerance).optCgMaxIterations(cgMaxIterations).optLissaScale(lissaScale)
                .optLissaDamping(lissaDamping).optLissaDepth(lissaDepth).optLissaRepeats(lissaRepeats)
                .optLissaBatch(lissaBatch).optLastEpochs(lastEpochs)
                .optEwcStopOn(ewcStopOn == null ? null
                        : TrainConfig.StopCriterion.parse("--ewc-stop-on", ewcStopOn))
                .optAuxiliaryStart(auxiliaryStart == null ? null : SgdInfluence.AuxiliaryStart.parse(auxiliaryStart))
                .build();
    }
}
