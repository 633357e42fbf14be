package dev.amend.cli;

import dev.amend.report.HtmlReport;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --no-report}: the commands that end with a result folder a person will look at
 * (repair, treat, the experiments) write its report.html there unless told not to.
 */
final class ReportOptions {
    @Option(names = "--no-report", description = "Do not write report.html into the output folder (docs/report.md).")
    boolean noReport;

    /** Writes {@code folder/report.html} unless {@code --no-report}; says where on stderr. */
    void write(Path folder, OutputOptions output) {
        if (!noReport) {
            Path file = HtmlReport.write(folder);
            output.progress("report      %s", file);
        }
    }
}
