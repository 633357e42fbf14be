package dev.amend.cli;

import picocli.CommandLine.Command;

/**
 * {@code amend data}: groups the commands that look at data sets. It does nothing by itself,
 * so picocli reports a missing subcommand when it is run alone.
 */
@Command(name = "data",
        description = "Look at data sets before using them.",
        subcommands = {
            DataDescribeCommand.class,
        })
final class DataCommand {
}
