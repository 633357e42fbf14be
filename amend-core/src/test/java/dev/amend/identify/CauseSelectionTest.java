package dev.amend.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import dev.amend.util.Json;
import org.junit.jupiter.api.Test;

/** docs/methods.md 6 item 16: ranking order and the three selection modes on hand-built scores with ties. */
class CauseSelectionTest {
    // Ties at 2.0 (positions 3, 7) and 0.5 (0, 2, 5); position 4 scores exactly 0.
    static final double[] SCORES = {0.5, -1, 0.5, 2, 0, 0.5, -0.3, 2};
    static final int[] EXPECTED_ORDER = {3, 7, 0, 2, 5, 4, 6, 1};

    private final Ranking ranking = new Ranking("ewc-influence", SCORES);

    @Test
    void tiedScoresAreOrderedByAscendingPosition() {
        assertThat(ranking.order()).containsExactly(EXPECTED_ORDER);
        assertThat(ranking.rank(3)).isZero();
        assertThat(ranking.rank(1)).isEqualTo(7);
    }

    @Test
    void thresholdSelectsStrictlyPositiveScoresMostHarmfulFirst() {
        assertThat(CauseSelection.threshold().select(ranking)).containsExactly(3, 7, 0, 2, 5);
    }

    @Test
    void thresholdSelectsNothingWhenNoScoreIsPositive() {
        assertThat(CauseSelection.threshold().select(new Ranking("ewc-influence", new double[] {0, -1, -2})))
                .isEmpty();
    }

    @Test
    void thresholdIsRefusedForRankingsThatAreOnlyAnOrder() {
        for (String method : new String[] {"random", "oracle", "Oracle"}) {
            assertThatThrownBy(() -> CauseSelection.threshold().select(new Ranking(method, SCORES)))
                    .isInstanceOf(AmendException.class)
                    .hasMessageContaining(method)
                    .hasMessageContaining("top-k");
        }
    }

    @Test
    void topKTakesTheFirstKEntriesTiesIncluded() {
        assertThat(CauseSelection.topK(3).select(ranking)).containsExactly(3, 7, 0);
        assertThat(CauseSelection.topK(8).select(ranking)).containsExactly(EXPECTED_ORDER);
    }

    @Test
    void topKOutsideOneToNIsAnErrorNamingN() {
        assertThatThrownBy(() -> CauseSelection.topK(9).select(ranking))
                .isInstanceOf(AmendException.class)
                .hasMessageContaining("N = 8");
        assertThatThrownBy(() -> CauseSelection.topK(0)).isInstanceOf(AmendException.class);
    }

    @Test
    void topFractionTakesRoundFTimesN() {
        assertThat(CauseSelection.topFraction(0.5).select(ranking)).containsExactly(3, 7, 0, 2);
        // 0.3 * 8 = 2.4 rounds down, 0.3125 * 8 = 2.5 rounds half up.
        assertThat(CauseSelection.topFraction(0.3).select(ranking)).containsExactly(3, 7);
        assertThat(CauseSelection.topFraction(0.3125).select(ranking)).containsExactly(3, 7, 0);
        assertThat(CauseSelection.topFraction(1).select(ranking)).hasSize(8);
    }

    @Test
    void topFractionThatSelectsNothingOrIsOutOfRangeIsAnError() {
        assertThatThrownBy(() -> CauseSelection.topFraction(0.05).select(ranking))
                .isInstanceOf(AmendException.class)
                .hasMessageContaining("N = 8");
        assertThatThrownBy(() -> CauseSelection.topFraction(0)).isInstanceOf(AmendException.class);
        assertThatThrownBy(() -> CauseSelection.topFraction(1.5)).isInstanceOf(AmendException.class);
        assertThatThrownBy(() -> CauseSelection.topFraction(Double.NaN)).isInstanceOf(AmendException.class);
    }

    @Test
    void aRemovalMustLeaveATrainingExampleAndItsRefusalNamesTheOption() {
        assertThat(CauseSelection.topK(7).selectForRemoval(ranking)).hasSize(7);
        assertThatThrownBy(() -> CauseSelection.topK(8).selectForRemoval(ranking))
                .isInstanceOf(AmendException.class)
                .hasMessage("--top-k 8 selects all 8 training examples (N = 8), and removing them all leaves nothing"
                        + " to train on: choose K < 8");
        assertThatThrownBy(() -> CauseSelection.topFraction(0.95).selectForRemoval(ranking))
                .isInstanceOf(AmendException.class)
                .hasMessageStartingWith("--top-fraction 0.95 selects all 8 training examples");
        assertThatThrownBy(() -> CauseSelection.threshold().selectForRemoval(new Ranking("exact", new double[] {1, 2})))
                .isInstanceOf(AmendException.class)
                .hasMessageEndingWith("every score is above 0; choose --top-k or --top-fraction");
        assertThatThrownBy(() -> CauseSelection.topK(9).selectForRemoval(ranking))
                .isInstanceOf(AmendException.class)
                .hasMessage("--top-k 9 asks for more examples than the 8 of the training set (N = 8)");
    }

    @Test
    void parsesTheTextFormAndWritesItBack() {
        assertThat(CauseSelection.parse("threshold")).isEqualTo(CauseSelection.threshold());
        assertThat(CauseSelection.parse(" TOP-K : 100 ")).isEqualTo(CauseSelection.topK(100));
        assertThat(CauseSelection.parse("top-fraction:0.15")).isEqualTo(CauseSelection.topFraction(0.15));
        assertThat(CauseSelection.parse("top-fraction:15%").fraction()).isEqualTo(0.15);
        for (CauseSelection s : new CauseSelection[] {CauseSelection.threshold(), CauseSelection.topK(7),
            CauseSelection.topFraction(0.15)}) {
            assertThat(CauseSelection.parse(s.toString())).isEqualTo(s);
        }
        assertThat(CauseSelection.topK(7)).hasToString("top-k:7");
    }

    @Test
    void badTextIsAOneLineErrorShowingTheSyntax() {
        for (String bad : new String[] {"", "top-k", "top-k:abc", "top-k:1.5", "bogus", "threshold:1",
            "top-fraction:x"}) {
            assertThatThrownBy(() -> CauseSelection.parse(bad))
                    .as(bad)
                    .isInstanceOf(AmendException.class)
                    .hasMessageNotContaining("\n");
        }
        assertThatThrownBy(() -> CauseSelection.parse("bogus")).hasMessageContaining("top-fraction:F");
    }

    @Test
    void isOneStringInJson() throws Exception {
        assertThat(Json.toJson(CauseSelection.topFraction(0.15))).isEqualTo("\"top-fraction:0.15\"\n");
        assertThat(Json.mapper().readValue("\"top-k:12\"", CauseSelection.class)).isEqualTo(CauseSelection.topK(12));
    }
}
