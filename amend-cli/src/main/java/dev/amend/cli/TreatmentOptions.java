package dev.amend.cli;

import dev.amend.treat.StopRule;
import dev.amend.treat.Treatment;
import dev.amend.treat.TreatmentFactory;
import picocli.CommandLine.Option;

/**
 * The settings of a treatment ({@code --gamma}, {@code --deletion-lambda}, {@code --mu}, {@code --beta},
 * {@code --newton-damping}, {@code --exact-step}, {@code --epochs}); an option the chosen treatment
 * does not take is refused by {@link TreatmentFactory}. The treatment's name is the command's
 * own option ({@code --method} for treat, {@code --treat} for repair).
 */
public final class TreatmentOptions {
    @Option(names = "--gamma", paramLabel = "G",
            description = "Deletion strength of ewc-deletion and newton-removal (default 0.03; 1 with --exact-step); "
                    + "the paper's Fig. 5 sweeps 0.01 to 0.05.")
    Double gamma;

    @Option(names = "--deletion-lambda", paramLabel = "L",
            description = "ewc-deletion: precision of the isotropic prior (default 0, as in the paper).")
    Double lambda;

    @Option(names = "--mu", paramLabel = "M",
            description = "finetune-failures, combined: weight of the L2 pull towards theta* (default 0.1).")
    Double mu;

    @Option(names = "--beta", paramLabel = "B",
            description = "combined: weight of the failure loss beside the loss on D\\C (default 1).")
    Double beta;

    @Option(names = "--newton-damping", paramLabel = "D",
            description = "newton-removal: delta added to the curvature (default: 1e-6 on the mean Fisher of the paper's "
                    + "step, 0.01 on the Hessian of --exact-step).")
    Double damping;

    @Option(names = "--exact-step",
            description = "newton-removal: the Guo et al. step with the Hessian of D\\C (conjugate gradients) instead "
                    + "of the paper's Fisher step (Eq. 14).")
    boolean exactStep;

    @Option(names = "--solver", paramLabel = "S",
            description = "newton-removal --exact-step: cg (conjugate gradients, default) or lissa (the stochastic "
                    + "recursion of Agarwal et al.) for the inverse-Hessian-vector product.")
    String solver;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "100",
            description = "Maximum epochs of the treatment's training; early stopping usually ends it sooner "
                    + "(default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--treat-stop-on", paramLabel = "SET:METRIC",
            description = "What the treatment's early stopping watches: SET validation (the base validation split), "
                    + "query (F_q_val) or validation+query, METRIC loss or accuracy. Defaults: validation:loss for "
                    + "finetune-remaining and retrain, query:loss for finetune-failures, validation+query:loss for "
                    + "combined, query:accuracy for ewc-deletion and newton-removal (docs/treatment.md).")
    String stopOn;

    @Option(names = "--start-candidate", paramLabel = "true|false", arity = "1",
            description = "Whether theta* itself competes with the trained epochs in early stopping (default: "
                    + "false; docs/treatment.md).")
    Boolean startCandidate;

    /** The treatment {@code name} with these options and the seed. */
    public Treatment create(String name, long seed) {
        TreatmentFactory.Builder b = TreatmentFactory.builder(name).optSeed(seed).optMaxEpochs(epochs)
                .optExactStep(exactStep);
        if (gamma != null) {
            b.optGamma(gamma);
        }
        if (lambda != null) {
            b.optLambda(lambda);
        }
        if (mu != null) {
            b.optMu(mu);
        }
        if (beta != null) {
            b.optBeta(beta);
        }
        if (damping != null) {
            b.optDamping(damping);
        }
        if (solver != null) {
            b.optSolver(solver);
        }
        if (stopOn != null) {
            b.optStopOn(StopRule.parse("--treat-stop-on", stopOn));
        }
        if (startCandidate != null) {
            b.optStartCandidate(startCandidate);
        }
        return b.build();
    }
}
