package dev.amend.cli;

import dev.amend.experiment.IdentifyExperiment;
import dev.amend.provenance.Provenance;
import dev.amend.report.Table;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code amend experiment identify}: [T22] Fig. 2(c, d) with {@link IdentifyExperiment}; this
 * class only reads the options and prints the result.
 */
@Command(name = "identify",
        description = {
            "Reproduce Fig. 2(c, d) of the paper: for each seed train a base model with a failure scenario, rank its "
                    + "training data with every identification method, and measure the fraction of corrupted examples "
                    + "among the top k, with the ROC-AUC, averaged over the seeds.",
            "Writes results.json, table.md, fig2c.png (log k, mean +- std bands, the oracle dashed), "
                    + "fig2d-most-harmful.png and fig2d-least-harmful.png (first seed, EWC-influence), spec.json and "
                    + "provenance.json."
        })
final class ExperimentIdentifyCommand implements Callable<Integer> {
    /** Here --seeds defaults to 3 (the paper: 5); experiment retain's to 5. */
    @Mixin
    BaseRunOptions base = new BaseRunOptions(3);

    @Option(names = "--methods", paramLabel = "NAMES", split = ",",
            description = "Methods to compare (default: ewc-influence,influence-cg,influence-lissa,sgd-influence,"
                    + "random,oracle; also exact). sgd-influence trains an auxiliary plain-SGD model per seed.")
    List<String> methods = IdentifyExperiment.DEFAULT_METHODS;

    @Option(names = "--k-max", paramLabel = "K", defaultValue = "1000",
            description = "Largest k of the curves, capped at |D| (default: ${DEFAULT-VALUE}).")
    int kMax;

    @Mixin
    IdentifierOptions methodOptions;

    @Mixin
    SeedOptions seed;

    @Mixin
    ThreadOptions threads;

    @Mixin
    OutputOptions output;

    @Mixin
    ReportOptions report;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Instant start = Instant.now();
        long first = seed.seed();
        IdentifyExperiment.Spec experiment = new IdentifyExperiment.Spec(base.first(first), base.seeds(),
                base.varyDataSeed(), methods, kMax, methodOptions.options());
        Provenance provenance = RunOutput.provenance(spec, first, start);
        IdentifyExperiment.Result result = IdentifyExperiment.run(experiment, new TrainProgress(output));
        Path folder = RunOutput.folder(output, "experiment-identify");
        IdentifyExperiment.write(folder, result, provenance);
        print(spec.commandLine().getOut(), result, folder);
        report.write(folder, output);
        return 0;
    }

    private static void print(PrintWriter out, IdentifyExperiment.Result result, Path folder) {
        IdentifyExperiment.Report report = result.report();
        out.printf("data        %s, scenario %s, model %s, %d seed%s%n", result.spec().base().data(),
                result.spec().base().scenario(), result.spec().base().model(), report.seeds().size(),
                report.seeds().size() == 1 ? "" : "s");
        Table seeds = new Table("seed", "N", "corrupted", "test accuracy", "|F|", "|F_q|", "training s");
        for (IdentifyExperiment.SeedRun s : report.seeds()) {
            seeds.addRow(s.seed(), s.trainSize(), s.corrupted(), s.testAccuracy(), s.failures(), s.query(),
                    String.format(Locale.ROOT, "%.1f", s.trainingSeconds()));
        }
        out.print(seeds);
        out.println();
        out.println("fraction of corrupted examples among the k most harmful (mean ± std over seeds):");
        out.print(IdentifyExperiment.table(report));
        for (IdentifyExperiment.MethodSummary s : report.summary()) {
            if (!Double.isNaN(s.auxiliarySeconds())) {
                out.printf(Locale.ROOT, "%s: seconds are the backward pass; its auxiliary SGD model trained in %.1f s"
                        + " on average%n", s.method(), s.auxiliarySeconds());
            }
            for (String error : s.errors()) {
                out.printf("%s failed on %s%n", s.method(), error);
            }
        }
        out.printf("wrote       %s%n", folder);
        out.flush();
    }
}
