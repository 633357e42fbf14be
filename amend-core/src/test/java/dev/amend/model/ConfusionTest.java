package dev.amend.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionTest {
    @Test
    void countsEachLabelAgainstItsPredictionAndRanksTheOffDiagonalCells() {
        int[] labels = {0, 0, 0, 1, 1, 2, 2, 2, 2};
        int[] predictions = {0, 1, 1, 1, 0, 2, 1, 0, 0};
        Confusion c = Confusion.of(new Evaluation(new double[labels.length], predictions, labels),
                List.of("a", "b", "c"));
        assertThat(c.counts()).isDeepEqualTo(new int[][] {{1, 2, 0}, {1, 1, 0}, {2, 1, 1}});
        assertThat(c.support(2)).isEqualTo(4);
        assertThat(c.mostConfused(3)).containsExactly(
                new Confusion.Pair(0, 1, 2, 2.0 / 3),
                new Confusion.Pair(2, 0, 2, 0.5),
                new Confusion.Pair(1, 0, 1, 0.5));
        assertThat(c.mostConfused(10)).hasSize(4);
    }
}
