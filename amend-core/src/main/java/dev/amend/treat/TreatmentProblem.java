package dev.amend.treat;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.data.Splits;
import dev.amend.model.ModelHandle;
import dev.amend.train.EpochListener;
import java.util.Arrays;

/**
 * What a treatment works on (docs/methods.md 3): the trained model theta*, the training set D, the
 * positions of the causes C in D, the failure query split F_q_fit / F_q_val (F_q_val decides
 * early stopping for every treatment), the validation set V that the stopping rules watching
 * {@code validation} read (a run's, or a model brought from elsewhere's check data or held-out
 * part of the test set; null without one), the diagonal Fisher of D at theta* if already
 * computed, a seed, a progress listener and, for the retain treatment (docs/methods.md 5), a
 * trusted clean set (null when there is none).
 */
public record TreatmentProblem(ModelHandle model, ExampleSet train, int[] causes, ExampleSet queryFit,
        ExampleSet queryValidation, ExampleSet baseValidation, double[] fisher, long seed, EpochListener listener,
        CleanSet clean) {

    /** A problem without a clean set. */
    public TreatmentProblem(ModelHandle model, ExampleSet train, int[] causes, ExampleSet queryFit, ExampleSet queryValidation,
            ExampleSet baseValidation, double[] fisher, long seed, EpochListener listener) {
        this(model, train, causes, queryFit, queryValidation, baseValidation, fisher, seed, listener, null);
    }

    public TreatmentProblem {
        int n = train.size();
        if (causes.length == 0) {
            throw new AmendException("no causes to remove: the cause set is empty (k = 0)");
        }
        if (causes.length > n) {
            throw new AmendException("cannot remove " + causes.length + " causes from " + n + " training examples");
        }
        boolean[] seen = new boolean[n];
        for (int c : causes) {
            if (c < 0 || c >= n) {
                throw new AmendException("cause position " + c + " is outside the training set of " + n);
            }
            if (seen[c]) {
                throw new AmendException("cause position " + c + " is listed twice");
            }
            seen[c] = true;
        }
        causes = causes.clone();
        listener = listener == null ? EpochListener.NONE : listener;
    }

    /** C as a data set. */
    public ExampleSet causeSet() {
        return train.subset(causes);
    }

    /** D \ C as a data set (training order kept). */
    public ExampleSet remaining() {
        int[] sorted = causes.clone();
        Arrays.sort(sorted);
        return train.subset(Splits.complement(train.size(), sorted));
    }

    /** The Fisher diagonal of D at theta* (computed now if not given). */
    public double[] fisherDiagonal() {
        return fisher != null ? fisher.clone() : model.fisherDiagonal(train);
    }
}
