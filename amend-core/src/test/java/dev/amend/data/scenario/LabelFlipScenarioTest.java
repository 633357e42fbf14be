package dev.amend.data.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LabelFlipScenarioTest {
    private static final int PER_CLASS = 1000;
    private final ExampleSet train = TestData.varied(10, PER_CLASS, 1, 2, 2);

    @Test
    void aOneWayPairFlipsOnlyItsSourceClass() {
        CorruptedData data = LabelFlipScenario.of(List.of(ClassPair.oneWay(1, 7))).apply(train, 3);
        int flippedOnes = 0;
        for (int i = 0; i < train.size(); i++) {
            if (data.corrupted()[i]) {
                assertThat(train.label(i)).isEqualTo(1);
                assertThat(data.data().label(i)).isEqualTo(7);
                flippedOnes++;
            }
        }
        // 1000 ones at rate 0.45: 450 expected, sd 16.
        assertThat(flippedOnes).isBetween(380, 520);
    }

    @Test
    void flippedFractionIsWithinThreeStandardErrorsOfTheRate() {
        CorruptedData data = LabelFlipScenario.of(List.of(new ClassPair(1, 7))).apply(train, 11);

        int paired = 2 * PER_CLASS;
        double rho = LabelFlipScenario.DEFAULT_RATE;
        double standardError = Math.sqrt(paired * rho * (1 - rho));
        assertThat((double) data.labelChangedCount()).isBetween(paired * rho - 3 * standardError, paired * rho + 3 * standardError);
    }

    @Test
    void onlyPairedClassesAreFlippedAndOnlyToTheirPartner() {
        CorruptedData data = new LabelFlipScenario(List.of(new ClassPair(1, 7), new ClassPair(4, 9)), 0.45).apply(train, 5);
        Map<Integer, Integer> partner = Map.of(1, 7, 7, 1, 4, 9, 9, 4);

        for (int i = 0; i < train.size(); i++) {
            int before = train.label(i);
            int after = data.data().label(i);
            if (partner.containsKey(before)) {
                assertThat(after).isIn(before, partner.get(before));
            } else {
                assertThat(after).isEqualTo(before);
            }
        }
        for (int c : new int[] {1, 7, 4, 9}) {
            long flippedInClass = IntStream.range(0, train.size())
                    .filter(i -> train.label(i) == c && data.isLabelChanged(i)).count();
            assertThat(flippedInClass).as("class %d", c).isPositive();
        }
    }

    @Test
    void masksAgreeWithLabelsAndPixelsAreUntouched() {
        CorruptedData data = LabelFlipScenario.of(List.of(new ClassPair(1, 7))).apply(train, 5);

        assertThat(data.originalLabels()).containsExactly(train.labels());
        for (int i = 0; i < train.size(); i++) {
            boolean changed = data.data().label(i) != train.label(i);
            assertThat(data.isLabelChanged(i)).isEqualTo(changed);
            assertThat(data.isCorrupted(i)).isEqualTo(changed);
        }
        assertThat(data.data().pixels()).containsExactly(train.pixels());
        assertThat(train.labels()).containsExactly(TestData.varied(10, PER_CLASS, 1, 2, 2).labels());
    }

    @Test
    void sameSeedGivesSameFlipsAndAnotherSeedOthers() {
        LabelFlipScenario scenario = LabelFlipScenario.of(List.of(new ClassPair(1, 7)));

        assertThat(scenario.apply(train, 42).data().labels()).containsExactly(scenario.apply(train, 42).data().labels());
        assertThat(scenario.apply(train, 43).data().labels()).isNotEqualTo(scenario.apply(train, 42).data().labels());
    }

    @Test
    void parametersAreRecordedWithTheSeed() {
        CorruptedData data = new LabelFlipScenario(List.of(new ClassPair(3, 5)), 0.3).apply(train, 9);

        assertThat(data.scenario()).isEqualTo("label-flip");
        assertThat(data.parameters()).containsExactly(Map.entry("pairs", List.of("3-5")), Map.entry("rate", 0.3),
                Map.entry("seed", 9L));
    }

    @Test
    void aClassInTwoPairsIsRejected() {
        assertThatThrownBy(() -> LabelFlipScenario.of(List.of(new ClassPair(1, 7), new ClassPair(7, 9))))
                .isInstanceOf(AmendException.class).hasMessageContaining("share a class");
    }

    @Test
    void aPairOutsideTheDataIsRejected() {
        LabelFlipScenario scenario = LabelFlipScenario.of(List.of(new ClassPair(1, 12)));

        assertThatThrownBy(() -> scenario.apply(train, 1)).isInstanceOf(AmendException.class).hasMessageContaining("12");
    }

    @Test
    void rateOutsideTheUnitIntervalIsRejected() {
        assertThatThrownBy(() -> new LabelFlipScenario(List.of(new ClassPair(1, 7)), 1.5))
                .isInstanceOf(AmendException.class).hasMessageContaining("rate");
    }
}
