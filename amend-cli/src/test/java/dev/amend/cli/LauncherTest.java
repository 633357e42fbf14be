package dev.amend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ./amend launcher, run against a stand-in java so that no JVM or libtorch is needed. */
class LauncherTest {
    @TempDir
    Path dir;

    @Test
    void libtorchsDeprecationLineDoesNotReachStderrAndTheExitCodeSurvives() throws Exception {
        Path launcher = Path.of("").toAbsolutePath().getParent().resolve("amend");
        assertThat(launcher).as("the launcher beside the modules").isRegularFile();
        // A checkout whose jar is newer than its (empty) sources, so the launcher builds nothing.
        Path root = Files.createDirectories(dir.resolve("checkout"));
        Files.copy(launcher, root.resolve("amend"));
        Files.createDirectories(root.resolve("amend-core"));
        Path jar = Files.createDirectories(root.resolve("amend-cli/target")).resolve("amend.jar");
        Files.writeString(root.resolve("pom.xml"), "");
        Files.setLastModifiedTime(root.resolve("pom.xml"), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        Files.writeString(jar, "");
        // The stand-in java prints what libtorch prints, then a line of amend's, and fails like a user error.
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path java = Files.writeString(bin.resolve("java"), String.join("\n",
                "#!/usr/bin/env bash",
                "echo '[W1128 06:32:31.572689889 LegacyTypeDispatch.h:74] Warning: AutoNonVariableTypeMode is"
                        + " deprecated and will be removed in 1.10 release. (function operator())' >&2",
                "echo 'amend: a message of amend' >&2",
                "echo 'a result'",
                "exit 2", ""));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("amend").toString(), "eval", "--quiet");
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = builder.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(err).isEqualTo(2);
        assertThat(out).isEqualTo("a result\n");
        assertThat(err).isEqualTo("amend: a message of amend\n");
    }
}
