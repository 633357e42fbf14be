package dev.amend.cli;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.amend.bench.TrainBench;
import dev.amend.provenance.Provenance;
import dev.amend.provenance.RunFiles;
import dev.amend.train.EpochRecord;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code amend bench train}: seconds per training epoch of the paper's CNN on the 3,000-digit
 * MNIST pool, with {@link TrainBench}.
 */
@Command(name = "train",
        description = {
            "Time training epochs of paper-cnn on the embedded MNIST pool of 3000 digits (batch 64, Adam) and",
            "print the median, minimum and maximum seconds per epoch; writes bench-train.json."
        })
final class BenchTrainCommand implements Callable<Integer> {
    static final String FILE = "bench-train.json";

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "5",
            description = "Timed epochs per repeat, after one warm-up epoch (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "3",
            description = "Repeats, each with a fresh model (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--full",
            description = "Also train a full early-stopped run (90/10 split, scenario none) and report its test accuracy.")
    boolean full;

    @Mixin
    SeedOptions seed;

    @Mixin
    ThreadOptions threads;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    /** Everything bench-train.json holds: the bench's numbers and what it ran on. */
    record Report(@JsonUnwrapped TrainBench.Result result, Provenance provenance) {
    }

    @Override
    public Integer call() {
        Instant start = Instant.now();
        Provenance provenance = RunOutput.provenance(spec, seed.seed(), start);
        TrainProgress progress = new TrainProgress(output);
        TrainBench.Result result = TrainBench.run("mnist", epochs, repeats, full, seed.seed(), new TrainBench.Listener() {
            @Override
            public void timedEpoch(int repeat, int repeats, EpochRecord record, int maxEpochs, boolean warmup) {
                output.progress("repeat %d/%d epoch %d/%d: %.3f s%s", repeat, repeats, record.epoch(), maxEpochs,
                        record.seconds(), warmup ? " (warm-up, not counted)" : "");
            }

            @Override
            public void stage(String message) {
                progress.stage(message);
            }

            @Override
            public void epoch(String what, EpochRecord record, int maxEpochs) {
                progress.epoch(what, record, maxEpochs);
            }
        });
        Report report = new Report(result, provenance);
        Path folder = RunOutput.folder(output, "bench-train");
        RunFiles.writeJson(folder.resolve(FILE), report);
        print(spec.commandLine().getOut(), report, folder.resolve(FILE));
        return 0;
    }

    private static void print(PrintWriter out, Report report, Path file) {
        TrainBench.Result r = report.result();
        TrainBench.Settings s = r.settings();
        out.printf(Locale.ROOT, "paper-cnn on the MNIST pool of %d images, batch %d, Adam %s, %d threads%n", s.images(),
                s.batchSize(), s.learningRate(), s.threads());
        out.printf(Locale.ROOT, "%d timed epochs after %d warm-up epoch, %d repeats; load average %s at start, %s at end%n",
                s.epochs(), s.warmupEpochs(), s.repeats(), load(r.loadAverageStart()), load(r.loadAverageEnd()));
        out.printf(Locale.ROOT, "%-8s %14s %8s %8s%n", "repeat", "median s/epoch", "min", "max");
        for (int i = 0; i < r.epochSeconds().size(); i++) {
            List<Double> times = r.epochSeconds().get(i);
            out.printf(Locale.ROOT, "%-8d %14.3f %8.3f %8.3f%n", i + 1, r.repeatMedians().get(i),
                    times.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                    times.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
        }
        out.printf(Locale.ROOT, "%-8s %14.3f %8.3f %8.3f%n", "all", r.median(), r.min(), r.max());
        out.printf(Locale.ROOT, "target   <= %.2f s/epoch (%s): %s%n", r.targetSeconds(), r.reference(),
                r.met() ? "met" : "not met");
        Map<String, String> environment = report.provenance().environment();
        out.printf("malloc   %s%n", environment.keySet().stream().anyMatch(k -> k.startsWith("MALLOC_"))
                ? environment.entrySet().stream().filter(e -> e.getKey().startsWith("MALLOC_"))
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "))
                // Without the tuning libtorch training runs about 3x slower; the ./amend launcher sets it.
                : "not tuned (start amend through ./amend to get the speed it is meant to have)");
        if (r.full() != null) {
            out.printf(Locale.ROOT, "full run test accuracy %.4f after %d epochs (best %d), %.1f s%n",
                    r.full().testAccuracy(), r.full().epochsRun(), r.full().bestEpoch(), r.full().seconds());
        }
        out.printf("wrote    %s%n", file);
        out.flush();
    }

    private static String load(Double value) {
        return value == null ? "unknown" : String.format(Locale.ROOT, "%.2f", value);
    }
}
