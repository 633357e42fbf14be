package dev.amend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amend.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentifyCommandTest extends TrainedRunFixture {
    @Override
    TinyCsvRun trainRun() {
        return TinyCsvRun.train(dir, 200, 100, 4, "--scenario", "label-flip:pairs=0-1", "--model",
                "logreg", "--epochs", "3");
    }

    @Test
    void identifyWritesTheRankingAndPrintsTheTopCausesWithTheirGroundTruth() throws IOException {
        Path out = dir.resolve("ewc");
        CliRun identify = CliRun.amend("identify", "--run", run.toString(), "--top-k", "20", "--show", "5", "--quiet",
                "--out", out.toString());

        assertThat(identify.exitCode()).as(identify.err()).isZero();
        assertThat(identify.err()).isEmpty();
        for (String file : List.of("ranking.csv", "ranking.json", "spec.json", "provenance.json")) {
            assertThat(out.resolve(file)).as(file).isRegularFile();
        }
        List<String> csv = Files.readAllLines(out.resolve("ranking.csv"));
        assertThat(csv.get(0)).isEqualTo("train_index,row,score,rank,label,corrupted");
        assertThat(csv).hasSize(181);
        JsonNode json = Json.mapper().readTree(out.resolve("ranking.json").toFile());
        assertThat(json.get("method").asText()).isEqualTo("ewc-influence");
        assertThat(json.get("seconds").asDouble()).isPositive();
        assertThat(json.get("fingerprint").asText()).hasSize(64);
        assertThat(json.get("settings").get("lambda").asDouble()).isZero();
        assertThat(json.get("metrics").get("selected").asInt()).isEqualTo(20);
        JsonNode spec = Json.mapper().readTree(out.resolve("spec.json").toFile());
        assertThat(spec.get("query").asText()).isEqualTo("F_q");
        assertThat(spec.get("selection").asText()).isEqualTo("top-k:20");

        assertThat(identify.out()).contains("method      ewc-influence: 180 training examples scored for");
        assertThat(identify.out()).containsPattern("(?m)^rank\\s+row\\s+label\\s+score\\s+corrupted$");
        assertThat(identify.out()).containsPattern("(?m)^\\s*5\\s+\\d+\\s+\\d\\s+-?\\d+\\.\\d+\\s+(no|yes.*)$");
        assertThat(identify.out()).contains("selected    20 of 180 by top-k:20", "precision", "recall", "ROC-AUC");
        assertThat(identify.out()).doesNotContain("not a number to remove");
    }

    @Test
    void theThresholdSelectionIsNotPresentedAsANumberToRemove() {
        CliRun identify = CliRun.amend("identify", "--run", run.toString(), "--quiet", "--out",
                dir.resolve("threshold").toString());

        assertThat(identify.exitCode()).as(identify.err()).isZero();
        assertThat(identify.out()).containsPattern("selected    \\d+ of 180 by threshold\\R\\s+\\(every score above 0: each"
                + " example the failures conflict with at all, not a number to remove; amend repair chooses how many"
                + " with --top-k auto\\)");
    }

    @Test
    void failuresCanBeNamedByTestRowsOrByData() throws IOException {
        Path rows = Files.writeString(dir.resolve("rows.txt"), "0\n5\n9\n");
        Path out = dir.resolve("by-rows");
        CliRun byRows = CliRun.amend("identify", "--run", run.toString(), "--method", "influence-cg", "--query-indices",
                rows.toString(), "--quiet", "--out", out.toString());
        assertThat(byRows.exitCode()).as(byRows.err()).isZero();
        assertThat(byRows.out()).contains("scored for 3 failures");
        assertThat(Json.mapper().readTree(out.resolve("spec.json").toFile()).get("query").asText())
                .isEqualTo("indices:" + rows);

        String testFile = data.substring(data.indexOf(',') + 1);
        CliRun byData = CliRun.amend("identify", "--run", run.toString(), "--method", "random", "--query-data",
                "csv:" + testFile, "--quiet", "--out", dir.resolve("by-data").toString());
        assertThat(byData.exitCode()).as(byData.err()).isZero();
        assertThat(byData.out()).contains("scored for 100 failures").doesNotContain("selected");
    }

    @Test
    void aOneClassQueryGetsANoteOnStderrAndAMixedOneDoesNot() throws IOException {
        List<String> test = Files.readAllLines(Path.of(data.substring(data.indexOf(',') + 1)));
        StringBuilder ones = new StringBuilder();
        StringBuilder mixed = new StringBuilder();
        int count = 0;
        for (int row = 0; row < test.size(); row++) {
            String label = test.get(row).substring(0, test.get(row).indexOf(','));
            if (label.equals("1") && count < 6) {
                ones.append(row).append('\n');
                count++;
            }
            if (row < 12) {
                mixed.append(row).append('\n');
            }
        }
        Path oneClass = Files.writeString(dir.resolve("ones.txt"), ones);
        CliRun single = CliRun.amend("identify", "--run", run.toString(), "--query-indices", oneClass.toString(),
                "--quiet", "--out", dir.resolve("ones").toString());
        assertThat(single.exitCode()).as(single.err()).isZero();
        assertThat(single.err()).contains("amend: note: all 6 failures of the query set are of class 1",
                "identification.md").hasLineCount(1);
        // The ranking is still written: the note warns, it does not refuse.
        assertThat(dir.resolve("ones").resolve("ranking.csv")).isRegularFile();

        Path several = Files.writeString(dir.resolve("mixed.txt"), mixed);
        CliRun many = CliRun.amend("identify", "--run", run.toString(), "--query-indices", several.toString(),
                "--quiet", "--out", dir.resolve("mixed").toString());
        assertThat(many.exitCode()).as(many.err()).isZero();
        assertThat(many.err()).doesNotContain("note");
        // The note is EWC-influence's: other methods do not fine-tune on the failures.
        CliRun other = CliRun.amend("identify", "--run", run.toString(), "--method", "influence-cg",
                "--query-indices", oneClass.toString(), "--quiet", "--out", dir.resolve("ones-cg").toString());
        assertThat(other.exitCode()).as(other.err()).isZero();
        assertThat(other.err()).doesNotContain("note");
    }

    @Test
    void conjugateGradientsSayWhenTheyStoppedBeforeTheTolerance() {
        CliRun stopped = CliRun.amend("identify", "--run", run.toString(), "--method", "influence-cg",
                "--cg-max-iterations", "2", "--quiet", "--out", dir.resolve("cg-2").toString());
        assertThat(stopped.exitCode()).as(stopped.err()).isZero();
        assertThat(stopped.out()).containsPattern("conjugate gradients stopped after 2 iterations at a residual of"
                + " \\S+ \\|v\\|, above --cg-tolerance");
        assertThat(dir.resolve("cg-2").resolve("ranking.json")).content().contains("\"cg_converged\" : false");

        CliRun converged = CliRun.amend("identify", "--run", run.toString(), "--method", "influence-cg", "--quiet",
                "--out", dir.resolve("cg-full").toString());
        assertThat(converged.exitCode()).as(converged.err()).isZero();
        assertThat(converged.out()).doesNotContain("conjugate gradients stopped");
    }

    @Test
    void sgdInfluenceTrainsAnAuxiliaryModelWhenAskedAndSaysSo() throws IOException {
        Path out = dir.resolve("sgd");
        CliRun without = CliRun.amend("identify", "--run", run.toString(), "--method", "sgd-influence", "--quiet",
                "--out", out.toString());
        assertThat(without.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(without.errLines()).singleElement().asString().contains("add --train-auxiliary");
        assertThat(out).doesNotExist();

        CliRun with = CliRun.amend("identify", "--run", run.toString(), "--method", "sgd-influence", "--train-auxiliary",
                "--quiet", "--out", out.toString());
        assertThat(with.exitCode()).as(with.err()).isZero();
        assertThat(with.out()).contains("scored with an auxiliary plain-SGD model", "trained with adam");
        JsonNode aux = Json.mapper().readTree(out.resolve("ranking.json").toFile()).get("settings").get("auxiliary_model");
        assertThat(aux.get("optimizer").asText()).isEqualTo("sgd");
        // By default the auxiliary run continues from theta* (docs/identification.md).
        assertThat(aux.get("start").asText()).isEqualTo("theta-star");
        assertThat(aux.get("epochs").asInt()).isEqualTo(3);
        assertThat(aux.get("learning_rate").asDouble()).isEqualTo(0.001);

        Path fromInit = dir.resolve("sgd-init");
        CliRun cold = CliRun.amend("identify", "--run", run.toString(), "--method", "sgd-influence", "--train-auxiliary",
                "--auxiliary-start", "init", "--quiet", "--out", fromInit.toString());
        assertThat(cold.exitCode()).as(cold.err()).isZero();
        JsonNode coldAux = Json.mapper().readTree(fromInit.resolve("ranking.json").toFile()).get("settings")
                .get("auxiliary_model");
        assertThat(coldAux.get("start").asText()).isEqualTo("init");
        assertThat(coldAux.get("epochs").asInt()).isEqualTo(20);
        assertThat(coldAux.get("learning_rate").asDouble()).isEqualTo(0.05);
    }

    @Test
    void everyMistakeIsOneLineWithExitTwoAndNoRankingFile() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.txt"), "\n");
        Path badLabels = Files.writeString(dir.resolve("bad-labels.csv"), "5," + "0,".repeat(35) + "0\n");
        Path badShape = Files.writeString(dir.resolve("bad-shape.csv"), "1," + "0,".repeat(15) + "0\n");
        Path noModel = Files.createDirectories(dir.resolve("no-model"));
        String r = run.toString();
        List<List<String>> cases = List.of(
                List.of("--run", r, "--query-indices", empty.toString()),
                List.of("--run", r, "--query-data", "csv:" + badLabels),
                List.of("--run", r, "--query-data", "csv:" + badShape),
                List.of("--run", noModel.toString()),
                List.of("--run", r, "--top-k", "0"),
                List.of("--run", r, "--top-k", "181"),
                List.of("--run", r, "--method", "influence-lissa", "--lissa-scale", "1e-4", "--lissa-depth", "200"),
                List.of("--run", r, "--method", "influence-magic"),
                List.of("--run", r, "--method", "influence-cg", "--ewc-lambda", "1"),
                List.of("--run", r, "--data", "mnist"),
                List.of("--run", r, "--ewc-stop-on", "patience"),
                List.of("--run", r, "--method", "random", "--ewc-stop-on", "loss"),
                List.of("--run", r, "--method", "sgd-influence", "--train-auxiliary", "--auxiliary-start", "middle"),
                List.of("--run", r, "--method", "influence-cg", "--auxiliary-start", "theta-star"));
        List<String> expected = List.of("empty.txt holds no failing test rows", "has label 5 in row 0, but the model has 3",
                "bad-shape.csv line 1 has 16 pixel values but images of 1x6x6 have 36", "no model in",
                "top-k needs k >= 1, got 0", "asks for more examples than the 180", "LiSSA diverged",
                "unknown identification method 'influence-magic'", "lambda (ewc-influence only) does not apply",
                "--run uses the data of the run's spec.json", "unknown --ewc-stop-on 'patience'; valid: loss, accuracy",
                "ewc-stop-on (ewc-influence only) does not apply to random",
                "auxiliary-start must be init or theta-star, got 'middle'",
                "auxiliary-start (sgd-influence only) does not apply to influence-cg");
        for (int c = 0; c < cases.size(); c++) {
            Path out = dir.resolve("mistake-" + c);
            List<String> args = new java.util.ArrayList<>(List.of("identify", "--quiet", "--out", out.toString()));
            args.addAll(cases.get(c));
            CliRun failed = CliRun.amend(args.toArray(String[]::new));
            assertThat(failed.exitCode()).as(String.join(" ", args) + "\n" + failed.err())
                    .isEqualTo(ErrorHandler.USER_ERROR);
            assertThat(failed.errLines()).as(String.join(" ", args)).singleElement().asString()
                    .startsWith("amend: ").contains(expected.get(c));
            assertThat(out).as(String.join(" ", args)).doesNotExist();
        }
    }

    @Test
    void experimentIdentifyWritesResultsAndFigures() throws IOException {
        Path out = dir.resolve("experiment");
        CliRun experiment = CliRun.amend("experiment", "identify", "--data", data, "--scenario", "label-flip:pairs=0-1",
                "--model", "logreg", "--seeds", "2", "--epochs", "3", "--methods", "ewc-influence,random,oracle",
                "--k-max", "30", "--quiet", "--out", out.toString());

        assertThat(experiment.exitCode()).as(experiment.err()).isZero();
        for (String file : List.of("results.json", "table.md", "fig2c.png", "fig2d-most-harmful.png",
                "fig2d-least-harmful.png", "spec.json", "provenance.json")) {
            assertThat(out.resolve(file)).as(file).isRegularFile();
        }
        assertThat(experiment.out()).containsPattern("(?m)^ewc-influence\\s+2\\s+\\d\\.\\d{3} ± \\d\\.\\d{3}");
        assertThat(experiment.out()).contains("frac(10)", "frac(30)", "ROC-AUC", "seconds");
        JsonNode spec = Json.mapper().readTree(out.resolve("spec.json").toFile());
        assertThat(spec.get("varyDataSeed").asBoolean()).isTrue();
        assertThat(spec.get("methods")).hasSize(3);
    }

    @Test
    void benchIdentifyTimesMethodsOnAGivenRun() throws IOException {
        Path out = dir.resolve("bench");
        CliRun bench = CliRun.amend("bench", "identify", "--run", run.toString(), "--methods", "influence-cg,random",
                "--repeats", "1", "--quiet", "--out", out.toString());

        assertThat(bench.exitCode()).as(bench.err()).isZero();
        assertThat(bench.out()).containsPattern("(?m)^influence-cg\\s+\\d+\\.\\d\\d\\s");
        // The bench's own CG budget, stated in the table.
        assertThat(bench.out()).contains("paper K80 s", "11.20", "<= 10.0", "cg 5 it, damping 0.01, ggn", "peak RSS");
        JsonNode json = Json.mapper().readTree(out.resolve("bench-identify.json").toFile());
        assertThat(json.get("timings")).hasSize(2);
        assertThat(json.get("timings").get(0).get("seconds")).hasSize(1);
        assertThat(json.get("provenance").get("cores").asInt()).isPositive();
    }
}
