package dev.amend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code amend experiment paper} on a tiny configuration: a logistic regression on 6x6 CSV images,
 * three epochs, one seed, two parts. A rerun resumes (both parts finished earlier), a changed
 * setting is refused with one line, and a bad part name is a usage error.
 */
class ExperimentPaperCommandTest {
    @TempDir
    Path dir;

    private List<String> args(Path out, String... extra) {
        String data = TinyCsv.write(dir.resolve("data"), 240, 160, 4);
        List<String> args = new ArrayList<>(List.of("experiment", "paper", "--data", data, "--model", "logreg",
                "--seeds", "1", "--quick", "--epochs", "3", "--threads", "1", "--label-noise", "label-flip:pairs=0>1",
                "--parts", "fig6-sample-efficiency,fig2-identify", "--out", out.toString()));
        args.addAll(List.of(extra));
        return args;
    }

    @Test
    void runsResumesAndRefusesAChangedSetting() throws Exception {
        Path out = dir.resolve("paper");

        CliRun first = CliRun.amend(args(out, "--quiet").toArray(String[]::new));

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.err()).isEmpty();
        assertThat(first.out()).containsPattern("(?m)^fig2-identify\\s+ran\\s+\\d+")
                .containsPattern("(?m)^fig6-sample-efficiency\\s+ran\\s+\\d+").contains("base runs   1,");
        assertThat(out.resolve("summary.md")).isRegularFile();
        assertThat(out.resolve("fig2-identify/fig7-least-harmful.csv")).isRegularFile();
        assertThat(Files.readString(out.resolve("provenance.json"))).contains("experiment paper");
        assertThat(Files.readString(out.resolve("report.html"))).contains("<h2>Part fig2-identify</h2>",
                "<h2>Part fig6-sample-efficiency</h2>", "<h4>fig7-least-harmful.csv</h4>");

        CliRun again = CliRun.amend(args(out).toArray(String[]::new));
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.err()).contains("finished parts are kept", "fig2-identify: finished earlier with the same spec");
        assertThat(again.out()).containsPattern("(?m)^fig2-identify\\s+finished earlier")
                .containsPattern("(?m)^fig6-sample-efficiency\\s+finished earlier");

        List<String> fourEpochs = args(out);
        fourEpochs.set(fourEpochs.indexOf("--epochs") + 1, "4");
        CliRun changed = CliRun.amend(fourEpochs.toArray(String[]::new));
        assertThat(changed.exitCode()).isEqualTo(2);
        String[] lines = changed.errLines();
        assertThat(lines[lines.length - 1]).startsWith("amend: part ")
                .contains("was run with a different spec", "maxEpochs: 3 -> 4", "--force");

        CliRun badPart = CliRun.amend(args(dir.resolve("other"), "--parts", "fig1").toArray(String[]::new));
        assertThat(badPart.exitCode()).isEqualTo(2);
        assertThat(badPart.err()).contains("unknown part 'fig1'");
        assertThat(dir.resolve("other")).doesNotExist();
    }
}
