package dev.amend.cli;

import dev.amend.report.HtmlReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code amend report DIR}: writes DIR/report.html for a run, identification, treat, repair or experiment folder. */
@Command(name = "report",
        description = {
            "Write DIR/report.html: one self-contained page (no network, images inline) with what was run on what, the "
                    + "results (for a repair: the before/after table and the verdict), the plots, and image grids of "
                    + "the most and least harmful training examples and of the failures fixed, still failing and "
                    + "broken (docs/report.md).",
            "DIR is a folder written by amend train, identify, treat, repair, demo (its repair/ subfolder) or experiment."
        })
final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "The result folder.")
    Path folder;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path file = HtmlReport.write(folder);
        spec.commandLine().getOut().printf("wrote       %s%n", file);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
