package dev.amend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.amend.util.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

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

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertThat(TerminalProgress.duration(42)).isEqualTo("42 s");
        assertThat(TerminalProgress.duration(125)).isEqualTo("2 min 5 s");
        assertThat(TerminalProgress.duration(7300)).isEqualTo("2 h 1 min");
    }
}
