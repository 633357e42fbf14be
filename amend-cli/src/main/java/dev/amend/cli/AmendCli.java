package dev.amend.cli;

import dev.amend.provenance.AmendVersion;
import dev.amend.util.Progress;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * The {@code amend} command. It only lists the subcommands; each one is a class of its own
 * implementing {@code Callable<Integer>}, with shared options as mixins ({@link DataOptions},
 * {@link SeedOptions}, {@link ThreadOptions}, {@link OutputOptions}). Errors are mapped to
 * exit codes in one place, {@link ErrorHandler}, which {@link #commandLine()} installs.
 */
@Command(
        name = "amend",
        // INHERIT gives every subcommand --help and --version without repeating it on each class.
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = AmendCli.Version.class,
        usageHelpAutoWidth = true,
        description = "Repairs trained neural networks by finding and erasing the training data behind their failures.",
        // To add a command: write a class annotated @Command that implements Callable<Integer>,
        // then list it here; `amend --help` shows the commands in this order.
        subcommands = {
            DemoCommand.class,
            DataCommand.class,
            TrainCommand.class,
            EvalCommand.class,
            IdentifyCommand.class,
            TreatCommand.class,
            RepairCommand.class,
            ReportCommand.class,
            ExperimentCommand.class,
            BenchCommand.class,
            EngineCommand.class,
            HelpCommand.class,
        })
public final class AmendCli {
    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print the stack trace of an internal error (also: environment variable AMEND_DEBUG=1).")
    boolean debug;

    public static void main(String[] args) {
        TerminalProgress.stderrFromLauncher();
        System.exit(commandLine().execute(args));
    }

    /**
     * A command line for {@code amend} with amend's error handling and exit codes; use it
     * instead of {@code new CommandLine(new AmendCli())}, which would use picocli's defaults.
     */
    public static CommandLine commandLine() {
        AmendCli root = new AmendCli();
        ErrorHandler errors = new ErrorHandler(() -> root.debug || ErrorHandler.debugRequestedByEnvironment());
        return new CommandLine(root)
                .setExecutionStrategy(AmendCli::executeReportingErrors)
                .setParameterExceptionHandler(errors)
                .setExecutionExceptionHandler(errors);
    }

    // picocli hands only Exceptions to the handler; an Error (libtorch failing to link, memory
    // running out) would end the JVM with a bare stack trace. Wrapped, it is reported like a bug.
    // Before the command runs, its --out is checked, so that a wrong one costs no work.
    private static int executeReportingErrors(ParseResult parsed) {
        List<CommandLine> commands = parsed.asCommandLineList();
        CommandLine last = commands.get(commands.size() - 1);
        try {
            if (commands.stream().noneMatch(c -> c.isUsageHelpRequested() || c.isVersionHelpRequested())) {
                checkOutput(last);
            }
        } catch (RuntimeException e) {
            throw new ExecutionException(last, String.valueOf(e.getMessage()), e);
        }
        try (Progress.Scope progress = Progress.install(progressListener(last))) {
            return new CommandLine.RunLast().execute(parsed);
        } catch (Error e) {
            throw new ExecutionException(last, e.toString(), e);
        }
    }

    /** Long work's progress goes where the command's other progress messages go; nowhere with --quiet. */
    private static Progress.Listener progressListener(CommandLine command) {
        for (CommandSpec mixin : command.getCommandSpec().mixins().values()) {
            if (mixin.userObject() instanceof OutputOptions output && output.terminalProgress() != null) {
                return output.terminalProgress();
            }
        }
        return Progress.Listener.NONE;
    }

    private static void checkOutput(CommandLine command) {
        for (CommandSpec mixin : command.getCommandSpec().mixins().values()) {
            if (mixin.userObject() instanceof OutputOptions output) {
                output.checkBeforeWork();
            }
        }
    }

    /** {@code amend --version}: cheap, so it does not load the native engine ({@code amend engine} does). */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "amend " + AmendVersion.current(),
                "DJL " + ai.djl.engine.Engine.getDjlVersion(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch"),
            };
        }
    }
}
