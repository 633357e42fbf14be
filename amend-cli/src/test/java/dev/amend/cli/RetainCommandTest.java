package dev.amend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amend.data.ExampleSet;
import dev.amend.data.IdxReader;
import dev.amend.run.format.RepairDirectory;
import dev.amend.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** amend repair and amend treat with --treat retain on tiny data: the outputs, and every refused clean set. */
class RetainCommandTest extends TrainedRunFixture {
    @Override
    TinyCsvRun trainRun() {
        return TinyCsvRun.swappedLabels(dir);
    }

    @Test
    void retainReportsEveryDecisionAndWritesTheRelabelledTrainingSet() throws Exception {
        Path out = dir.resolve("retained");

        CliRun repair = CliRun.amend("repair", "--run", run.toString(), "--treat", "retain", "--clean-per-class", "5",
                "--top-k", "30", "--epochs", "2", "--write-relabelled", "--quiet", "--out", out.toString());

        assertThat(repair.exitCode()).as(repair.err()).isZero();
        JsonNode metrics = Json.mapper().readTree(out.resolve("metrics.json").toFile());
        JsonNode retain = metrics.get("details").get("retain");
        int restored = retain.get("restored").asInt();
        int relabelled = retain.get("relabelled").asInt();
        int deleted = retain.get("deleted").asInt();
        assertThat(restored + relabelled + deleted).isEqualTo(30);
        assertThat(retain.has("restore_precision")).isTrue();
        assertThat(retain.has("benign_recall")).isTrue();
        // 15 clean examples left the 150 test examples.
        assertThat(metrics.get("sizes").get("T").asInt()).isEqualTo(135);
        assertThat(repair.out()).contains("restored", "relabelled", "deleted");
        List<String> causes = Files.readAllLines(out.resolve("causes.csv"));
        assertThat(causes.get(0)).isEqualTo("rank,train_index,row,label,corrupted,decision,new_label,confidence");
        assertThat(causes).hasSize(31);
        long relabelledRows = causes.stream().skip(1).filter(l -> l.contains(",relabel,")).count();
        assertThat(relabelledRows).isEqualTo(relabelled);
        ExampleSet corrected = IdxReader.read(out.resolve(RepairDirectory.RELABELLED_IMAGES),
                out.resolve(RepairDirectory.RELABELLED_LABELS), null);
        JsonNode spec = Json.mapper().readTree(out.resolve("spec.json").toFile());
        assertThat(spec.get("treatSettings").get("clean_per_class").asInt()).isEqualTo(5);
        assertThat(corrected.size()).isEqualTo(metrics.get("sizes").get("D").asInt() - deleted);

        CliRun treat = CliRun.amend("treat", "--run", run.toString(), "--ranking", out.toString(), "--top-k", "10",
                "--method", "retain", "--retain-variant", "ewc", "--epochs", "2", "--quiet", "--out",
                dir.resolve("treated").toString());
        assertThat(treat.exitCode()).as(treat.err()).isZero();
        JsonNode treated = Json.mapper().readTree(dir.resolve("treated/metrics.json").toFile());
        assertThat(treated.get("settings").get("variant").asText()).isEqualTo("ewc");
    }

    @Test
    void badCleanSetsAreOneLineErrorsAndWriteNothing() throws Exception {
        Path out = dir.resolve("never");
        Path csv = dir.resolve("clean");
        Files.createDirectories(csv);
        // The run's own training rows, by content.
        String overlapTrain = data;
        // Classes 0..4: the model knows three.
        Path fiveTrain = Files.writeString(csv.resolve("five.csv"), row(4) + row(0));
        Path fiveTest = Files.writeString(csv.resolve("five-test.csv"), row(1));
        // One example of each class, unlike any of the run's.
        Path three = Files.writeString(csv.resolve("three.csv"), row(0) + row(1) + row(2));
        Path empty = Files.writeString(csv.resolve("empty.csv"), "");
        String testPart = data.substring(data.indexOf(',') + 1);
        // The first entry of each case is what its message must say.
        String[][] cases = {
            {"overlaps the training data", "--clean-data", overlapTrain},
            {"overlaps the test data", "--clean-data", "csv:" + three + "," + testPart},
            {"classes", "--clean-data", "csv:" + fiveTrain + "," + fiveTest},
            {"no data lines", "--clean-data", "csv:" + empty + "," + empty},
            // Too small to split: one example per class leaves nothing to stop on.
            {"at least 2 examples per class", "--clean-per-class", "1"},
            {"too few", "--clean-per-class", "100"},
            {"not both", "--clean-per-class", "5", "--clean-data", "csv:" + three + "," + three},
            {"relabel-confidence", "--relabel-confidence", "1.5"},
        };
        for (String[] c : cases) {
            String[] extra = java.util.Arrays.copyOfRange(c, 1, c.length);
            CliRun repair = CliRun.amend(TrainCommandTest.concat(new String[] {"repair", "--run", run.toString(),
                "--treat", "retain", "--top-k", "5", "--quiet", "--epochs", "1", "--out", out.toString()}, extra));

            assertThat(repair.exitCode()).as(String.join(" ", extra) + ": " + repair.err())
                    .isEqualTo(ErrorHandler.USER_ERROR);
            assertThat(repair.errLines()).as(repair.err()).hasSize(1);
            assertThat(repair.errLines()[0]).startsWith("amend: ").contains(c[0]);
            assertThat(out).doesNotExist();
        }
        CliRun noClean = CliRun.amend("repair", "--model", run.toString(), "--data", data, "--treat", "retain",
                "--top-k", "5", "--quiet", "--out", out.toString());
        assertThat(noClean.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(noClean.err()).contains("clean");
        assertThat(out).doesNotExist();
    }

    /** One CSV row of class {@code label} with pixels unlike any of TinyCsv's (all 255). */
    private static String row(int label) {
        return label + ",255".repeat(36) + "\n";
    }
}
