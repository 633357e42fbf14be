package dev.amend.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** docs/methods.md 6 item 16 (frac(k), precision, recall) and ROC-AUC on hand-computed examples. */
class IdentificationMetricsTest {
    // Order by score is 3, 7, 0, 2, 5, 4, 6, 1 (CauseSelectionTest); noisy: 0, 1, 3, 6 (M = 4 of N = 8).
    private static final boolean[] NOISY = {true, true, false, true, false, false, true, false};

    private final IdentificationMetrics metrics =
            new IdentificationMetrics(new Ranking("ewc-influence", CauseSelectionTest.SCORES), NOISY);

    @Test
    void countsNoisyExamplesInTheTopK() {
        // Noisy flags along the order: T F T F F F T T.
        int[] expected = {0, 1, 1, 2, 2, 2, 2, 3, 4};
        for (int k = 0; k <= 8; k++) {
            assertThat(metrics.noisyInTopK(k)).as("k = %d", k).isEqualTo(expected[k]);
        }
        assertThat(metrics.noisyCount()).isEqualTo(4);
        assertThat(metrics.size()).isEqualTo(8);
    }

    @Test
    void fractionInTopKIsNoisyCountOverK() {
        assertThat(metrics.fractionInTopK(new int[] {1, 2, 3, 4, 7, 8}))
                .containsExactly(1.0, 0.5, 2.0 / 3, 0.5, 3.0 / 7, 0.5);
    }

    @Test
    void kOutsideOneToNIsRejected() {
        assertThatThrownBy(() -> metrics.fractionInTopK(new int[] {0})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> metrics.fractionInTopK(new int[] {9})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void referenceCurves() {
        assertThat(metrics.oracle(1)).isEqualTo(1.0);
        assertThat(metrics.oracle(4)).isEqualTo(1.0);
        assertThat(metrics.oracle(6)).isEqualTo(4.0 / 6);
        assertThat(metrics.random()).isEqualTo(0.5);
    }

    @Test
    void precisionAndRecallOfTheThresholdSelection() {
        int[] c = CauseSelection.threshold().select(new Ranking("ewc-influence", CauseSelectionTest.SCORES));
        // C = {3, 7, 0, 2, 5} holds the noisy 3 and 0.
        assertThat(metrics.precision(c)).isEqualTo(2.0 / 5);
        assertThat(metrics.recall(c)).isEqualTo(2.0 / 4);
    }

    @Test
    void emptySelectionHasUndefinedPrecisionAndZeroRecall() {
        assertThat(metrics.precision(new int[0])).isNaN();
        assertThat(metrics.recall(new int[0])).isZero();
    }

    @Test
    void selectionWithARepeatedPositionIsRejected() {
        assertThatThrownBy(() -> metrics.precision(new int[] {1, 1})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rocAucOfAHandComputedExampleWithTies() {
        // Noisy scores 0.5, -1, 2, -0.3 against clean 0.5, 0, 0.5, 2: of the 16 pairs, the noisy 2 wins
        // three and ties one (3.5), the noisy 0.5 wins one and ties two (2), the others win none.
        assertThat(metrics.rocAuc()).isEqualTo(5.5 / 16);
    }

    @Test
    void rocAucIsOneForAPerfectRankingAndZeroForTheReverse() {
        double[] scores = {5, 4, 3, 2, 1};
        boolean[] firstTwo = {true, true, false, false, false};
        boolean[] lastTwo = {false, false, false, true, true};
        assertThat(new IdentificationMetrics(new Ranking("m", scores), firstTwo).rocAuc()).isEqualTo(1.0);
        assertThat(new IdentificationMetrics(new Ranking("m", scores), lastTwo).rocAuc()).isEqualTo(0.0);
    }

    @Test
    void rocAucIsOneHalfWhenAllScoresTie() {
        boolean[] mask = {false, true, false, true, true, false, false};
        assertThat(new IdentificationMetrics(new Ranking("m", new double[7]), mask).rocAuc()).isEqualTo(0.5);
    }

    @Test
    void rocAucMatchesPairCountingOnRandomScores() {
        Random r = new Random(3);
        double[] scores = new double[60];
        boolean[] mask = new boolean[60];
        for (int i = 0; i < 60; i++) {
            scores[i] = r.nextInt(8); // few distinct values, so many ties
            mask[i] = r.nextInt(3) == 0;
        }
        double credit = 0;
        int pairs = 0;
        for (int i = 0; i < 60; i++) {
            for (int j = 0; j < 60; j++) {
                if (mask[i] && !mask[j]) {
                    pairs++;
                    credit += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }
        assertThat(new IdentificationMetrics(new Ranking("m", scores), mask).rocAuc())
                .isCloseTo(credit / pairs, within(1e-15));
    }

    @Test
    void rocAucIsUndefinedWithoutBothClasses() {
        assertThat(new IdentificationMetrics(new Ranking("m", new double[] {1, 2}), new boolean[2]).rocAuc()).isNaN();
        assertThat(new IdentificationMetrics(new Ranking("m", new double[] {1, 2}), new boolean[] {true, true})
                .rocAuc()).isNaN();
    }

    @Test
    void summaryCollectsEverything() {
        int[] c = {3, 7, 0};
        IdentificationMetrics.Summary s = metrics.summary(c, new int[] {1, 2, 8});
        assertThat(s.n()).isEqualTo(8);
        assertThat(s.noisy()).isEqualTo(4);
        assertThat(s.rocAuc()).isEqualTo(5.5 / 16);
        assertThat(s.precision()).isEqualTo(2.0 / 3);
        assertThat(s.recall()).isEqualTo(0.5);
        assertThat(s.selected()).isEqualTo(3);
        assertThat(s.ks()).containsExactly(1, 2, 8);
        assertThat(s.fractions()).containsExactly(1, 0.5, 0.5);
    }

    @Test
    void standardKsAreOneTwoFivePerDecadeEndingAtN() {
        assertThat(IdentificationMetrics.standardKs(1000)).containsExactly(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000);
        assertThat(IdentificationMetrics.standardKs(7)).containsExactly(1, 2, 5, 7);
        assertThat(IdentificationMetrics.standardKs(1)).containsExactly(1);
    }

    @Test
    void maskOfAnotherLengthIsRejected() {
        assertThatThrownBy(() -> new IdentificationMetrics(new Ranking("m", new double[3]), new boolean[2]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
