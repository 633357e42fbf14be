package dev.amend.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EvaluationTest {
    private final Evaluation e = new Evaluation(new double[] {0.1, 0.2, 0.3, 0.4}, new int[] {0, 1, 1, 2},
            new int[] {0, 0, 1, 2});

    @Test
    void aSubsetKeepsTheChosenExamplesInTheirGivenOrder() {
        Evaluation s = e.subset(new int[] {3, 1});
        assertThat(s.loss()).containsExactly(0.4, 0.2);
        assertThat(s.predictions()).containsExactly(2, 1);
        assertThat(s.labels()).containsExactly(2, 0);
        assertThat(s.accuracy()).isEqualTo(0.5);
    }

    @Test
    void joiningTwoEvaluationsGivesTheMeanLossAndAccuracyOfTheJoinedSet() {
        Evaluation joined = e.subset(new int[] {0, 1}).concat(e.subset(new int[] {2, 3}));
        assertThat(joined.loss()).containsExactly(e.loss());
        assertThat(joined.meanLoss()).isEqualTo(e.meanLoss());
        assertThat(joined.accuracy()).isEqualTo(0.75);
    }
}
