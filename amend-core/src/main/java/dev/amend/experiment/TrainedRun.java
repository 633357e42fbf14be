package dev.amend.experiment;

import dev.amend.data.Dataset;
import dev.amend.data.scenario.CorruptedData;
import dev.amend.model.ModelHandle;

/**
 * A trained base model with the data of its run, as the repair methods need them (docs/methods.md
 * 1): theta*, the training set D (corrupted, as trained on), the validation part, the test set
 * T and its failure sets. Both a fresh {@link TrainRunResult} and a {@link LoadedRun} read back
 * from disk are one, so identification and treatment code works on either.
 */
public interface TrainedRun extends AutoCloseable {
    /** theta*, the trained model. */
    ModelHandle model();

    /** D, the training data as trained on (corrupted by the scenario). */
    Dataset train();

    /** The validation part used for early stopping (empty if none). */
    Dataset validation();

    /** T, the test data. */
    Dataset test();

    /** D with the scenario's ground truth: position i refers to example i of {@link #train()}. */
    CorruptedData corruption();

    /** F, F_q, F_h and T\F as positions in {@link #test()}. */
    FailureSets failures();

    /** F as a data set. */
    default Dataset failureSet() {
        return test().subset(failures().failures());
    }

    /** F_q, the query half of F. */
    default Dataset querySet() {
        return test().subset(failures().query());
    }

    /** F_h, the holdout half of F. */
    default Dataset holdoutSet() {
        return test().subset(failures().holdout());
    }

    /** T\F, the correctly classified test examples. */
    default Dataset remainingSet() {
        return test().subset(failures().remaining());
    }

    /** Frees the model's native memory. */
    @Override
    default void close() {
        model().close();
    }
}
