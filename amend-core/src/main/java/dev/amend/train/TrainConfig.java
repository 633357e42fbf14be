package dev.amend.train;

import dev.amend.AmendException;
import java.util.Locale;

/**
 * Settings of one training run (docs/methods.md 4.1 and 3: Adam lr 1e-3, betas 0.9/0.999, eps 1e-8,
 * minibatch 64 reshuffled every epoch, at most 100 epochs, patience 5 on the validation set).
 *
 * @param optimizer ADAM or SGD (plain SGD, no momentum: the only optimiser SGD-influence can
 *     differentiate)
 * @param weightDecay whether the model's L2 term (alpha/2)||theta||^2 is part of the objective
 * @param lossSign +1 to minimise the data loss, -1 to maximise it (EWC-deletion's ascent)
 * @param recordTrajectory record every step's minibatch and learning rate, with checkpoints,
 *     for SGD-influence (SGD only)
 * @param stopOn what early stopping compares between epochs
 * @param startCompetes whether the starting parameters are a candidate of early stopping (then a
 *     run whose every epoch is worse on the validation set returns its start unchanged); when
 *     false the best epoch >= 1 is kept (docs/methods.md 3)
 */
public record TrainConfig(Optimizer optimizer, double learningRate, double beta1, double beta2, double epsilon,
        int batchSize, int maxEpochs, int patience, long seed, boolean weightDecay, double lossSign,
        boolean recordTrajectory, StopCriterion stopOn, boolean startCompetes) {

    /**
     * What "better" means for early stopping. ACCURACY: validation accuracy, ties broken by
     * lower loss (docs/methods.md 3, all repair-time training). LOSS: lower validation loss, used for
     * base models (docs/training.md: on a small, label-noisy validation split accuracy plateaus
     * by chance long before the model has learnt the clean classes).
     */
    public enum StopCriterion {
        ACCURACY, LOSS;

        /** Parses {@code loss} or {@code accuracy} given to {@code option}; anything else is the user's error. */
        public static StopCriterion parse(String option, String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "loss" -> LOSS;
                case "accuracy" -> ACCURACY;
                default -> throw new AmendException("unknown " + option + " '" + text + "'; valid: loss, accuracy");
            };
        }
    }

    /** The optimiser applied to the minibatch gradient. */
    public enum Optimizer {
        ADAM, SGD
    }

    public TrainConfig {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new AmendException("learning rate must be a positive number, got " + learningRate);
        }
        if (batchSize < 1) {
            throw new AmendException("batch size must be >= 1, got " + batchSize);
        }
        if (maxEpochs < 0) {
            throw new AmendException("epochs must be >= 0, got " + maxEpochs);
        }
        if (patience < 1) {
            throw new AmendException("patience must be >= 1, got " + patience);
        }
        if (lossSign != 1 && lossSign != -1) {
            throw new IllegalArgumentException("lossSign must be +1 or -1");
        }
        if (recordTrajectory && optimizer != Optimizer.SGD) {
            throw new AmendException("a trajectory for SGD-influence can only be recorded with plain SGD");
        }
    }

    /**
     * The paper's scheme: Adam 1e-3, batch 64, at most 100 epochs, patience 5 on validation
     * accuracy (ties: loss), weight decay on, the start a candidate of early stopping.
     */
    public static TrainConfig paperDefaults(long seed) {
        return new TrainConfig(Optimizer.ADAM, 1e-3, 0.9, 0.999, 1e-8, 64, 100, 5, seed, true, 1, false,
                StopCriterion.ACCURACY, true);
    }

    /** The default learning rate of plain SGD (docs/training.md); Adam's is 1e-3. */
    public static final double SGD_DEFAULT_LEARNING_RATE = 0.05;
    /** Adam's default learning rate. */
    public static final double ADAM_DEFAULT_LEARNING_RATE = 1e-3;

    /**
     * The minibatch optimiser for a name: adam, sgd, or lbfgs (whose runs start with Adam and
     * then solve to the exact optimum; see {@code TrainRunSpec#exact}).
     */
    public static Optimizer optimizerNamed(String name) {
        return switch (name == null ? "" : name.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "adam", "lbfgs" -> Optimizer.ADAM;
            case "sgd" -> Optimizer.SGD;
            default -> throw new AmendException("unknown optimizer '" + name + "'; valid: adam, sgd, lbfgs");
        };
    }

    /** The default learning rate of an optimiser. */
    public static double defaultLearningRate(Optimizer optimizer) {
        return optimizer == Optimizer.SGD ? SGD_DEFAULT_LEARNING_RATE : ADAM_DEFAULT_LEARNING_RATE;
    }

    /** The scheme for base models: the paper's, with early stopping on validation loss. */
    public static TrainConfig baseDefaults(long seed) {
        return paperDefaults(seed).withStopCriterion(StopCriterion.LOSS);
    }

    public TrainConfig withStopCriterion(StopCriterion c) {
        return new TrainConfig(optimizer, learningRate, beta1, beta2, epsilon, batchSize, maxEpochs, patience, seed,
                weightDecay, lossSign, recordTrajectory, c, startCompetes);
    }

    public TrainConfig withStartCompetes(boolean competes) {
        return new TrainConfig(optimizer, learningRate, beta1, beta2, epsilon, batchSize, maxEpochs, patience, seed,
                weightDecay, lossSign, recordTrajectory, stopOn, competes);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(optimizer, learningRate, beta1, beta2, epsilon, batchSize, maxEpochs, patience, s,
                weightDecay, lossSign, recordTrajectory, stopOn, startCompetes);
    }

    public TrainConfig withMaxEpochs(int epochs) {
        return new TrainConfig(optimizer, learningRate, beta1, beta2, epsilon, batchSize, epochs, patience, seed,
                weightDecay, lossSign, recordTrajectory, stopOn, startCompetes);
    }

    public TrainConfig withOptimizer(Optimizer o, double lr) {
        return new TrainConfig(o, lr, beta1, beta2, epsilon, batchSize, maxEpochs, patience, seed, weightDecay, lossSign,
                recordTrajectory, stopOn, startCompetes);
    }

    public TrainConfig withWeightDecay(boolean on) {
        return new TrainConfig(optimizer, learningRate, beta1, beta2, epsilon, batchSize, maxEpochs, patience, seed, on,
                lossSign, recordTrajectory, stopOn, startCompetes);
    }

    public TrainConfig withLossSign(double sign) {
        return new TrainConfig(optimizer, learningRate, beta1, beta2, epsilon, batchSize, maxEpochs, patience, seed,
                weightDecay, sign, recordTrajectory, stopOn, startCompetes);
    }

    public TrainConfig withBatchSize(int b) {
        return new TrainConfig(optimizer, learningRate, beta1, beta2, epsilon, b, maxEpochs, patience, seed, weightDecay,
                lossSign, recordTrajectory, stopOn, startCompetes);
    }

    public TrainConfig withPatience(int p) {
        return new TrainConfig(optimizer, learningRate, beta1, beta2, epsilon, batchSize, maxEpochs, p, seed, weightDecay,
                lossSign, recordTrajectory, stopOn, startCompetes);
    }

    public TrainConfig withRecordTrajectory(boolean on) {
        return new TrainConfig(optimizer, learningRate, beta1, beta2, epsilon, batchSize, maxEpochs, patience, seed,
                weightDecay, lossSign, on, stopOn, startCompetes);
    }
}
