package dev.amend.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.identify.Identifiers;
import dev.amend.identify.Ranking;
import dev.amend.run.format.RepairDirectory;
import dev.amend.treat.CleanSet;
import dev.amend.treat.Retain;
import dev.amend.treat.TreatmentFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retain treatment on a small seeded run (a tiny MLP, labels of class 0 flipped to 1 at 40%):
 * what its counterfactual decides about flagged examples, and how clean sets are drawn and checked.
 */
class RetainRepairTest {
    @TempDir
    static Path dir;

    private static TrainRunResult run;

    @BeforeAll
    static void train() {
        run = TinyRuns.mlp(dir, 600, 300, 11, "label-flip:pairs=0>1,rate=0.4", 16, 3, 30);
    }

    @AfterAll
    static void close() {
        run.close();
    }

    @Test
    void relabelledExamplesAreFlippedOnesGivenBackTheirLabelAndRestoredOnesAreBenign() {
        CleanData.Drawn drawn = CleanData.perClass(RepairInput.of(run), 20, 3);
        RepairInput input = drawn.input();
        Repair repair = Repair.of(input, 3, TrainRun.Listener.NONE).withCleanSet(CleanSet.split(drawn.clean(), 3));
        Ranking ranking = repair.identify(Identifiers.create("ewc-influence", Identifiers.Options.defaults(), 3))
                .ranking();
        boolean[] mask = input.corrupted();
        // Precision 0.5: every flipped example and as many of the highest-ranked benign ones.
        int[] order = ranking.top(mask.length);
        int[] flipped = Arrays.stream(order).filter(i -> mask[i]).toArray();
        int[] benign = Arrays.stream(order).filter(i -> !mask[i]).limit(flipped.length).toArray();
        int[] causes = IntStream.concat(Arrays.stream(flipped), Arrays.stream(benign)).toArray();

        try (RepairResult r = repair.treat(causes, "controlled", TreatmentFactory.builder("retain").optSeed(3)
                .optMaxEpochs(20).build())) {
            Retain.Decisions d = RepairDirectory.decisions(r);
            int[] truth = input.originalLabels();
            int[] relabelled = d.positions(Retain.Decision.RELABEL);
            int[] restored = d.positions(Retain.Decision.RESTORE);
            long relabelledFlipped = Arrays.stream(relabelled).filter(i -> mask[i]).count();
            long restoredBenign = Arrays.stream(restored).filter(i -> !mask[i]).count();
            Retain.Summary s = (Retain.Summary) r.metrics().details().get("retain");
            // Measured (seed 3, one thread): 71 flipped + 71 benign flagged; 65 relabelled, all of them
            // flipped and all given back label 0; 71 restored, all benign; 6 deleted (flipped ones the
            // counterfactual was less than 0.8 sure of): relabel accuracy, restore precision and
            // benign recall 1.0.
            assertThat(relabelled.length).isGreaterThanOrEqualTo(flipped.length / 2);
            assertThat(relabelledFlipped).isGreaterThanOrEqualTo(Math.round(0.9 * relabelled.length));
            assertThat(s.relabelAccuracy()).isGreaterThanOrEqualTo(0.9);
            assertThat(restoredBenign).isGreaterThanOrEqualTo(Math.round(0.75 * restored.length));
            assertThat(s.benignRecall()).isGreaterThanOrEqualTo(0.8);
            for (int i : relabelled) {
                if (mask[i]) {
                    assertThat(run.train().label(i)).isEqualTo(1);
                }
            }
            assertThat(IntStream.range(0, causes.length).filter(j -> d.decisions()[j] == Retain.Decision.RELABEL
                    && mask[causes[j]]).allMatch(j -> d.predicted()[j] == truth[causes[j]])).isTrue();
        }
    }

    @Test
    void aCleanSetDrawnFromTheTestSetLeavesItAndItsFailureSets() {
        RepairInput full = RepairInput.of(run);
        CleanData.Drawn drawn = CleanData.perClass(full, 10, 1);

        assertThat(drawn.clean().classCounts()).containsOnly(10);
        assertThat(drawn.input().test().size()).isEqualTo(full.test().size() - 30);
        FailureSets before = full.failures();
        FailureSets after = drawn.input().failures();
        int drawnFailures = (int) Arrays.stream(before.failures()).filter(i -> Arrays.stream(drawn.clean().rows())
                .anyMatch(r -> r == full.test().row(i))).count();
        assertThat(after.failures().length).isEqualTo(before.failures().length - drawnFailures);
        assertThat(after.query().length + after.holdout().length).isEqualTo(after.failures().length);
        // Every failure position still names the same test row, now in the smaller T.
        for (int i : after.failures()) {
            int row = drawn.input().test().row(i);
            assertThat(Arrays.stream(before.failures()).anyMatch(j -> full.test().row(j) == row)).isTrue();
        }
        assertThat(CleanData.perClass(full, 10, 1).clean().rows()).containsExactly(drawn.clean().rows());
    }

    @Test
    void aUsersCleanSetMustNotShareAnImageWithTheDataAndMustHaveTheModelsClasses() {
        RepairInput input = RepairInput.of(run);
        ExampleSet train = run.train();
        ExampleSet fresh = train.withImages(constant(train.size() * train.imageSize(), 0.123f)).subset(new int[] {0});

        CleanData.check(fresh, input);
        assertThatThrownBy(() -> CleanData.check(train.subset(new int[] {5}), input))
                .isInstanceOf(AmendException.class).hasMessageContaining("overlaps the training data");
        assertThatThrownBy(() -> CleanData.check(run.test().subset(new int[] {7}), input))
                .isInstanceOf(AmendException.class).hasMessageContaining("overlaps the test data");
        assertThatThrownBy(() -> CleanData.check(fresh.subset(new int[0]), input))
                .isInstanceOf(AmendException.class).hasMessageContaining("empty");
        ExampleSet fourClasses = new ExampleSet(fresh.pixels(), fresh.labels(), fresh.rows(), fresh.channels(),
                fresh.height(), fresh.width(), ExampleSet.numberedClasses(4));
        assertThatThrownBy(() -> CleanData.check(fourClasses, input)).isInstanceOf(AmendException.class)
                .hasMessageContaining("classes");
        assertThatThrownBy(() -> CleanData.perClass(input, 1, 0)).isInstanceOf(AmendException.class);
        assertThatThrownBy(() -> CleanData.perClass(input, 1000, 0)).isInstanceOf(AmendException.class)
                .hasMessageContaining("too few");
    }

    private static float[] constant(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }
}
