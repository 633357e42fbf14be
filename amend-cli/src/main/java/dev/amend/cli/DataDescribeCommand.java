package dev.amend.cli;

import dev.amend.data.DataSummary;
import dev.amend.util.Json;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code amend data describe}: shows what {@code --data} loads before a long run relies on it. */
@Command(name = "describe",
        description = "Load a data set and print its image shape, classes and examples per class "
                + "in the training and test parts.")
final class DataDescribeCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Option(names = "--json", description = "Print the summary as JSON instead of a table.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        DataSummary summary = DataSummary.of(data.load());
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? Json.toJson(summary) : summary.toTable());
        out.flush();
        return 0;
    }
}
