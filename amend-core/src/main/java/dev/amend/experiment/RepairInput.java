package dev.amend.experiment;

import dev.amend.AmendException;
import dev.amend.data.Dataset;
import dev.amend.data.FailureList;
import dev.amend.data.Splits;
import dev.amend.model.ModelHandle;
import java.util.Arrays;
import java.util.List;
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
 */
public record RepairInput(ModelHandle model, Dataset train, Dataset validation, Dataset test, FailureSets failures,
        boolean[] corrupted) {

    public RepairInput {
        if (corrupted != null && corrupted.length != train.size()) {
            throw new IllegalArgumentException("the mask has " + corrupted.length + " entries for " + train.size()
                    + " training examples");
        }
        corrupted = corrupted == null ? null : corrupted.clone();
    }

    /** A training run's model, data, failure sets and ground truth. */
    public static RepairInput of(TrainedRun run) {
        Dataset validation = run.validation().size() > 0 ? run.validation() : null;
        return new RepairInput(run.model(), run.train(), validation, run.test(), run.failures(),
                run.corruption().corrupted());
    }

    /**
     * A model brought from elsewhere, with the data it was trained on ({@code train}) and a test
     * set: F is the test rows listed in {@code failureRows}, or theta*'s misclassified test
     * examples when it is null; the rest as {@link #ofFailureList}.
     *
     * @throws AmendException if a listed row is not in the test set or is listed twice, or F is
     *     empty
     */
    public static RepairInput bringYourOwn(ModelHandle model, Dataset train, Dataset test, int[] failureRows, long seed) {
        return ofFailureList(model, train, test, failureRows == null ? null : FailureList.ofRows(failureRows), seed);
    }

    /**
     * A model brought from elsewhere, with the data it was trained on ({@code train}) and a test
     * set: F is the test examples the failure list names, or theta*'s misclassified test
     * examples when it is null; F is halved into F_q and F_h with {@code seed} as a training run
     * does; T\F is the correctly classified test examples outside F; misclassified examples
     * that are not listed belong to neither. There is no ground truth.
     *
     * @throws AmendException if a listed row is not in the test set, is listed twice or has a
     *     label other than the test data's, or F has fewer than two examples
     */
    public static RepairInput ofFailureList(ModelHandle model, Dataset train, Dataset test, FailureList failureList,
            long seed) {
        model.spec().checkCompatible(train, "the training data");
        model.spec().checkCompatible(test, "the test data");
        if (failureList == null) {
            FailureSets sets = FailureSets.of(model.evaluate(test), List.of(), seed);
            if (sets.failures().length == 0) {
                throw new AmendException("the model classifies every test example correctly: there are no failures to"
                        + " repair");
            }
            return ownModel(model, train, test, sets);
        }
        int[] failures = failureList.positionsIn(test);
        Arrays.sort(failures);
        return ownModel(model, train, test, listed(model, test, failures, seed));
    }

    /**
     * A model brought from elsewhere with failing examples given as data of their own
     * ({@code failures}: inputs collected in production with their true labels, say). T is the
     * test set followed by these examples, and F is the appended part, halved into F_q and F_h
     * with {@code seed}; T\F is the correctly classified examples of the test set, and its
     * misclassified examples belong to neither. The failure examples keep the rows of their own
     * file. There is no ground truth.
     *
     * @throws AmendException if the failure data's shape or class count is not the model's, or it
     *     has fewer than two examples
     */
    public static RepairInput ofFailureData(ModelHandle model, Dataset train, Dataset test, Dataset failures,
            long seed) {
        model.spec().checkCompatible(train, "the training data");
        model.spec().checkCompatible(test, "the test data");
        model.spec().checkCompatible(failures, "the failure data");
        Dataset asTest = new Dataset(failures.pixels(), failures.labels(), failures.rows(), failures.channels(),
                failures.height(), failures.width(), test.classNames());
        Dataset joined = test.concat(asTest);
        int[] positions = IntStream.range(test.size(), joined.size()).toArray();
        return ownModel(model, train, joined, listed(model, joined, positions, seed));
    }

    /** The failure sets when F is the given positions of {@code test} (ascending). */
    private static FailureSets listed(ModelHandle model, Dataset test, int[] failures, long seed) {
        if (failures.length == 0) {
            throw new AmendException("the failure list is empty: there is nothing to repair");
        }
        boolean[] listed = new boolean[test.size()];
        for (int i : failures) {
            listed[i] = true;
        }
        int[] predictions = model.evaluate(test).predictions();
        int[] remaining = IntStream.range(0, test.size())
                .filter(i -> !listed[i] && predictions[i] == test.label(i)).toArray();
        int[] other = IntStream.range(0, test.size())
                .filter(i -> !listed[i] && predictions[i] != test.label(i)).toArray();
        Splits.Halves halves = Splits.halves(failures, seed);
        return new FailureSets(failures, halves.query(), halves.holdout(), remaining, other, List.of());
    }

    private static RepairInput ownModel(ModelHandle model, Dataset train, Dataset test, FailureSets sets) {
        if (sets.query().length == 0) {
            throw new AmendException("a single failure cannot be split into a query and a holdout half;"
                    + " give at least two failing examples");
        }
        return new RepairInput(model, train, null, test, sets, null);
    }

    /** Whether the ground truth of the corruption is known. */
    public boolean hasGroundTruth() {
        return corrupted != null;
    }

    @Override
    public boolean[] corrupted() {
        return corrupted == null ? null : corrupted.clone();
    }

    /** F_q as a data set. */
    public Dataset querySet() {
        return test.subset(failures.query());
    }
}
