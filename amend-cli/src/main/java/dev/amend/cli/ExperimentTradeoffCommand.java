package dev.amend.cli;

import dev.amend.experiment.TreatExperiment;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code amend experiment tradeoff}: [T22] Fig. 5 with {@link TreatExperiment}. */
@Command(name = "tradeoff",
        description = {
            "Reproduce Fig. 5 of the paper: remove the top 15%% of the training data by EWC-influence with EWC-deletion "
                    + "and with Newton removal (the paper's step) over a gamma sweep; each setting is a point (accuracy "
                    + "on F_h, accuracy on T\\F), with fine-tuning on D\\C as the reference.",
            "Writes results.json, table.md, tradeoff.png, spec.json and provenance.json."
        })
final class ExperimentTradeoffCommand extends TreatExperimentCommand {
    @Option(names = "--gammas", paramLabel = "G", split = ",",
            description = "Deletion strengths (default: 0.003,0.01,0.03,0.1,0.3,1,3,10,100,1000, decades around the "
                    + "paper's range 0.01-0.05; docs/treatment.md).")
    List<Double> gammas = TreatExperiment.DEFAULT_GAMMAS;

    @Option(names = "--fraction", paramLabel = "F", defaultValue = "" + TreatExperiment.DEFAULT_FRACTION,
            description = "Share of D removed, the most harmful first (default: ${DEFAULT-VALUE}).")
    double fraction;

    @Override
    TreatExperiment.Kind experimentKind() {
        return TreatExperiment.Kind.TRADEOFF;
    }

    @Override
    List<Double> gammas() {
        return gammas;
    }

    @Override
    double fraction() {
        return fraction;
    }

    @Override
    String caption() {
        return "accuracy after deleting the top " + Math.round(100 * fraction) + "% by EWC-influence (mean ± std over base"
                + " runs):";
    }
}
