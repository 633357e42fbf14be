/**
 * The run services: what a user of the library calls to train, rank and repair, the same steps
 * the CLI's {@code train}, {@code identify} and {@code repair} take. {@link dev.amend.run.TrainRun}
 * trains theta* under a failure scenario and returns a {@link dev.amend.run.TrainRunResult};
 * {@link dev.amend.run.IdentifyRun} ranks the training examples behind a failure query set;
 * {@link dev.amend.run.Repair} ranks, selects and treats, from a
 * {@link dev.amend.run.RepairInput} (a trained run, or a model of your own with its data) to a
 * {@link dev.amend.run.RepairResult}. Beside them are the sets they share: the failure sets F,
 * F_q, F_h and T\F ({@link dev.amend.run.FailureSets}; docs/methods.md 1), a query set given as
 * rows or data ({@link dev.amend.run.QuerySets}), the clean set of retain
 * ({@link dev.amend.run.CleanData}) and where a repair's validation split came from
 * ({@link dev.amend.run.ValidationSource}); and the helpers only these steps need: the
 * auxiliary plain-SGD model of SGD-influence ({@link dev.amend.run.AuxiliarySgd}) and the
 * victim models of poisoning ({@link dev.amend.run.ModelVictim}).
 *
 * <p>A package of its own because these are the library's entry points: the paper's experiments
 * ({@code dev.amend.experiment}) and the benchmarks ({@code dev.amend.bench}) call them, never
 * the other way round. How a run or a repair is laid out on disk is {@code dev.amend.run.format};
 * the two refer to each other (a result is written from, and a run folder read back as, the
 * records here), and nothing below them refers to either.
 */
package dev.amend.run;
