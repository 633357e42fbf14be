package dev.amend.cli;

import dev.amend.AmendException;
import dev.amend.model.ModelSpec.Precision;
import dev.amend.run.format.TrainRunSpec;
import dev.amend.train.TrainConfig;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The base runs an experiment trains, declared once for {@code amend experiment identify},
 * {@code treat-k}, {@code tradeoff}, {@code finetune} and {@code retain}: {@code --data} (with
 * {@code --pool-size} and {@code --data-seed}), {@code --scenario}, {@code --model},
 * {@code --model-option}, {@code --seeds} and {@code --epochs}; {@link WithRuns} adds
 * {@code --runs}. The commands differ only in the default of {@code --seeds}, which each passes
 * to the constructor.
 */
public class BaseRunOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Mixin
    DataOptions data;

    @Option(names = "--scenario", paramLabel = "SPEC", defaultValue = "label-flip",
            description = "Failure scenario of the base runs (default: ${DEFAULT-VALUE}, 1->7 at 45%% on MNIST; "
                    + "docs/scenarios.md).")
    String scenario;

    @Mixin
    ModelOptions model;

    // No defaultValue: the value the command's constructor call sets is the default (and its help shows it).
    @Option(names = "--seeds", paramLabel = "N",
            description = "Base runs, with the seeds --seed, --seed + 1, ... (default: ${DEFAULT-VALUE}; the paper ran 5). "
                    + "Each draws its own MNIST pool unless --data-seed is given.")
    int seeds;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "100",
            description = "Maximum epochs of every training (base models, and treatments where the command runs them); "
                    + "early stopping usually ends them sooner (default: ${DEFAULT-VALUE}).")
    int epochs;

    /** @param defaultSeeds the command's default of {@code --seeds} */
    BaseRunOptions(int defaultSeeds) {
        this.seeds = defaultSeeds;
    }

    /**
     * The base run of the first seed {@code seed}: the options above with the protocol of
     * {@link TrainRunSpec#paper} (10% held out for early stopping, no weight decay, float32).
     */
    TrainRunSpec first(long seed) {
        return new TrainRunSpec(data.spec().toString(), data.poolSize(), data.dataSeed(), scenario, model.name(),
                model.options(), seed, 0.1, 0, Precision.FLOAT32, TrainConfig.baseDefaults(seed).withMaxEpochs(epochs),
                false);
    }

    /** Whether each base run draws its own pool with its seed: unless {@code --data-seed} fixes the pool. */
    boolean varyDataSeed() {
        return !mixee.commandLine().getParseResult().hasMatchedOption("--data-seed");
    }

    int seeds() {
        return seeds;
    }

    int epochs() {
        return epochs;
    }

    /** The base-run options with {@code --runs}: existing training runs instead of training new ones. */
    public static final class WithRuns extends BaseRunOptions {
        @Option(names = "--runs", paramLabel = "DIR", split = ",",
                description = "Use these training runs (amend train) as the base runs instead of training new ones; "
                        + "comma-separated.")
        List<Path> runs;

        WithRuns(int defaultSeeds) {
            super(defaultSeeds);
        }

        /**
         * The run folders given, as the experiment's spec records them (empty: train the base
         * runs); refuses the options that describe base runs to train, which given runs fix.
         */
        List<String> runs() {
            if (runs == null) {
                return List.of();
            }
            var parsed = mixee.commandLine().getParseResult();
            if (parsed.hasMatchedOption("--seeds") || parsed.hasMatchedOption("--data")
                    || parsed.hasMatchedOption("--scenario") || parsed.hasMatchedOption("--model")) {
                throw new AmendException("--runs uses the data, scenario, model and seeds of the given runs; leave out "
                        + "--seeds, --data, --scenario and --model");
            }
            List<String> recorded = runs.stream().map(RunOutput::recorded).toList();
            for (int i = 0; i < recorded.size(); i++) {
                if (recorded.indexOf(recorded.get(i)) != i) {
                    throw new AmendException("--runs names " + runs.get(i) + " twice; each base run counts once in the"
                            + " means and spreads");
                }
            }
            return recorded;
        }
    }
}
