package dev.amend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amend.util.Json;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own TorchScript model through the CLI (docs/models.md, "Your own PyTorch model"): a
 * small CNN with BatchNorm and Dropout saved by PyTorch (untrained: the test is about the
 * mechanics), repaired on embedded MNIST, written back as TorchScript; and its refusals.
 */
class UserModelCommandTest {
    @TempDir
    static Path dir;

    static Path model;

    @BeforeAll
    static void copyModel() throws Exception {
        model = dir.resolve("user-cnn-bn.pt");
        try (InputStream in = UserModelCommandTest.class.getResourceAsStream("/user-cnn-bn.pt")) {
            Files.copy(in, model);
        }
    }

    @Test
    void repairsAUsersTorchScriptModelAndWritesItBackAsTorchScript() throws Exception {
        Path rows = dir.resolve("failures.csv");
        // Test rows outside the 500-image training pool of seed 0, all misclassified by the untrained model.
        Files.writeString(rows, "index\n9001\n9002\n9010\n9011\n9012\n9013\n");
        Path out = dir.resolve("repaired");
        CliRun repair = CliRun.amend("repair", "--model", model.toString(), "--data", "mnist", "--pool-size", "500",
                "--failures", rows.toString(), "--top-k", "20", "--epochs", "2", "--out", out.toString());
        assertThat(repair.exitCode()).as(repair.err()).isZero();
        assertThat(out.resolve("user-cnn-bn.pt")).isRegularFile();
        assertThat(out.resolve("model/model.pt")).isRegularFile();
        JsonNode metrics = Json.mapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(metrics.get("causes").get("count").asInt()).isEqualTo(20);
        assertThat(repair.out()).contains("F_h (holdout failures)");

        // The repaired file and the saved folder are the same model to amend eval.
        CliRun fromFile = CliRun.amend("eval", "--model", out.resolve("user-cnn-bn.pt").toString(), "--data", "mnist",
                "--pool-size", "500", "--json");
        CliRun fromFolder = CliRun.amend("eval", "--model", out.resolve("model").toString(), "--data", "mnist",
                "--pool-size", "500", "--json");
        assertThat(fromFile.exitCode()).as(fromFile.err()).isZero();
        assertThat(fromFolder.exitCode()).as(fromFolder.err()).isZero();
        assertThat(fromFile.out()).isEqualTo(fromFolder.out());
    }

    @Test
    void refusesAModelThatDoesNotFitTheDataInOneLine() {
        Path out = dir.resolve("never");
        // 28x28 grey digits in, but the data are 2x4x4 images from a CSV: the module rejects them.
        String data = TinyCsv.write(dir.resolve("tiny"), 40, 20, 3);
        CliRun repair = CliRun.amend("repair", "--model", model.toString(), "--data", data, "--quiet", "--out",
                out.toString());
        assertThat(repair.exitCode()).isEqualTo(2);
        assertThat(repair.err().strip()).startsWith("amend: ").doesNotContain("\n").contains("user-cnn-bn.pt")
                .contains("fails on a batch of shape (1, 1, 6, 6): RuntimeError: ");
        assertThat(out).doesNotExist();

        CliRun retrain = CliRun.amend("repair", "--model", model.toString(), "--data", "mnist", "--pool-size", "500",
                "--treat", "retrain", "--out", out.toString());
        assertThat(retrain.exitCode()).isEqualTo(2);
        assertThat(retrain.err()).contains("finetune-remaining");
        assertThat(out).doesNotExist();
    }

    @Test
    void anAuxiliaryModelFromTheInitialisationIsRefusedNamingTheOptions() throws Exception {
        Path rows = Files.writeString(dir.resolve("query.txt"), "9001\n9002\n");
        Path out = dir.resolve("never-init");

        CliRun identify = CliRun.amend("identify", "--model", model.toString(), "--data", "mnist", "--pool-size", "500",
                "--query-indices", rows.toString(), "--method", "sgd-influence", "--train-auxiliary",
                "--auxiliary-start", "init", "--quiet", "--out", out.toString());

        assertThat(identify.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(identify.errLines()).containsExactly("amend: sgd-influence's auxiliary SGD model cannot start from"
                + " theta*'s initialisation (--auxiliary-start init): this model has none (a TorchScript model brought"
                + " from elsewhere); start it from theta* with --auxiliary-start theta-star, the default");
        assertThat(out).doesNotExist();
    }
}
