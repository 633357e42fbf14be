package dev.amend.cli;

import dev.amend.AmendException;
import dev.amend.provenance.Provenance;
import dev.amend.provenance.RunFiles;
import dev.amend.util.AtomicFolders;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --out} and {@code --quiet}: where a command writes its run folder, and whether it
 * reports progress. Results go to stdout or files; progress goes to stderr, so that output
 * stays usable in pipes.
 */
public final class OutputOptions {
    /** Commands that write a single file into {@code --out} rather than a whole folder. */
    private static final Set<String> ONE_FILE_COMMANDS = Set.of("bench train", "bench identify");
    /** Commands that resume in their earlier output instead of replacing it. */
    private static final Set<String> RESUMING_COMMANDS = Set.of("experiment paper");
    /** Where a data spec or list value may hold several paths: {@code idx:A,B,C}, {@code folder:DIR}. */
    private static final Pattern INPUT_SEPARATORS = Pattern.compile("[,;:=]");

    /** Where run folders go when {@code --out} is not given: {@code runs/<command>/<time>}. */
    static final Path RUNS_ROOT = Path.of("runs");

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder for the run's files (default: runs/<command>/<UTC time>).")
    Path out;

    @Option(names = "--quiet", description = "Print no progress messages, only results and errors.")
    boolean quiet;

    private TerminalProgress terminal;

    public boolean quiet() {
        return quiet;
    }

    /** What draws progress on stderr: a bar on a terminal, lines otherwise; null with {@code --quiet}. */
    TerminalProgress terminalProgress() {
        if (quiet) {
            return null;
        }
        if (terminal == null) {
            terminal = new TerminalProgress(mixee.commandLine().getErr(), TerminalProgress.stderrIsTerminal(),
                    System::nanoTime);
        }
        return terminal;
    }

    /** Prints a progress message on stderr unless {@code --quiet} was given. */
    public void progress(String format, Object... args) {
        if (!quiet) {
            terminalProgress().endLine();
            mixee.commandLine().getErr().printf(format + "%n", args);
            mixee.commandLine().getErr().flush();
        }
    }

    /**
     * Prints {@code amend: note: TEXT} on stderr, also with {@code --quiet}: a note concerns the
     * user's files or results, and the command goes on.
     */
    public void note(String text) {
        if (!quiet) {
            terminalProgress().endLine();
        }
        PrintWriter err = mixee.commandLine().getErr();
        err.println("amend: note: " + text);
        err.flush();
    }

    /**
     * Checks {@code --out} before the command does any work (called by {@link AmendCli}): first
     * recovers what an interrupted earlier write to it left (and says so, even with
     * {@code --quiet}: it concerns the user's files), then refuses a folder this command may not
     * write (see {@link AtomicFolders#checkWritable}), and says when an earlier result of the same
     * command will be replaced. The bench commands write one file into {@code --out} and replace
     * only that file, so any folder will do for them.
     */
    void checkBeforeWork() {
        if (out == null) {
            return;
        }
        if (out.toString().isBlank()) {
            throw new AmendException("--out is empty; name a folder");
        }
        for (String notice : AtomicFolders.recover(out)) {
            note(notice);
        }
        String command = RunOutput.commandName(mixee);
        if (ONE_FILE_COMMANDS.contains(command)) {
            return;
        }
        if (AtomicFolders.checkWritable(out, command) && RESUMING_COMMANDS.contains(command)) {
            progress("%s holds an earlier run of 'amend %s'; its finished parts are kept", out, command);
        } else if (AtomicFolders.checkWritable(out, command)) {
            checkNoInputInside();
            progress("%s holds an earlier result of 'amend %s'; it will be replaced when this one is complete", out,
                    command);
        }
    }

    /**
     * Refuses to replace {@code --out} when a file or folder given to the command lies inside it
     * (a model repaired before, say): replacing the folder would delete the command's own input.
     * Every value of every option but {@code --out} is read as paths, whole and split at the
     * separators of data specs ({@code idx:A,B}).
     */
    private void checkNoInputInside() {
        Path folder;
        try {
            folder = out.toRealPath();
        } catch (IOException e) {
            return;
        }
        for (OptionSpec option : mixee.commandLine().getParseResult().matchedOptions()) {
            if (option.longestName().equals("--out")) {
                continue;
            }
            for (String value : option.originalStringValues()) {
                List<String> paths = new ArrayList<>(List.of(INPUT_SEPARATORS.split(value)));
                paths.add(0, value);
                for (String token : paths) {
                    Path input = existing(token);
                    if (input != null && input.startsWith(folder)) {
                        throw new AmendException("cannot write to " + out + ": it holds " + token + ", given with "
                                + option.longestName() + ", which replacing the folder would delete; choose another"
                                + " folder");
                    }
                }
            }
        }
    }

    private static Path existing(String path) {
        try {
            Path p = Path.of(path);
            return path.isBlank() || !Files.exists(p) ? null : p.toRealPath();
        } catch (InvalidPathException | IOException e) {
            return null;
        }
    }

    /**
     * Creates the run folder and writes {@code spec.json} (from {@code spec}) and
     * {@code provenance.json} into it; returns the folder. Loads the engine, to record it.
     */
    public Path startRun(Object spec, long seed) {
        Instant start = Instant.now();
        Path folder = out != null ? out : RunFiles.newRunFolder(RUNS_ROOT, mixee.name(), start);
        RunFiles.writeSpec(folder, spec);
        RunFiles.writeProvenance(folder, Provenance.capture(RunOutput.commandName(mixee), originalArguments(), seed,
                start));
        progress("writing the run to %s", folder);
        return folder;
    }

    private List<String> originalArguments() {
        // The root command holds the whole command line, subcommand names included.
        var parsed = mixee.root().commandLine().getParseResult();
        return parsed == null ? List.of() : parsed.originalArgs();
    }
}
