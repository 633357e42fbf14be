package dev.amend.run;

import dev.amend.data.ExampleSet;
import dev.amend.data.scenario.CorruptedData;
import dev.amend.model.ModelHandle;
import dev.amend.run.format.RunDirectory;
import dev.amend.run.format.TrainMetrics;
import dev.amend.run.format.TrainRunSpec;
import java.nio.file.Path;

/**
 * A training run read back from its folder by {@link RunDirectory#load}. Owns the model: close
 * it when done.
 *
 * @param folder the run folder
 * @param spec the run's spec.json
 * @param model theta*
 * @param train D as trained on (from train-data.bin)
 * @param validation the validation part (from validation-data.bin)
 * @param test T, re-loaded from the data spec and checked against the fingerprint in metrics.json
 * @param corruption the ground-truth mask over D (from mask.csv; all false for scenario none)
 * @param failures F, F_q, F_h, T\F as positions in T (from the splits folder's test rows)
 * @param metrics the run's metrics.json
 */
public record LoadedRun(Path folder, TrainRunSpec spec, ModelHandle model, ExampleSet train, ExampleSet validation,
        ExampleSet test, CorruptedData corruption, FailureSets failures, TrainMetrics metrics) implements TrainedRun {
}
