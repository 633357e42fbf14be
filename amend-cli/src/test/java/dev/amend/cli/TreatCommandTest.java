package dev.amend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amend.identify.Ranking;
import dev.amend.identify.RankingIo;
import dev.amend.run.LoadedRun;
import dev.amend.run.format.RepairSpec;
import dev.amend.run.format.RunDirectory;
import dev.amend.util.AtomicFolders;
import dev.amend.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** amend treat on a tiny logistic-regression run with flipped labels: outputs, every treatment, every refusal. */
class TreatCommandTest {
    @TempDir
    static Path dir;

    static String data;
    static Path run;
    static Path ranking;
    static Path otherRanking;
    static int n;

    @BeforeAll
    static void trainTwoRunsAndRankThem() {
        data = TinyCsv.write(dir.resolve("data"), 300, 150, 1);
        run = train(data, "run", 3);
        Path other = train(data, "other", 4);
        ranking = rank(run, "ranking");
        otherRanking = rank(other, "other-ranking");
    }

    private static Path train(String data, String name, int seed) {
        Path out = dir.resolve(name);
        CliRun trained = CliRun.amend("train", "--data", data, "--scenario", "label-flip:pairs=0-1,rate=0.3", "--model",
                "logreg", "--epochs", "3", "--seed", Integer.toString(seed), "--quiet", "--out", out.toString());
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        return out;
    }

    /** A ranking with arbitrary scores, as amend identify would write it for the run. */
    private static Path rank(Path runFolder, String name) {
        try (LoadedRun loaded = RunDirectory.load(runFolder)) {
            n = loaded.train().size();
            Random random = new Random(7);
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextGaussian();
            }
            Path folder = dir.resolve(name);
            RankingIo.writer(new Ranking("ewc-influence", scores), loaded.train()).write(folder);
            return folder;
        }
    }

    @Test
    void writesTheRepairedModelAndMetricsWithBeforeAndAfterAndLeavesTheRunAlone() throws Exception {
        byte[] parameters = Files.readAllBytes(run.resolve("model/parameters.ndlist"));
        Path out = dir.resolve("treated");

        CliRun treat = CliRun.amend("treat", "--run", run.toString(), "--ranking", ranking.resolve("ranking.csv")
                .toString(), "--top-k", "10", "--method", "finetune-remaining", "--epochs", "3", "--out", out.toString());

        assertThat(treat.exitCode()).as(treat.err()).isZero();
        for (String file : List.of("spec.json", "provenance.json", "metrics.json", "causes.csv", "model/model.json",
                "model/parameters.ndlist")) {
            assertThat(out.resolve(file)).as(file).isRegularFile();
        }
        JsonNode metrics = Json.mapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(metrics.get("method").asText()).isEqualTo("finetune-remaining");
        for (String part : List.of("before", "after")) {
            for (String set : List.of("F_q", "F_h", "T_minus_F", "T")) {
                double accuracy = metrics.get(part).get(set).asDouble();
                assertThat(accuracy).as(part + " " + set).isBetween(0.0, 1.0);
            }
        }
        assertThat(metrics.get("before").get("F_q").asDouble()).isZero();
        assertThat(metrics.get("before").get("T_minus_F").asDouble()).isEqualTo(1.0);
        assertThat(metrics.get("causes").get("count").asInt()).isEqualTo(10);
        assertThat(metrics.get("causes").get("corrupted").isInt()).isTrue();
        assertThat(metrics.get("causes").get("selection").asText()).isEqualTo("top-k:10");
        assertThat(metrics.get("parameter_distance").asDouble()).isPositive();
        assertThat(metrics.get("seconds").asDouble()).isPositive();
        assertThat(metrics.get("identification").get("method").asText()).isEqualTo("ewc-influence");
        assertThat(Files.readAllLines(out.resolve("causes.csv"))).hasSize(11).first()
                .isEqualTo("rank,train_index,row,label,corrupted");
        RepairSpec spec = Json.read(out.resolve("spec.json"), RepairSpec.class);
        assertThat(spec.selection()).isEqualTo("top-k:10");
        assertThat(spec.treat()).isEqualTo("finetune-remaining");

        assertThat(treat.out()).containsPattern("(?m)^F_h \\(holdout failures\\)\\s+\\d+\\s+0\\.0000\\s+\\d\\.\\d{4}\\s+");
        assertThat(treat.out()).contains("causes      10 of " + n + " training examples removed ranked by ewc-influence"
                + " (top-k:10)");
        assertThat(treat.err()).contains("finetune-remaining epoch 1/3");
        assertThat(Files.readAllBytes(run.resolve("model/parameters.ndlist"))).isEqualTo(parameters);
    }

    @Test
    void everyTreatmentRuns() throws Exception {
        String[][] methods = {
            {"ewc-deletion", "--gamma", "0.05"},
            {"newton-removal"},
            {"newton-removal", "--exact-step", "--newton-damping", "0.1"},
            {"finetune-failures", "--mu", "1"},
            {"combined", "--beta", "0.5"},
            {"retrain"},
        };
        for (String[] method : methods) {
            Path out = dir.resolve("every-" + String.join("-", method).replace("--", ""));
            String[] args = TrainCommandTest.concat(new String[] {"treat", "--run", run.toString(), "--ranking",
                ranking.toString(), "--top-fraction", "0.1", "--epochs", "2", "--quiet", "--out", out.toString(),
                "--method"}, method);

            CliRun treat = CliRun.amend(args);

            assertThat(treat.exitCode()).as(String.join(" ", method) + ": " + treat.err()).isZero();
            JsonNode metrics = Json.mapper().readTree(out.resolve("metrics.json").toFile());
            assertThat(metrics.get("method").asText()).isEqualTo(method[0]);
            assertThat(metrics.get("causes").get("count").asInt()).isEqualTo(Math.round(0.1f * n));
        }
    }

    @Test
    void aRankingOfAnotherRunIsRefusedInOneLineAndNothingIsWritten() {
        Path out = dir.resolve("never-other");

        CliRun treat = CliRun.amend("treat", "--run", run.toString(), "--ranking", otherRanking.toString(), "--top-k",
                "5", "--quiet", "--out", out.toString());

        assertThat(treat.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(treat.errLines()).as(treat.err()).hasSize(1);
        assertThat(treat.errLines()[0]).startsWith("amend: ").contains("made for another training set");
        assertThat(out).doesNotExist();
    }

    @Test
    void badCauseCountsUnknownTreatmentsAndMisplacedOptionsAreOneLineErrors() throws Exception {
        Path out = dir.resolve("never-bad");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        String[][] cases = {
            {"--top-k", "0"},
            {"--top-k", Integer.toString(n + 1)},
            {"--top-fraction", "0"},
            {"--top-k", "5", "--method", "forget"},
            {"--top-k", "5", "--method", "ewc-deletion", "--mu", "1"},
            {"--top-k", "5", "--method", "finetune-remaining", "--gamma", "0.1"},
            {"--top-k", "5", "--top-fraction", "0.1"},
        };
        for (String[] extra : cases) {
            CliRun treat = CliRun.amend(TrainCommandTest.concat(new String[] {"treat", "--run", run.toString(),
                "--ranking", ranking.toString(), "--quiet", "--out", out.toString()}, extra));

            assertThat(treat.exitCode()).as(String.join(" ", extra)).isEqualTo(ErrorHandler.USER_ERROR);
            assertThat(treat.errLines()[0]).as(treat.err()).startsWith("amend: ");
            assertThat(out).doesNotExist();
        }
        CliRun intoFile = CliRun.amend("treat", "--run", run.toString(), "--ranking", ranking.toString(), "--top-k", "5",
                "--out", file.resolve("sub").toString());
        assertThat(intoFile.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(intoFile.errLines()).as(intoFile.err()).hasSize(1);
        assertThat(intoFile.errLines()[0]).contains("cannot write to");
    }

    @Test
    void theRunFolderItselfIsNotAnOutput() throws Exception {
        byte[] parameters = Files.readAllBytes(run.resolve("model/parameters.ndlist"));

        CliRun treat = CliRun.amend("treat", "--run", run.toString(), "--ranking", ranking.toString(), "--top-k", "5",
                "--quiet", "--out", run.toString());

        assertThat(treat.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(treat.errLines()).as(treat.err()).hasSize(1);
        assertThat(Files.readAllBytes(run.resolve("model/parameters.ndlist"))).isEqualTo(parameters);
        assertThat(run.resolve("metrics.json")).isRegularFile();
        assertThat(RunDirectory.isRunFolder(run)).isTrue();
    }

    @Test
    void theOutputOfAnotherCommandGivenAsARunIsNamedForWhatItIs() throws Exception {
        Path treated = dir.resolve("treated-not-a-run");
        CliRun treat = CliRun.amend("treat", "--run", run.toString(), "--ranking", ranking.toString(), "--top-k", "5",
                "--epochs", "1", "--quiet", "--out", treated.toString());
        assertThat(treat.exitCode()).as(treat.err()).isZero();
        Path identified = dir.resolve("identified-not-a-run");
        CliRun identify = CliRun.amend("identify", "--run", run.toString(), "--method", "random", "--top-k", "5",
                "--quiet", "--out", identified.toString());
        assertThat(identify.exitCode()).as(identify.err()).isZero();
        String notARun = " is the output of 'amend %s', not a training run (of 'amend train' or 'amend demo'); its %s";
        String treatedMessage = "amend: " + treated + notARun.formatted("treat", "repaired model is "
                + treated.resolve("model"));
        String identifiedMessage = "amend: " + identified + notARun.formatted("identify", "ranking is "
                + identified.resolve("ranking.csv") + ", made for the run " + run + ": amend treat --run " + run
                + " --ranking " + identified);
        for (Path folder : List.of(treated, identified)) {
            String expected = folder == treated ? treatedMessage : identifiedMessage;
            String f = folder.toString();
            for (String[] args : new String[][] {{"eval", "--run", f}, {"identify", "--run", f, "--quiet"},
                {"treat", "--run", f, "--ranking", ranking.toString(), "--top-k", "5", "--quiet"},
                {"repair", "--run", f, "--top-k", "5", "--quiet"}}) {
                CliRun refused = CliRun.amend(args);

                assertThat(refused.exitCode()).as(String.join(" ", args)).isEqualTo(ErrorHandler.USER_ERROR);
                assertThat(refused.errLines()).as(String.join(" ", args)).containsExactly(expected);
            }
        }
    }

    @Test
    void aModelFolderOrARepairInsideARunGivenAsARunPointsToTheRun() throws Exception {
        CliRun model = CliRun.amend("eval", "--run", run.resolve("model").toString());
        assertThat(model.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(model.errLines()).containsExactly("amend: " + run.resolve("model") + " is a model folder, not a"
                + " training run: give it to --model (with --data), or give --run the run that holds it, " + run);

        // A repair written inside the run folder, as the demo writes its repair/.
        Path inside = run.resolve("repair-inside");
        CliRun repair = CliRun.amend("repair", "--run", run.toString(), "--identify", "random", "--top-k", "5",
                "--epochs", "1", "--quiet", "--no-report", "--out", inside.toString());
        assertThat(repair.exitCode()).as(repair.err()).isZero();
        CliRun eval = CliRun.amend("eval", "--run", inside.toString());
        assertThat(eval.errLines()).containsExactly("amend: " + inside + " is the repair 'amend repair' wrote beside"
                + " its training run, not a run: give --run the run, " + run + "; the repaired model is "
                + inside.resolve("model"));
        AtomicFolders.deleteRecursively(inside);
    }

    @Test
    void anExperimentRefusesTheSameBaseRunGivenTwice() {
        Path out = dir.resolve("twice");
        CliRun twice = CliRun.amend("experiment", "treat-k", "--runs", run + "," + run, "--ks", "5", "--quiet", "--out",
                out.toString());

        assertThat(twice.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(twice.errLines()).containsExactly("amend: --runs names " + run + " twice; each base run counts once"
                + " in the means and spreads");
        assertThat(out).doesNotExist();
    }

    @Test
    void aSpecThatIsNoTrainingRunsIsNamedWithoutJavaClassNames() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("odd-spec"));
        Files.createDirectories(folder.resolve("model"));
        for (String file : List.of("model.json", "parameters.ndlist")) {
            Files.copy(run.resolve("model").resolve(file), folder.resolve("model").resolve(file));
        }
        Files.writeString(folder.resolve("spec.json"), "{\"data\": \"mnist\"}");

        CliRun eval = CliRun.amend("eval", "--run", folder.toString());

        assertThat(eval.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(eval.errLines()).containsExactly("amend: " + folder.resolve("spec.json")
                + " is not the spec of a training run (no \"scenario\"); amend train and amend demo write one");

        Files.writeString(folder.resolve("spec.json"), "{\n\"data\": mnist}");
        assertThat(CliRun.amend("eval", "--run", folder.toString()).errLines()).singleElement().asString()
                .endsWith("spec.json is not the spec of a training run (not valid JSON at line 2); amend train and"
                        + " amend demo write one");
    }

    @Test
    void aSelectionOfTheWholeTrainingSetIsRefusedNamingTheOption() {
        Path out = dir.resolve("never-all");
        String[][] cases = {{"--top-k", Integer.toString(n)}, {"--top-fraction", "1"}};
        String[] expected = {"amend: --top-k " + n + " selects all " + n + " training examples (N = " + n
                + "), and removing them all leaves nothing to train on: choose K < " + n,
            "amend: --top-fraction 1.0 selects all " + n + " training examples (N = " + n
                + "), and removing them all leaves nothing to train on: choose a smaller fraction"};
        for (int c = 0; c < cases.length; c++) {
            CliRun treat = CliRun.amend(TrainCommandTest.concat(new String[] {"treat", "--run", run.toString(),
                "--ranking", ranking.toString(), "--quiet", "--out", out.toString()}, cases[c]));

            assertThat(treat.exitCode()).as(treat.err()).isEqualTo(ErrorHandler.USER_ERROR);
            assertThat(treat.errLines()).containsExactly(expected[c]);
            assertThat(out).doesNotExist();
        }
    }

    @Test
    void aModelOfYourOwnIsPointedToAmendRepair() throws Exception {
        String model = run.resolve("model").toString();
        CliRun withModel = CliRun.amend("treat", "--model", model, "--data", data, "--ranking", ranking.toString(),
                "--quiet");
        assertThat(withModel.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(withModel.errLines()).containsExactly("amend: amend treat works on a training run (--run, of amend"
                + " train or amend demo), not on a model of your own; for that, use amend repair --model " + model
                + " --data " + data + " --ranking " + ranking);

        CliRun withoutRun = CliRun.amend("treat", "--ranking", ranking.toString(), "--quiet");
        assertThat(withoutRun.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(withoutRun.errLines()).containsExactly("amend: Missing required option: '--run=DIR' (a training run"
                + " of amend train or amend demo; for a model of your own: amend repair --model DIR --data SPEC"
                + " --ranking " + ranking + "); see 'amend treat --help'");

        CliRun runWithData = CliRun.amend("treat", "--run", run.toString(), "--data", data, "--ranking",
                ranking.toString(), "--quiet");
        assertThat(runWithData.errLines()).containsExactly("amend: --run uses the data of the run's spec.json; leave"
                + " out --data");

        // An identification of a model with its data, given as the run: the repair that takes its ranking.
        Path rows = Files.writeString(dir.resolve("query-rows.txt"), "0\n1\n2\n");
        Path identified = dir.resolve("identified-model");
        CliRun identify = CliRun.amend("identify", "--model", model, "--data", data, "--query-indices",
                rows.toString(), "--method", "random", "--top-k", "5", "--quiet", "--out", identified.toString());
        assertThat(identify.exitCode()).as(identify.err()).isZero();
        CliRun treat = CliRun.amend("treat", "--run", identified.toString(), "--ranking", identified.toString(),
                "--quiet");
        assertThat(treat.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(treat.errLines()).containsExactly("amend: " + identified + " is the output of 'amend identify', not"
                + " a training run (of 'amend train' or 'amend demo'); its ranking is "
                + identified.resolve("ranking.csv") + ", made for the model " + model + ": amend repair --model "
                + model + " --data " + data + " --ranking " + identified);
    }
}
