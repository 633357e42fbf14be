package dev.amend.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import dev.amend.data.DataSpec;
import dev.amend.data.ExampleSet;
import dev.amend.data.LoadedData;
import dev.amend.identify.CauseSelection;
import dev.amend.identify.Identifiers;
import dev.amend.model.ModelHandle;
import dev.amend.model.ModelStore;
import dev.amend.model.ScriptedModel;
import dev.amend.run.format.RepairMetrics;
import dev.amend.treat.TreatmentFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validation set V of a model brought from elsewhere (docs/methods.md 3(e)): held out of the
 * test set outside F, or given as check data, so that its repairs get a verdict.
 */
class HeldOutCheckTest {
    @TempDir
    static Path dir;

    private static TrainRunResult run;
    private static ModelHandle own;

    @BeforeAll
    static void train() {
        run = TinyRuns.swappedLabels(dir);
        // The run's model saved and opened again, as a user brings a model: no validation split.
        ModelStore.save(run.model(), dir.resolve("own"));
        own = ModelStore.load(dir.resolve("own"), run.train());
    }

    @AfterAll
    static void close() {
        own.close();
        run.close();
    }

    private static RepairInput brought() {
        return RepairInput.bringYourOwn(own, run.train(), run.test(), (int[]) null, 1);
    }

    private static Set<Integer> rows(ExampleSet d) {
        Set<Integer> rows = new HashSet<>();
        for (int i = 0; i < d.size(); i++) {
            rows.add(d.row(i));
        }
        return rows;
    }

    private static Set<Integer> rows(ExampleSet d, int[] positions) {
        return rows(d.subset(positions));
    }

    @Test
    void withNamedFailuresTheHeldOutPartIsSeededOutsideFAndLeavesT() {
        int[] named = IntStream.of(0, 3, 7, 10, 12, 20).map(run.test()::row).toArray();
        RepairInput whole = RepairInput.bringYourOwn(own, run.train(), run.test(), named, 1);
        RepairInput a = whole.withHeldOutCheck(0.2, 7);
        RepairInput b = whole.withHeldOutCheck(0.2, 7);
        RepairInput c = whole.withHeldOutCheck(0.2, 8);

        int outside = whole.test().size() - whole.failures().failures().length;
        int k = (int) Math.round(0.2 * outside);
        assertThat(a.validation().size()).isEqualTo(k);
        assertThat(a.test().size()).isEqualTo(whole.test().size() - k);
        assertThat(a.validation().rows()).containsExactly(b.validation().rows());
        assertThat(rows(c.validation())).isNotEqualTo(rows(a.validation()));
        // F, F_q and F_h are the same examples, renumbered; none of them is in V.
        assertThat(rows(a.test(), a.failures().failures())).isEqualTo(rows(whole.test(), whole.failures().failures()));
        assertThat(rows(a.test(), a.failures().query())).isEqualTo(rows(whole.test(), whole.failures().query()));
        assertThat(rows(a.test(), a.failures().holdout())).isEqualTo(rows(whole.test(), whole.failures().holdout()));
        assertThat(rows(a.validation())).doesNotContainAnyElementsOf(rows(whole.test(), whole.failures().failures()));
        coversTheOldTestSetOnce(a, whole);
        assertThat(rows(a.test(), a.failures().remaining()))
                .isEqualTo(rows(whole.test(), whole.failures().remaining()).stream()
                        .filter(r -> !rows(a.validation()).contains(r)).collect(java.util.stream.Collectors.toSet()));
        assertThat(a.querySet().pixels()).containsExactly(whole.querySet().pixels());
        assertThat(a.validationSource()).isEqualTo(new ValidationSource(ValidationSource.Kind.HELD_OUT_TEST, k, 0.2,
                outside, 7L));
        assertThat(whole.validationSource().kind()).isEqualTo(ValidationSource.Kind.NONE);
        assertThat(RepairInput.of(run).validationSource().kind()).isEqualTo(ValidationSource.Kind.BASE_RUN);
    }

    @Test
    void withFailuresFoundAsMistakesVIsASampleOfTAndFIsFoundInTheRest() {
        RepairInput whole = brought();
        RepairInput a = whole.withHeldOutCheck(0.2, 7);
        RepairInput b = whole.withHeldOutCheck(0.2, 7);

        int k = (int) Math.round(0.2 * whole.test().size());
        assertThat(a.validation().size()).isEqualTo(k);
        assertThat(a.validation().rows()).containsExactly(b.validation().rows());
        assertThat(a.failures().query()).containsExactly(b.failures().query());
        coversTheOldTestSetOnce(a, whole);
        // F is exactly the misclassified examples of the rest: none in V, none lost.
        Set<Integer> mistakes = rows(whole.test(), whole.failures().failures());
        assertThat(rows(a.test(), a.failures().failures())).isEqualTo(mistakes.stream()
                .filter(r -> !rows(a.validation()).contains(r)).collect(java.util.stream.Collectors.toSet()));
        assertThat(rows(a.validation())).doesNotContainAnyElementsOf(rows(a.test(), a.failures().failures()));
        // V is drawn from all of T, so it holds some of theta*'s mistakes, as a run's V does.
        assertThat(rows(a.validation())).containsAnyElementsOf(mistakes);
        assertThat(a.validationSource().drawnFrom()).isEqualTo(whole.test().size());
    }

    private static void coversTheOldTestSetOnce(RepairInput split, RepairInput whole) {
        Set<Integer> rest = rows(split.test());
        assertThat(rest).doesNotContainAnyElementsOf(rows(split.validation()));
        rest.addAll(rows(split.validation()));
        assertThat(rest).isEqualTo(rows(whole.test()));
    }

    @Test
    void aRepairOfAModelBroughtFromElsewhereIsCheckedOnTheHeldOutPart() {
        RepairInput input = brought().withHeldOutCheck(RepairInput.DEFAULT_CHECK_FRACTION, 1);
        Repair repair = Repair.of(input, 5, TrainRun.Listener.NONE);
        Repair.Identified identified = repair.identify(Identifiers.create("ewc-influence",
                Identifiers.Options.defaults(), 5));
        assertThat(identified.validationScores()).hasSize(input.validation().size());
        try (RepairResult r = repair.treat(identified, CauseSelection.topK(20),
                TreatmentFactory.builder("finetune-remaining").optSeed(1).optMaxEpochs(3).build())) {
            RepairMetrics m = r.metrics();
            RepairMetrics.Acceptance a = m.acceptance();
            assertThat(a.reason()).doesNotStartWith("not checked");
            assertThat(a.validation().size()).isEqualTo(input.validation().size());
            assertThat(a.validation().accuracyAfter()).isEqualTo(r.model().evaluate(input.validation()).accuracy());
            assertThat(a.unflaggedValidation()).isNotNull();
            assertThat(a.checkSet()).isEqualTo("unflagged-validation");
            assertThat(a.validationSource().kind()).isEqualTo(ValidationSource.Kind.HELD_OUT_TEST);
            assertThat(m.sizes().validation()).isEqualTo(input.validation().size());
            assertThat(m.sizes().test()).isEqualTo(input.test().size());
            assertThat(m.details().get("stop_rule")).isEqualTo("validation:loss");
            boolean rose = a.queryValidation().accuracyAfter() > a.queryValidation().accuracyBefore();
            boolean kept = a.unflaggedValidation().accuracyAfter()
                    >= a.unflaggedValidation().accuracyBefore() - a.tolerance() - 1e-12;
            assertThat(a.accepted()).isEqualTo(rose && kept);
        }
        // Without V, the same repair is not checked.
        Repair unchecked = Repair.of(brought(), 5, TrainRun.Listener.NONE);
        try (RepairResult r = unchecked.run(Identifiers.create("random", Identifiers.Options.defaults(), 5),
                CauseSelection.topK(20), TreatmentFactory.builder("finetune-remaining").optSeed(1).optMaxEpochs(1)
                        .build())) {
            assertThat(r.metrics().acceptance().reason()).startsWith("not checked");
            assertThat(r.metrics().acceptance().validationSource().kind()).isEqualTo(ValidationSource.Kind.NONE);
        }
    }

    @Test
    void topKAutoChoosesAmongCandidatesCheckedOnV() {
        RepairInput input = brought().withHeldOutCheck(0.3, 2);
        Repair repair = Repair.of(input, 5, TrainRun.Listener.NONE);
        try (RepairResult r = repair.runAuto(Identifiers.create("ewc-influence", Identifiers.Options.defaults(), 5),
                TreatmentFactory.builder("finetune-remaining").optSeed(1).optMaxEpochs(2).build())) {
            RepairMetrics.AutoK auto = r.metrics().auto();
            assertThat(auto.candidates()).isNotEmpty().allSatisfy(c -> assertThat(c.reason())
                    .doesNotStartWith("not checked"));
            assertThat(r.metrics().acceptance().validation().size()).isEqualTo(input.validation().size());
            if (auto.chosen() != null) {
                RepairMetrics.Candidate best = auto.candidates().stream().filter(RepairMetrics.Candidate::accepted)
                        .min(java.util.Comparator.comparingDouble(RepairMetrics.Candidate::checkLoss)).orElseThrow();
                assertThat(auto.chosen()).isEqualTo(best.k());
                assertThat(r.metrics().acceptance().accepted()).isTrue();
            } else {
                assertThat(auto.candidates()).noneMatch(RepairMetrics.Candidate::accepted);
            }
        }
    }

    @Test
    void checkDataIsVAndTStaysWhole() {
        RepairInput whole = brought();
        // Test examples outside F stand in for labelled data the model was not trained on.
        int[] outside = whole.failures().remaining();
        ExampleSet check = whole.test().subset(Arrays.copyOf(outside, 40));
        RepairInput input = whole.withCheckData(check);
        assertThat(input.validation().size()).isEqualTo(40);
        assertThat(input.test().size()).isEqualTo(whole.test().size());
        assertThat(input.validationSource().kind()).isEqualTo(ValidationSource.Kind.CHECK_DATA);
        try (RepairResult r = Repair.of(input, 5, TrainRun.Listener.NONE).run(Identifiers.create("random",
                Identifiers.Options.defaults(), 5), CauseSelection.topK(10),
                TreatmentFactory.builder("finetune-remaining").optSeed(1).optMaxEpochs(1).build())) {
            assertThat(r.metrics().acceptance().validation().size()).isEqualTo(40);
            assertThat(r.metrics().acceptance().checkSet()).isEqualTo("validation");
        }
    }

    @Test
    void badCheckSetsAreRefusedWithOneLine() {
        RepairInput whole = brought();
        int failure = whole.failures().failures()[0];
        int[] outside = whole.failures().remaining();
        for (double fraction : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> whole.withHeldOutCheck(fraction, 1)).isInstanceOf(AmendException.class)
                    .hasMessageStartingWith("the check fraction must be in (0, 1)");
        }
        assertThatThrownBy(() -> whole.withHeldOutCheck(0.01, 1)).isInstanceOf(AmendException.class)
                .hasMessageContaining("needs at least 10");
        assertThatThrownBy(() -> whole.withHeldOutCheck(0.999, 1)).isInstanceOf(AmendException.class)
                .hasMessageContaining("must leave some in T");
        assertThatThrownBy(() -> RepairInput.of(run).withHeldOutCheck(0.2, 1)).isInstanceOf(AmendException.class)
                .hasMessageContaining("has a validation split of its own");
        RepairInput held = whole.withHeldOutCheck(0.2, 1);
        assertThatThrownBy(() -> held.withHeldOutCheck(0.2, 1)).isInstanceOf(AmendException.class)
                .hasMessageStartingWith("this repair already holds out test examples for the check (withHeldOutCheck);");
        assertThatThrownBy(() -> held.withCheckData(whole.test())).isInstanceOf(AmendException.class)
                .hasMessageStartingWith("this repair already holds out test examples for the check");
        ExampleSet wide = ExampleSet.of(new float[20 * 72], new int[20], 2, 6, 6, run.test().classNames());
        assertThatThrownBy(() -> whole.withCheckData(wide)).isInstanceOf(AmendException.class)
                .hasMessage("the model expects 1x6x6 images but the check data has 2x6x6");
        ExampleSet moreClasses = ExampleSet.of(new float[20 * 36], new int[20], 1, 6, 6, ExampleSet.numberedClasses(4));
        assertThatThrownBy(() -> whole.withCheckData(moreClasses)).isInstanceOf(AmendException.class)
                .hasMessage("the model has 3 classes but the check data has 4");
        assertThatThrownBy(() -> whole.withCheckData(whole.test().subset(Arrays.copyOf(outside, 5))))
                .isInstanceOf(AmendException.class).hasMessage("the check data has 5 examples; a check set needs at least 10");
        int[] withFailure = IntStream.concat(IntStream.of(failure), Arrays.stream(outside).limit(20)).sorted().toArray();
        assertThatThrownBy(() -> whole.withCheckData(whole.test().subset(withFailure)))
                .isInstanceOf(AmendException.class)
                .hasMessageContaining("is the same image as failure row " + whole.test().row(failure));
        ExampleSet trained = run.train().subset(IntStream.range(0, 20).toArray());
        assertThatThrownBy(() -> whole.withCheckData(trained)).isInstanceOf(AmendException.class)
                .hasMessageContaining("is the same image as training row");
    }

    // A test model of the resources (docs/models.md, "Your own PyTorch model"), copied into dir.
    private Path userModel(String name) throws IOException {
        Path pt = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/dev/amend/model/user/" + name)) {
            Files.copy(in, pt);
        }
        return pt;
    }

    @Test
    void aUsersTorchScriptModelGetsAVerdictOnTheHeldOutPart() throws IOException {
        LoadedData mnist = DataSpec.parse("mnist").load(60, 0);
        ExampleSet test = dev.amend.data.Splits.sample(mnist.test(), 300, 0);
        try (ModelHandle model = ModelStore.load(userModel("user-cnn-bn.pt"), mnist.train())) {
            assertThat(model).isInstanceOf(ScriptedModel.class);
            RepairInput input = RepairInput.bringYourOwn(model, mnist.train(), test, null, 0)
                    .withHeldOutCheck(RepairInput.DEFAULT_CHECK_FRACTION, 0);
            try (RepairResult r = Repair.of(input, 0, TrainRun.Listener.NONE).run(
                    Identifiers.create("ewc-influence", Identifiers.Options.defaults(), 0),
                    CauseSelection.topK(10),
                    TreatmentFactory.builder("finetune-remaining").optSeed(0).optMaxEpochs(1).build())) {
                RepairMetrics.Acceptance a = r.metrics().acceptance();
                assertThat(a.reason()).doesNotStartWith("not checked");
                assertThat(a.validation().size()).isEqualTo(input.validation().size()).isGreaterThanOrEqualTo(10);
                assertThat(a.unflaggedValidation()).isNotNull();
            }
            assertThat(input.notes()).noneMatch(n -> n.contains("frozen"));
        }
    }

    @Test
    void frozenParametersOfAUsersModelAreNamedInANote() throws IOException {
        LoadedData mnist = DataSpec.parse("mnist").load(60, 0);
        ExampleSet test = dev.amend.data.Splits.sample(mnist.test(), 300, 0);
        try (ModelHandle model = ModelStore.load(userModel("user-frozen.pt"), mnist.train())) {
            RepairInput input = RepairInput.bringYourOwn(model, mnist.train(), test, null, 0);
            assertThat(input.notes()).contains("the model marks 4 parameters frozen (requires_grad false: conv1.weight,"
                    + " conv1.bias, bn1.weight, bn1.bias); amend repairs every parameter, these too, and writes them"
                    + " back marked frozen (docs/models.md, \"Your own PyTorch model\")");
        }
    }
}
