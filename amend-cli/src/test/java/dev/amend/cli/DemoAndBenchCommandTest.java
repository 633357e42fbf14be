package dev.amend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amend.run.format.TrainRunSpec;
import dev.amend.util.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo and the benchmark on the embedded MNIST pool, cut to one or two epochs: they check the
 * wiring and the output, not the accuracy (TrainingLoopTest checks what the CNN learns, RepairMnistTest
 * what a repair achieves).
 */
class DemoAndBenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void demoTrainsRanksRemovesAndEndsWithTheBeforeAfterTable() throws Exception {
        Path out = dir.resolve("demo");

        CliRun run = CliRun.amend("demo", "--epochs", "1", "--top-k", "50", "--seed", "2", "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("model epoch 1/1", "identifying causes with ewc-influence",
                "treating with finetune-remaining: removing 50 of 2700", "amend demo took");
        assertThat(run.out()).contains("scenario    label-flip (pairs=[1>7], rate=0.45)", "F by class (true label):");
        assertThat(run.out()).containsPattern("(?m)^  7\\s+\\d+\\s+\\d+\\.\\d%$");
        assertThat(run.out()).containsPattern("(?m)^F_h \\(holdout failures\\)\\s+\\d+\\s+0\\.0000\\s+\\d\\.\\d{4}");
        assertThat(run.out()).containsPattern("causes      50 of 2700 training examples removed ranked by ewc-influence"
                + " \\(top-k:50\\), \\d+ of them truly corrupted");
        assertThat(run.out()).containsPattern("(?m)^check       validation\\s+300 examples: accuracy")
                .containsPattern("(?m)^verdict     (ACCEPTED|NOT ACCEPTED)");
        assertThat(run.out().strip()).endsWith("wrote       " + out.resolve("repair"));
        TrainRunSpec spec = Json.read(out.resolve("spec.json"), TrainRunSpec.class);
        assertThat(spec.data()).isEqualTo("mnist");
        assertThat(spec.model()).isEqualTo("paper-cnn");
        assertThat(spec.poolSize()).isEqualTo(3000);
        assertThat(out.resolve("splits/F_q.txt")).isRegularFile();
        JsonNode metrics = Json.mapper().readTree(out.resolve("repair/metrics.json").toFile());
        assertThat(metrics.get("method").asText()).isEqualTo("finetune-remaining");
        assertThat(metrics.get("causes").get("count").asInt()).isEqualTo(50);
        assertThat(metrics.get("acceptance").get("validation").get("size").asInt()).isEqualTo(300);
        assertThat(metrics.get("acceptance").get("F_q_val").get("accuracy_before").asDouble()).isZero();
        assertThat(out.resolve("repair/ranking.csv")).isRegularFile();
    }

    @Test
    void demoRefusesASelectionOfItsWholeTrainingSetBeforeTraining() {
        Path out = dir.resolve("demo-all");
        for (String k : new String[] {"2700", "3000"}) {
            CliRun run = CliRun.amend("demo", "--top-k", k, "--quiet", "--out", out.toString());

            assertThat(run.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
            assertThat(run.errLines()).singleElement().asString().startsWith("amend: --top-k " + k + " ");
            // Refused before training: the demo writes its run folder as soon as the model is trained.
            assertThat(out).doesNotExist();
        }
    }

    @Test
    void benchTrainPrintsSecondsPerEpochAndWritesJson() throws Exception {
        Path out = dir.resolve("bench");

        CliRun run = CliRun.amend("bench", "train", "--epochs", "1", "--repeats", "1", "--threads", "2", "--quiet",
                "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).containsPattern("(?m)^all\\s+\\d+\\.\\d{3}\\s+\\d+\\.\\d{3}\\s+\\d+\\.\\d{3}$");
        assertThat(run.out()).contains("target   <= 0.70 s/epoch");
        JsonNode report = Json.mapper().readTree(out.resolve(BenchTrainCommand.FILE).toFile());
        assertThat(report.get("settings").get("images").asInt()).isEqualTo(3000);
        assertThat(report.get("settings").get("threads").asInt()).isPositive();
        assertThat(report.get("epochSeconds").get(0)).hasSize(1);
        assertThat(report.get("median").asDouble()).isPositive();
        assertThat(report.get("provenance").get("cores").asInt()).isPositive();
    }
}
