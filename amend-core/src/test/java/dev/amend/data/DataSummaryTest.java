package dev.amend.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DataSummaryTest {
    @Test
    void countsEachClassPerSplitAndPrintsATable() {
        List<String> classes = List.of("cat", "dog");
        ExampleSet train = ExampleSet.of(new float[5], new int[] {0, 1, 1, 0, 1}, 1, 1, 1, classes);
        ExampleSet test = ExampleSet.of(new float[2], new int[] {1, 1}, 1, 1, 1, classes);

        DataSummary summary = DataSummary.of(new LoadedData("csv:a,b", train, test, LoadedData.CUSTOM));

        assertThat(summary.splits().get(0).perClass()).containsExactly(2, 3);
        assertThat(summary.splits().get(1).perClass()).containsExactly(0, 2);
        assertThat(summary.toTable()).isEqualTo("""
                csv:a,b: 1x1x1, 2 classes
                class  train  test
                0 cat      2     0
                1 dog      3     2
                total      5     2
                """);
    }
}
