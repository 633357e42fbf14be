package dev.amend.cli;

import dev.amend.experiment.RunDirectory;
import dev.amend.experiment.TrainRun;
import dev.amend.experiment.TrainRunResult;
import dev.amend.experiment.TrainRunSpec;
import dev.amend.train.TrainConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code amend demo}: the first command a new user runs. For now it performs the first half of
 * the paper's label-noise experiment (METHODS.md 4.2 item 1): the paper's CNN on the embedded
 * MNIST pool with 1 and 7 swapped at 45%, and the failure sets that result. The repair steps
 * are added here as they are built.
 */
@Command(name = "demo",
        description = {
            "Train the paper's CNN on built-in MNIST with noisy labels and print its failure sets.",
            "The scenario swaps 45%% of the 1s and 7s of the 3000 training digits (label-flip); the run takes a "
                    + "minute or two on 2 cores and is written to runs/demo/<UTC time>."
        })
final class DemoCommand implements Callable<Integer> {
    static final String DATA = "mnist";
    static final String SCENARIO = "label-flip";
    static final String MODEL = "paper-cnn";

    @Mixin
    SeedOptions seed;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "100",
            description = "Maximum training epochs; early stopping usually ends sooner (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Mixin
    ThreadOptions threads;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Instant start = Instant.now();
        TrainRunSpec runSpec = TrainRunSpec.paper(DATA, SCENARIO, MODEL, seed.seed())
                .withTrain(TrainConfig.baseDefaults(seed.seed()).withMaxEpochs(epochs));
        output.progress("amend demo: %s on the embedded MNIST pool of 3000 digits, scenario %s (1<->7 at 45%%)",
                MODEL, SCENARIO);
        try (TrainRunResult run = TrainRun.run(runSpec, new TrainProgress(output))) {
            Path folder = RunOutput.folder(output, "demo");
            RunDirectory.write(folder, run, RunOutput.provenance(spec, seed.seed(), start));
            TrainSummary.print(spec.commandLine().getOut(), run, folder);
        }
        return 0;
    }
}
