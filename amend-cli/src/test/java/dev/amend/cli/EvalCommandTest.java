package dev.amend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amend.run.format.TrainMetrics;
import dev.amend.util.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EvalCommandTest extends TrainedRunFixture {
    @Override
    TinyCsvRun trainRun() {
        return TinyCsvRun.train(dir, 200, 100, 2, "--model", "mlp", "--model-option", "hidden=8",
                "--epochs", "2");
    }

    @Test
    void runScoresEveryPartOfTheRun() throws Exception {
        CliRun eval = CliRun.amend("eval", "--run", run.toString(), "--json");

        assertThat(eval.exitCode()).as(eval.err()).isZero();
        JsonNode scores = Json.mapper().readTree(eval.out());
        TrainMetrics metrics = Json.read(run.resolve("metrics.json"), TrainMetrics.class);
        assertThat(scores.get(0).get("set").asText()).isEqualTo("T");
        assertThat(scores.get(0).get("accuracy").asDouble()).isEqualTo(metrics.test().accuracy());
        assertThat(scores.get(2).get("set").asText()).isEqualTo("F_q");
        assertThat(scores.get(2).get("accuracy").asDouble()).isZero();
        assertThat(scores.get(4).get("set").asText()).isEqualTo("T\\F");
        assertThat(scores.get(4).get("accuracy").asDouble()).isEqualTo(1.0);
    }

    @Test
    void modelScoresTheTestPartOfTheData() {
        CliRun eval = CliRun.amend("eval", "--model", run.resolve("model").toString(), "--data", data);

        assertThat(eval.exitCode()).as(eval.err()).isZero();
        TrainMetrics metrics = Json.read(run.resolve("metrics.json"), TrainMetrics.class);
        assertThat(eval.out()).containsPattern("(?m)^set\\s+size\\s+accuracy\\s+loss$");
        assertThat(eval.out()).contains(String.format(java.util.Locale.ROOT, "%.4f", metrics.test().accuracy()));
        assertThat(eval.out()).containsPattern("(?m)^T\\s+100\\s");
    }

    @Test
    void confusionGivesTheMatrixOfTAndItsMostConfusedPairs() throws Exception {
        CliRun eval = CliRun.amend("eval", "--run", run.toString(), "--confusion", "3", "--json");

        assertThat(eval.exitCode()).as(eval.err()).isZero();
        JsonNode out = Json.mapper().readTree(eval.out());
        JsonNode matrix = out.get("confusion");
        int total = 0;
        int diagonal = 0;
        for (int t = 0; t < matrix.size(); t++) {
            for (int p = 0; p < matrix.size(); p++) {
                total += matrix.get(t).get(p).asInt();
                diagonal += t == p ? matrix.get(t).get(p).asInt() : 0;
            }
        }
        assertThat(total).isEqualTo(out.get("scores").get(0).get("size").asInt());
        assertThat((double) diagonal / total).isEqualTo(out.get("scores").get(0).get("accuracy").asDouble());
        assertThat(out.get("mostConfused").size()).isBetween(0, 3);

        CliRun table = CliRun.amend("eval", "--run", run.toString(), "--confusion");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("confusion matrix of T (rows: label, columns: prediction)")
                .contains("most confused (label -> prediction");
        assertThat(CliRun.amend("eval", "--run", run.toString(), "--confusion", "0").errLines())
                .containsExactly("amend: --confusion must be at least 1, got 0");
    }

    @Test
    void missingModelIsAOneLineUserError() {
        for (String name : new String[] {"no-such-model", "nonexistent.pt"}) {
            Path missing = dir.resolve(name);

            CliRun eval = CliRun.amend("eval", "--model", missing.toString(), "--data", data);

            assertThat(eval.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
            assertThat(eval.errLines()).containsExactly("amend: no such model file or folder: " + missing);
        }
    }

    @Test
    void runWithDataIsAUserError() {
        CliRun eval = CliRun.amend("eval", "--run", run.toString(), "--data", "mnist");

        assertThat(eval.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(eval.errLines()).hasSize(1);
    }

    @Test
    void modelWithoutDataIsRefusedByEveryCommandThatTakesAModel() throws Exception {
        Path rows = java.nio.file.Files.writeString(dir.resolve("rows.txt"), "0\n1\n");
        String model = run.resolve("model").toString();
        String[][] commands = {
            {"eval", "--model", model},
            {"eval", "--model", run.toString()},
            {"identify", "--model", model, "--query-indices", rows.toString(), "--quiet"},
            {"repair", "--model", model, "--quiet"},
        };
        for (String[] args : commands) {
            CliRun refused = CliRun.amend(args);

            assertThat(refused.exitCode()).as(String.join(" ", args)).isEqualTo(ErrorHandler.USER_ERROR);
            assertThat(refused.errLines()).as(String.join(" ", args))
                    .containsExactly("amend: --model needs --data: the data set the model was trained on");
        }
    }
}
