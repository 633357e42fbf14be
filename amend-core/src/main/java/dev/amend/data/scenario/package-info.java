/**
 * Failure scenarios: seeded corruptions of a training set whose injected mask is the ground
 * truth for cause identification, following the evaluation of Tanno et al. 2022 ("Repairing
 * Neural Networks by Leaving the Right Past Behind", Section 4.1: annotation noise, random
 * input noise, adversarial poisoning) with the defaults of docs/methods.md Section 4.2.
 *
 * <p>Entry points: {@link dev.amend.data.scenario.ScenarioSpec#parse} turns a user's spec
 * string into a {@link dev.amend.data.scenario.Scenario} (or, for poisoning, into
 * {@link dev.amend.data.scenario.PoisonOptions} that wait for trained victims), and
 * {@link dev.amend.data.scenario.Scenario#apply} returns the corrupted data with its masks as
 * {@link dev.amend.data.scenario.CorruptedData}. docs/scenarios.md is the user-facing guide.
 */
package dev.amend.data.scenario;
