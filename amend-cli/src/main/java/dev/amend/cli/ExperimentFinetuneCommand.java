package dev.amend.cli;

import dev.amend.experiment.TreatExperiment;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code amend experiment finetune}: [T22] Fig. 9 with {@link TreatExperiment}. */
@Command(name = "finetune",
        description = {
            "Reproduce Fig. 9 of the paper: fine-tuning on the failure query set with an L2 pull towards theta* (mu "
                    + "sweep) against fine-tuning on D\\C (C = the top 15%% by EWC-influence) and their combination; each "
                    + "setting is a point (accuracy on F_h, accuracy on T\\F).",
            "Writes results.json, table.md, finetune.png, spec.json and provenance.json."
        })
final class ExperimentFinetuneCommand extends TreatExperimentCommand {
    @Option(names = "--mus", paramLabel = "M", split = ",",
            description = "L2 weights (default: 0.01,0.1,1,10).")
    List<Double> mus = TreatExperiment.DEFAULT_MUS;

    @Option(names = "--fraction", paramLabel = "F", defaultValue = "" + TreatExperiment.DEFAULT_FRACTION,
            description = "Share of D removed for fine-tuning on D\\C, the most harmful first (default: ${DEFAULT-VALUE}).")
    double fraction;

    @Override
    TreatExperiment.Kind experimentKind() {
        return TreatExperiment.Kind.FINETUNE;
    }

    @Override
    List<Double> mus() {
        return mus;
    }

    @Override
    double fraction() {
        return fraction;
    }

    @Override
    String caption() {
        return "accuracy after each fine-tuning (mean ± std over base runs):";
    }
}
