package dev.amend.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.amend.util.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFilesTest {
    record ToySpec(String data, int epochs, double learningRate) {
    }

    @TempDir
    Path dir;

    @Test
    void specAndProvenanceAreWrittenAsPrettyJsonAndReadBackEqual() throws IOException {
        Instant start = Instant.parse("2026-11-24T10:15:30Z");
        Provenance provenance = Provenance.capture(List.of("train", "--seed", "7"), 7, start);
        ToySpec spec = new ToySpec("mnist", 3, 1e-3);

        Path specFile = RunFiles.writeSpec(dir, spec);
        Path provenanceFile = RunFiles.writeProvenance(dir, provenance);

        assertThat(specFile).isEqualTo(dir.resolve(RunFiles.SPEC));
        assertThat(Json.read(specFile, ToySpec.class)).isEqualTo(spec);
        assertThat(Json.read(provenanceFile, Provenance.class)).isEqualTo(provenance);
        assertThat(Files.readAllLines(provenanceFile)).hasSizeGreaterThan(10);
        assertThat(Files.readString(provenanceFile)).contains("\"startTime\" : \"2026-11-24T10:15:30Z\"");
        try (var leftovers = Files.list(dir)) {
            assertThat(leftovers).containsExactlyInAnyOrder(specFile, provenanceFile);
        }
    }

    @Test
    void provenanceDescribesTheEngineAndTheRun() {
        Provenance provenance = Provenance.capture(List.of("engine"), 42, Instant.EPOCH);

        assertThat(provenance.engine().name()).isEqualTo(EngineInfo.ENGINE_NAME);
        assertThat(provenance.engine().version()).isNotBlank();
        assertThat(provenance.engine().threads()).isPositive();
        assertThat(provenance.cores()).isPositive();
        assertThat(provenance.maxHeapBytes()).isPositive();
        assertThat(provenance.arguments()).containsExactly("engine");
        assertThat(provenance.seed()).isEqualTo(42);
        assertThat(provenance.startTime()).isEqualTo("1970-01-01T00:00:00Z");
    }

    @Test
    void provenanceNamesNoHost() throws IOException {
        String hostName = InetAddress.getLocalHost().getHostName();
        String json = Json.toJson(Provenance.capture(List.of(), 0, Instant.EPOCH));

        // Very short names could occur by chance in a version or CPU string.
        if (hostName.length() >= 6) {
            assertThat(json).doesNotContain(hostName);
        }
        assertThat(json).doesNotContainIgnoringCase("host");
    }

    @Test
    void speedEnvironmentKeepsOnlyTheSettingsThatChangeSpeed() {
        Map<String, String> env = Map.of(
                "MALLOC_ARENA_MAX", "1",
                "MALLOC_TRIM_THRESHOLD_", "4294967296",
                "OMP_NUM_THREADS", "2",
                "HOME", "/home/someone",
                "HOSTNAME", "build-box");

        assertThat(Provenance.speedEnvironment(env)).containsExactly(
                Map.entry("MALLOC_ARENA_MAX", "1"),
                Map.entry("MALLOC_TRIM_THRESHOLD_", "4294967296"),
                Map.entry("OMP_NUM_THREADS", "2"));
    }

    @Test
    void runsStartingInTheSameSecondGetTheirOwnFolders() {
        Instant start = Instant.parse("2026-11-24T10:15:30.250Z");

        Path first = RunFiles.newRunFolder(dir, "train", start);
        Path second = RunFiles.newRunFolder(dir, "train", start.plusMillis(100));

        assertThat(first).isEqualTo(dir.resolve("train/20261124-101530")).isEmptyDirectory();
        assertThat(second).isEqualTo(dir.resolve("train/20261124-101530-2")).isEmptyDirectory();
    }
}
