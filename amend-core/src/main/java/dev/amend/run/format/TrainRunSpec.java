package dev.amend.run.format;

import dev.amend.AmendException;
import dev.amend.data.DataSpec;
import dev.amend.model.ModelSpec.Precision;
import dev.amend.run.TrainRun;
import dev.amend.train.TrainConfig;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a {@link TrainRun} is given, written as a run's {@code spec.json}; the run can be
 * repeated from it alone (docs/methods.md 4.1 and 4.2).
 *
 * @param data the data spec (see {@link DataSpec}), canonical text
 * @param poolSize for {@code mnist}: training digits drawn (the paper's 3,000); ignored otherwise
 * @param dataSeed the seed of that draw, kept apart from {@code seed} so the data can stay fixed
 * @param scenario the failure scenario spec ({@code none}, {@code label-flip[:...]},
 *     {@code input-noise[:...]}, {@code poison[:...]}; see
 *     {@link dev.amend.data.scenario.ScenarioSpec})
 * @param model the architecture name (see {@link dev.amend.model.Architectures})
 * @param modelOptions the architecture's options
 * @param seed the run's seed: scenario, validation split, initialisation, failure halves and
 *     victims draw seeds derived from it (see {@link TrainRun.Seeds})
 * @param valFraction the share of the (corrupted) training data set aside for early stopping,
 *     in [0, 1); 0 trains on every row and runs all epochs
 * @param l2 the weight decay alpha of the objective mean cross-entropy + alpha/2 ||theta||^2
 * @param precision float32 or float64 parameters and activations
 * @param train the minibatch training scheme (its seed shuffles the minibatches); ignored
 *     apart from the seed when {@code exactOptimum} is set
 * @param exactOptimum train to the exact optimum of the objective on D with full-batch Newton or
 *     L-BFGS steps (gradient norm {@value TrainRun#OPTIMUM_TOLERANCE}) instead of minibatches;
 *     needs float64
 */
public record TrainRunSpec(String data, int poolSize, long dataSeed, String scenario, String model,
        Map<String, String> modelOptions, long seed, double valFraction, double l2, Precision precision,
        TrainConfig train, boolean exactOptimum) {

    public TrainRunSpec {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(train, "train");
        modelOptions = modelOptions == null ? Map.of() : Map.copyOf(modelOptions);
        if (poolSize < 0) {
            throw new AmendException("the pool size must be 0 (all of a data set other than mnist) or more, got "
                    + poolSize);
        }
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new AmendException("the validation fraction must be in [0, 1), got " + valFraction);
        }
        if (!(l2 >= 0) || !Double.isFinite(l2)) {
            throw new AmendException("the L2 coefficient must be a finite number >= 0, got " + l2);
        }
        if (exactOptimum && precision != Precision.FLOAT64) {
            // A float32 gradient cannot get near the tolerance: rounding alone leaves norms around 1e-6.
            throw new AmendException("training to the exact optimum needs float64 precision");
        }
    }

    /**
     * The paper's protocol for one model and scenario: the data set's default pool (3,000 MNIST
     * digits, all of any other data set; data seed 0), 10% validation, no weight decay, float32, Adam with the paper's scheme and
     * early stopping on validation loss ({@link TrainConfig#baseDefaults}; docs/training.md).
     */
    public static TrainRunSpec paper(String data, String scenario, String model, long seed) {
        return new TrainRunSpec(data, DataSpec.parse(data).defaultPoolSize(), 0, scenario, model, Map.of(), seed, 0.1, 0,
                Precision.FLOAT32, TrainConfig.baseDefaults(seed), false);
    }

    /** The same spec with another training scheme. */
    public TrainRunSpec withTrain(TrainConfig config) {
        return new TrainRunSpec(data, poolSize, dataSeed, scenario, model, modelOptions, seed, valFraction, l2, precision,
                config, exactOptimum);
    }
}
