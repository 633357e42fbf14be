package dev.amend.experiment;

import dev.amend.AmendException;
import dev.amend.data.Dataset;
import dev.amend.data.Splits;
import dev.amend.model.Evaluation;
import dev.amend.model.ModelHandle;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * What a repair starts from (docs/methods.md 1): theta*, the training set D it was trained on, the
 * test set T with its failure sets, and, when a scenario injected the corruption, the ground
 * truth over D. Does not own the model.
 *
 * @param model theta*
 * @param train D
 * @param validation the base run's validation part (only retraining from scratch uses it), or null
 * @param test T
 * @param failures F, F_q, F_h and T\F as positions in T
 * @param corrupted the ground-truth mask by position in D, or null when unknown (a model brought
 *     from elsewhere)
 * @param originalLabels the true labels by position in D (before the scenario), or null when unknown
 */
public record RepairInput(ModelHandle model, Dataset train, Dataset validation, Dataset test, FailureSets failures,
        boolean[] corrupted, int[] originalLabels) {

    public RepairInput {
        if (corrupted != null && corrupted.length != train.size()) {
            throw new IllegalArgumentException("the mask has " + corrupted.length + " entries for " + train.size()
                    + " training examples");
        }
        if (originalLabels != null && originalLabels.length != train.size()) {
            throw new IllegalArgumentException("the true labels have " + originalLabels.length + " entries for "
                    + train.size() + " training examples");
        }
        corrupted = corrupted == null ? null : corrupted.clone();
        originalLabels = originalLabels == null ? null : originalLabels.clone();
    }

    /** The same without the true labels. */
    public RepairInput(ModelHandle model, Dataset train, Dataset validation, Dataset test, FailureSets failures,
            boolean[] corrupted) {
        this(model, train, validation, test, failures, corrupted, null);
    }

    /** A training run's model, data, failure sets and ground truth. */
    public static RepairInput of(TrainedRun run) {
        Dataset validation = run.validation().size() > 0 ? run.validation() : null;
        return new RepairInput(run.model(), run.train(), validation, run.test(), run.failures(),
                run.corruption().corrupted(), run.corruption().originalLabels());
    }

    /**
     * A model brought from elsewhere, with the data it was trained on ({@code train}) and a test
     * set: F is the test rows listed in {@code failureRows}, or theta*'s misclassified test
     * examples when it is null; F is halved into F_q and F_h with {@code seed} as a training run
     * does; T\F is the correctly classified test examples outside F; misclassified examples
     * that are not listed belong to neither. There is no ground truth.
     *
     * @throws AmendException if a listed row is not in the test set or is listed twice, or F is
     *     empty
     */
    public static RepairInput bringYourOwn(ModelHandle model, Dataset train, Dataset test, int[] failureRows, long seed) {
        model.spec().checkCompatible(train, "the training data");
        model.spec().checkCompatible(test, "the test data");
        Evaluation eval = model.evaluate(test);
        FailureSets sets;
        if (failureRows == null) {
            sets = FailureSets.of(eval, List.of(), seed);
        } else {
            int[] failures = positions(test, failureRows);
            boolean[] listed = new boolean[test.size()];
            for (int i : failures) {
                listed[i] = true;
            }
            int[] predictions = eval.predictions();
            int[] remaining = IntStream.range(0, test.size())
                    .filter(i -> !listed[i] && predictions[i] == test.label(i)).toArray();
            int[] other = IntStream.range(0, test.size())
                    .filter(i -> !listed[i] && predictions[i] != test.label(i)).toArray();
            Splits.Halves halves = Splits.halves(failures, seed);
            sets = new FailureSets(failures, halves.query(), halves.holdout(), remaining, other, List.of());
        }
        if (sets.failures().length == 0) {
            throw new AmendException(failureRows == null
                    ? "the model classifies every test example correctly: there are no failures to repair"
                    : "the failure list is empty: there is nothing to repair");
        }
        if (sets.query().length == 0) {
            throw new AmendException("a single failure cannot be split into a query and a holdout half;"
                    + " list at least two failing test rows");
        }
        return new RepairInput(model, train, null, test, sets, null);
    }

    /** Positions in {@code test} of the given rows of the user's test file, ascending. */
    private static int[] positions(Dataset test, int[] rows) {
        Map<Integer, Integer> positionOfRow = new HashMap<>();
        for (int i = 0; i < test.size(); i++) {
            positionOfRow.put(test.row(i), i);
        }
        int[] positions = new int[rows.length];
        for (int j = 0; j < rows.length; j++) {
            Integer p = positionOfRow.get(rows[j]);
            if (p == null) {
                throw new AmendException("failure row " + rows[j] + " is not a row of the test data (" + test.size()
                        + " rows)");
            }
            positions[j] = p;
        }
        Arrays.sort(positions);
        for (int j = 1; j < positions.length; j++) {
            if (positions[j] == positions[j - 1]) {
                throw new AmendException("failure row " + test.row(positions[j]) + " is listed twice");
            }
        }
        return positions;
    }

    /** Whether the ground truth of the corruption is known. */
    public boolean hasGroundTruth() {
        return corrupted != null;
    }

    @Override
    public boolean[] corrupted() {
        return corrupted == null ? null : corrupted.clone();
    }

    @Override
    public int[] originalLabels() {
        return originalLabels == null ? null : originalLabels.clone();
    }

    /** The same input with another test set and its failure sets (a clean set drawn out of T). */
    public RepairInput withTest(Dataset newTest, FailureSets newFailures) {
        return new RepairInput(model, train, validation, newTest, newFailures, corrupted, originalLabels);
    }

    /** F_q as a data set. */
    public Dataset querySet() {
        return test.subset(failures.query());
    }
}
