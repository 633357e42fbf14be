package dev.amend.run;

import dev.amend.data.ExampleSet;
import dev.amend.identify.Identifiers;
import dev.amend.identify.SgdInfluence.AuxiliaryStart;
import dev.amend.model.ModelHandle;
import dev.amend.model.ModelSpec;
import dev.amend.train.EpochListener;
import dev.amend.train.TrainConfig;
import dev.amend.train.TrainResult;
import dev.amend.train.TrainingLoop;
import dev.amend.train.Trajectory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The auxiliary plain-SGD model that SGD-influence scores with when theta* was trained by
 * another optimiser (docs/methods.md 2(c), Section 7 item 11), every step recorded, no
 * validation split (all epochs run and the last parameters are kept, so the trajectory ends
 * where the scored model is). By default a copy of theta* continued for
 * {@value #THETA_STAR_EPOCHS} epochs at lr {@value #THETA_STAR_LEARNING_RATE}; from theta*'s
 * initial parameters instead, the same architecture trained on D at lr {@value #LEARNING_RATE},
 * batch {@value #BATCH_SIZE}, {@value #EPOCHS} epochs, no weight decay (the settings of Hara et
 * al.'s deep-network code), which leaves the paper's CNN untrained.
 */
public final class AuxiliarySgd {
    public static final double LEARNING_RATE = 0.05;
    public static final int BATCH_SIZE = 64;
    public static final int EPOCHS = 20;
    /**
     * From theta*: a short run at a small rate. Plain SGD at 0.05 wrecks an Adam-trained CNN
     * (test accuracy 0.90 -> 0.13 in 3 epochs), 0.005 still costs 10 points, 0.001 keeps it
     * (docs/results.md).
     */
    public static final double THETA_STAR_LEARNING_RATE = 0.001;
    public static final int THETA_STAR_EPOCHS = 3;

    /** The start sgd-influence's settings ask for ({@link dev.amend.identify.SgdInfluence#DEFAULT_AUXILIARY_START} by default). */
    public static AuxiliaryStart start(Identifiers.Options options) {
        return options.sgdInfluence().auxiliaryStart();
    }

    /** What the progress line says about the run {@code start} trains. */
    public static String describe(AuxiliaryStart start) {
        return start == AuxiliaryStart.THETA_STAR
                ? THETA_STAR_EPOCHS + " epochs from theta*, lr " + THETA_STAR_LEARNING_RATE
                : EPOCHS + " epochs from theta*'s initialisation, lr " + LEARNING_RATE;
    }

    private AuxiliarySgd() {
    }

    /**
     * A trained auxiliary model with its trajectory. Owns the model: close it when done.
     *
     * @param model the model at the end of the trajectory
     * @param trajectory every step's minibatch and rate, with checkpoints
     * @param initSeed the seed of the initial parameters (theta*'s)
     * @param config the training scheme
     * @param seconds wall-clock training time (recording included)
     * @param start where the run started
     */
    public record Trained(ModelHandle model, Trajectory trajectory, long initSeed, TrainConfig config, double seconds,
            AuxiliaryStart start) implements AutoCloseable {

        /** What ranking.json says about the model the scores come from. */
        public Map<String, Object> describe() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("start", start.text());
            d.put("optimizer", "sgd");
            d.put("learning_rate", config.learningRate());
            d.put("batch_size", config.batchSize());
            d.put("epochs", config.maxEpochs());
            d.put("weight_decay", config.weightDecay());
            d.put("init_seed", initSeed);
            d.put("shuffle_seed", config.seed());
            d.put("steps", trajectory.steps());
            d.put("training_seconds", seconds);
            return d;
        }

        @Override
        public void close() {
            model.close();
        }
    }

    /**
     * The scheme: the paper's with plain SGD at {@value #LEARNING_RATE} for {@value #EPOCHS}
     * epochs, trajectory recorded, minibatches shuffled with {@code seed}.
     */
    public static TrainConfig config(long seed) {
        // Weight decay off: docs/methods.md 2(c) fixes alpha = 0 for the auxiliary run whatever theta* used.
        return TrainConfig.paperDefaults(seed).withOptimizer(TrainConfig.Optimizer.SGD, LEARNING_RATE)
                .withBatchSize(BATCH_SIZE).withMaxEpochs(EPOCHS).withRecordTrajectory(true).withWeightDecay(false);
    }

    /**
     * Trains the auxiliary model.
     *
     * @param spec theta*'s model spec (architecture, input mean, classes)
     * @param initSeed the seed theta* was initialised with
     * @param train D
     * @param seed shuffles the minibatches
     */
    public static Trained train(ModelSpec spec, long initSeed, ExampleSet train, long seed, EpochListener listener) {
        return train(ModelHandle.create(spec, initSeed), initSeed, config(seed), AuxiliaryStart.INIT, train, listener);
    }

    /**
     * Trains the auxiliary model from {@code start}: theta*'s initialisation as
     * {@link #train(ModelSpec, long, ExampleSet, long, EpochListener)} does, or a copy of
     * {@code thetaStar} for {@value #THETA_STAR_EPOCHS} epochs at {@value #THETA_STAR_LEARNING_RATE}.
     */
    public static Trained train(AuxiliaryStart start, ModelHandle thetaStar, long initSeed, ExampleSet train, long seed,
            EpochListener listener) {
        if (start == AuxiliaryStart.INIT) {
            ModelHandle fresh;
            try {
                fresh = thetaStar.reinitialised(initSeed);
            } catch (dev.amend.AmendException e) {
                throw new dev.amend.AmendException("sgd-influence's auxiliary SGD model cannot start from theta*'s"
                        + " initialisation (--auxiliary-start init): this model has none (a TorchScript model brought"
                        + " from elsewhere); start it from theta* with --auxiliary-start theta-star, the default", e);
            }
            return train(fresh, initSeed, config(seed), AuxiliaryStart.INIT, train, listener);
        }
        TrainConfig config = config(seed).withOptimizer(TrainConfig.Optimizer.SGD, THETA_STAR_LEARNING_RATE)
                .withMaxEpochs(THETA_STAR_EPOCHS);
        return train(thetaStar.copy(), initSeed, config, start, train, listener);
    }

    private static Trained train(ModelHandle model, long initSeed, TrainConfig config, AuxiliaryStart start,
            ExampleSet train, EpochListener listener) {
        try {
            TrainResult r = TrainingLoop.train(model, train, null, config, null, listener);
            return new Trained(model, r.trajectory(), initSeed, config, r.seconds(), start);
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }
}
