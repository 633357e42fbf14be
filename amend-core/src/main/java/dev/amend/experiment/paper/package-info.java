/**
 * Every experiment of the paper in one command ({@link dev.amend.experiment.paper.PaperExperiment}):
 * base runs trained once and shared, each part written to a folder of its own when it finishes
 * so that a rerun skips it ({@link dev.amend.experiment.paper.PartStore}), and the parts that
 * exist only here: identification on the base runs of one scenario, Fig. 2(c, d), 4, 7 and 8
 * ({@link dev.amend.experiment.paper.RankingExperiment}), and sample efficiency, Fig. 6
 * ({@link dev.amend.experiment.paper.SampleEfficiency}).
 */
package dev.amend.experiment.paper;
