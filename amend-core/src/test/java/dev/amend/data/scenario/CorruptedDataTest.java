package dev.amend.data.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.data.ExampleSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CorruptedDataTest {
    private final ExampleSet clean = TestData.constant(new int[] {2, 2}, 1, 2, 2, 0.5f);

    @Test
    void countsAndIndicesFollowTheMasks() {
        ExampleSet relabelled = clean.withLabels(new int[] {0, 1, 1, 1});
        CorruptedData data = new CorruptedData(relabelled, new boolean[] {false, true, false, true},
                new boolean[] {false, true, false, false}, clean.labels(), "test", Map.of());

        assertThat(data.corruptedCount()).isEqualTo(2);
        assertThat(data.corruptedIndices()).containsExactly(1, 3);
        assertThat(data.labelChangedCount()).isEqualTo(1);
        assertThat(data.labelChangedIndices()).containsExactly(1);
        assertThat(data.originalLabel(1)).isZero();
    }

    @Test
    void arraysCannotBeChangedFromOutside() {
        boolean[] mask = new boolean[4];
        CorruptedData data = new CorruptedData(clean, mask, new boolean[4], clean.labels(), "test", Map.of());
        mask[0] = true;
        data.corrupted()[1] = true;

        assertThat(data.corruptedCount()).isZero();
    }

    @Test
    void labelMaskMustAgreeWithTheLabels() {
        assertThatThrownBy(() -> new CorruptedData(clean, new boolean[4], new boolean[] {true, false, false, false},
                clean.labels(), "test", Map.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void changedLabelMustBeMarkedCorrupted() {
        ExampleSet relabelled = clean.withLabels(new int[] {1, 0, 1, 1});
        assertThatThrownBy(() -> new CorruptedData(relabelled, new boolean[4], new boolean[] {true, false, false, false},
                clean.labels(), "test", Map.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noneScenarioCorruptsNothing() {
        CorruptedData data = new NoneScenario().apply(clean, 3);

        assertThat(data.data()).isSameAs(clean);
        assertThat(data.corruptedCount()).isZero();
        assertThat(data.labelChangedCount()).isZero();
        assertThat(data.scenario()).isEqualTo("none");
        assertThat(data.parameters()).containsEntry("seed", 3L);
    }
}
