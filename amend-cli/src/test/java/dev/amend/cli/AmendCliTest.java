package dev.amend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.amend.AmendException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class AmendCliTest {
    @Command(name = "user-mistake")
    static final class UserMistake implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new AmendException("no such file: weights.pt");
        }
    }

    @Command(name = "bug")
    static final class Bug implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("index went negative");
        }
    }

    @Command(name = "native-crash")
    static final class NativeCrash implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new UnsatisfiedLinkError("libtorch.so: cannot open shared object file");
        }
    }

    private static CommandLine amendWithFailingCommands() {
        return AmendCli.commandLine()
                .addSubcommand(new UserMistake())
                .addSubcommand(new Bug())
                .addSubcommand(new NativeCrash());
    }

    @Test
    void helpListsTheCommandsAndExitsZero() {
        CliRun run = CliRun.amend("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: amend", "data", "engine", "help");
        assertThat(run.err()).isEmpty();
    }

    /**
     * picocli reads every description as a format string: a bare percent sign ("45% on MNIST")
     * makes it print a warning on System.err and show the raw text. Every command's help must
     * render without one.
     */
    @Test
    void everyCommandsHelpRendersWithoutFormatWarnings() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<String> rendered = new ArrayList<>();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            renderHelpOfTree(AmendCli.commandLine(), rendered);
        } finally {
            System.setErr(original);
        }
        assertThat(rendered).contains("amend", "amend experiment tradeoff", "amend experiment finetune");
        assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    private static void renderHelpOfTree(CommandLine commandLine, List<String> rendered) {
        commandLine.getUsageMessage();
        rendered.add(commandLine.getCommandSpec().qualifiedName());
        for (CommandLine sub : commandLine.getSubcommands().values()) {
            renderHelpOfTree(sub, rendered);
        }
    }

    @Test
    void versionNamesAmendAndDjl() {
        CliRun run = CliRun.amend("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("amend ").contains("DJL 0.36");
    }

    @Test
    void unknownCommandExitsTwoWithOneLineErrorAndAHint() {
        CliRun run = CliRun.amend("frobnicate");

        assertThat(run.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(run.errLines()).containsExactly("amend: unknown command 'frobnicate'; see 'amend --help'");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void mistypedCommandGetsASuggestion() {
        CliRun run = CliRun.amend("engin");

        assertThat(run.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(run.errLines()).containsExactly(
                "amend: unknown command 'engin' (did you mean engine?); see 'amend --help'");
    }

    @Test
    void mistypedOptionGetsASuggestion() {
        CliRun run = CliRun.amend("engine", "--thread", "1");

        assertThat(run.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.errLines()[0]).startsWith("amend: ").endsWith("(did you mean --threads?); see 'amend engine --help'");
    }

    @Test
    void unknownOptionOfASubcommandPointsToThatSubcommandsHelp() {
        CliRun run = CliRun.amend("engine", "--fast");

        assertThat(run.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.errLines()[0]).startsWith("amend: ").contains("--fast").endsWith("; see 'amend engine --help'");
    }

    @Test
    void groupWithoutSubcommandIsAUsageError() {
        CliRun run = CliRun.amend("data");

        assertThat(run.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(run.errLines()[0]).isEqualTo("amend: 'amend data' needs a command: describe; see 'amend data --help'");
    }

    @Test
    void nonPositiveThreadCountIsRejected() {
        CliRun run = CliRun.amend("engine", "--threads", "0");

        assertThat(run.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(run.errLines()[0]).isEqualTo("amend: --threads must be at least 1, got 0; see 'amend engine --help'");
    }

    @Test
    void amendExceptionIsOneLineWithoutStackTraceAndExitsTwo() {
        CliRun run = CliRun.of(amendWithFailingCommands(), "user-mistake");

        assertThat(run.exitCode()).isEqualTo(ErrorHandler.USER_ERROR);
        assertThat(run.errLines()).containsExactly("amend: no such file: weights.pt");
    }

    @Test
    void otherExceptionIsAnInternalErrorWithoutStackTraceAndExitsOne() {
        CliRun run = CliRun.of(amendWithFailingCommands(), "bug");

        assertThat(run.exitCode()).isEqualTo(ErrorHandler.INTERNAL_ERROR);
        assertThat(run.errLines()[0]).isEqualTo("amend: internal error: IllegalStateException: index went negative");
        assertThat(run.err()).doesNotContain("\tat ");
    }

    @Test
    void errorIsReportedLikeAnInternalError() {
        CliRun run = CliRun.of(amendWithFailingCommands(), "native-crash");

        assertThat(run.exitCode()).isEqualTo(ErrorHandler.INTERNAL_ERROR);
        assertThat(run.errLines()[0])
                .isEqualTo("amend: internal error: UnsatisfiedLinkError: libtorch.so: cannot open shared object file");
        assertThat(run.err()).doesNotContain("\tat ");
    }

    @Test
    void debugOptionOnASubcommandShowsTheStackTrace() {
        CliRun run = CliRun.of(amendWithFailingCommands(), "bug", "--debug");

        assertThat(run.exitCode()).isEqualTo(ErrorHandler.INTERNAL_ERROR);
        assertThat(run.err()).contains("\tat " + Bug.class.getName());
    }

    @Test
    void engineCommandLoadsPyTorchOffline() {
        CliRun run = CliRun.amend("engine");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("engine       PyTorch 2.7.1", "threads ");
    }
}
