package dev.amend.cli;

import dev.amend.AmendException;
import dev.amend.data.DataSpec;
import dev.amend.data.LoadedData;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --data} and the settings of how its training part is drawn. */
public final class DataOptions {
    @Option(names = "--data", paramLabel = "SPEC", defaultValue = "mnist",
            description = {
                "Data set (default: ${DEFAULT-VALUE}): mnist (built in), fashion-mnist[:DIR],",
                "idx:TRAIN_IMAGES,TRAIN_LABELS,TEST_IMAGES,TEST_LABELS, cifar10:DIR,",
                "csv:TRAIN.csv,TEST.csv[,shape=CxHxW|,features] (images of a declared shape, or",
                "feature vectors) or folder:DIR (DIR/train/CLASS/*.png and DIR/test/...).",
            })
    String data;

    @Option(names = "--pool-size", paramLabel = "N",
            description = {
                "Training examples to use, a seeded draw (--data-seed). For mnist: digits drawn for",
                "training, the rest are the test set (default: " + DataSpec.DEFAULT_MNIST_POOL + "); for other",
                "data: a subset of the training set, the test set whole (default: 0, all of it).",
            })
    Integer poolSize;

    @Option(names = "--data-seed", paramLabel = "N", defaultValue = "0",
            description = "Seed of that draw, kept apart from --seed so that the data stay fixed "
                    + "while training varies (default: ${DEFAULT-VALUE}).")
    long dataSeed;

    /**
     * The parsed {@code --data} value with its paths made absolute, so that what a run records
     * works from any folder; a malformed one is the user's error.
     */
    public DataSpec spec() {
        return DataSpec.parse(data).absolute();
    }

    /** Loads the data the options name. */
    public LoadedData load() {
        return spec().load(poolSize(), dataSeed);
    }

    /** {@code --pool-size}, or its default for the data set: 3,000 for mnist, 0 (all) otherwise. */
    public int poolSize() {
        if (poolSize != null) {
            return poolSize;
        }
        return spec().defaultPoolSize();
    }

    public long dataSeed() {
        return dataSeed;
    }

    /** Whether {@code --data} was given on the command line of {@code command}, rather than left at its default. */
    static boolean given(CommandSpec command) {
        return command.commandLine().getParseResult().hasMatchedOption("--data");
    }

    /**
     * Refuses {@code --model} without {@code --data}, in every command that takes both: a model
     * does not record the data it was trained on, so the default (mnist) would be a guess that
     * scores or repairs the model on other data without a word.
     */
    static void requireWithModel(CommandSpec command) {
        if (!given(command)) {
            throw new AmendException("--model needs --data: the data set the model was trained on");
        }
    }
}
