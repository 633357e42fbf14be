package dev.amend.cli;

import dev.amend.util.Progress;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows {@link Progress} tasks on stderr. On a terminal: one line redrawn in place with a bar,
 * the rate and the time left ({@code CG iterations [######....] 60/100 12.5/s 3 s left}). When
 * stderr is a file or a pipe: a line when a task starts, one every {@value #LINE_SECONDS} seconds
 * while it runs and one when it ends, so that logs stay readable. {@code --quiet} installs none.
 *
 * <p>Tasks nest: a task opened while another one runs (the scoring of one batch inside an
 * SGD-influence replay, a Fisher pass inside a repair) is part of the outer one's work. Only the
 * outermost open task is shown, with its own elapsed time; the tasks inside it are silent, so
 * that a replay of 860 steps prints three lines in a log rather than two per step.
 */
final class TerminalProgress implements Progress.Listener {
    static final int LINE_SECONDS = 10;
    /** Set by the {@code ./amend} launcher: {@code true} when stderr is a terminal, {@code false} when not. */
    static final String TERMINAL_PROPERTY = "amend.stderr.terminal";
    /**
     * Set by the {@code ./amend} launcher when stderr is a terminal: a path that opens that
     * terminal ({@code /dev/fd/4}), beside the filtered stderr (see {@link #stderrFromLauncher}).
     */
    static final String PATH_PROPERTY = "amend.stderr.path";
    private static final int BAR = 24;
    private static final long REDRAW_NANOS = 100_000_000L;

    /** What the line on a terminal holds while it is redrawn in place. */
    private enum Live { NOTHING, BAR, EPOCH }

    /** A task that started and has not finished. */
    private static final class Open {
        final String name;
        final long start;
        long lastDraw;

        Open(String name, long start) {
            this.name = name;
            this.start = start;
            this.lastDraw = start;
        }
    }

    private final PrintWriter err;
    private final boolean terminal;
    private final LongSupplier clock;
    /** The open tasks, outermost first. */
    private final List<Open> open = new ArrayList<>();
    private int drawnWidth;
    private Live live = Live.NOTHING;

    TerminalProgress(PrintWriter err, boolean terminal, LongSupplier clock) {
        this.err = err;
        this.terminal = terminal;
        this.clock = clock;
    }

    /**
     * Whether stderr goes to a terminal. The {@code ./amend} launcher knows (the shell's
     * {@code -t 2} test) and says so in the system property {@code amend.stderr.terminal}; without
     * it the guess is that a console exists, which Java grants only when stdin and stdout are
     * terminals too, and that {@code TERM} is set and not {@code dumb}.
     */
    static boolean stderrIsTerminal() {
        String told = System.getProperty(TERMINAL_PROPERTY);
        if (told != null) {
            return Boolean.parseBoolean(told);
        }
        return System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
    }

    /**
     * Points {@code System.err} at the terminal that the launcher names; called first thing by
     * {@link AmendCli#main}. The launcher passes the process's stderr through a filter that drops
     * one libtorch warning, which makes it a pipe: there a bar redrawn in place would appear only
     * when its line ends. When the launcher's own stderr is a terminal, it also hands that
     * terminal over on a spare file descriptor; amend's text goes there directly, while native
     * output (libtorch's) still goes through the filter. Only a terminal is reopened: a file
     * reopened by name would be written from its start, over what it holds.
     */
    static void stderrFromLauncher() {
        String path = System.getProperty(PATH_PROPERTY);
        if (path == null || !Boolean.parseBoolean(System.getProperty(TERMINAL_PROPERTY))) {
            return;
        }
        // The encoding Java chose for stderr, as picocli does.
        Charset charset = Charset.defaultCharset();
        try {
            String encoding = System.getProperty("sun.stderr.encoding");
            if (encoding != null) {
                charset = Charset.forName(encoding);
            }
        } catch (IllegalArgumentException e) {
            // the default, then
        }
        try {
            System.setErr(new PrintStream(new FileOutputStream(path, true), true, charset));
        } catch (IOException | SecurityException e) {
            // The filtered stderr still works; a bar there shows only when its line ends.
        }
    }

    @Override
    public void started(String task, long total) {
        // Tasks close in the reverse order they open. One of the same name still open was left
        // unclosed by an exception that a caller caught (a method failing inside an experiment):
        // it ended then, and so did anything opened inside it.
        int again = indexOf(task);
        if (again >= 0) {
            dropFrom(again);
        }
        Open t = new Open(task, clock.getAsLong());
        open.add(t);
        if (open.size() > 1) {
            return;
        }
        if (terminal) {
            draw(t, 0, total);
        } else {
            line(task + ": started" + (total > 0 ? " (" + total + " steps)" : ""));
        }
    }

    @Override
    public void advanced(String task, long done, long total) {
        int at = indexOf(task);
        if (at < 0) {
            return;
        }
        // Stepping a task means that everything opened inside it has ended.
        dropFrom(at + 1);
        if (at > 0) {
            return;
        }
        Open t = open.get(0);
        long now = clock.getAsLong();
        if (terminal) {
            if (now - t.lastDraw >= REDRAW_NANOS) {
                t.lastDraw = now;
                draw(t, done, total);
            }
        } else if (now - t.lastDraw >= LINE_SECONDS * 1_000_000_000L) {
            t.lastDraw = now;
            line(task + ": " + status(t, done, total, now));
        }
    }

    @Override
    public void finished(String task, long done, long total) {
        int at = indexOf(task);
        if (at < 0) {
            return;
        }
        Open t = open.get(at);
        dropFrom(at);
        if (at > 0) {
            return;
        }
        double seconds = (clock.getAsLong() - t.start) / 1e9;
        String text = String.format(Locale.ROOT, "%s: %s in %.1f s", task, done > 0 ? done + " steps" : "done",
                seconds);
        if (terminal) {
            if (live == Live.EPOCH) {
                endLine();
            }
            err.print("\r" + pad(text) + "\n");
            drawnWidth = 0;
            live = Live.NOTHING;
            err.flush();
        } else {
            line(text);
        }
    }

    /**
     * The run has reached a stage of its own (a message of {@link TrainProgress#stage}): such
     * messages come from between pieces of work, never from inside a task, so a task still open
     * now was left unclosed by an exception that a caller caught and reported (LiSSA diverging
     * inside an experiment). It is forgotten, so that the tasks after it show.
     */
    void betweenTasks() {
        open.clear();
    }

    /** The innermost open task of that name, -1 when none is open. */
    private int indexOf(String task) {
        for (int i = open.size() - 1; i >= 0; i--) {
            if (open.get(i).name.equals(task)) {
                return i;
            }
        }
        return -1;
    }

    private void dropFrom(int index) {
        open.subList(index, open.size()).clear();
    }

    private void draw(Open t, long done, long total) {
        if (live == Live.EPOCH) {
            endLine();
        }
        StringBuilder text = new StringBuilder(t.name).append(' ');
        if (total > 0) {
            int filled = (int) Math.min(BAR, BAR * done / total);
            text.append('[').append("#".repeat(filled)).append(".".repeat(BAR - filled)).append("] ");
        }
        text.append(status(t, done, total, clock.getAsLong()));
        live = Live.BAR;
        err.print("\r" + pad(text.toString()));
        err.flush();
    }

    /** "60/100 12.5/s 3 s left", "60 steps 12.5/s" when the total is unknown, "running" without steps. */
    private static String status(Open t, long done, long total, long now) {
        double seconds = (now - t.start) / 1e9;
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
     * to {@code max} ran (an upper bound: early stopping usually ends training sooner). A task's
     * bar on the line is kept, and the epochs start a line of their own.
     */
    void epoch(String what, int epoch, int max, String details, double epochSeconds) {
        if (live == Live.BAR) {
            endLine();
        }
        int filled = max > 0 ? Math.min(BAR, BAR * epoch / max) : 0;
        String left = epoch < max ? ", at most " + duration(epochSeconds * (max - epoch)) + " left" : "";
        live = Live.EPOCH;
        err.print("\r" + pad(String.format(Locale.ROOT, "%s epoch %d/%d [%s%s] %s%s", what, epoch, max,
                "#".repeat(filled), ".".repeat(BAR - filled), details, left)));
        err.flush();
    }

    /** Ends a line redrawn in place, so that the next message starts on a line of its own. */
    void endLine() {
        if (terminal && live != Live.NOTHING) {
            err.print("\n");
            err.flush();
        }
        drawnWidth = 0;
        live = Live.NOTHING;
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
