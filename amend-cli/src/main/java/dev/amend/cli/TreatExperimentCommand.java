package dev.amend.cli;

import dev.amend.AmendException;
import dev.amend.experiment.TreatExperiment;
import dev.amend.identify.Identifiers;
import dev.amend.model.ModelSpec.Precision;
import dev.amend.provenance.Provenance;
import dev.amend.run.format.TrainRunSpec;
import dev.amend.train.TrainConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What {@code amend experiment treat-k}, {@code tradeoff} and {@code finetune} share: the base
 * runs (trained here from --data, --scenario, --model and --seeds, or given with --runs), the
 * output and the printing. Each subclass adds the grid of its figure; the work is
 * {@link TreatExperiment}'s.
 */
abstract class TreatExperimentCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Option(names = "--scenario", paramLabel = "SPEC", defaultValue = "label-flip",
            description = "Failure scenario of the base runs (default: ${DEFAULT-VALUE}, 1->7 at 45%% on MNIST).")
    String scenario;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "paper-cnn",
            description = "Architecture of the base runs (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--model-option", paramLabel = "KEY=VALUE", description = "An option of the architecture, repeatable.")
    Map<String, String> modelOptions = new LinkedHashMap<>();

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "3",
            description = "Base runs, with the seeds --seed, --seed + 1, ... (default: ${DEFAULT-VALUE}; the paper: 5). "
                    + "Each draws its own MNIST pool unless --data-seed is given.")
    int seeds;

    @Option(names = "--runs", paramLabel = "DIR", split = ",",
            description = "Use these training runs (amend train) as the base runs instead of training new ones; "
                    + "comma-separated.")
    List<Path> runs;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "100",
            description = "Maximum epochs of every training (base models and treatments); early stopping usually ends "
                    + "them sooner (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--start-candidate", paramLabel = "true|false", arity = "1",
            description = "Whether theta* competes in the early stopping of every treatment (default: "
                    + dev.amend.treat.TreatmentFactory.DEFAULT_START_CANDIDATE + "; docs/treatment.md).")
    Boolean startCandidate;

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
        var parsed = spec.commandLine().getParseResult();
        if (runs != null && (parsed.hasMatchedOption("--seeds") || parsed.hasMatchedOption("--data")
                || parsed.hasMatchedOption("--scenario") || parsed.hasMatchedOption("--model"))) {
            throw new AmendException("--runs uses the data, scenario, model and seeds of the given runs; leave out --seeds,"
                    + " --data, --scenario and --model");
        }
        long first = seed.seed();
        TrainRunSpec base = new TrainRunSpec(data.spec().toString(), data.poolSize(), data.dataSeed(), scenario, model,
                modelOptions, first, 0.1, 0, Precision.FLOAT32, TrainConfig.baseDefaults(first).withMaxEpochs(epochs),
                false);
        TreatExperiment.Spec experiment = new TreatExperiment.Spec(experimentKind(), base, seeds,
                !parsed.hasMatchedOption("--data-seed"), runs == null ? List.of() : runs.stream().map(Path::toString)
                .toList(), ks(), methods(), methodOptions(), gammas(), mus(), fraction(), epochs, randomDraws(), startCandidate);
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
