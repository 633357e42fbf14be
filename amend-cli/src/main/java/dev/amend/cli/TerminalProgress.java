package dev.amend.cli;

import dev.amend.util.Progress;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows {@link Progress} tasks on stderr. On a terminal: one line redrawn in place with a bar,
 * the rate and the time left ({@code CG iterations [######....] 60/100 12.5/s 3 s left}). When
 * stderr is a file or a pipe: a line when a task starts, one every {@value #LINE_SECONDS} seconds
 * while it runs and one when it ends, so that logs stay readable. {@code --quiet} installs none.
 */
final class TerminalProgress implements Progress.Listener {
    static final int LINE_SECONDS = 10;
    private static final int BAR = 24;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private final LongSupplier clock;
    private long start;
    private long lastDraw;
    private int drawnWidth;
    /** Whether the line on screen is an epoch line, which a task must not overwrite. */
    private boolean epochLine;

    TerminalProgress(PrintWriter err, boolean terminal, LongSupplier clock) {
        this.err = err;
        this.terminal = terminal;
        this.clock = clock;
    }

    /** Whether stderr goes to a terminal (a console exists only when stdin and stdout are terminals too). */
    static boolean stderrIsTerminal() {
        return System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
    }

    @Override
    public void started(String task, long total) {
        start = clock.getAsLong();
        lastDraw = start;
        if (epochLine) {
            endLine();
        }
        if (terminal) {
            draw(task, 0, total);
        } else {
            line(task + ": started" + (total > 0 ? " (" + total + " steps)" : ""));
        }
    }

    @Override
    public void advanced(String task, long done, long total) {
        long now = clock.getAsLong();
        if (terminal) {
            if (now - lastDraw >= REDRAW_NANOS) {
                lastDraw = now;
                draw(task, done, total);
            }
        } else if (now - lastDraw >= LINE_SECONDS * 1_000_000_000L) {
            lastDraw = now;
            line(task + ": " + status(done, total, now));
        }
    }

    @Override
    public void finished(String task, long done, long total) {
        double seconds = (clock.getAsLong() - start) / 1e9;
        String text = String.format(Locale.ROOT, "%s: %s in %.1f s", task, done > 0 ? done + " steps" : "done",
                seconds);
        if (terminal) {
            err.print("\r" + pad(text) + "\n");
            drawnWidth = 0;
            err.flush();
        } else {
            line(text);
        }
    }

    private void draw(String task, long done, long total) {
        StringBuilder text = new StringBuilder(task).append(' ');
        if (total > 0) {
            int filled = (int) Math.min(BAR, BAR * done / total);
            text.append('[').append("#".repeat(filled)).append(".".repeat(BAR - filled)).append("] ");
        }
        text.append(status(done, total, clock.getAsLong()));
        err.print("\r" + pad(text.toString()));
        err.flush();
    }

    /** "60/100 12.5/s 3 s left", "60 steps 12.5/s" when the total is unknown, "running" without steps. */
    private String status(long done, long total, long now) {
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        if (total == 0 && done == 0) {
            return "running";
        }
        StringBuilder s = new StringBuilder(total > 0 ? done + "/" + total : done + " steps");
        if (done > 0 && seconds > 0) {
            s.append(String.format(Locale.ROOT, " %.3g/s", rate));
            if (total > done) {
                s.append(' ').append(duration((total - done) / rate)).append(" left");
            }
        }
        return s.toString();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? s + " s" : s < 3600 ? (s / 60) + " min " + (s % 60) + " s"
                : (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }

    /**
     * An epoch of training: redrawn in place on a terminal, with the time left if every epoch up
     * to {@code max} ran (an upper bound: early stopping usually ends training sooner).
     */
    void epoch(String what, int epoch, int max, String details, double epochSeconds) {
        int filled = max > 0 ? Math.min(BAR, BAR * epoch / max) : 0;
        String left = epoch < max ? ", at most " + duration(epochSeconds * (max - epoch)) + " left" : "";
        epochLine = true;
        err.print("\r" + pad(String.format(Locale.ROOT, "%s epoch %d/%d [%s%s] %s%s", what, epoch, max,
                "#".repeat(filled), ".".repeat(BAR - filled), details, left)));
        err.flush();
    }

    /** Ends a line redrawn in place, so that the next message starts on a line of its own. */
    void endLine() {
        epochLine = false;
        if (terminal && drawnWidth > 0) {
            err.print("\n");
            err.flush();
            drawnWidth = 0;
        }
    }

    boolean terminal() {
        return terminal;
    }

    private String pad(String text) {
        String padded = text.length() < drawnWidth ? text + " ".repeat(drawnWidth - text.length()) : text;
        drawnWidth = text.length();
        return padded;
    }

    private void line(String text) {
        endLine();
        err.println(text);
        err.flush();
    }
}
