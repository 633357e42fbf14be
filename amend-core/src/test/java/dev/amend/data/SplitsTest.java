package dev.amend.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitsTest {
    /** n examples of one pixel each; pixel i = i, label i % 3, rows start at 100. */
    private static ExampleSet numbered(int n) {
        float[] x = new float[n];
        int[] y = new int[n];
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = i % 3;
            rows[i] = 100 + i;
        }
        return new ExampleSet(x, y, rows, 1, 1, 1, ExampleSet.numberedClasses(3));
    }

    private static int[] union(int[] a, int[] b) {
        int[] all = IntStream.concat(Arrays.stream(a), Arrays.stream(b)).toArray();
        Arrays.sort(all);
        return all;
    }

    @Test
    void permutationIsReproducibleAndDependsOnTheSeed() {
        int[] p = Splits.permutation(50, 7);
        assertThat(Splits.permutation(50, 7)).containsExactly(p);
        assertThat(Splits.permutation(50, 8)).isNotEqualTo(p);
        assertThat(p).isNotEqualTo(IntStream.range(0, 50).toArray());
        assertThat(p).containsExactlyInAnyOrder(IntStream.range(0, 50).toArray());
    }

    @Test
    void permutationIsFixedByTheSeedAcrossRuns() {
        // a golden value: java.util.Random's algorithm is specified, so this holds on every JVM
        assertThat(Splits.permutation(8, 0)).containsExactly(0, 7, 3, 4, 6, 1, 2, 5);
    }

    @Test
    void trainValidationIsDisjointCoveringAndReproducible() {
        ExampleSet data = numbered(1000);
        Splits.Split s = Splits.trainValidation(data, 0.1, 3);

        assertThat(s.heldOutIndices()).hasSize(100).isSorted();
        assertThat(s.keptIndices()).hasSize(900).isSorted();
        assertThat(union(s.keptIndices(), s.heldOutIndices())).containsExactly(IntStream.range(0, 1000).toArray());
        assertThat(s.heldOut().row(0)).isEqualTo(100 + s.heldOutIndices()[0]);
        assertThat(s.kept().pixels()[5]).isEqualTo(s.keptIndices()[5]);
        assertThat(Splits.trainValidation(data, 0.1, 3).heldOutIndices()).containsExactly(s.heldOutIndices());
        assertThat(Splits.trainValidation(data, 0.1, 4).heldOutIndices()).isNotEqualTo(s.heldOutIndices());
    }

    @Test
    void zeroFractionGivesEmptyValidation() {
        Splits.Split s = Splits.trainValidation(numbered(10), 0, 1);
        assertThat(s.heldOut().size()).isZero();
        assertThat(s.kept().size()).isEqualTo(10);
    }

    @Test
    void fractionOutsideRangeIsRejected() {
        assertThatThrownBy(() -> Splits.trainValidation(numbered(10), 1, 1)).isInstanceOf(AmendException.class);
    }

    @Test
    void sampleDrawsDistinctExamplesInFileOrder() {
        ExampleSet s = Splits.sample(numbered(100), 30, 5);
        assertThat(s.size()).isEqualTo(30);
        assertThat(s.rows()).isSorted().doesNotHaveDuplicates();
        assertThat(Splits.sample(numbered(100), 30, 5).rows()).containsExactly(s.rows());
        assertThatThrownBy(() -> Splits.sample(numbered(10), 11, 5)).isInstanceOf(AmendException.class);
    }

    @Test
    void halvesSplitTheGivenIndicesWithTheSmallerHalfAsQuery() {
        int[] failures = {42, 7, 19, 3, 88, 61, 5};
        Splits.Halves h = Splits.halves(failures, 11);

        assertThat(h.query()).hasSize(3);
        assertThat(h.holdout()).hasSize(4);
        assertThat(union(h.query(), h.holdout())).containsExactly(3, 5, 7, 19, 42, 61, 88);
        int[] shuffled = {5, 61, 88, 3, 19, 7, 42};
        assertThat(Splits.halves(shuffled, 11).query()).containsExactly(h.query());
    }

    @Test
    void mnistPoolDrawsThePoolAndKeepsTheRestAsTest() {
        Splits.Split s = Splits.mnistPool(numbered(100), 30, 0);
        assertThat(s.kept().size()).isEqualTo(30);
        assertThat(s.heldOut().size()).isEqualTo(70);
        assertThat(union(s.keptIndices(), s.heldOutIndices())).containsExactly(IntStream.range(0, 100).toArray());
    }
}
