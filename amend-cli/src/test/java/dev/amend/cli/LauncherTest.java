package dev.amend.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ./amend launcher, run against a stand-in java so that no JVM or libtorch is needed. */
class LauncherTest {
    private static final String LIBTORCH_WARNING = "[W1128 06:32:31.572689889 LegacyTypeDispatch.h:74] Warning:"
            + " AutoNonVariableTypeMode is deprecated and will be removed in 1.10 release. (function operator())";

    @TempDir
    Path dir;

    /**
     * A checkout whose jar is newer than its (empty) sources, so the launcher builds nothing, and
     * a folder with a stand-in java of these lines; returns the launcher.
     */
    private Path checkout(String... java) throws IOException {
        Path launcher = Path.of("").toAbsolutePath().getParent().resolve("amend");
        assertThat(launcher).as("the launcher beside the modules").isRegularFile();
        Path root = Files.createDirectories(dir.resolve("checkout"));
        Files.copy(launcher, root.resolve("amend"));
        Files.createDirectories(root.resolve("amend-core"));
        Path jar = Files.createDirectories(root.resolve("amend-cli/target")).resolve("amend.jar");
        Files.writeString(root.resolve("pom.xml"), "");
        Files.setLastModifiedTime(root.resolve("pom.xml"), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        Files.writeString(jar, "");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path stand = Files.writeString(bin.resolve("java"), "#!/usr/bin/env bash\n"
                // What the launcher told amend about stderr, on stdout.
                + "for a in \"$@\"; do case \"$a\" in -Damend.stderr.terminal=*) t=\"${a#*=}\";;"
                + " -Damend.stderr.path=*) p=\"${a#*=}\";; esac; done\n"
                + "echo \"stderr terminal=${t:-unset} path=${p:-none}\"\n"
                + String.join("\n", java) + "\n");
        Files.setPosixFilePermissions(stand, PosixFilePermissions.fromString("rwxr-xr-x"));
        return root.resolve("amend");
    }

    private record Ran(int status, String out, String err) {
    }

    private Ran run(List<String> command, String term) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        builder.environment().put("TERM", term);
        Process p = builder.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Ran(p.exitValue(), out, err);
    }

    @Test
    void libtorchsDeprecationLineDoesNotReachStderrAndTheExitCodeSurvives() throws Exception {
        // The stand-in java prints what libtorch prints, then a line of amend's, and fails like a user error.
        Path launcher = checkout("echo '" + LIBTORCH_WARNING + "' >&2", "echo 'amend: a message of amend' >&2",
                "echo 'a result'", "exit 2");

        Ran ran = run(List.of("bash", launcher.toString(), "eval", "--quiet"), "xterm");

        assertThat(ran.status()).as(ran.err()).isEqualTo(2);
        // stderr is a pipe here: amend is told so, and everything it prints goes through the filter.
        assertThat(ran.out()).isEqualTo("stderr terminal=false path=none\na result\n");
        assertThat(ran.err()).isEqualTo("amend: a message of amend\n");
    }

    /**
     * Through {@code script}, which gives the launcher a pseudo-terminal, amend hears that stderr
     * is a terminal and gets it on a path of its own: a bar written there shows at once, before
     * its line ends (through the line-by-line filter it would show only after the result below),
     * while native output on stderr still loses libtorch's warning.
     */
    @Test
    void onATerminalAmendDrawsPastTheFilterAndLibtorchsLineIsStillDropped() throws Exception {
        assumeTrue(new ProcessBuilder("sh", "-c", "command -v script").start().waitFor() == 0,
                "the script command (util-linux) is not installed; skipping the terminal test");
        // Native output comes last: the filter writes it whenever it gets to it.
        Path launcher = checkout("if [[ -n \"${p:-}\" ]]; then printf '\\rtask [#...] 1/2' >>\"$p\"; fi",
                "echo 'a result'",
                "if [[ -n \"${p:-}\" ]]; then printf '\\rtask: 2 steps in 0.1 s\\n' >>\"$p\"; fi",
                "echo '" + LIBTORCH_WARNING + "' >&2", "echo 'a native line' >&2", "exit 3");
        String command = "bash '" + launcher + "' identify";

        Ran ran = run(List.of("script", "-qec", command, "/dev/null"), "xterm");

        // A terminal ends its lines with \r\n.
        String screen = ran.out().replace("\r\n", "\n");
        assertThat(ran.status()).as(screen).isEqualTo(3);
        assertThat(screen).startsWith("stderr terminal=true path=/dev/fd/4\n")
                .contains("\rtask [#...] 1/2a result\n\rtask: 2 steps in 0.1 s\n").endsWith("a native line\n")
                .doesNotContain("AutoNonVariableTypeMode");

        Ran dumb = run(List.of("script", "-qec", command, "/dev/null"), "dumb");

        assertThat(dumb.out().replace("\r\n", "\n")).startsWith("stderr terminal=false path=none\n");
    }
}
