package dev.amend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.amend.provenance.Provenance;
import dev.amend.provenance.RunFiles;
import dev.amend.util.Json;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class OutputOptionsTest {
    record ProbeSpec(String data, long seed) {
    }

    /** A command shaped like the ones that write runs: data, seed and output mixins. */
    @Command(name = "probe")
    static final class Probe implements Callable<Integer> {
        @Mixin
        DataOptions data;

        @Mixin
        SeedOptions seed;

        @Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            output.startRun(new ProbeSpec(data.spec().toString(), seed.seed()), seed.seed());
            return 0;
        }
    }

    @TempDir
    Path dir;

    private CliRun probe(String... args) {
        return CliRun.of(AmendCli.commandLine().addSubcommand(new Probe()), args);
    }

    @Test
    void startRunWritesSpecAndProvenanceIntoTheOutFolder() {
        Path out = dir.resolve("run");

        CliRun run = probe("probe", "--out", out.toString(), "--seed", "5");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Json.read(out.resolve(RunFiles.SPEC), ProbeSpec.class)).isEqualTo(new ProbeSpec("mnist", 5));
        Provenance provenance = Json.read(out.resolve(RunFiles.PROVENANCE), Provenance.class);
        assertThat(provenance.arguments()).containsExactly("probe", "--out", out.toString(), "--seed", "5");
        assertThat(provenance.seed()).isEqualTo(5);
        assertThat(run.err()).contains("writing the run to " + out);
    }

    @Test
    void quietSilencesProgressMessages() {
        CliRun run = probe("probe", "--out", dir.resolve("run").toString(), "--quiet");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
    }
}
