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

    private static JsonNode readJson(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
