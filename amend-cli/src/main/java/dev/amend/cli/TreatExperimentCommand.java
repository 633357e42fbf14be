package dev.amend.cli;

import dev.amend.experiment.TreatExperiment;
import dev.amend.identify.Identifiers;
import dev.amend.provenance.Provenance;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What {@code amend experiment treat-k}, {@code tradeoff} and {@code finetune} share: the base
 * runs (trained here from --data, --scenario, --model and --seeds, or given with --runs), the
 * output and the printing. Each subclass adds the grid of its figure; the work is
 * {@link TreatExperiment}'s.
 */
abstract class TreatExperimentCommand implements Callable<Integer> {
    /** Here --seeds defaults to 3 (the paper: 5); experiment retain's to 5. */
    @Mixin
    BaseRunOptions.WithRuns base = new BaseRunOptions.WithRuns(3);

    @Mixin
    StartCandidateOption startCandidate;

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

    /** Which figure. */
    abstract TreatExperiment.Kind experimentKind();

    /** What the printed table shows, in one line. */
    abstract String caption();

    // The grids; each command overrides those of its figure.
    List<Integer> ks() {
        return TreatExperiment.DEFAULT_KS;
    }

    List<String> methods() {
        return TreatExperiment.DEFAULT_METHODS;
    }

    Identifiers.Options methodOptions() {
        return Identifiers.Options.defaults();
    }

    List<Double> gammas() {
        return TreatExperiment.DEFAULT_GAMMAS;
    }

    List<Double> mus() {
        return TreatExperiment.DEFAULT_MUS;
    }

    double fraction() {
        return TreatExperiment.DEFAULT_FRACTION;
    }

    int randomDraws() {
        return TreatExperiment.DEFAULT_RANDOM_DRAWS;
    }

    @Override
    public Integer call() {
        Instant start = Instant.now();
        List<String> runs = base.runs();
        long first = seed.seed();
        TreatExperiment.Spec experiment = new TreatExperiment.Spec(experimentKind(), base.first(first), base.seeds(),
                base.varyDataSeed(), runs, ks(), methods(), methodOptions(), gammas(), mus(), fraction(), base.epochs(),
                randomDraws(), startCandidate.value());
        Provenance provenance = RunOutput.provenance(spec, first, start);
        TreatExperiment.Result result = TreatExperiment.run(experiment, new TrainProgress(output));
        Path folder = RunOutput.folder(output, "experiment-" + experimentKind().text());
        TreatExperiment.write(folder, result, provenance);
        PrintWriter out = spec.commandLine().getOut();
        out.println(caption());
        out.print(TreatExperiment.table(result));
        if (!result.paired().isEmpty()) {
            out.println("paired with random removal of as many examples (same base run, mean of its draws):");
            out.print(TreatExperiment.pairedTable(result));
        }
        out.printf("wrote       %s%n", folder);
        out.flush();
        report.write(folder, output);
        return 0;
    }
}
