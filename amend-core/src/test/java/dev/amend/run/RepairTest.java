package dev.amend.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import dev.amend.identify.CauseSelection;
import dev.amend.identify.IdentificationProblem;
import dev.amend.identify.Identifiers;
import dev.amend.model.Evaluation;
import dev.amend.provenance.Provenance;
import dev.amend.run.format.RepairDirectory;
import dev.amend.run.format.RepairMetrics;
import dev.amend.run.format.RunDirectory;
import dev.amend.train.TrainConfig;
import dev.amend.treat.Treatment;
import dev.amend.treat.TreatmentFactory;
import dev.amend.util.Json;
import dev.amend.util.Vectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repair loop on a tiny MLP with flipped labels: what it measures, what it shares, what it refuses. */
class RepairTest {
    @TempDir
    static Path dir;

    private static TrainRunResult run;

    @BeforeAll
    static void train() {
        run = TinyRuns.swappedLabels(dir);
    }

    @AfterAll
    static void close() {
        run.close();
    }

    private static Repair.Identified ewcInfluence(Repair repair) {
        return repair.identify(Identifiers.create("ewc-influence", Identifiers.Options.defaults(), 5));
    }

    private static Treatment finetune(int epochs) {
        return TreatmentFactory.builder("finetune-remaining").optSeed(1).optMaxEpochs(epochs).build();
    }

    @Test
    void theAcceptanceCheckJudgesOnlyByTheValidationSplitAndFqVal() {
        Repair repair = Repair.of(RepairInput.of(run), 5, TrainRun.Listener.NONE);
        Repair.Identified identified = ewcInfluence(repair);
        assertThat(identified.validationScores()).hasSize(run.validation().size());
        try (RepairResult r = repair.treat(identified, CauseSelection.topK(20), finetune(3))) {
            RepairMetrics.Acceptance a = r.metrics().acceptance();
            Evaluation v = r.model().evaluate(run.validation());
            assertThat(a.validation().size()).isEqualTo(run.validation().size());
            assertThat(a.validation().accuracyAfter()).isEqualTo(v.accuracy());
            assertThat(a.validation().accuracyBefore()).isEqualTo(run.model().evaluate(run.validation()).accuracy());
            assertThat(a.queryValidation().accuracyBefore()).isZero();
            // V without the examples scored at or above the cut of C.
            double cut = java.util.Arrays.stream(r.causes()).mapToDouble(c -> identified.ranking().score(c)).min()
                    .orElseThrow();
            long unflagged = java.util.Arrays.stream(identified.validationScores()).filter(x -> x < cut).count();
            assertThat(a.unflaggedValidation().size()).isEqualTo((int) unflagged);
            assertThat(a.checkSet()).isEqualTo("unflagged-validation");
            boolean rose = a.queryValidation().accuracyAfter() > 0;
            boolean kept = a.unflaggedValidation().accuracyAfter() >= a.unflaggedValidation().accuracyBefore() - 0.005;
            assertThat(a.accepted()).isEqualTo(rose && kept);
            assertThat(a.reason()).isNotBlank();
        }
        // With no tolerance and the raw split, the verdict follows that split alone.
        repair.withAcceptance(0, Repair.CheckSet.VALIDATION);
        try (RepairResult r = repair.treat(identified, CauseSelection.topK(20), finetune(3))) {
            RepairMetrics.Acceptance a = r.metrics().acceptance();
            assertThat(a.checkSet()).isEqualTo("validation");
            assertThat(a.accepted()).isEqualTo(a.queryValidation().accuracyAfter() > 0
                    && a.validation().accuracyAfter() >= a.validation().accuracyBefore());
        }
    }

    @Test
    void anUnflaggedCheckSetThatLeavesOutMoreThanAQuarterOfVGivesWayToAllOfV() {
        Repair repair = Repair.of(RepairInput.of(run), 5, TrainRun.Listener.NONE);
        Repair.Identified identified = ewcInfluence(repair);
        int v = run.validation().size();
        // Half of D flagged: the cut falls low enough to flag far more than a quarter of V.
        try (RepairResult r = repair.treat(identified, CauseSelection.topK(run.train().size() / 2), finetune(2))) {
            RepairMetrics.Acceptance a = r.metrics().acceptance();
            int leftOut = v - a.unflaggedValidation().size();
            assertThat(leftOut).isGreaterThan(v / 4);
            assertThat(a.checkSet()).isEqualTo("validation");
            if (a.queryValidation().accuracyAfter() > a.queryValidation().accuracyBefore()) {
                assertThat(a.reason()).contains("on validation (the unflagged part would leave out " + leftOut + " of "
                        + v + ", more than 25%)");
                assertThat(a.accepted()).isEqualTo(
                        a.validation().accuracyAfter() >= a.validation().accuracyBefore() - 0.005 - 1e-12);
            }
        }
    }

    @Test
    void topKAutoTriesTheGridUpToHalfOfDAndKeepsTheAcceptedRepairWithTheLowestCheckLoss() {
        Repair repair = Repair.of(RepairInput.of(run), 5, TrainRun.Listener.NONE);
        Repair.Identified identified = ewcInfluence(repair);
        int n = run.train().size();
        try (RepairResult r = repair.treatAuto(identified, finetune(2))) {
            RepairMetrics.AutoK auto = r.metrics().auto();
            assertThat(auto.candidates()).extracting(RepairMetrics.Candidate::k)
                    .containsExactlyElementsOf(Repair.AUTO_GRID.stream().filter(k -> k <= n / 2).toList());
            List<RepairMetrics.Candidate> accepted = auto.candidates().stream().filter(RepairMetrics.Candidate::accepted)
                    .toList();
            if (accepted.isEmpty()) {
                assertThat(auto.chosen()).isNull();
                assertThat(r.metrics().acceptance().accepted()).isFalse();
            } else {
                RepairMetrics.Candidate best = accepted.stream()
                        .min(java.util.Comparator.comparingDouble(RepairMetrics.Candidate::checkLoss)).orElseThrow();
                assertThat(auto.chosen()).isEqualTo(best.k());
                assertThat(r.causes()).hasSize(best.k());
                assertThat(r.metrics().acceptance().accepted()).isTrue();
            }
            assertThat(r.metrics().causes().selection()).isEqualTo("top-k:auto");
        }
    }

    @Test
    void measuresBeforeAndAfterOnTheRunsSetsAndCountsTheCorruptedCauses() {
        double[] thetaStar = run.model().getParameters();
        Repair repair = Repair.of(RepairInput.of(run), 5, TrainRun.Listener.NONE);

        try (RepairResult r = repair.run(Identifiers.create("random", Identifiers.Options.defaults(), 5),
                CauseSelection.topK(20), finetune(3))) {
            RepairMetrics m = r.metrics();
            assertThat(m.before().fq()).isZero();
            assertThat(m.before().fh()).isZero();
            assertThat(m.before().remaining()).isEqualTo(1.0);
            assertThat(m.before().test()).isEqualTo(run.testEvaluation().accuracy());
            Evaluation fh = r.model().evaluate(run.holdoutSet());
            Evaluation rest = r.model().evaluate(run.remainingSet());
            assertThat(m.after().fh()).isEqualTo(fh.accuracy());
            assertThat(m.after().remaining()).isEqualTo(rest.accuracy());
            assertThat(m.after().test()).isEqualTo(r.model().evaluate(run.test()).accuracy());

            int[] causes = r.causes();
            assertThat(causes).hasSize(20).containsExactly(r.ranking().top(20));
            int corrupted = 0;
            for (int c : causes) {
                corrupted += run.corruption().isCorrupted(c) ? 1 : 0;
            }
            assertThat(m.causes().corrupted()).isEqualTo(corrupted);
            assertThat(m.causes().selection()).isEqualTo("top-k:20");
            assertThat(m.sizes().fq()).isEqualTo(run.failures().query().length);
            assertThat(m.sizes().train()).isEqualTo(run.train().size());
            assertThat(m.parameterDistance()).isEqualTo(Vectors.norm(Vectors.axpy(r.model().getParameters(), -1,
                    thetaStar)));
            assertThat(m.identification().method()).isEqualTo("random");
            assertThat(m.details()).containsKeys("epochs_run", "best_epoch");
        }
        assertThat(run.model().getParameters()).containsExactly(thetaStar);
    }

    @Test
    void treatmentsStopOnTheQueryValidationSplitThatIdentificationUses() {
        Repair repair = Repair.of(RepairInput.of(run), 7, TrainRun.Listener.NONE);
        IdentificationProblem same = IdentificationProblem.of(run.model(), run.train(), run.querySet(),
                run.corruption().corrupted(), null, 7);

        assertThat(repair.identificationProblem().queryValidation().rows()).containsExactly(same.queryValidation().rows());
        assertThat(repair.identificationProblem().queryFit().rows()).containsExactly(same.queryFit().rows());
    }

    @Test
    void aDivergingTreatmentIsAOneLineErrorAndLeavesThetaStarAlone() {
        double[] thetaStar = run.model().getParameters();
        Repair repair = Repair.of(RepairInput.of(run), 1, TrainRun.Listener.NONE);
        Treatment wild = TreatmentFactory.builder("ewc-deletion").optGamma(1e30)
                .optTrain(TrainConfig.paperDefaults(1).withOptimizer(TrainConfig.Optimizer.ADAM, 1e30)).build();

        assertThatThrownBy(() -> repair.treat(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, "given", wild))
                .isInstanceOf(AmendException.class).hasMessageContaining("diverged");
        assertThat(run.model().getParameters()).containsExactly(thetaStar);
    }

    @Test
    void theRepairFolderHoldsModelMetricsCausesAndRankingAndNeverReplacesARun() throws Exception {
        Repair repair = Repair.of(RepairInput.of(run), 1, TrainRun.Listener.NONE);
        Provenance provenance = Provenance.capture(List.of(), 1, Instant.now());
        Path runFolder = dir.resolve("run");
        RunDirectory.write(runFolder, run, provenance);
        try (RepairResult r = repair.run(Identifiers.create("ewc-influence", Identifiers.Options.defaults(), 1),
                CauseSelection.topFraction(0.05), finetune(2))) {
            Path folder = dir.resolve("repair");
            RepairDirectory.write(folder, r, RepairInput.of(run), Map.of("what", "test"), provenance,
                    tmp -> Files.writeString(tmp.resolve("extra.txt"), "hook"));

            assertThat(RepairDirectory.isRepairFolder(folder)).isTrue();
            for (String file : List.of("model/model.json", "metrics.json", "causes.csv", "ranking.csv", "ranking.json",
                    "spec.json", "provenance.json", "extra.txt")) {
                assertThat(folder.resolve(file)).as(file).isRegularFile();
            }
            RepairMetrics back = Json.read(folder.resolve("metrics.json"), RepairMetrics.class);
            assertThat(back.after()).isEqualTo(r.metrics().after());
            assertThat(back.causes()).isEqualTo(r.metrics().causes());
            String json = Files.readString(folder.resolve("metrics.json"));
            assertThat(json).contains("\"F_q\"", "\"F_h\"", "\"T_minus_F\"", "\"T\"", "\"parameter_distance\"");
            assertThat(Files.readAllLines(folder.resolve("causes.csv"))).hasSize(1 + r.causes().length);

            RepairDirectory.write(folder, r, RepairInput.of(run), Map.of("what", "again"), provenance, null);
            assertThat(folder.resolve("extra.txt")).doesNotExist();
            assertThatThrownBy(() -> RepairDirectory.write(runFolder, r, RepairInput.of(run), Map.of(), provenance,
                    null)).isInstanceOf(AmendException.class).hasMessageContaining("not an amend repair folder");
            assertThat(RunDirectory.isRunFolder(runFolder)).isTrue();
            assertThat(runFolder.resolve("causes.csv")).doesNotExist();
        }
    }

    @Test
    void aModelBroughtFromElsewhereTakesItsFailuresFromAListOrFromItsMistakes() {
        int[] rows = {run.test().row(3), run.test().row(0), run.test().row(10), run.test().row(7)};
        RepairInput listed = RepairInput.bringYourOwn(run.model(), run.train(), run.test(), rows, 1);

        assertThat(listed.hasGroundTruth()).isFalse();
        assertThat(listed.failures().failures()).containsExactly(0, 3, 7, 10);
        assertThat(listed.failures().query()).hasSize(2);
        assertThat(listed.failures().holdout()).hasSize(2);
        for (int i : listed.failures().remaining()) {
            assertThat(i).isNotIn(0, 3, 7, 10);
            assertThat(run.testEvaluation().predictions()[i]).isEqualTo(run.test().label(i));
        }
        RepairInput mistakes = RepairInput.bringYourOwn(run.model(), run.train(), run.test(), (int[]) null, 1);
        assertThat(mistakes.failures().failures()).containsExactly(run.failures().failures());

        assertThatThrownBy(() -> RepairInput.bringYourOwn(run.model(), run.train(), run.test(), new int[] {99999}, 1))
                .isInstanceOf(AmendException.class)
                .hasMessage("the failure list entry 1: test row 99999 is not in the test set (200 rows)");
        assertThatThrownBy(() -> RepairInput.bringYourOwn(run.model(), run.train(), run.test(),
                new int[] {rows[0], rows[0]}, 1)).isInstanceOf(AmendException.class)
                .hasMessageContaining("is already listed on entry 1");
        assertThatThrownBy(() -> RepairInput.bringYourOwn(run.model(), run.train(), run.test(), new int[] {rows[0]}, 1))
                .isInstanceOf(AmendException.class).hasMessageContaining("at least two");
    }

    @Test
    void aModelNearChanceOnTheDataItWasTrainedOnGetsANote() {
        try (TrainRunResult clean = TinyRuns.mlp(dir.resolve("clean"), 300, 100, 3, "none", 16, 2, 30)) {
            // Every label moved to the next class: on D no better than a guess; on T, failures to repair.
            dev.amend.data.ExampleSet moved = movedLabels(clean.train());
            dev.amend.data.ExampleSet test = movedLabels(clean.test());
            RepairInput own = RepairInput.bringYourOwn(clean.model(), clean.train(), test, (int[]) null, 1);
            assertThat(own.notes()).noneMatch(n -> n.contains("near chance"));

            RepairInput wrong = RepairInput.bringYourOwn(clean.model(), moved, test, (int[]) null, 1);

            assertThat(wrong.notes()).singleElement().asString().startsWith("the model classifies ")
                    .contains("of its 270 training examples correctly, near chance for 3 classes (33.3%)",
                            "normalise inside forward, docs/models.md");
            assertThat(Repair.of(wrong, 1, null).notes()).contains(wrong.notes().get(0));
        }
    }

    private static dev.amend.data.ExampleSet movedLabels(dev.amend.data.ExampleSet d) {
        int[] moved = java.util.stream.IntStream.range(0, d.size()).map(i -> (d.label(i) + 1) % d.numClasses())
                .toArray();
        return new dev.amend.data.ExampleSet(d.pixels(), moved, d.rows(), d.channels(), d.height(), d.width(),
                d.classNames());
    }

    @Test
    void failingExamplesGivenAsDataAreAppendedToTheTestSetAsF() {
        dev.amend.data.ExampleSet collected = run.test().subset(new int[] {4, 9, 2, 6, 11});
        RepairInput input = RepairInput.ofFailureData(run.model(), run.train(), run.test(), collected, 1);

        int n = run.test().size();
        assertThat(input.test().size()).isEqualTo(n + 5);
        assertThat(input.failures().failures()).containsExactly(n, n + 1, n + 2, n + 3, n + 4);
        assertThat(input.failures().query()).hasSize(2);
        assertThat(input.failures().holdout()).hasSize(3);
        int[] predicted = run.testEvaluation().predictions();
        assertThat(input.failures().remaining()).containsExactly(java.util.stream.IntStream.range(0, n)
                .filter(i -> predicted[i] == run.test().label(i)).toArray());
        assertThat(input.failures().otherFailures()).containsExactly(java.util.stream.IntStream.range(0, n)
                .filter(i -> predicted[i] != run.test().label(i)).toArray());
        assertThat(input.querySet().image(0)).isEqualTo(input.test().image(input.failures().query()[0]));
        assertThat(input.hasGroundTruth()).isFalse();

        dev.amend.data.ExampleSet wide = dev.amend.data.ExampleSet.of(new float[2 * 72], new int[] {0, 1}, 2, 6, 6,
                run.test().classNames());
        assertThatThrownBy(() -> RepairInput.ofFailureData(run.model(), run.train(), run.test(), wide, 1))
                .isInstanceOf(AmendException.class)
                .hasMessage("the model expects 1x6x6 images but the failure data has 2x6x6");
        assertThatThrownBy(() -> RepairInput.ofFailureData(run.model(), run.train(), run.test(),
                collected.subset(new int[] {0}), 1)).isInstanceOf(AmendException.class)
                .hasMessageContaining("give at least two failing examples");
    }

    @Test
    void failureDataNamingItsClassesInAnotherOrderIsReadByNameAndOtherNamesAreRefused() {
        dev.amend.data.ExampleSet t = run.test();
        int k = t.numClasses();
        List<String> names = java.util.stream.IntStream.range(0, k).mapToObj(c -> "class-" + c).toList();
        dev.amend.data.ExampleSet named = new dev.amend.data.ExampleSet(t.pixels(), t.labels(), t.rows(), t.channels(),
                t.height(), t.width(), names);
        dev.amend.data.ExampleSet d = run.train();
        dev.amend.data.ExampleSet train = new dev.amend.data.ExampleSet(d.pixels(), d.labels(), d.rows(), d.channels(),
                d.height(), d.width(), names);
        dev.amend.data.ExampleSet collected = named.subset(new int[] {4, 9, 2, 6, 11});
        // The same examples, their classes listed backwards: label c becomes k - 1 - c.
        List<String> reversed = new ArrayList<>(names);
        java.util.Collections.reverse(reversed);
        int[] relabelled = Arrays.stream(collected.labels()).map(c -> k - 1 - c).toArray();
        dev.amend.data.ExampleSet backwards = new dev.amend.data.ExampleSet(collected.pixels(), relabelled,
                collected.rows(), collected.channels(), collected.height(), collected.width(), reversed);

        RepairInput input = RepairInput.ofFailureData(run.model(), train, named, backwards, 1);
        int n = t.size();
        for (int i = 0; i < 5; i++) {
            assertThat(input.test().label(n + i)).isEqualTo(collected.label(i));
        }

        List<String> other = new ArrayList<>(names);
        other.set(0, "something-else");
        dev.amend.data.ExampleSet strange = new dev.amend.data.ExampleSet(collected.pixels(), collected.labels(),
                collected.rows(), collected.channels(), collected.height(), collected.width(), other);
        assertThatThrownBy(() -> RepairInput.ofFailureData(run.model(), train, named, strange, 1))
                .isInstanceOf(AmendException.class)
                .hasMessage("the failure data's classes " + other + " are not the test data's " + names);
        // Training and test data must name their classes alike.
        assertThatThrownBy(() -> RepairInput.ofFailureData(run.model(), run.train(), named, collected, 1))
                .isInstanceOf(AmendException.class)
                .hasMessage("the training data's classes " + run.train().classNames() + " are not the test data's "
                        + names);
    }

    private static Repair repair(RepairMemo memo, String name) {
        Repair r = Repair.of(RepairInput.of(run), 5, TrainRun.Listener.NONE);
        return memo == null ? r : r.withMemo(memo, Path.of(name));
    }

    /** {@link RepairMemo}: a remembered identification or repair is the one a new computation gives. */
    @Test
    void aRememberedRepairIsTheOneAFreshComputationGives() {
        Repair plain = repair(null, null);
        Repair.Identified fresh = ewcInfluence(plain);
        RepairMetrics expected = plain.metrics(fresh, CauseSelection.topK(20), finetune(3));

        RepairMemo memo = new RepairMemo();
        Repair first = repair(memo, "run-a");
        RepairMetrics made = first.metrics(ewcInfluence(first), CauseSelection.topK(20), finetune(3));
        assertThat(memo.identificationHits()).isZero();
        assertThat(memo.repairHits()).isZero();
        // A second Repair of the same base run (another part of an experiment) asks again.
        Repair second = repair(memo, "run-a");
        Repair.Identified again = ewcInfluence(second);
        RepairMetrics reused = second.metrics(again, CauseSelection.topK(20), finetune(3));
        assertThat(memo.identificationHits()).isEqualTo(1);
        assertThat(memo.repairHits()).isEqualTo(1);
        assertThat(reused).isSameAs(made);
        // What the memo handed out equals what a repair without a memo computes.
        assertThat(again.ranking().scores()).containsExactly(fresh.ranking().scores());
        assertThat(made.after()).isEqualTo(expected.after());
        assertThat(made.parameterDistance()).isEqualTo(expected.parameterDistance());
        assertThat(made.acceptance().checkLoss()).isEqualTo(expected.acceptance().checkLoss());
    }

    /** A memo answers only what its key fully names. */
    @Test
    void anythingTheMemoKeyNamesThatDiffersIsComputedAgain() {
        RepairMemo memo = new RepairMemo();
        Repair a = repair(memo, "run-a");
        Repair.Identified identified = ewcInfluence(a);
        a.metrics(identified, CauseSelection.topK(20), finetune(3));
        // Another k, another treatment setting, another acceptance tolerance, another base run.
        a.metrics(identified, CauseSelection.topK(10), finetune(3));
        a.metrics(identified, CauseSelection.topK(20), finetune(2));
        Repair strict = repair(memo, "run-a").withAcceptance(0, Repair.CheckSet.VALIDATION);
        strict.metrics(ewcInfluence(strict), CauseSelection.topK(20), finetune(3));
        assertThat(memo.identificationHits()).isEqualTo(0);
        Repair other = repair(memo, "run-b");
        other.metrics(ewcInfluence(other), CauseSelection.topK(20), finetune(3));
        assertThat(memo.identificationHits()).isZero();
        assertThat(memo.repairHits()).isZero();
        // Another identification seed is another ranking.
        a.identify(Identifiers.create("random", Identifiers.Options.defaults(), 1));
        a.identify(Identifiers.create("random", Identifiers.Options.defaults(), 2));
        assertThat(memo.identificationHits()).isZero();
        a.identify(Identifiers.create("random", Identifiers.Options.defaults(), 1));
        assertThat(memo.identificationHits()).isEqualTo(1);
    }
}
