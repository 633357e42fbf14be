package dev.amend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.amend.model.ModelSpec.Precision;
import dev.amend.run.format.TrainMetrics;
import dev.amend.run.format.TrainRunSpec;
import dev.amend.train.TrainConfig;
import dev.amend.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {
    @TempDir
    static Path dir;

    static String data;
    static Path out;
    static CliRun trained;

    @BeforeAll
    static void trainOnce() {
        data = TinyCsv.write(dir.resolve("data"), 300, 150, 1);
        out = dir.resolve("run");
        trained = CliRun.amend("train", "--data", data, "--scenario", "label-flip:pairs=0-1", "--model", "logreg",
                "--epochs", "2", "--batch-size", "32", "--seed", "3", "--out", out.toString());
    }

    @Test
    void writesTheWholeRunAndPrintsTheFailureSetsWithTheirClassHistogram() throws Exception {
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        for (String file : List.of("spec.json", "provenance.json", "metrics.json", "history.csv", "mask.csv",
                "train-data.bin", "validation-data.bin", "model/model.json", "model/parameters.ndlist", "splits/D.txt",
                "splits/validation.txt", "splits/F.txt", "splits/F_q.txt", "splits/F_h.txt", "splits/T_minus_F.txt")) {
            assertThat(out.resolve(file)).as(file).isRegularFile();
        }
        TrainRunSpec spec = Json.read(out.resolve("spec.json"), TrainRunSpec.class);
        assertThat(spec.model()).isEqualTo("logreg");
        assertThat(spec.seed()).isEqualTo(3);
        assertThat(spec.train().maxEpochs()).isEqualTo(2);
        TrainMetrics metrics = Json.read(out.resolve("metrics.json"), TrainMetrics.class);
        int failures = metrics.failures().failures();
        assertThat(Files.readAllLines(out.resolve("splits/F.txt"))).hasSize(failures);

        assertThat(trained.out()).contains("|F| " + failures + "   |F_q| " + failures / 2);
        assertThat(trained.out()).contains("F by class (true label):");
        assertThat(trained.out()).containsPattern("(?m)^  0\\s+\\d+\\s+\\d+\\.\\d%$");
        assertThat(trained.out()).contains("wrote       " + out);
        assertThat(trained.err()).contains("model epoch 1/2", "model epoch 2/2");
    }

    @Test
    void quietPrintsNoProgress() {
        CliRun run = CliRun.amend("train", "--data", data, "--model", "logreg", "--epochs", "1", "--quiet",
                "--out", dir.resolve("quiet").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("scenario    none");
    }

    @Test
    void unknownModelScenarioOrOptimizerIsAOneLineUserErrorAndWritesNothing() {
        Path target = dir.resolve("never");
        String[][] cases = {
            {"--model", "vgg"},
            {"--scenario", "blur"},
            {"--optimizer", "rmsprop"},
            {"--scenario", "label-flip"}, // custom data has no default class pairs
        };
        for (String[] extra : cases) {
            String[] args = concat(new String[] {"train", "--data", data, "--out", target.toString(), "--quiet"},
                    extra);
            CliRun run = CliRun.amend(args);

            assertThat(run.exitCode()).as(String.join(" ", extra)).isEqualTo(ErrorHandler.USER_ERROR);
            assertThat(run.errLines()).as(run.err()).hasSize(1);
            assertThat(run.errLines()[0]).startsWith("amend: ");
            assertThat(target).doesNotExist();
        }
    }

    @Test
    void lbfgsTrainsToTheExactOptimumInFloat64() {
        CommandLine commandLine = AmendCli.commandLine();
        commandLine.parseArgs("train", "--model", "logreg", "--optimizer", "lbfgs", "--l2", "0.01", "--val-fraction", "0");
        TrainCommand train = commandLine.getSubcommands().get("train").getCommand();

        TrainRunSpec spec = train.runSpec();

        assertThat(spec.exactOptimum()).isTrue();
        assertThat(spec.precision()).isEqualTo(Precision.FLOAT64);
        assertThat(spec.l2()).isEqualTo(0.01);
        assertThat(spec.valFraction()).isZero();
    }

    @Test
    void baseModelsStopOnValidationLossUnlessAskedOtherwise() {
        CommandLine defaults = AmendCli.commandLine();
        defaults.parseArgs("train");
        CommandLine accuracy = AmendCli.commandLine();
        accuracy.parseArgs("train", "--stop-on", "accuracy");

        assertThat(((TrainCommand) defaults.getSubcommands().get("train").getCommand()).runSpec().train().stopOn())
                .isEqualTo(TrainConfig.StopCriterion.LOSS);
        assertThat(((TrainCommand) accuracy.getSubcommands().get("train").getCommand()).runSpec().train().stopOn())
                .isEqualTo(TrainConfig.StopCriterion.ACCURACY);
    }

    @Test
    void sgdGetsItsOwnDefaultLearningRate() {
        CommandLine commandLine = AmendCli.commandLine();
        commandLine.parseArgs("train", "--optimizer", "sgd");
        TrainCommand train = commandLine.getSubcommands().get("train").getCommand();

        assertThat(train.runSpec().train().learningRate()).isEqualTo(TrainCommand.SGD_DEFAULT_LR);
    }

    static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
