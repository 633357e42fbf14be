package dev.amend.run.format;

import dev.amend.run.TrainRun;
import java.util.List;
import java.util.Map;

/**
 * What a training run measured, written as a run's {@code metrics.json}. Accuracies are
 * fractions in [0, 1]; {@code null} where the set is empty (no validation part, no corrupted
 * examples).
 *
 * @param scenario the scenario as applied (resolved parameters, its seed)
 * @param train the training set D (corrupted) and how the model fits its clean and noisy parts
 * @param validation the validation part used for early stopping
 * @param test the test set T
 * @param failures the failure sets and the class histogram of F
 * @param training how the parameters were found
 * @param seeds the seeds derived from the run's seed
 * @param testFingerprint a checksum of T (rows, labels, pixels), so that loading the run can
 *     tell when the test data behind its index files has changed
 */
public record TrainMetrics(Scenario scenario, TrainPart train, Part validation, Part test, Failures failures,
        Training training, TrainRun.Seeds seeds, String testFingerprint) {

    /** The scenario's name and its parameters as resolved for this data, seed included. */
    public record Scenario(String name, Map<String, Object> parameters) {
    }

    /** Size, accuracy and mean loss on one set. */
    public record Part(int size, Double accuracy, Double loss) {
    }

    /**
     * The training set D.
     *
     * @param corrupted examples the scenario changed (label or pixels)
     * @param labelsChanged examples whose label differs from the original
     * @param accuracy accuracy on D with its (possibly corrupted) labels
     * @param cleanAccuracy accuracy on the examples the scenario left alone
     * @param noisyAccuracy accuracy on the corrupted examples against their given labels (how far
     *     the model fitted the noise)
     * @param noisyOriginalAccuracy accuracy on the corrupted examples against their original labels
     * @param validationCorrupted corrupted examples in the validation part
     */
    public record TrainPart(int size, int corrupted, int labelsChanged, Double accuracy, Double loss,
            Double cleanAccuracy, Double noisyAccuracy, Double noisyOriginalAccuracy, int validationCorrupted) {
    }

    /**
     * The failure sets (counts; the positions are in the run's splits folder).
     *
     * @param restrictedToClasses the classes F is restricted to, empty for all
     * @param otherFailures misclassified test examples outside those classes (in neither F nor T\F)
     * @param failureAccuracy accuracy on F, 0 by definition (null if F is empty)
     * @param remainingAccuracy accuracy on T\F, 1 by definition (null if empty)
     * @param byClass the class histogram of F, by true class
     */
    public record Failures(List<Integer> restrictedToClasses, int failures, int query, int holdout, int remaining,
            int otherFailures, Double failureAccuracy, Double remainingAccuracy, List<ClassCount> byClass) {
    }

    /** How many failures have true class {@code index}. */
    public record ClassCount(int index, String name, int count) {
    }

    /**
     * How the parameters were found.
     *
     * @param method "adam", "sgd" or "exact" (full-batch optimum)
     * @param epochsRun minibatch epochs run (0 for the exact optimum)
     * @param bestEpoch the epoch whose parameters were kept (0 = the initialisation)
     * @param iterations full-batch iterations (exact optimum only)
     * @param gradientNorm the final norm of the objective's gradient (exact optimum only)
     * @param seconds wall-clock time of the training (victims excluded)
     */
    public record Training(String method, int epochsRun, int bestEpoch, Integer iterations, Double gradientNorm,
            double seconds) {
    }
}
