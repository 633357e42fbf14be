package dev.amend.cli;

import dev.amend.provenance.Provenance;
import dev.amend.provenance.RunFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * Where a command that writes its run folder in one piece (atomically, at the end) puts it,
 * and what its provenance says. {@link OutputOptions#startRun} writes into the folder as the
 * run starts; commands whose output must appear all at once or not at all use this instead.
 */
final class RunOutput {
    private RunOutput() {
    }

    /**
     * A file or folder the command was given, as its spec.json records it: absolute, so that the
     * spec can be run again from any folder (as --data's paths are); null stays null.
     */
    static String recorded(Path path) {
        return path == null ? null : path.toAbsolutePath().normalize().toString();
    }

    /**
     * The run folder: {@code --out} if given, else a new {@code runs/<name>/<UTC time>} (created
     * empty; the atomic write replaces it). Call it when the results are ready, so a failed run
     * leaves no folder behind.
     */
    static Path folder(OutputOptions output, String name) {
        return output.out != null ? output.out : RunFiles.newRunFolder(OutputOptions.RUNS_ROOT, name, Instant.now());
    }

    /** The command's name without the program's: "train", "experiment identify". */
    static String commandName(CommandSpec command) {
        String qualified = command.qualifiedName(" ");
        String root = command.root().name();
        return qualified.startsWith(root + " ") ? qualified.substring(root.length() + 1) : qualified;
    }

    /** The provenance of the running command, with its whole command line. */
    static Provenance provenance(CommandSpec command, long seed, Instant start) {
        ParseResult parsed = command.root().commandLine().getParseResult();
        List<String> arguments = parsed == null ? List.of() : parsed.originalArgs();
        return Provenance.capture(commandName(command), arguments, seed, start);
    }
}
