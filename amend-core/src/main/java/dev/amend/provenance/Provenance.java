package dev.amend.provenance;

import dev.amend.util.OutputOwner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a run ran on, written as {@code provenance.json} beside its results so that a number
 * can be traced to the software, machine and settings that produced it. It names no host and
 * no user: run folders are meant to be shared.
 *
 * @param amendVersion  amend's version, {@link AmendVersion#UNKNOWN} outside a built jar
 * @param amendSource   the source revision the jar was built from, as the {@code ./amend} launcher
 *                      passes it (git commit, "-dirty" with uncommitted changes), or null where
 *                      amend runs without it
 * @param javaVersion   {@code java.version}
 * @param javaVendor    {@code java.vendor}
 * @param os            operating system name and kernel version
 * @param arch          CPU architecture as Java reports it
 * @param cores         processors available to the JVM
 * @param maxHeapBytes  the JVM's heap limit
 * @param cpu           the CPU model, or "unknown" where the OS does not say
 * @param memoryBytes   the machine's physical memory, or 0 where the OS does not say
 * @param engine        the deep-learning engine and its thread counts
 * @param environment   environment variables that change speed (glibc malloc tunables, OpenMP
 *                      threads, preloaded allocators), only those that are set
 * @param command       the amend command that ran ("train", "experiment identify"), or null
 *                      outside the command line; a command replaces only output folders whose
 *                      provenance names it (see {@link dev.amend.util.OutputOwner})
 * @param arguments     the command-line arguments of the run
 * @param seed          the run's random seed
 * @param startTime     when the run started, ISO-8601 in UTC
 */
public record Provenance(
        String amendVersion,
        String amendSource,
        String javaVersion,
        String javaVendor,
        String os,
        String arch,
        int cores,
        long maxHeapBytes,
        String cpu,
        long memoryBytes,
        EngineInfo engine,
        SortedMap<String, String> environment,
        String command,
        List<String> arguments,
        long seed,
        String startTime) {

    public Provenance {
        environment = new TreeMap<>(environment);
        arguments = List.copyOf(arguments);
    }

    /**
     * Describes this process for a run with the given arguments and seed. Loads the engine if
     * it is not loaded yet (see {@link EngineInfo#load()}).
     */
    public static Provenance capture(List<String> arguments, long seed, Instant startTime) {
        return capture(OutputOwner.commandOf(arguments), arguments, seed, startTime);
    }

    /** As {@link #capture(List, long, Instant)}, naming the command that runs. */
    public static Provenance capture(String command, List<String> arguments, long seed, Instant startTime) {
        Runtime runtime = Runtime.getRuntime();
        return new Provenance(
                AmendVersion.current(),
                AmendVersion.source(),
                System.getProperty("java.version"),
                System.getProperty("java.vendor"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("os.arch"),
                runtime.availableProcessors(),
                runtime.maxMemory(),
                readCpuModel().orElse("unknown"),
                readMemoryBytes().orElse(0L),
                EngineInfo.load(),
                speedEnvironment(System.getenv()),
                command,
                arguments,
                seed,
                startTime.toString());
    }

    /**
     * The variables of {@code env} that change how fast libtorch runs: glibc reads the malloc
     * tunables only at process start, so a slow run is explained by their absence here.
     */
    public static SortedMap<String, String> speedEnvironment(Map<String, String> env) {
        SortedMap<String, String> seen = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("MALLOC_") || name.equals("GLIBC_TUNABLES") || name.equals("OMP_NUM_THREADS")
                    || name.equals("LD_PRELOAD")) {
                seen.put(name, value);
            }
        });
        return seen;
    }

    // Linux only; elsewhere the field says "unknown" rather than failing the run.
    private static Optional<String> readCpuModel() {
        return procField("/proc/cpuinfo", "model name");
    }

    private static Optional<Long> readMemoryBytes() {
        // "MemTotal:       16318588 kB"
        return procField("/proc/meminfo", "MemTotal").map(v -> Long.parseLong(v.replaceAll("[^0-9]", "")) * 1024L);
    }

    private static Optional<String> procField(String file, String key) {
        try (Stream<String> lines = Files.lines(Path.of(file))) {
            return lines.filter(line -> line.startsWith(key))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .filter(value -> !value.isEmpty())
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
