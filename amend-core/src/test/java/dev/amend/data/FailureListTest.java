package dev.amend.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailureListTest {
    @TempDir
    Path dir;

    /** Six test examples with rows 0..5 and labels 0, 1, 2, 0, 1, 2 of the classes cat, dog, fox. */
    private static final ExampleSet TEST = ExampleSet.of(new float[6], new int[] {0, 1, 2, 0, 1, 2}, 1, 1, 1,
            List.of("cat", "dog", "fox"));

    private Path file(String text) throws IOException {
        return Files.writeString(dir.resolve("failures.csv"), text);
    }

    private static void refused(Path file, String message) {
        assertThatThrownBy(() -> FailureList.read(file).positionsIn(TEST)).isInstanceOf(AmendException.class)
                .hasMessage(file + message);
    }

    @Test
    void plainRowsWithCommentsAreReadInListedOrder() throws IOException {
        FailureList list = FailureList.read(file("# failing rows\n4\n\n  1 # a dog\n3\n"));

        assertThat(list.rows()).containsExactly(4, 1, 3);
        assertThat(list.hasLabels()).isFalse();
        assertThat(list.entries().get(1).line()).isEqualTo(4);
        assertThat(list.positionsIn(TEST)).containsExactly(4, 1, 3);
        assertThat(list.select(TEST).rows()).containsExactly(4, 1, 3);
    }

    @Test
    void aCsvWithAHeaderGivesRowsAndLabelsByNameOrNumber() throws IOException {
        FailureList list = FailureList.read(file("\uFEFFprediction,Index,LABEL\ndog,0,cat\n\"fox\",\"4\",1\n"));

        assertThat(list.rows()).containsExactly(0, 4);
        assertThat(list.hasLabels()).isTrue();
        assertThat(list.entries()).extracting(FailureList.Entry::label).containsExactly("cat", "1");
        assertThat(list.positionsIn(TEST)).containsExactly(0, 4);
        assertThat(FailureList.read(file("index\n5\n2\n")).rows()).containsExactly(5, 2);
    }

    @Test
    void positionsFollowTheRowsOfTheUsersFileNotThePositions() throws IOException {
        ExampleSet subset = TEST.subset(new int[] {5, 2});

        assertThat(FailureList.read(file("index,label\n2,fox\n5,2\n")).positionsIn(subset)).containsExactly(1, 0);
    }

    @Test
    void everyMistakeNamesTheFileAndLine() throws IOException {
        refused(file("1\n9\n"), " line 2: test row 9 is not in the test set (6 rows)");
        refused(file("1\n-1\n"), " line 2: row -1 is negative; rows are 0-based");
        refused(file("2\n\n2\n"), " line 3: test row 2 is already listed on line 1");
        refused(file("index,label\n1,dog\n2,cow\n"), " line 3: label 'cow' is not a class of the data (classes cat,"
                + " dog, fox, or their numbers 0..2)");
        refused(file("index,label\n1,3\n"), " line 2: label '3' is not a class of the data (classes cat, dog, fox,"
                + " or their numbers 0..2)");
        refused(file("index,label\n1,dog\n2,cat\n"), " line 3: test row 2 has label 'cat' here but 'fox' in the test"
                + " data; a listed label must agree with the test data (give examples with labels of their own as"
                + " failure data)");
        refused(file("seven\n"), " line 1 is not a test row number: 'seven'");
        refused(file("index,label\nx,1\n"), " line 2: index 'x' is not a test row number");
        refused(file("index,label\n1\n"), " line 2 has 1 field but the header has 2");
        refused(file("index,label\n1,\n"), " line 2: the label is empty");
        refused(file("row,label\n1,0\n"), " line 1: a CSV failure list needs an 'index' column (the test row),"
                + " optionally 'label'; the header names row, label");
        refused(file("3,2\n"), " line 1 is not a test row number: '3,2'; list one row per line, or start a CSV with"
                + " a header naming the columns index and optionally label");
        refused(file("# nothing yet\n\n"), " holds no failing test rows");
        refused(file("index,label\n"), " holds no failing test rows");
        assertThatThrownBy(() -> FailureList.read(dir.resolve("missing.csv"))).isInstanceOf(AmendException.class)
                .hasMessage("file not found: " + dir.resolve("missing.csv"));
    }

    @Test
    void aListMadeInCodeNamesItsEntries() {
        FailureList list = FailureList.ofRows(new int[] {3, 3});

        assertThatThrownBy(() -> list.positionsIn(TEST)).isInstanceOf(AmendException.class)
                .hasMessage("the failure list entry 2: test row 3 is already listed on entry 1");
        assertThatThrownBy(() -> FailureList.ofRows(new int[0])).isInstanceOf(AmendException.class)
                .hasMessage("the failure list holds no failing test rows");
    }

    @Test
    void aClassNameWinsOverANumberThatNamesAnotherClass() {
        List<String> classes = List.of("3", "7");

        assertThat(FailureList.classOf("7", classes)).isEqualTo(1);
        assertThat(FailureList.classOf("1", classes)).isEqualTo(1);
        assertThatThrownBy(() -> FailureList.classOf("2", classes)).isInstanceOf(AmendException.class)
                .hasMessage("label '2' is not a class of the data (classes 3, 7, or their numbers 0..1)");
    }
}
