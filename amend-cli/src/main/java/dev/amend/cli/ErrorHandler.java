package dev.amend.cli;

import dev.amend.AmendException;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one place where failures become messages and exit codes:
 * <ul>
 * <li>{@value #USER_ERROR}: the user's mistake or the machine's limit: a bad argument, an
 * {@link AmendException}, a path the platform cannot represent, memory running out: one line
 * {@code amend: <message>} on stderr (for a bad argument ending with a pointer to --help);</li>
 * <li>{@value #INTERNAL_ERROR}: any other exception, a bug: {@code amend: internal error: ...},
 * with the stack trace only when debugging was asked for.</li>
 * </ul>
 */
final class ErrorHandler implements IParameterExceptionHandler, IExecutionExceptionHandler {
    static final int INTERNAL_ERROR = 1;
    static final int USER_ERROR = 2;

    private final BooleanSupplier debug;

    ErrorHandler(BooleanSupplier debug) {
        this.debug = debug;
    }

    static boolean debugRequestedByEnvironment() {
        String value = System.getenv("AMEND_DEBUG");
        return "1".equals(value) || "true".equalsIgnoreCase(value);
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine command = ex.getCommandLine();
        PrintWriter err = command.getErr();
        // One line, as for every user error: the pointer to --help goes at its end.
        err.println("amend: " + oneLine(describe(ex)) + "; see '" + command.getCommandSpec().qualifiedName()
                + " --help'");
        err.flush();
        return USER_ERROR;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        // AmendCli wraps an Error in picocli's ExecutionException to get it here; report the Error.
        Throwable failure = ex instanceof ExecutionException && ex.getCause() instanceof Error ? ex.getCause() : ex;
        String userError = userError(failure);
        if (userError != null) {
            err.println("amend: " + oneLine(userError));
        } else {
            String message = failure.getMessage() == null ? "" : ": " + failure.getMessage();
            err.println("amend: internal error: " + oneLine(failure.getClass().getSimpleName() + message));
        }
        if (debug.getAsBoolean()) {
            failure.printStackTrace(err);
        } else if (userError == null) {
            err.println("(run again with --debug, or with AMEND_DEBUG=1, to see where it happened)");
        }
        err.flush();
        return userError != null ? USER_ERROR : INTERNAL_ERROR;
    }

    /**
     * The message of a failure that is the user's: an {@link AmendException}, a path the
     * platform cannot represent (a non-ASCII name under LC_ALL=C), or the machine's memory
     * running out. Null for anything else, which is a bug.
     */
    private static String userError(Throwable failure) {
        AmendException amend = findUserError(failure);
        if (amend != null) {
            return amend.getMessage();
        }
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof InvalidPathException path) {
                return invalidPath(path);
            }
            if (t instanceof OutOfMemoryError || isNativeOutOfMemory(t)) {
                return "out of memory (the Java heap may grow to " + gigabytes(Runtime.getRuntime().maxMemory())
                        + "): the data or the model is too large for this machine; use smaller inputs, or give Java"
                        + " more memory with JAVA_TOOL_OPTIONS=-Xmx<size>";
            }
        }
        return null;
    }

    static String invalidPath(InvalidPathException e) {
        String input = e.getInput() == null ? "" : e.getInput();
        boolean nonAscii = input.chars().anyMatch(c -> c > 127);
        String encoding = System.getProperty("sun.jnu.encoding", "");
        return "cannot use the path '" + input.replace("\0", "\\0") + "': " + e.getReason()
                + (nonAscii ? "; Java reads file names in the encoding of the locale (" + encoding
                        + "), so under LC_ALL=C only ASCII names work: set a UTF-8 locale, e.g. LC_ALL=C.UTF-8" : "");
    }

    // libtorch reports a failed allocation as an engine exception, not as an Error.
    private static boolean isNativeOutOfMemory(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getName().startsWith("ai.djl.") && message != null
                && (message.contains("can't allocate memory") || message.contains("not enough memory"));
    }

    private static String gigabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f GB", bytes / 1e9);
    }

    // Library code may wrap a user error (a worker thread's ExecutionException, say); it stays the user's.
    private static AmendException findUserError(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof AmendException amend) {
                return amend;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static String describe(ParameterException ex) {
        if (ex instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            CommandSpec command = ex.getCommandLine().getCommandSpec();
            boolean expectsCommand = !command.subcommands().isEmpty() && !first.startsWith("-");
            // picocli says "Unmatched argument at index 0"; for a mistyped command name that hides the point.
            String message = expectsCommand ? "unknown command '" + first + "'" : ex.getMessage();
            Set<String> names = expectsCommand ? command.subcommands().keySet() : command.optionsMap().keySet();
            List<String> near = names.stream().filter(name -> isTypo(first, name)).sorted().toList();
            return near.isEmpty() ? message : message + " (did you mean " + String.join(" or ", near) + "?)";
        }
        CommandSpec command = ex.getCommandLine().getCommandSpec();
        if (ex.getMessage().startsWith("Missing required subcommand") && !command.subcommands().isEmpty()) {
            return "'" + command.qualifiedName() + "' needs a command: " + String.join(", ", command.subcommands().keySet());
        }
        return ex.getMessage();
    }

    // picocli's own suggestions rank every name, however far; only a near miss is worth suggesting.
    private static boolean isTypo(String typed, String name) {
        int[] previous = new int[name.length() + 1];
        int[] current = new int[name.length() + 1];
        for (int j = 0; j <= name.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= typed.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= name.length(); j++) {
                int substitution = previous[j - 1] + (typed.charAt(i - 1) == name.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[name.length()] <= Math.max(1, name.length() / 4);
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
