package dev.amend.cli;

import dev.amend.provenance.EngineInfo;
import dev.amend.provenance.Provenance;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code amend engine}: loads libtorch the way every other command will, and says what it got. */
@Command(name = "engine",
        description = "Load the PyTorch engine (offline) and print its version, threads and memory settings.")
final class EngineCommand implements Callable<Integer> {
    @Mixin
    ThreadOptions threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        EngineInfo engine = EngineInfo.load();
        Map<String, String> environment = Provenance.speedEnvironment(System.getenv());
        PrintWriter out = spec.commandLine().getOut();
        out.printf("engine       %s %s%n", engine.name(), engine.version());
        out.printf("DJL          %s%n", engine.djlVersion());
        out.printf("threads      %d intra-op, %d inter-op%n", engine.threads(), engine.interopThreads());
        out.printf("environment  %s%n", environment.isEmpty()
                // Without these glibc settings libtorch training runs about 3x slower; the launcher sets them.
                ? "no malloc settings (start amend with the ./amend launcher for faster training)"
                : environment.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(" ")));
        out.flush();
        return 0;
    }
}
