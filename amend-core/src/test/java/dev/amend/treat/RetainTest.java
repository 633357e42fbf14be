package dev.amend.treat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.model.ModelHandle;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The retain treatment's parts that need no training, its clean set, and its refusals. */
class RetainTest {

    private static ExampleSet labelled(int... labels) {
        float[] x = new float[labels.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        return ExampleSet.of(x, labels, 1, 1, 1, ExampleSet.numberedClasses(3));
    }

    @Test
    void theCleanSetIsSplitWithinEveryClassAndTheSameForTheSameSeed() {
        int[] labels = new int[60];
        Arrays.setAll(labels, i -> i % 3);
        ExampleSet clean = labelled(labels);

        CleanSet split = CleanSet.split(clean, 4);

        assertThat(split.validation().classCounts()).containsExactly(4, 4, 4);
        assertThat(split.fit().classCounts()).containsExactly(16, 16, 16);
        assertThat(CleanSet.split(clean, 4).validation().rows()).containsExactly(split.validation().rows());
        assertThat(CleanSet.split(clean, 5).validation().rows()).isNotEqualTo(split.validation().rows());
        // A class of one example trains; two examples of a class are enough to split.
        assertThat(CleanSet.split(labelled(0, 1, 1), 1).validation().size()).isEqualTo(1);
    }

    @Test
    void anEmptyCleanSetOrOneTooSmallToSplitIsRefused() {
        assertThatThrownBy(() -> CleanSet.split(labelled(), 1)).isInstanceOf(AmendException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> CleanSet.split(labelled(0, 1, 2), 1)).isInstanceOf(AmendException.class)
                .hasMessageContaining("too small to split");
    }

    @Test
    void decisionsCorrectTheTrainingDataAndAreScoredAgainstTheTruth() {
        ExampleSet train = labelled(0, 1, 1, 2, 2, 0);
        int[] truth = {0, 0, 1, 2, 1, 0};
        boolean[] corrupted = {false, true, false, false, true, false};
        // C = positions 1 (flipped, relabelled right), 4 (flipped, deleted), 2 (benign, restored),
        // 3 (benign, relabelled wrongly).
        int[] causes = {1, 4, 2, 3};
        Retain.Decisions d = new Retain.Decisions(causes, new int[] {1, 2, 1, 2}, new int[] {0, 0, 1, 0},
                new double[] {0.9, 0.5, 0.7, 0.95}, new Retain.Decision[] {Retain.Decision.RELABEL,
                    Retain.Decision.DELETE, Retain.Decision.RESTORE, Retain.Decision.RELABEL});

        ExampleSet corrected = d.corrected(train);
        Retain.Summary s = d.summary(corrupted, truth);

        assertThat(corrected.rows()).containsExactly(0, 1, 2, 3, 5);
        assertThat(corrected.labels()).containsExactly(0, 0, 1, 0, 0);
        assertThat(s.restored()).isEqualTo(1);
        assertThat(s.relabelled()).isEqualTo(2);
        assertThat(s.deleted()).isEqualTo(1);
        assertThat(s.restorePrecision()).isEqualTo(1.0);
        assertThat(s.relabelAccuracy()).isEqualTo(0.5);
        assertThat(s.benignRecall()).isEqualTo(0.5);
        assertThat(d.summary(null, null).restorePrecision()).isNull();
        Retain.Decisions oracle = Retain.Decisions.oracle(causes, new int[] {1, 2, 1, 2}, truth);
        assertThat(oracle.corrected(train).labels()).containsExactly(truth);
        assertThat(oracle.summary(corrupted, truth)).isEqualTo(new Retain.Summary(2, 2, 0, 1.0, 1.0, 1.0));
    }

    @Test
    void theCounterfactualDecidesByItsPredictionAndConfidence() {
        ExampleSet data = TreatFixture.data(3);
        try (ModelHandle model = TreatFixture.fitted(data)) {
            int[] causes = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
            TreatmentProblem p = new TreatmentProblem(model, data, causes, data.subset(new int[] {10}),
                    data.subset(new int[] {11}), null, null, 1, null, CleanSet.split(data.subset(range(100, 200)), 1));
            Retain strict = (Retain) TreatmentFactory.builder("retain").optRelabelConfidence(1).build();
            Retain lenient = (Retain) TreatmentFactory.builder("retain").optRelabelConfidence(0).build();
            float[][] prob = model.probabilities(p.causeSet());

            Retain.Decisions s = strict.decide(p, model);
            Retain.Decisions l = lenient.decide(p, model);

            for (int i = 0; i < causes.length; i++) {
                boolean agrees = s.predicted()[i] == data.label(i);
                assertThat(s.decisions()[i]).isEqualTo(agrees ? Retain.Decision.RESTORE : Retain.Decision.DELETE);
                assertThat(l.decisions()[i]).isEqualTo(agrees ? Retain.Decision.RESTORE : Retain.Decision.RELABEL);
                assertThat(s.confidence()[i]).isEqualTo(Arrays.stream(toDouble(prob[i])).max().orElseThrow(),
                        org.assertj.core.data.Offset.offset(1e-6));
            }
            assertThat(s.count(Retain.Decision.RESTORE)).isBetween(1, causes.length - 1);
        }
    }

    @Test
    void retainNeedsACleanSetAndGammaOnlyWithTheEwcVariant() {
        ExampleSet data = TreatFixture.data(3);
        try (ModelHandle model = TreatFixture.fitted(data)) {
            TreatmentProblem p = new TreatmentProblem(model, data, new int[] {0}, data.subset(new int[] {1}),
                    data.subset(new int[] {2}), null, null, 1, null);
            assertThatThrownBy(() -> TreatmentFactory.create("retain", 1).apply(p)).isInstanceOf(AmendException.class)
                    .hasMessageContaining("clean set");
        }
        assertThatThrownBy(() -> TreatmentFactory.builder("retain").optGamma(1).build())
                .isInstanceOf(AmendException.class).hasMessageContaining("variant ewc");
        assertThat(TreatmentFactory.builder("retain").optVariant("ewc").optGamma(1).build().settings())
                .containsEntry("gamma", 1.0).containsEntry("variant", "ewc");
        assertThat(TreatmentFactory.create("retain", 1).settings()).containsEntry("relabel_confidence", 0.8)
                .containsEntry("variant", "finetune").containsEntry("stop_on", "clean+query:loss")
                .containsEntry("counterfactual_candidate", false).containsEntry("start_candidate", false);
        assertThat(TreatmentFactory.builder("retain").optCounterfactualCandidate(true).build().settings())
                .containsEntry("counterfactual_candidate", true);
        assertThatThrownBy(() -> TreatmentFactory.builder("retain").optVariant("ewc").optCounterfactualCandidate(false)
                .build()).isInstanceOf(AmendException.class).hasMessageContaining("variant finetune");
        assertThatThrownBy(() -> TreatmentFactory.builder("retain").optVariant("magic")).isInstanceOf(
                AmendException.class);
    }

    private static int[] range(int from, int to) {
        return java.util.stream.IntStream.range(from, to).toArray();
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
