package dev.amend.cli;

import dev.amend.AmendException;
import dev.amend.experiment.RetainExperiment;
import dev.amend.model.ModelSpec.Precision;
import dev.amend.provenance.Provenance;
import dev.amend.run.CleanData;
import dev.amend.run.format.TrainRunSpec;
import dev.amend.train.TrainConfig;
import dev.amend.treat.Retain;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "5",
            description = "Base runs, with the seeds --seed, --seed + 1, ... (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--runs", paramLabel = "DIR", split = ",",
            description = "Use these training runs (amend train) as the base runs; comma-separated.")
    List<Path> runs;

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

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "100",
            description = "Maximum epochs of every training (base models and treatments) (default: ${DEFAULT-VALUE}).")
    int epochs;

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
        RetainExperiment.Spec experiment = new RetainExperiment.Spec(base, seeds, !parsed.hasMatchedOption("--data-seed"),
                runs == null ? List.of() : runs.stream().map(Path::toString).toList(), precisions, fractions, perClass,
                relabelConfidence, epochs);
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
