package dev.amend.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void sampleStandardDeviationOverTheFiniteValues() {
        Stats.Stat s = Stats.of(new double[] {1, Double.NaN, 3, Double.POSITIVE_INFINITY});

        assertThat(s.n()).isEqualTo(2);
        assertThat(s.mean()).isEqualTo(2.0);
        assertThat(s.std()).isCloseTo(Math.sqrt(2), Offset.offset(1e-12));
        assertThat(s.format(2)).isEqualTo("2.00 ± 1.41");
    }

    @Test
    void oneValueHasNoSpreadAndNoneHasNoNumbers() {
        assertThat(Stats.of(new double[] {2})).isEqualTo(new Stats.Stat(2, 0, 1));
        Stats.Stat none = Stats.of(new double[] {Double.NaN});
        assertThat(none.n()).isZero();
        assertThat(none.mean()).isNaN();
        assertThat(none.std()).isNaN();
        assertThat(none.format(3)).isEqualTo("-");
        assertThat(Stats.format(Double.NaN, 0, 3)).isEqualTo("-");
    }

    @Test
    void meanIsTheSumOverTheCount() {
        // The rounding every experiment's tables and results.json share: sum first, then divide.
        double[] values = {0.1, 0.2, 0.3};
        assertThat(Stats.of(values).mean()).isEqualTo((0.1 + 0.2 + 0.3) / 3);
    }
}
