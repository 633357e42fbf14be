package dev.amend.identify;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.model.ModelHandle;
import dev.amend.train.Trajectory;

/**
 * What cause identification works on (docs/methods.md 1): the trained model theta*, the training
 * set D, the failure query set F_q and its 90/10 split into F_q_fit and F_q_val (early
 * stopping), and optional extras: the ground-truth corruption mask over D (for the oracle and
 * for evaluation only), a recorded SGD trajectory over D (for SGD-influence), theta*'s
 * per-example losses on D when already computed (reused, not recomputed), and other labelled
 * examples to score on the same scale as D ({@code others}, e.g. the base validation split, which
 * a repair's acceptance check leaves out where the identification would flag it; docs/methods.md
 * 3(e)); a method that can scores them in the same run ({@link Ranking#otherScores()}).
 */
public record IdentificationProblem(ModelHandle model, ExampleSet train, ExampleSet query, ExampleSet queryFit,
        ExampleSet queryValidation, boolean[] noisy, Trajectory trajectory, double[] trainLossAtOptimum, long seed,
        ExampleSet others) {

    /** A problem without other examples to score. */
    public IdentificationProblem(ModelHandle model, ExampleSet train, ExampleSet query, ExampleSet queryFit,
            ExampleSet queryValidation, boolean[] noisy, Trajectory trajectory, double[] trainLossAtOptimum,
            long seed) {
        this(model, train, query, queryFit, queryValidation, noisy, trajectory, trainLossAtOptimum, seed, null);
    }

    public IdentificationProblem {
        if (train.size() == 0) {
            throw new AmendException("the training set is empty");
        }
        if (query.size() == 0) {
            throw new AmendException("the failure query set is empty: there is nothing to explain");
        }
        model.spec().checkCompatible(train, "the training data");
        model.spec().checkCompatible(query, "the failure query set");
        if (noisy != null && noisy.length != train.size()) {
            throw new IllegalArgumentException("mask length " + noisy.length + " != training size " + train.size());
        }
        if (trainLossAtOptimum != null && trainLossAtOptimum.length != train.size()) {
            throw new IllegalArgumentException("cached losses do not match the training set");
        }
        if (others != null) {
            model.spec().checkCompatible(others, "the examples to score beside D");
        }
    }

    /**
     * A problem whose query set is split 90/10 into fit and validation parts (docs/methods.md 1:
     * uniform random, seeded, |F_q_val| = max(1, round(0.1 |F_q|)); with a single query
     * example both parts are that example).
     */
    public static IdentificationProblem of(ModelHandle model, ExampleSet train, ExampleSet query, boolean[] noisy,
            Trajectory trajectory, long seed) {
        int n = query.size();
        if (n == 0) {
            throw new AmendException("the failure query set is empty: there is nothing to explain");
        }
        if (n == 1) {
            return new IdentificationProblem(model, train, query, query, query, noisy, trajectory, null, seed);
        }
        int[] perm = dev.amend.data.Splits.permutation(n, seed);
        int nVal = queryValidationSize(n);
        int[] val = java.util.Arrays.copyOfRange(perm, 0, nVal);
        int[] fit = java.util.Arrays.copyOfRange(perm, nVal, n);
        java.util.Arrays.sort(val);
        java.util.Arrays.sort(fit);
        return new IdentificationProblem(model, train, query, query.subset(fit), query.subset(val), noisy, trajectory,
                null, seed);
    }

    /** |F_q_val| for a query set of {@code n} examples: max(1, round(0.1 n)) (docs/methods.md 1). */
    public static int queryValidationSize(int n) {
        return Math.max(1, (int) Math.round(0.1 * n));
    }

    /** The same problem with theta*'s per-example training losses attached. */
    public IdentificationProblem withTrainLoss(double[] losses) {
        return new IdentificationProblem(model, train, query, queryFit, queryValidation, noisy, trajectory, losses, seed,
                others);
    }

    /** The same problem with other examples to score on D's scale (null for none). */
    public IdentificationProblem withOthers(ExampleSet examples) {
        return new IdentificationProblem(model, train, query, queryFit, queryValidation, noisy, trajectory,
                trainLossAtOptimum, seed, examples);
    }

    /**
     * theta*'s per-example losses on D: the attached ones, else those the model kept from its
     * Fisher pass over D at theta* ({@link ModelHandle#losses}), else computed now.
     */
    public double[] trainLoss() {
        return trainLossAtOptimum != null ? trainLossAtOptimum.clone() : model.losses(train);
    }
}
