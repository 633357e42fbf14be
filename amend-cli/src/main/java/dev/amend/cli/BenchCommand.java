package dev.amend.cli;

import picocli.CommandLine.Command;

/** {@code amend bench}: groups the speed measurements; it does nothing by itself. */
@Command(name = "bench",
        description = "Measure how fast amend runs on this machine.",
        subcommands = {
            BenchTrainCommand.class,
            BenchIdentifyCommand.class,
        })
final class BenchCommand {
}
