package dev.amend.run;

import dev.amend.data.ExampleSet;
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
    ExampleSet train();

    /** The validation part used for early stopping (empty if none). */
    ExampleSet validation();

    /** T, the test data. */
    ExampleSet test();

    /** D with the scenario's ground truth: position i refers to example i of {@link #train()}. */
    CorruptedData corruption();

    /** F, F_q, F_h and T\F as positions in {@link #test()}. */
    FailureSets failures();

    /** F as a data set. */
    default ExampleSet failureSet() {
        return test().subset(failures().failures());
    }

    /** F_q, the query half of F. */
    default ExampleSet querySet() {
        return test().subset(failures().query());
    }

    /** F_h, the holdout half of F. */
    default ExampleSet holdoutSet() {
        return test().subset(failures().holdout());
    }

    /** T\F, the correctly classified test examples. */
    default ExampleSet remainingSet() {
        return test().subset(failures().remaining());
    }

    /** Frees the model's native memory. */
    @Override
    default void close() {
        model().close();
    }
}
