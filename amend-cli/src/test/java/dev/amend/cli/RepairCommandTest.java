package dev.amend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amend.model.ModelHandle;
import dev.amend.model.ModelStore;
import dev.amend.model.TorchScript;
import dev.amend.run.format.RepairSpec;
import dev.amend.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** amend repair end to end on tiny data: on a run, on a model brought with its data, and its refusals. */
class RepairCommandTest extends TrainedRunFixture {
    @Override
    TinyCsvRun trainRun() {
        return TinyCsvRun.swappedLabels(dir);
    }

    @Test
    void repairsARunAndItsRankingServesAmendTreat() throws Exception {
        Path out = dir.resolve("repaired");

        CliRun repair = CliRun.amend("repair", "--run", run.toString(), "--identify", "ewc-influence", "--treat",
                "finetune-remaining", "--top-k", "20", "--epochs", "3", "--out", out.toString());

        assertThat(repair.exitCode()).as(repair.err()).isZero();
        for (String file : List.of("ranking.csv", "ranking.json", "metrics.json", "causes.csv", "spec.json",
                "provenance.json", "model/model.json")) {
            assertThat(out.resolve(file)).as(file).isRegularFile();
        }
        JsonNode metrics = Json.mapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(metrics.get("identification").get("method").asText()).isEqualTo("ewc-influence");
        assertThat(metrics.get("identification").get("seconds").asDouble()).isPositive();
        assertThat(metrics.get("causes").get("count").asInt()).isEqualTo(20);
        assertThat(metrics.get("causes").get("corrupted").asInt()).isBetween(0, 20);
        assertThat(metrics.get("after").get("F_h").asDouble()).isBetween(0.0, 1.0);
        JsonNode ranking = Json.mapper().readTree(out.resolve("ranking.json").toFile());
        assertThat(ranking.get("metrics").get("selected").asInt()).isEqualTo(20);
        assertThat(repair.out()).contains("T\\F (rest of the test set)", "truly corrupted");
        assertThat(repair.err()).contains("identifying causes with ewc-influence", "finetune-remaining epoch 1/3");

        CliRun treat = CliRun.amend("treat", "--run", run.toString(), "--ranking", out.toString(), "--top-k", "5",
                "--method", "ewc-deletion", "--epochs", "2", "--quiet", "--out", dir.resolve("treated").toString());
        assertThat(treat.exitCode()).as(treat.err()).isZero();
    }

    @Test
    void anUnconvergedConjugateGradientSolveIsNotedAndRecorded() throws Exception {
        Path out = dir.resolve("repaired-cg");

        CliRun repair = CliRun.amend("repair", "--run", run.toString(), "--identify", "influence-cg",
                "--cg-max-iterations", "2", "--curvature", "ggn", "--top-k", "5", "--epochs", "1", "--quiet",
                "--no-report", "--out", out.toString());

        assertThat(repair.exitCode()).as(repair.err()).isZero();
        assertThat(repair.errLines()).anyMatch(l -> l.startsWith("amend: note: conjugate gradients stopped after 2"
                + " iterations at a residual of "));
        JsonNode metrics = Json.mapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(metrics.get("notes").toString()).contains("conjugate gradients stopped after 2 iterations");
        JsonNode ranking = Json.mapper().readTree(out.resolve("ranking.json").toFile());
        assertThat(ranking.get("facts").get("cg_converged").asBoolean()).isFalse();
    }

    @Test
    void repairsAModelBroughtWithItsDataAndAListOfFailures() throws Exception {
        Path failures = Files.writeString(dir.resolve("failures.txt"), "# failing rows\n0\n3\n5\n8\n13\n21\n");
        Path out = dir.resolve("own");

        CliRun repair = CliRun.amend("repair", "--model", run.resolve("model").toString(), "--data", data, "--failures",
                failures.toString(), "--top-k", "10", "--treat", "finetune-failures", "--epochs", "2", "--quiet",
                "--out", out.toString());

        assertThat(repair.exitCode()).as(repair.err()).isZero();
        JsonNode metrics = Json.mapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(metrics.get("causes").get("corrupted").isNull()).isTrue();
        assertThat(metrics.get("sizes").get("F_q").asInt()).isEqualTo(3);
        assertThat(metrics.get("sizes").get("F_h").asInt()).isEqualTo(3);
        assertThat(metrics.get("sizes").get("D").asInt()).isEqualTo(300);
        assertThat(repair.out()).contains("ground truth unknown");
        RepairSpec spec = Json.read(out.resolve("spec.json"), RepairSpec.class);
        assertThat(spec.model()).isEqualTo(run.resolve("model").toString());
        assertThat(spec.failures()).isEqualTo(failures.toString());
        assertThat(spec.identify()).isEqualTo("ewc-influence");
    }

    @Test
    void aCsvFailureListNamesRowsWithTheirLabels() throws Exception {
        List<String> test = Files.readAllLines(Path.of(data.substring(data.indexOf(',') + 1)));
        StringBuilder csv = new StringBuilder("index,label,seen\n");
        for (int row : new int[] {2, 4, 6, 9}) {
            csv.append(row).append(',').append(test.get(row).split(",")[0]).append(",production\n");
        }
        Path failures = Files.writeString(dir.resolve("failures.csv"), csv);
        Path out = dir.resolve("own-csv");

        CliRun repair = CliRun.amend("repair", "--model", run.resolve("model").toString(), "--data", data, "--failures",
                failures.toString(), "--identify", "random", "--top-k", "10", "--epochs", "1", "--quiet", "--out",
                out.toString());

        assertThat(repair.exitCode()).as(repair.err()).isZero();
        JsonNode metrics = Json.mapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(metrics.get("sizes").get("F_q").asInt() + metrics.get("sizes").get("F_h").asInt()).isEqualTo(4);
        // 20% of the 146 test examples outside F are held out as V, and T is the rest.
        assertThat(metrics.get("sizes").get("V").asInt()).isEqualTo(29);
        assertThat(metrics.get("sizes").get("T").asInt()).isEqualTo(150 - 29);
    }

    @Test
    void namedFailuresThatTheModelGetsRightAreNotedAndAListOfOnlySuchIsRefused() throws Exception {
        List<String> misclassified = rows(run.resolve("splits/F.txt")).subList(0, 10);
        List<String> correct = rows(run.resolve("splits/T_minus_F.txt")).subList(0, 3);
        List<String> named = new java.util.ArrayList<>(misclassified);
        named.addAll(correct);
        Path failures = Files.writeString(dir.resolve("some-right.txt"), String.join("\n", named) + "\n");
        Path out = dir.resolve("some-right");

        CliRun repair = CliRun.amend("repair", "--model", run.resolve("model").toString(), "--data", data, "--failures",
                failures.toString(), "--identify", "random", "--top-k", "10", "--epochs", "1", "--quiet", "--out",
                out.toString());

        assertThat(repair.exitCode()).as(repair.err()).isZero();
        String note = "3 of the " + named.size() + " rows named in " + failures + " are classified correctly by the"
                + " model (rows " + String.join(", ", correct) + "); they are not failures (rows count from 0)";
        assertThat(repair.err()).contains("amend: note: " + note);
        JsonNode metrics = Json.mapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(metrics.get("notes").toString()).contains(note);
        assertThat(Files.readString(out.resolve("report.html"))).contains("Notes", note);
        assertThat(metrics.get("sizes").get("F_q").asInt() + metrics.get("sizes").get("F_h").asInt())
                .isEqualTo(named.size());

        Path allRight = Files.writeString(dir.resolve("all-right.txt"), String.join("\n", correct) + "\n");
        Path never = dir.resolve("all-right");
        CliRun refused = CliRun.amend("repair", "--model", run.resolve("model").toString(), "--data", data,
                "--failures", allRight.toString(), "--identify", "random", "--top-k", "10", "--epochs", "1", "--quiet",
                "--out", never.toString());

        assertThat(refused.exitCode()).as(refused.err()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(refused.errLines()).containsExactly("amend: the model classifies all 3 rows named in " + allRight
                + " correctly (rows count from 0): they are not failures, and there is nothing to repair");
        assertThat(never).doesNotExist();
    }

    @Test
    void aCheckSetWithoutErrorsBeforeTheRepairGetsANote() throws Exception {
        // Every misclassified test row named: V, drawn from the rest, holds none of the model's mistakes.
        List<String> correct = rows(run.resolve("splits/T_minus_F.txt"));
        List<String> all = java.util.stream.IntStream.range(0, 150).mapToObj(Integer::toString)
                .filter(r -> !correct.contains(r)).toList();
        Path failures = Files.writeString(dir.resolve("every-mistake.txt"), String.join("\n", all) + "\n");
        Path out = dir.resolve("every-mistake");

        CliRun repair = CliRun.amend("repair", "--model", run.resolve("model").toString(), "--data", data, "--failures",
                failures.toString(), "--identify", "random", "--top-k", "10", "--epochs", "1", "--check-fraction", "0.3",
                "--quiet", "--out", out.toString());

        assertThat(repair.exitCode()).as(repair.err()).isZero();
        int v = Math.round(0.3f * correct.size());
        String note = "the model classifies all " + v + " examples of the check set V correctly before the repair, so"
                + " the acceptance check can only see its accuracy there fall";
        assertThat(repair.err()).contains("amend: note: " + note, "name fewer failures, or give --check-data");
        JsonNode metrics = Json.mapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(metrics.get("acceptance").get("validation").get("accuracy_before").asDouble()).isEqualTo(1.0);
        assertThat(metrics.get("notes").toString()).contains(note);
    }

    @Test
    void aVerdictRestingOnFewFailuresGetsANoteAndOneExampleIsSingular() throws Exception {
        List<String> four = rows(run.resolve("splits/F.txt")).subList(0, 4);
        Path failures = Files.writeString(dir.resolve("four.txt"), String.join("\n", four) + "\n");
        Path out = dir.resolve("four");

        CliRun repair = CliRun.amend("repair", "--model", run.resolve("model").toString(), "--data", data, "--failures",
                failures.toString(), "--identify", "random", "--top-k", "10", "--epochs", "1", "--out", out.toString());

        assertThat(repair.exitCode()).as(repair.err()).isZero();
        String note = "F_q_val, the part of the query failures F_q that the acceptance check reads, has only 1 example"
                + " (a tenth of the 2 of F_q): a repair is accepted only if the repaired model gets more of it right, so"
                + " the verdict rests on that one; name more failures (with 90 or more failures in F, F_q_val has 5)";
        assertThat(repair.err()).contains("amend: note: " + note);
        assertThat(repair.out()).containsPattern("check       F_q_val +1 example: accuracy").doesNotContain("1 examples");
        JsonNode metrics = Json.mapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(metrics.get("acceptance").get("F_q_val").get("size").asInt()).isEqualTo(1);
        assertThat(metrics.get("notes").toString()).contains(note);
    }

    /** The row numbers of a run's split file. */
    private static List<String> rows(Path split) throws java.io.IOException {
        return Files.readAllLines(split).stream().map(String::strip).filter(l -> l.matches("\\d+")).toList();
    }

    @Test
    void failingExamplesGivenAsDataAreTheFailureSet() throws Exception {
        // six examples "collected in production": lines of the test file, with a header
        List<String> test = Files.readAllLines(Path.of(data.substring(data.indexOf(',') + 1)));
        Path collected = Files.writeString(dir.resolve("collected.csv"), "label" + ",p".repeat(36) + "\n"
                + String.join("\n", test.subList(10, 16)) + "\n");
        Path out = dir.resolve("own-data");

        CliRun repair = CliRun.amend("repair", "--model", run.resolve("model").toString(), "--data", data,
                "--failures-data", "csv:" + collected, "--identify", "random", "--top-k", "10", "--epochs", "1",
                "--quiet", "--out", out.toString());

        assertThat(repair.exitCode()).as(repair.err()).isZero();
        JsonNode metrics = Json.mapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(metrics.get("sizes").get("F_q").asInt()).isEqualTo(3);
        assertThat(metrics.get("sizes").get("F_h").asInt()).isEqualTo(3);
        assertThat(metrics.get("sizes").get("V").asInt()).isEqualTo(30);
        assertThat(metrics.get("sizes").get("T").asInt()).isEqualTo(156 - 30);
        RepairSpec spec = Json.read(out.resolve("spec.json"), RepairSpec.class);
        assertThat(spec.failuresData()).isEqualTo("csv:" + collected);
        assertThat(spec.failures()).isNull();
    }

    @Test
    void aTorchScriptModelIsRepairedIntoTorchScriptToo() throws Exception {
        Path pt = dir.resolve("exported.pt");
        try (ModelHandle model = ModelStore.load(run.resolve("model"))) {
            TorchScript.export(model, pt);
        }
        Path out = dir.resolve("own-pt");

        CliRun repair = CliRun.amend("repair", "--model", pt.toString(), "--data", data, "--identify", "random",
                "--top-k", "10", "--epochs", "1", "--check-fraction", "0.3", "--quiet", "--out", out.toString());

        assertThat(repair.exitCode()).as(repair.err()).isZero();
        assertThat(out.resolve("model/model.json")).isRegularFile();
        try (ModelHandle repaired = TorchScript.importModel(out.resolve("exported.pt"));
                ModelHandle folder = ModelStore.load(out.resolve("model"))) {
            assertThat(repaired.getParameters()).containsExactly(folder.getParameters());
        }
    }

    @Test
    void withoutAFailureListTheMisclassifiedTestExamplesAreTheFailures() throws Exception {
        Path out = dir.resolve("own-misclassified");

        CliRun repair = CliRun.amend("repair", "--model", run.toString(), "--data", data, "--identify", "random",
                "--top-k", "10", "--epochs", "1", "--check-fraction", "0.3", "--quiet", "--out", out.toString());

        assertThat(repair.exitCode()).as(repair.err()).isZero();
        JsonNode metrics = Json.mapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(metrics.get("before").get("F_q").asDouble()).isZero();
        assertThat(metrics.get("before").get("F_h").asDouble()).isZero();
        assertThat(metrics.get("before").get("T_minus_F").asDouble()).isEqualTo(1.0);
    }

    @Test
    void aModelBroughtFromElsewhereIsCheckedOnAHeldOutPartOfTheTestSetOrOnCheckData() throws Exception {
        Path out = dir.resolve("own-checked");

        // No failure list: V is 30% of all 150 test examples, and F the mistakes among the rest.
        CliRun repair = CliRun.amend("repair", "--model", run.toString(), "--data", data, "--top-k", "10", "--epochs",
                "2", "--check-fraction", "0.3", "--quiet", "--out", out.toString());

        assertThat(repair.exitCode()).as(repair.err()).isZero();
        JsonNode metrics = Json.mapper().readTree(out.resolve("metrics.json").toFile());
        JsonNode acceptance = metrics.get("acceptance");
        assertThat(acceptance.get("reason").asText()).doesNotStartWith("not checked");
        assertThat(acceptance.get("validation_source").get("kind").asText()).isEqualTo("held-out-test");
        int v = acceptance.get("validation").get("size").asInt();
        assertThat(acceptance.get("validation_source").get("drawn_from").asInt()).isEqualTo(150);
        assertThat(v).isEqualTo(45).isEqualTo(metrics.get("sizes").get("V").asInt());
        assertThat(metrics.get("sizes").get("T").asInt()).isEqualTo(150 - v);
        assertThat(repair.out()).contains("T (test set without V)", "held out    45 of 150 test examples as V");
        RepairSpec spec = Json.read(out.resolve("spec.json"), RepairSpec.class);
        assertThat(spec.acceptance()).containsEntry("check_fraction", 0.3);
        assertThat(spec.acceptance().get("check_data")).isNull();

        // labelled examples of the same task that the model was not trained on
        Path checkCsv = dir.resolve("check.csv");
        TinyCsv.write(dir.resolve("check"), 30, 30, 9);
        Files.copy(dir.resolve("check").resolve("train.csv"), checkCsv);
        Path checked = dir.resolve("own-check-data");
        CliRun withData = CliRun.amend("repair", "--model", run.toString(), "--data", data, "--check-data",
                "csv:" + checkCsv, "--top-k", "10", "--epochs", "2", "--quiet", "--out", checked.toString());

        assertThat(withData.exitCode()).as(withData.err()).isZero();
        JsonNode m2 = Json.mapper().readTree(checked.resolve("metrics.json").toFile());
        assertThat(m2.get("acceptance").get("validation_source").get("kind").asText()).isEqualTo("check-data");
        assertThat(m2.get("acceptance").get("validation").get("size").asInt()).isEqualTo(30);
        assertThat(m2.get("sizes").get("T").asInt()).isEqualTo(150);
        assertThat(withData.out()).contains("T (whole test set)", "check data  30 examples");
    }

    @Test
    void badCheckSettingsAreOneLineErrorsAndWriteNothing() throws Exception {
        Path out = dir.resolve("never-checked");
        Path wide = Files.writeString(dir.resolve("check-wide.csv"), ("1" + ",0".repeat(64) + "\n").repeat(12));
        Path unknown = Files.writeString(dir.resolve("check-unknown.csv"), ("7" + ",0".repeat(36) + "\n").repeat(12));
        String[][] cases = {
            {"--check-fraction", "0", "the check fraction must be in (0, 1)"},
            {"--check-fraction", "1", "the check fraction must be in (0, 1)"},
            {"--check-fraction", "1.5", "the check fraction must be in (0, 1)"},
            {"--check-fraction", "0.02", "the check set is drawn from 150 test examples; a check fraction of 0.02 would"
                    + " hold out 3 of them"},
            {"--check-data", "csv:" + wide + ",shape=1x8x8", "the model expects 1x6x6 images but the check data"},
            {"--check-data", "csv:" + unknown, "the check data csv:" + unknown + " has label 7 in row 0"},
        };
        for (String[] c : cases) {
            CliRun repair = CliRun.amend("repair", "--quiet", "--model", run.toString(), "--data", data, c[0], c[1],
                    "--top-k", "5", "--epochs", "1", "--out", out.toString());

            assertThat(repair.exitCode()).as(repair.err()).isEqualTo(ErrorHandler.USER_ERROR);
            assertThat(repair.errLines()).as(repair.err()).hasSize(1);
            assertThat(repair.errLines()[0]).startsWith("amend: " + c[2]);
            assertThat(out).doesNotExist();
        }
        for (String[] extra : new String[][] {
            {"--run", run.toString(), "--check-fraction", "0.2"},
            {"--model", run.toString(), "--data", data, "--check-fraction", "0.2", "--check-data", "csv:" + wide},
        }) {
            CliRun repair = CliRun.amend(TrainCommandTest.concat(new String[] {"repair", "--quiet", "--out",
                out.toString()}, extra));
            assertThat(repair.exitCode()).as(repair.err()).isEqualTo(ErrorHandler.USER_ERROR);
            assertThat(repair.errLines()).as(repair.err()).hasSize(1);
            assertThat(out).doesNotExist();
        }
    }

    @Test
    void aRankingOfAmendIdentifyIsTreatedWithoutIdentifyingAgain() throws Exception {
        String model = run.resolve("model").toString();
        Path rows = Files.writeString(dir.resolve("ranking-rows.txt"), "0\n3\n5\n8\n13\n21\n");
        Path identified = dir.resolve("identified-for-repair");
        CliRun identify = CliRun.amend("identify", "--model", model, "--data", data, "--query-indices",
                rows.toString(), "--method", "random", "--top-k", "5", "--quiet", "--out", identified.toString());
        assertThat(identify.exitCode()).as(identify.err()).isZero();
        Path out = dir.resolve("repaired-from-ranking");

        CliRun repair = CliRun.amend("repair", "--model", model, "--data", data, "--failures", rows.toString(),
                "--ranking", identified.toString(), "--top-k", "10", "--epochs", "1", "--out", out.toString());

        assertThat(repair.exitCode()).as(repair.err()).isZero();
        assertThat(repair.err()).doesNotContain("identifying causes");
        JsonNode metrics = Json.mapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(metrics.get("identification").get("method").asText()).isEqualTo("random");
        assertThat(metrics.get("causes").get("count").asInt()).isEqualTo(10);
        RepairSpec spec = Json.read(out.resolve("spec.json"), RepairSpec.class);
        assertThat(spec.ranking()).isEqualTo(identified.toString());
        assertThat(spec.identify()).isNull();

        // A ranking of another training set (the pool of another --pool-size) is refused before any treatment.
        CliRun other = CliRun.amend("repair", "--model", model, "--data", data, "--pool-size", "50", "--ranking",
                identified.toString(), "--top-k", "10", "--quiet", "--out", dir.resolve("never-ranking").toString());
        assertThat(other.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(other.errLines()).singleElement().asString().contains("made for another training set");
        CliRun withIdentify = CliRun.amend("repair", "--run", run.toString(), "--identify", "exact", "--ranking",
                identified.toString(), "--quiet", "--out", dir.resolve("never-ranking").toString());
        assertThat(withIdentify.errLines()).containsExactly("amend: --ranking uses a ranking made earlier; leave out"
                + " --identify");
        CliRun withSettings = CliRun.amend("repair", "--run", run.toString(), "--cg-max-iterations", "3",
                "--ranking", identified.toString(), "--quiet", "--out", dir.resolve("never-ranking").toString());
        assertThat(withSettings.errLines()).containsExactly("amend: --ranking uses a ranking made earlier, with the"
                + " settings it was made with; leave out --cg-max-iterations");
        assertThat(dir.resolve("never-ranking")).doesNotExist();
    }

    @Test
    void aSelectionOfTheWholeTrainingSetIsRefusedBeforeIdentification() {
        Path out = dir.resolve("never-all");

        CliRun repair = CliRun.amend("repair", "--run", run.toString(), "--top-fraction", "1", "--out", out.toString());

        assertThat(repair.exitCode()).as(repair.err()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(repair.err()).doesNotContain("identifying causes");
        String[] lines = repair.errLines();
        assertThat(lines[lines.length - 1]).startsWith("amend: --top-fraction 1.0 selects all ")
                .endsWith("and removing them all leaves nothing to train on: choose a smaller fraction");
        assertThat(out).doesNotExist();
    }

    @Test
    void mistakesAreOneLineErrorsAndWriteNothing() throws Exception {
        Path out = dir.resolve("never");
        Path badRows = Files.writeString(dir.resolve("bad-rows.txt"), "1\n99999\n");
        String[][] cases = {
            {"--run", run.toString(), "--data", data, "--top-k", "5"},
            {"--model", run.toString(), "--top-k", "5"},
            {"--model", run.toString(), "--data", data, "--identify", "oracle", "--top-k", "5"},
            {"--model", run.toString(), "--data", data, "--failures", badRows.toString(), "--top-k", "5"},
            {"--run", run.toString(), "--identify", "sgd-influence", "--top-k", "5"},
            {"--run", run.toString(), "--identify", "magic", "--top-k", "5"},
            {"--run", run.toString(), "--top-k", "100000"},
            {"--run", run.toString(), "--top-k", "0"},
        };
        for (String[] extra : cases) {
            CliRun repair = CliRun.amend(TrainCommandTest.concat(new String[] {"repair", "--quiet", "--epochs", "1",
                "--out", out.toString()}, extra));

            assertThat(repair.exitCode()).as(String.join(" ", extra) + ": " + repair.err())
                    .isEqualTo(ErrorHandler.USER_ERROR);
            assertThat(repair.errLines()).as(repair.err()).hasSize(1);
            assertThat(repair.errLines()[0]).startsWith("amend: ");
            assertThat(out).doesNotExist();
        }
    }

    @Test
    void aFailureListOrFailureDataThatDoesNotFitIsOneLineNamingTheProblem() throws Exception {
        Path out = dir.resolve("never-failures");
        int label0 = Integer.parseInt(Files.readAllLines(Path.of(data.substring(data.indexOf(',') + 1))).get(0)
                .split(",")[0]);
        Path twice = Files.writeString(dir.resolve("twice.csv"), "index\n3\n4\n3\n");
        Path unknown = Files.writeString(dir.resolve("unknown.csv"), "index\n3\n150\n");
        Path stray = Files.writeString(dir.resolve("stray-label.csv"), "index,label\n3,7\n4,0\n");
        Path wrong = Files.writeString(dir.resolve("wrong-label.csv"), "index,label\n0," + (label0 + 1) % 3 + "\n");
        Path empty = Files.writeString(dir.resolve("empty.csv"), "index,label\n");
        Path wide = Files.writeString(dir.resolve("wide.csv"), "1" + ",0".repeat(64) + "\n0" + ",0".repeat(64) + "\n");
        String model = run.resolve("model").toString();
        String[][] cases = {
            {"--failures", twice.toString(), twice + " line 4: test row 3 is already listed on line 2"},
            {"--failures", unknown.toString(), unknown + " line 3: test row 150 is not in the test set (150 rows)"},
            {"--failures", stray.toString(), stray + " line 2: label '7' is not a class of the data (classes 0..2)"},
            {"--failures", wrong.toString(), wrong + " line 2: test row 0 has label '" + (label0 + 1) % 3 + "' here but '"
                    + label0 + "' in the test data"},
            {"--failures", empty.toString(), empty + " holds no failing test rows"},
            {"--failures-data", "csv:" + wide, wide + " line 1 has 64 pixel values but images of 1x6x6 have 36"},
            {"--failures-data", "csv:" + wide + ",shape=1x8x8", "the model expects 1x6x6 images but the failure data"},
        };
        for (String[] c : cases) {
            CliRun repair = CliRun.amend("repair", "--quiet", "--model", model, "--data", data, c[0], c[1], "--top-k",
                    "5", "--epochs", "1", "--out", out.toString());

            assertThat(repair.exitCode()).as(repair.err()).isEqualTo(ErrorHandler.USER_ERROR);
            assertThat(repair.errLines()).as(repair.err()).hasSize(1);
            assertThat(repair.errLines()[0]).startsWith("amend: " + c[2]);
            assertThat(out).doesNotExist();
        }
        for (String[] extra : new String[][] {
            {"--model", model, "--data", data, "--failures", twice.toString(), "--failures-data", "csv:" + wide},
            {"--run", run.toString(), "--failures-data", "csv:" + wide},
        }) {
            CliRun repair = CliRun.amend(TrainCommandTest.concat(new String[] {"repair", "--quiet", "--out",
                out.toString()}, extra));
            assertThat(repair.exitCode()).as(repair.err()).isEqualTo(ErrorHandler.USER_ERROR);
            assertThat(repair.errLines()).as(repair.err()).hasSize(1);
            assertThat(out).doesNotExist();
        }
    }
}
