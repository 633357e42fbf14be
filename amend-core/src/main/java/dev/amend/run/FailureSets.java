package dev.amend.run;

import dev.amend.data.Splits;
import dev.amend.model.Evaluation;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The split of the test set T after training (docs/methods.md 1 and 4.2), as positions in T, each
 * array ascending: F (failures: misclassified test examples, of the target classes when the
 * scenario has them), its halves F_q (query, floor(|F|/2), seeded) and F_h (holdout), T\F (the
 * correctly classified examples, on which the model's accuracy is 1) and the misclassified
 * examples outside the target classes, which belong to neither F nor T\F (empty unless
 * {@code classes} is set). The five position sets partition T, with F = F_q + F_h.
 *
 * @param classes the classes F is restricted to (input noise and poisoning: the scenario's
 *     target classes), or an empty list for all classes
 */
public record FailureSets(int[] failures, int[] query, int[] holdout, int[] remaining, int[] otherFailures,
        List<Integer> classes) {

    public FailureSets {
        failures = failures.clone();
        query = query.clone();
        holdout = holdout.clone();
        remaining = remaining.clone();
        otherFailures = otherFailures.clone();
        classes = List.copyOf(classes);
    }

    /**
     * Splits T by the model's predictions {@code test}: F = misclassified examples (of
     * {@code classes}, if not empty), F_q/F_h = {@link Splits#halves}(F, seed).
     */
    public static FailureSets of(Evaluation test, List<Integer> classes, long seed) {
        int[] predictions = test.predictions();
        int[] labels = test.labels();
        int[] failures = IntStream.range(0, test.size())
                .filter(i -> predictions[i] != labels[i] && (classes.isEmpty() || classes.contains(labels[i])))
                .toArray();
        int[] remaining = IntStream.range(0, test.size()).filter(i -> predictions[i] == labels[i]).toArray();
        int[] other = IntStream.range(0, test.size())
                .filter(i -> predictions[i] != labels[i] && !classes.isEmpty() && !classes.contains(labels[i]))
                .toArray();
        Splits.Halves halves = Splits.halves(failures, seed);
        return new FailureSets(failures, halves.query(), halves.holdout(), remaining, other, classes);
    }

    /** F, positions in T. */
    @Override
    public int[] failures() {
        return failures.clone();
    }

    /** F_q, positions in T. */
    @Override
    public int[] query() {
        return query.clone();
    }

    /** F_h, positions in T. */
    @Override
    public int[] holdout() {
        return holdout.clone();
    }

    /** T\F, positions in T. */
    @Override
    public int[] remaining() {
        return remaining.clone();
    }

    @Override
    public int[] otherFailures() {
        return otherFailures.clone();
    }

    /** The number of failures per true class (length {@code numClasses}): the class histogram of F. */
    public int[] histogram(int[] testLabels, int numClasses) {
        int[] counts = new int[numClasses];
        for (int i : failures) {
            counts[testLabels[i]]++;
        }
        return counts;
    }
}
