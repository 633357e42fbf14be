package dev.amend.cli;

import dev.amend.AmendException;
import dev.amend.model.ModelSpec.Precision;
import dev.amend.provenance.Provenance;
import dev.amend.run.TrainRun;
import dev.amend.run.TrainRunResult;
import dev.amend.run.format.RunDirectory;
import dev.amend.run.format.TrainRunSpec;
import dev.amend.train.TrainConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code amend train}: the base-model protocol of the paper ({@link TrainRun}) from the command
 * line. The run folder appears only when everything is written (see {@link RunDirectory}).
 */
@Command(name = "train",
        description = {
            "Corrupt the training data with a failure scenario, train a model with early stopping, and split the "
                    + "test set into failures F (halves F_q, F_h) and the rest T\\F.",
            "Writes the model, the corrupted data, the scenario mask, the splits (rows of your files), spec.json, "
                    + "provenance.json, metrics.json and history.csv (layout: docs/runs.md)."
        })
final class TrainCommand implements Callable<Integer> {
    static final double SGD_DEFAULT_LR = TrainConfig.SGD_DEFAULT_LEARNING_RATE;

    @Mixin
    DataOptions data;

    @Option(names = "--scenario", paramLabel = "SPEC", defaultValue = "none",
            description = {
                "Failure scenario (default: ${DEFAULT-VALUE}): none, label-flip[:pairs=1>7;4-9,rate=0.45],",
                "input-noise[:classes=1;7;6;9,fraction=0.3,...] or poison[:classes=...,eps=0.2,victims=3]",
                "(docs/scenarios.md)."
            })
    String scenario;

    @Mixin
    ModelOptions model;

    @Mixin
    SeedOptions seed;

    @Option(names = "--val-fraction", paramLabel = "F", defaultValue = "0.1",
            description = "Share of the training data held out for early stopping (default: ${DEFAULT-VALUE}); 0 "
                    + "trains on every row and runs all epochs.")
    double valFraction;

    @Option(names = "--l2", paramLabel = "L", defaultValue = "0",
            description = "Weight decay: the objective is mean cross-entropy + L/2 ||weights||^2 (default: "
                    + "${DEFAULT-VALUE}).")
    double l2;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "100",
            description = "Maximum epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--patience", paramLabel = "N", defaultValue = "5",
            description = "Stop after N epochs without improvement on the validation part (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--stop-on", paramLabel = "WHAT", defaultValue = "loss",
            description = "What early stopping watches on the validation part: loss (default; docs/training.md) or "
                    + "accuracy (ties broken by loss).")
    String stopOn;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64",
            description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", paramLabel = "X",
            description = "Learning rate (default: 1e-3 for adam, " + SGD_DEFAULT_LR + " for sgd).")
    Double learningRate;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam",
            description = "adam (default), sgd (plain, no momentum: what SGD-influence needs) or lbfgs (full batch to "
                    + "the exact optimum, gradient norm 1e-8; Newton steps for models up to 600 parameters; float64).")
    String optimizer;

    @Option(names = "--precision", paramLabel = "P",
            description = "float32 or float64 (default: float32; float64 with --optimizer lbfgs).")
    String precision;

    @Mixin
    ThreadOptions threads;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Instant start = Instant.now();
        TrainRunSpec runSpec = runSpec();
        Provenance provenance = RunOutput.provenance(spec, runSpec.seed(), start);
        try (TrainRunResult run = TrainRun.run(runSpec, new TrainProgress(output))) {
            Path folder = RunOutput.folder(output, "train");
            RunDirectory.write(folder, run, provenance);
            TrainSummary.print(spec.commandLine().getOut(), run, folder);
        }
        return 0;
    }

    TrainRunSpec runSpec() {
        String opt = optimizer.toLowerCase(Locale.ROOT);
        boolean exact = opt.equals("lbfgs");
        TrainConfig.Optimizer minibatch = TrainConfig.optimizerNamed(optimizer);
        Precision p = precision == null ? (exact ? Precision.FLOAT64 : Precision.FLOAT32) : parsePrecision(precision);
        double lr = learningRate != null ? learningRate : TrainConfig.defaultLearningRate(minibatch);
        TrainConfig config = TrainConfig.baseDefaults(seed.seed()).withOptimizer(minibatch, lr).withMaxEpochs(epochs)
                .withPatience(patience).withBatchSize(batchSize)
                .withStopCriterion(TrainConfig.StopCriterion.parse("--stop-on", stopOn));
        return new TrainRunSpec(data.spec().toString(), data.poolSize(), data.dataSeed(), scenario, model.name(),
                model.options(), seed.seed(), valFraction, l2, p, config, exact);
    }


    private static Precision parsePrecision(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "float32" -> Precision.FLOAT32;
            case "float64" -> Precision.FLOAT64;
            default -> throw new AmendException("unknown precision '" + text + "'; valid: float32, float64");
        };
    }
}
