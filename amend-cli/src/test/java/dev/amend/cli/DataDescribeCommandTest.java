package dev.amend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amend.util.Json;
import org.junit.jupiter.api.Test;

class DataDescribeCommandTest {
    @Test
    void embeddedMnistPrintsCountsPerClassForBothParts() {
        CliRun run = CliRun.amend("data", "describe", "--data", "mnist");

        assertThat(run.exitCode()).as(run.err()).isZero();
        String[] lines = run.out().split("\\R");
        assertThat(lines[0]).isEqualTo("mnist: 1x28x28, 10 classes");
        assertThat(lines[1]).matches("class\\s+train\\s+test");
        for (int digit = 0; digit < 10; digit++) {
            assertThat(lines[2 + digit]).matches(digit + "\\s+\\d+\\s+\\d+");
        }
        assertThat(lines[12]).matches("total\\s+3000\\s+7000");
    }

    @Test
    void poolSizeSetsHowManyDigitsAreDrawnForTraining() {
        CliRun run = CliRun.amend("data", "describe", "--pool-size", "1000", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode splits = readJson(run.out()).get("splits");
        assertThat(splits.get(0).get("size").asInt()).isEqualTo(1000);
        assertThat(splits.get(1).get("size").asInt()).isEqualTo(9000);
    }

    @Test
    void missingIdxFilesAreAOneLineUserError() {
        CliRun run = CliRun.amend("data", "describe",
                "--data", "idx:/nonexistent/train-images,/nonexistent/train-labels,/nonexistent/t10k-images,"
                        + "/nonexistent/t10k-labels");

        assertThat(run.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.errLines()[0]).startsWith("amend: ").contains("/nonexistent/");
        assertThat(run.err()).doesNotContain("\tat ", "Exception");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void unknownDataSchemeIsAOneLineUserError() {
        CliRun run = CliRun.amend("data", "describe", "--data", "imagenet");

        assertThat(run.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.errLines()[0]).startsWith("amend: unknown data 'imagenet'");
    }

    @Test
    void aCsvWhoseLabelColumnIsNotNamedLabelIsRefusedNamingTheColumnRead(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws java.io.IOException {
        // 28x28 pixels and the class last, under a header that calls it "class": px0 (always 0) is read as the label.
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < 784; i++) {
            header.append("px").append(i).append(',');
        }
        String line = "0" + ",128".repeat(783);
        String text = header + "class\n" + line + ",3\n" + line + ",7\n";
        java.nio.file.Path train = java.nio.file.Files.writeString(dir.resolve("train.csv"), text);
        java.nio.file.Path test = java.nio.file.Files.writeString(dir.resolve("test.csv"), text);

        CliRun run = CliRun.amend("data", "describe", "--data", "csv:" + train + "," + test);

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(run.errLines()).containsExactly("amend: csv:" + train + "," + test + ": every label is 0, so the"
                + " data have one class; a classifier needs at least 2. The label is the first column of " + train
                + ", 'px0', since its header has no column named 'label': name the label column 'label'"
                + " (docs/data.md, \"CSV\")");
        assertThat(run.out()).isEmpty();
    }

    private static JsonNode readJson(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
