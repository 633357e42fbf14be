package dev.amend.run;

import dev.amend.data.ExampleSet;
import dev.amend.data.scenario.CorruptedData;
import dev.amend.model.Evaluation;
import dev.amend.model.ModelHandle;
import dev.amend.run.format.RunDirectory;
import dev.amend.run.format.TrainMetrics;
import dev.amend.run.format.TrainRunSpec;
import dev.amend.train.TrainResult;

/**
 * What {@link TrainRun#run} produced, in memory; {@link RunDirectory#write} saves it. Owns the
 * model: close it when done.
 *
 * @param spec what the run was given
 * @param model theta*
 * @param train D, corrupted, as trained on
 * @param validation the validation part (corrupted like D; empty with validation fraction 0)
 * @param test T
 * @param corruption the scenario's ground truth over D (position i = example i of D)
 * @param failures F, F_q, F_h, T\F as positions in T
 * @param testEvaluation theta*'s per-example losses and predictions on T
 * @param training the minibatch training's history (and SGD trajectory if recorded); for the
 *     exact optimum a record with no epochs
 * @param metrics the numbers written to metrics.json
 */
public record TrainRunResult(TrainRunSpec spec, ModelHandle model, ExampleSet train, ExampleSet validation, ExampleSet test,
        CorruptedData corruption, FailureSets failures, Evaluation testEvaluation, TrainResult training,
        TrainMetrics metrics) implements TrainedRun {
}
