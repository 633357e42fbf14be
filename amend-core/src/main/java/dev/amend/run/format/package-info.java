/**
 * The on-disk formats of runs and repairs: what a folder holds, and the records its JSON files
 * are. {@link dev.amend.run.format.RunDirectory} writes a training run's folder (model, data
 * splits, {@code spec.json}, {@code metrics.json}) and reads it back;
 * {@link dev.amend.run.format.RepairDirectory} writes a repair's (ranking, causes.csv,
 * predictions, relabelled examples). {@link dev.amend.run.format.TrainRunSpec} and
 * {@link dev.amend.run.format.RepairSpec} are the {@code spec.json} of each, from which a run can
 * be made again; {@link dev.amend.run.format.TrainMetrics} and
 * {@link dev.amend.run.format.RepairMetrics} their {@code metrics.json} (docs/runs.md,
 * docs/metrics.md).
 *
 * <p>A package of its own so that a change of file layout or JSON field is made, and reviewed,
 * in one place: a field renamed here changes what earlier runs on disk read as, which the run
 * services need not know about.
 */
package dev.amend.run.format;
