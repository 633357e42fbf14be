package dev.amend.cli;

import dev.amend.experiment.TreatExperiment;
import dev.amend.identify.Identifiers;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code amend experiment treat-k}: [T22] Fig. 3 with {@link TreatExperiment}. */
@Command(name = "treat-k",
        description = {
            "Reproduce Fig. 3 of the paper: for each base run and identification method, remove the top k training "
                    + "examples and fine-tune on the rest; accuracy on F_q, F_h and T\\F against k, with random removal "
                    + "and the semi-oracle (remove exactly the corrupted examples) as references.",
            "Writes results.json, table.md, treat-k-F_q.png, treat-k-F_h.png, treat-k-T_minus_F.png, spec.json and "
                    + "provenance.json."
        })
final class ExperimentTreatKCommand extends TreatExperimentCommand {
    @Option(names = "--ks", paramLabel = "K", split = ",",
            description = "Numbers of removed examples (default: 25,50,100,200,400,800, the grid of --top-k auto, whose "
                    + "choice is shown as the series METHOD auto; those above N are skipped).")
    List<Integer> ks = TreatExperiment.DEFAULT_KS;

    @Option(names = "--methods", paramLabel = "NAMES", split = ",",
            description = "Identification methods (default: ewc-influence,random; also influence-cg, influence-lissa, "
                    + "exact, oracle). A full Hessian product over the MNIST D takes seconds on a CPU: give influence-cg "
                    + "and influence-lissa budgets, e.g. --cg-max-iterations 5 --curvature ggn.")
    List<String> methods = TreatExperiment.DEFAULT_METHODS;

    @Mixin
    IdentifierOptions methodOptions;

    @Option(names = "--random-draws", paramLabel = "N", defaultValue = "3",
            description = "Random removals per base run and k, compared with each method on the same base run "
                    + "(default: ${DEFAULT-VALUE}).")
    int randomDraws;

    @Override
    int randomDraws() {
        return randomDraws;
    }

    @Override
    TreatExperiment.Kind experimentKind() {
        return TreatExperiment.Kind.TREAT_K;
    }

    @Override
    List<Integer> ks() {
        return ks;
    }

    @Override
    List<String> methods() {
        return methods;
    }

    @Override
    Identifiers.Options methodOptions() {
        return methodOptions.options();
    }

    @Override
    String caption() {
        return "accuracy after removing the top k and fine-tuning on D\\C (mean ± std over base runs):";
    }
}
