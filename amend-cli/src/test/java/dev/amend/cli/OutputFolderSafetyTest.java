package dev.amend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.amend.util.OutputOwner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What --out may replace, when it is checked, and what a run finds of an interrupted one
 * (docs/errors.md, "Output folders"); also that a run works from any folder.
 */
class OutputFolderSafetyTest {
    @TempDir
    static Path dir;

    static String data;
    static Path run;
    static Path ranking;
    static Path treated;

    @BeforeAll
    static void trainIdentifyAndTreatOnce() {
        data = TinyCsv.write(dir.resolve("data"), 300, 150, 1);
        run = dir.resolve("run");
        ok(CliRun.amend("train", "--data", data, "--model", "logreg", "--epochs", "1", "--quiet", "--out",
                run.toString()));
        ranking = dir.resolve("ranking");
        ok(CliRun.amend("identify", "--run", run.toString(), "--method", "random", "--quiet", "--out",
                ranking.toString()));
        treated = dir.resolve("treated");
        ok(CliRun.amend("treat", "--run", run.toString(), "--ranking", ranking.toString(), "--top-k", "20",
                "--epochs", "1", "--quiet", "--out", treated.toString()));
    }

    private static void ok(CliRun r) {
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    @Test
    void trainDoesNotReplaceATreatResult() throws IOException {
        String before = FolderSnapshot.of(treated);

        CliRun r = CliRun.amend("train", "--data", data, "--model", "logreg", "--epochs", "1", "--quiet", "--out",
                treated.toString());

        assertThat(r.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines()[0]).startsWith("amend: cannot write to ").contains("'amend treat'", "'amend train'");
        assertThat(FolderSnapshot.of(treated)).isEqualTo(before);
    }

    @Test
    void noCommandReplacesAnotherCommandsOutput() throws IOException {
        String[][] cases = {
            {"identify", "--run", run.toString(), "--method", "random", "--quiet", "--out", treated.toString()},
            {"treat", "--run", run.toString(), "--ranking", ranking.toString(), "--top-k", "5", "--quiet", "--out",
                run.toString()},
            {"repair", "--run", run.toString(), "--identify", "random", "--top-k", "5", "--quiet", "--out",
                treated.toString()},
            {"train", "--data", data, "--model", "logreg", "--epochs", "1", "--quiet", "--out", ranking.toString()},
        };
        for (String[] args : cases) {
            Path target = Path.of(args[args.length - 1]);
            String before = FolderSnapshot.of(target);
            CliRun r = CliRun.amend(args);
            assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(ErrorHandler.USER_ERROR);
            assertThat(r.errLines()).as(r.err()).hasSize(1);
            assertThat(FolderSnapshot.of(target)).isEqualTo(before);
        }
    }

    @Test
    void aCommandReplacesItsOwnEarlierOutputAndSaysSo() {
        Path again = dir.resolve("again");
        ok(CliRun.amend("identify", "--run", run.toString(), "--method", "random", "--quiet", "--out",
                again.toString()));

        CliRun second = CliRun.amend("identify", "--run", run.toString(), "--method", "random", "--seed", "5", "--out",
                again.toString());

        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.err()).contains(again + " holds an earlier result of 'amend identify'; it will be replaced");
        assertThat(OutputOwner.of(again)).isEqualTo("identify");
    }

    @Test
    void aFileTheUserPutIntoAnEarlierOutputIsNeverDeleted() throws IOException {
        Path earlier = dir.resolve("with-notes");
        ok(CliRun.amend("identify", "--run", run.toString(), "--method", "random", "--quiet", "--out",
                earlier.toString()));
        Files.writeString(earlier.resolve("notes.txt"), "mine");

        CliRun r = CliRun.amend("identify", "--run", run.toString(), "--method", "random", "--quiet", "--out",
                earlier.toString());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(r.errLines()).containsExactly("amend: cannot write to " + earlier + ": it holds notes.txt that"
                + " amend did not write, which replacing the folder would delete; move it away or choose another"
                + " folder");
        assertThat(Files.readString(earlier.resolve("notes.txt"))).isEqualTo("mine");
    }

    @Test
    void anEmptyOutIsNamedAsSuch() {
        CliRun r = CliRun.amend("identify", "--run", run.toString(), "--method", "random", "--quiet", "--out", "");

        assertThat(r.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(r.errLines()).containsExactly("amend: --out is empty; name a folder");
    }

    @Test
    void anOutputFolderHoldingTheCommandsInputIsNotReplaced() throws IOException {
        Path repaired = dir.resolve("repaired");
        ok(CliRun.amend("repair", "--run", run.toString(), "--identify", "random", "--top-k", "5", "--epochs", "1",
                "--quiet", "--no-report", "--out", repaired.toString()));
        String before = FolderSnapshot.of(repaired);

        // Repairing the repaired model again, into the folder that holds it.
        CliRun r = CliRun.amend("repair", "--model", repaired.resolve("model").toString(), "--data", data,
                "--identify", "random", "--top-k", "5", "--epochs", "1", "--quiet", "--out", repaired.toString());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(r.errLines()).containsExactly("amend: cannot write to " + repaired + ": it holds "
                + repaired.resolve("model") + ", given with --model, which replacing the folder would delete; choose"
                + " another folder");
        assertThat(FolderSnapshot.of(repaired)).isEqualTo(before);
    }

    @Test
    void trainAndIdentifyCheckOutBeforeAnyWork() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        Path foreign = Files.createDirectories(dir.resolve("foreign"));
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        for (Path target : new Path[] {file, foreign}) {
            long start = System.nanoTime();
            CliRun train = CliRun.amend("train", "--data", data, "--model", "logreg", "--epochs", "50", "--quiet",
                    "--out", target.toString());
            CliRun identify = CliRun.amend("identify", "--run", run.toString(), "--method", "exact", "--quiet",
                    "--out", target.toString());
            double seconds = (System.nanoTime() - start) / 1e9;

            for (CliRun r : new CliRun[] {train, identify}) {
                assertThat(r.exitCode()).as(r.err()).isEqualTo(ErrorHandler.USER_ERROR);
                assertThat(r.errLines()).hasSize(1);
                assertThat(r.errLines()[0]).startsWith("amend: cannot write to " + target);
            }
            // Refused before loading data or the engine: well under the time of 50 epochs.
            assertThat(seconds).isLessThan(5);
        }
        assertThat(Files.readString(foreign.resolve("notes.txt"))).isEqualTo("mine");
    }

    @Test
    void aReplacementKilledBetweenItsRenamesIsRestoredByTheNextRunWhichSaysSo() throws IOException {
        Path target = dir.resolve("killed");
        ok(CliRun.amend("identify", "--run", run.toString(), "--method", "random", "--quiet", "--out",
                target.toString()));
        String before = FolderSnapshot.of(target);
        // What a kill between the two renames leaves: the old folder renamed aside (by a process
        // that no longer runs), the complete new one still hidden, no target.
        Path old = dir.resolve(".killed.old-999999999-1234");
        Files.move(target, old);
        Path tmp = Files.createDirectories(dir.resolve(".killed.tmp-999999999-5678"));
        Files.writeString(tmp.resolve("ranking.csv"), "half");

        CliRun next = CliRun.amend("train", "--data", data, "--model", "logreg", "--epochs", "1", "--quiet", "--out",
                target.toString());

        // The old result is back and the leftovers are gone, whatever the next command is.
        assertThat(next.err()).contains("restored " + target, "removed " + tmp);
        assertThat(FolderSnapshot.of(target)).isEqualTo(before);
        assertThat(old).doesNotExist();
        assertThat(tmp).doesNotExist();
        // ...and the restored folder is still an identify result, which train does not replace.
        assertThat(next.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
    }

    @Test
    void leftoversOfRunningProcessesAreLeftAlone() throws IOException {
        long self = ProcessHandle.current().pid();
        Path live = Files.createDirectories(dir.resolve(".busy.tmp-" + self + "-1"));

        CliRun r = CliRun.amend("identify", "--run", run.toString(), "--method", "random", "--quiet", "--out",
                dir.resolve("busy").toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(live).isDirectory();
        try (Stream<Path> siblings = Files.list(dir)) {
            assertThat(siblings.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".busy.")))
                    .containsExactly(live.getFileName().toString());
        }
    }

    @Test
    void aRunRecordsAbsoluteDataPathsAndNamesAMissingFileWithTheFix() throws IOException {
        Path moved = dir.resolve("portable");
        Files.createDirectories(moved);
        Files.copy(dir.resolve("data/train.csv"), moved.resolve("train.csv"));
        Files.copy(dir.resolve("data/test.csv"), moved.resolve("test.csv"));
        // A path relative to the current folder, as typed by a user in it.
        Path cwd = Path.of("").toAbsolutePath();
        String relative = "csv:" + cwd.relativize(moved.resolve("train.csv")) + "," + cwd.relativize(
                moved.resolve("test.csv"));
        Path portableRun = dir.resolve("portable-run");
        ok(CliRun.amend("train", "--data", relative, "--model", "logreg", "--epochs", "1", "--quiet", "--out",
                portableRun.toString()));

        String spec = Files.readString(portableRun.resolve("spec.json"));
        assertThat(spec).contains("\"data\" : \"csv:" + moved.resolve("train.csv") + "," + moved.resolve("test.csv"));
        ok(CliRun.amend("eval", "--run", portableRun.toString()));

        Files.delete(moved.resolve("test.csv"));
        CliRun r = CliRun.amend("eval", "--run", portableRun.toString());
        assertThat(r.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines()[0]).contains(moved.resolve("test.csv") + " does not exist",
                "set \"data\" in " + portableRun.resolve("spec.json"));
    }
}
