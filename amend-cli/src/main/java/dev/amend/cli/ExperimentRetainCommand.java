package dev.amend.cli;

import dev.amend.experiment.RetainExperiment;
import dev.amend.provenance.Provenance;
import dev.amend.run.CleanData;
import dev.amend.treat.Retain;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code amend experiment retain}: docs/methods.md 5.3, the retain treatment under imprecise identification. */
@Command(name = "retain",
        description = {
            "Retaining the beneficial part of flagged examples against deleting them, as the precision of the cause set "
                    + "falls (docs/results.md): controlled cause sets of k = M/2 examples (M: the flipped labels) with "
                    + "the given precisions, and natural top-fraction sets, each treated by no repair, clean-data "
                    + "fine-tuning, delete-all, ewc-deletion, retain (and its ewc variant) and oracle-correct, all "
                    + "with the same clean set drawn from T.",
            "Writes results.json, table.md and retain-T.png, retain-F_h.png, retain-T_minus_F.png, after every base run."
        })
final class ExperimentRetainCommand implements Callable<Integer> {
    /** Here --seeds defaults to 5, as in the paper; the other experiment commands' to 3. */
    @Mixin
    BaseRunOptions.WithRuns base = new BaseRunOptions.WithRuns(5);

    @Option(names = "--precisions", paramLabel = "P", split = ",", defaultValue = "1,0.75,0.5,0.25",
            description = "Precisions of the controlled cause sets (default: ${DEFAULT-VALUE}).")
    List<Double> precisions;

    @Option(names = "--fractions", paramLabel = "F", split = ",", defaultValue = "0.05,0.15,0.3",
            description = "Natural cause sets: the top fraction F of D by EWC-influence (default: ${DEFAULT-VALUE}).")
    List<Double> fractions;

    @Option(names = "--clean-per-class", paramLabel = "N", defaultValue = "" + CleanData.DEFAULT_PER_CLASS,
            description = "Clean examples per class drawn from T (default: ${DEFAULT-VALUE}).")
    int perClass;

    @Option(names = "--relabel-confidence", paramLabel = "TAU", defaultValue = "" + Retain.DEFAULT_CONFIDENCE,
            description = "retain's confidence needed to relabel (default: ${DEFAULT-VALUE}).")
    double relabelConfidence;

    @Mixin
    SeedOptions seed;

    @Mixin
    ThreadOptions threads;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Instant start = Instant.now();
        List<String> runs = base.runs();
        long first = seed.seed();
        RetainExperiment.Spec experiment = new RetainExperiment.Spec(base.first(first), base.seeds(),
                base.varyDataSeed(), runs, precisions, fractions, perClass, relabelConfidence, base.epochs());
        Provenance provenance = RunOutput.provenance(spec, first, start);
        Path folder = RunOutput.folder(output, "experiment-retain");
        RetainExperiment.Result result = RetainExperiment.run(experiment, new TrainProgress(output), folder, provenance);
        PrintWriter out = spec.commandLine().getOut();
        out.print(RetainExperiment.table(result));
        out.println("paired differences (same base run and cause set):");
        out.print(RetainExperiment.pairedTable(result));
        out.printf("wrote       %s%n", folder);
        out.flush();
        return 0;
    }
}
