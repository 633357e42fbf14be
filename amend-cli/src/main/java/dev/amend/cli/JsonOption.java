package dev.amend.cli;

import dev.amend.AmendException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --json}: instead of the tables a person reads, stdout gets the summary file the
 * command wrote (metrics.json of a treat or repair, ranking.json of an identification), byte
 * for byte, and nothing else; progress and notes stay on stderr.
 */
final class JsonOption {
    @Option(names = "--json", description = "Print the summary the command writes (metrics.json of a repair, "
            + "ranking.json of an identification) on stdout as JSON, and nothing else there.")
    boolean json;

    boolean enabled() {
        return json;
    }

    /** Prints {@code file} on {@code out}, ending with a newline. */
    static void print(PrintWriter out, Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new AmendException("cannot read " + file + ": " + e.getMessage(), e);
        }
        out.print(text.endsWith("\n") ? text : text + "\n");
        out.flush();
    }
}
