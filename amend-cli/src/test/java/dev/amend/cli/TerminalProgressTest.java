package dev.amend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.amend.util.Progress;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Progress on a terminal (a bar redrawn in place with rate and time left) and in logs (plain lines). */
class TerminalProgressTest {
    private long now;

    private TerminalProgress progress(StringWriter text, boolean terminal) {
        return new TerminalProgress(new PrintWriter(text, true), terminal, () -> now);
    }

    /** Ten steps of a second each, through the core's task API. */
    private void runTask(TerminalProgress listener) {
        try (Progress.Scope scope = Progress.install(listener); Progress.Task task = Progress.task("LiSSA iterations",
                20)) {
            for (int i = 0; i < 10; i++) {
                now += 1_000_000_000L;
                task.step();
            }
        }
    }

    @Test
    void aTerminalGetsABarWithRateAndTimeLeftRedrawnInPlace() {
        StringWriter text = new StringWriter();

        runTask(progress(text, true));

        String out = text.toString();
        assertThat(out).contains("\rLiSSA iterations [############............] 10/20 1.00/s 10 s left");
        assertThat(out).contains("\rLiSSA iterations: 10 steps in 10.0 s").endsWith("\n");
        assertThat(out.chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }

    @Test
    void aLogGetsPlainLinesAtStartEveryTenSecondsAndEnd() {
        StringWriter text = new StringWriter();

        runTask(progress(text, false));

        assertThat(text.toString().split("\n")).containsExactly("LiSSA iterations: started (20 steps)",
                "LiSSA iterations: 10/20 1.00/s 10 s left", "LiSSA iterations: 10 steps in 10.0 s");
    }

    @Test
    void epochsShareOneLineOnATerminalAndTheNextMessageStartsANewOne() {
        StringWriter text = new StringWriter();
        TerminalProgress p = progress(text, true);

        p.epoch("model", 1, 100, "train loss 0.5", 2.0);
        p.epoch("model", 2, 100, "train loss 0.4", 2.0);
        p.endLine();

        assertThat(text.toString()).startsWith("\rmodel epoch 1/100 [........................] train loss 0.5, at most"
                + " 3 min 18 s left").contains("\rmodel epoch 2/100").endsWith("left\n");
    }

    @Test
    void aTaskAfterAnEpochLineStartsOnALineOfItsOwn() {
        StringWriter text = new StringWriter();
        TerminalProgress p = progress(text, true);

        p.epoch("ewc-influence fine-tuning", 7, 100, "train loss 0.5", 1.0);
        try (Progress.Scope scope = Progress.install(p); Progress.Task task = Progress.task("scoring", 0)) {
            now += 2_000_000_000L;
        }

        assertThat(text.toString()).contains("left\n\rscoring running").endsWith("\rscoring: done in 2.0 s\n");
    }

    /**
     * An SGD-influence replay of {@code steps} steps of a tenth of a second, each scoring a batch
     * in a task of its own, as SgdInfluence does through LinearInfluence.
     */
    private void runReplay(TerminalProgress listener, int steps) {
        try (Progress.Scope scope = Progress.install(listener);
                Progress.Task replay = Progress.task("SGD-influence replay (steps back)", steps)) {
            for (int i = 0; i < steps; i++) {
                try (Progress.Task scoring = Progress.task("scoring 64 examples", 64)) {
                    for (int k = 0; k < 64; k++) {
                        now += 1_000_000L;
                        scoring.step();
                    }
                }
                now += 36_000_000L;
                replay.step();
            }
        }
    }

    @Test
    void inALogTasksInsideATaskAreSilentAndTheOuterOneKeepsItsOwnTime() {
        StringWriter text = new StringWriter();

        runReplay(progress(text, false), 300);

        String[] lines = text.toString().split("\n");
        assertThat(text.toString()).doesNotContain("scoring");
        // 300 steps of 0.1 s: a line at the start, one every 10 s and one at the end.
        assertThat(lines).containsExactly("SGD-influence replay (steps back): started (300 steps)",
                "SGD-influence replay (steps back): 100/300 10.0/s 20 s left",
                "SGD-influence replay (steps back): 200/300 10.0/s 10 s left",
                "SGD-influence replay (steps back): 300/300 10.0/s",
                "SGD-influence replay (steps back): 300 steps in 30.0 s");
    }

    @Test
    void sgdInfluenceLogsItsReplayOnceAndNotTheScoringInsideEachStep(@TempDir Path dir) {
        TinyCsvRun trained = TinyCsvRun.swappedLabels(dir);

        CliRun identify = CliRun.amend("identify", "--run", trained.run().toString(), "--method", "sgd-influence",
                "--train-auxiliary", "--threads", "1", "--out", dir.resolve("identify").toString());

        assertThat(identify.exitCode()).as(identify.err()).isZero();
        // The replay runs a step per batch of every auxiliary epoch, each scoring its batch in a task
        // of its own: the replay's lines are its start and end (and one per 10 s on a slow machine).
        List<String> replay = Arrays.stream(identify.errLines()).filter(l -> l.startsWith("SGD-influence replay"))
                .toList();
        assertThat(replay).hasSizeGreaterThanOrEqualTo(2);
        assertThat(replay.get(0)).matches("SGD-influence replay \\(steps back\\): started \\(\\d+ steps\\)");
        assertThat(replay.get(replay.size() - 1)).matches("SGD-influence replay \\(steps back\\): \\d+ steps in .* s");
        assertThat(identify.err()).doesNotContain("examples: started");
    }

    @Test
    void aLogGetsABoundedNumberOfLinesHoweverManyStepsATaskHas() {
        StringWriter text = new StringWriter();

        runReplay(progress(text, false), 5000);

        // 500 s: start, end and one line per 10 s.
        assertThat(text.toString().split("\n")).hasSize(2 + 500 / TerminalProgress.LINE_SECONDS);
    }

    @Test
    void onATerminalOnlyTheOutermostTaskIsDrawn() {
        StringWriter text = new StringWriter();

        runReplay(progress(text, true), 300);

        // The last line is padded with spaces over the longer bar it replaces.
        String out = text.toString().replaceAll(" +\n", "\n");
        assertThat(out).doesNotContain("scoring").contains("\rSGD-influence replay (steps back) [#")
                .endsWith("\rSGD-influence replay (steps back): 300 steps in 30.0 s\n");
        assertThat(out.chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }

    @Test
    void aTaskLeftOpenByACaughtExceptionDoesNotSilenceTheTasksAfterIt() {
        StringWriter text = new StringWriter();
        TerminalProgress p = progress(text, false);

        try (Progress.Scope scope = Progress.install(p)) {
            try (Progress.Task outer = Progress.task("replay", 2)) {
                Progress.task("scoring", 64).step(); // never closed
                outer.step();
                outer.step();
            }
            Progress.task("LiSSA iterations", 10).step(); // never closed: the method failed
            now += 1_000_000_000L;
            try (Progress.Task again = Progress.task("LiSSA iterations", 10)) {
                now += 1_000_000_000L;
                again.stepTo(10);
            }
        }

        assertThat(text.toString().split("\n")).containsExactly("replay: started (2 steps)",
                "replay: 2 steps in 0.0 s", "LiSSA iterations: started (10 steps)",
                "LiSSA iterations: started (10 steps)", "LiSSA iterations: 10 steps in 1.0 s");
    }

    @Test
    void aTaskLeftOpenWhenTheRunMovesOnToAStageOfItsOwnIsForgotten() {
        StringWriter text = new StringWriter();
        TerminalProgress p = progress(text, false);

        try (Progress.Scope scope = Progress.install(p)) {
            Progress.task("LiSSA iterations", 10).step(); // never closed: the method failed
            p.betweenTasks();
            try (Progress.Task next = Progress.task("SGD-influence replay (steps back)", 5)) {
                now += 1_000_000_000L;
                next.stepTo(5);
            }
        }

        assertThat(text.toString().split("\\n")).containsExactly("LiSSA iterations: started (10 steps)",
                "SGD-influence replay (steps back): started (5 steps)",
                "SGD-influence replay (steps back): 5 steps in 1.0 s");
    }

    @Test
    void epochsAndABarTakeLinesOfTheirOwnInsteadOfOverwritingEachOther() {
        StringWriter text = new StringWriter();
        TerminalProgress p = progress(text, true);

        try (Progress.Scope scope = Progress.install(p); Progress.Task task = Progress.task("Fisher diagonal", 4)) {
            now += 1_000_000_000L;
            task.step();
            p.epoch("fine-tuning", 1, 10, "train loss 0.5", 1.0);
            now += 1_000_000_000L;
            task.step();
            p.epoch("fine-tuning", 2, 10, "train loss 0.4", 1.0);
        }

        assertThat(text.toString().replaceAll(" +\n", "\n").split("\n")).containsExactly(
                "\rFisher diagonal [........................] 0/4"
                        + "\rFisher diagonal [######..................] 1/4 1.00/s 3 s left",
                "\rfine-tuning epoch 1/10 [##......................] train loss 0.5, at most 9 s left",
                "\rFisher diagonal [############............] 2/4 1.00/s 2 s left",
                "\rfine-tuning epoch 2/10 [####....................] train loss 0.4, at most 8 s left",
                "\rFisher diagonal: 2 steps in 2.0 s");
    }

    @Test
    void theLaunchersWordOnStderrWinsOverTheConsoleGuess() {
        String before = System.getProperty(TerminalProgress.TERMINAL_PROPERTY);
        try {
            System.setProperty(TerminalProgress.TERMINAL_PROPERTY, "true");
            assertThat(TerminalProgress.stderrIsTerminal()).isTrue();
            System.setProperty(TerminalProgress.TERMINAL_PROPERTY, "false");
            assertThat(TerminalProgress.stderrIsTerminal()).isFalse();
        } finally {
            if (before == null) {
                System.clearProperty(TerminalProgress.TERMINAL_PROPERTY);
            } else {
                System.setProperty(TerminalProgress.TERMINAL_PROPERTY, before);
            }
        }
    }

    @Test
    void stderrMovesToThePathTheLauncherGivesOnlyForATerminal(@TempDir Path dir) throws Exception {
        Path screen = Files.writeString(dir.resolve("screen"), "earlier\n");
        PrintStream before = System.err;
        try {
            System.setProperty(TerminalProgress.PATH_PROPERTY, screen.toString());
            System.setProperty(TerminalProgress.TERMINAL_PROPERTY, "false");
            TerminalProgress.stderrFromLauncher();
            assertThat(System.err).isSameAs(before);

            System.setProperty(TerminalProgress.TERMINAL_PROPERTY, "true");
            TerminalProgress.stderrFromLauncher();
            System.err.print("\rbar");
            assertThat(Files.readString(screen)).isEqualTo("earlier\n\rbar");
        } finally {
            if (System.err != before) {
                System.err.close();
            }
            System.setErr(before);
            System.clearProperty(TerminalProgress.PATH_PROPERTY);
            System.clearProperty(TerminalProgress.TERMINAL_PROPERTY);
        }
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertThat(TerminalProgress.duration(42)).isEqualTo("42 s");
        assertThat(TerminalProgress.duration(125)).isEqualTo("2 min 5 s");
        assertThat(TerminalProgress.duration(7300)).isEqualTo("2 h 1 min");
    }
}
