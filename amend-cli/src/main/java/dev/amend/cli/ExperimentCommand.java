package dev.amend.cli;

import picocli.CommandLine.Command;

/** {@code amend experiment}: groups the reproductions of the paper's experiments; it does nothing by itself. */
@Command(name = "experiment",
        description = "Reproduce the experiments of Tanno et al. 2022 (docs/results.md).",
        subcommands = {
            ExperimentIdentifyCommand.class,
            ExperimentTreatKCommand.class,
            ExperimentTradeoffCommand.class,
            ExperimentFinetuneCommand.class,
            ExperimentPaperCommand.class,
            ExperimentRetainCommand.class,
        })
final class ExperimentCommand {
}
