/**
 * The paper's experiments, each over several seeds (base runs) with mean ± std
 * ({@link dev.amend.experiment.Stats}): ranking quality per identification method, Fig. 2(c, d)
 * ({@link dev.amend.experiment.IdentifyExperiment}); treating the top k, Fig. 3, the
 * trade-off of Fig. 5 and fine-tuning on F_q of Fig. 9
 * ({@link dev.amend.experiment.TreatExperiment}); retaining against deleting the flagged
 * examples (docs/methods.md 5.3; {@link dev.amend.experiment.RetainExperiment}). The whole
 * paper in one resumable command is {@code dev.amend.experiment.paper}. docs/results.md reports
 * what they measured.
 *
 * <p>A package of its own because these are protocols built from the run services
 * ({@code dev.amend.run}), not services a user needs to repair a model: nothing in the library
 * depends on them.
 */
package dev.amend.experiment;
