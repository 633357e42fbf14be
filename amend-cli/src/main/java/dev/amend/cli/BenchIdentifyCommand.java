package dev.amend.cli;

import dev.amend.bench.IdentifyBench;
import dev.amend.identify.Identifiers;
import dev.amend.model.ModelHandle.Curvature;
import dev.amend.provenance.Provenance;
import dev.amend.provenance.RunFiles;
import dev.amend.report.Table;
import dev.amend.run.IdentifyRun;
import dev.amend.run.TrainRun;
import dev.amend.run.format.TrainRunSpec;
import dev.amend.train.TrainConfig;
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
 * {@code amend bench identify}: seconds per identification method on the paper's MNIST
 * label-noise run, beside [T22] Table 1, with {@link IdentifyBench}.
 */
@Command(name = "identify",
        description = {
            "Time the identification methods on the MNIST label-noise run (3000 digits, 1->7 at 45%%, paper-cnn): one "
                    + "untimed run, then the median of --repeats; printed beside the paper's Table 1 (K80 GPU) and "
                    + "the targets for this 2-core CPU, with peak memory; writes bench-identify.json.",
            "Trains the base model first unless --run names one. Linear influence runs with the Gauss-Newton matrix and "
                    + "far fewer iterations than its defaults (5 CG iterations; 50 LiSSA steps at scale 360; the table "
                    + "states them), so that it finishes in about the time of the others."
        })
final class BenchIdentifyCommand implements Callable<Integer> {
    static final String FILE = "bench-identify.json";
    /*
     * The bench's budgets for linear influence, measured on the MNIST label-noise run (seed 0) on
     * this project's 2-core machine, where one Hessian-vector product over D takes 6.4 s, a
     * Gauss-Newton product 4.0 s and one on a minibatch of 64 0.14 s (docs/benchmarks.md):
     * CG finds 90 flipped labels among its top 100 after 5 iterations (22 s with the GGN) but 15
     * after 2, and is not monotone (69 after 10); LiSSA finds 72 after 50 steps (8 s). The
     * defaults (CG to 1e-5, LiSSA 10,000 steps with an estimated scale) take many minutes here.
     */
    static final int CG_ITERATIONS = 5;
    static final int LISSA_DEPTH = 50;
    /** 1.5 x the largest eigenvalue measured for that run (239, Hessian and GGN alike): the AUTO estimate costs 20 full products. */
    static final double LISSA_SCALE = 360;
    /** The Gauss-Newton matrix: PSD, 40% cheaper than the Hessian here, and as good (90 and 89 in the top 100 with CG). */
    static final Curvature CURVATURE = Curvature.GGN;
    static final List<String> DEFAULT_METHODS = List.of(Identifiers.EWC_INFLUENCE, Identifiers.INFLUENCE_CG,
            Identifiers.INFLUENCE_LISSA, Identifiers.SGD_INFLUENCE);

    @Option(names = "--run", paramLabel = "DIR",
            description = "Time on this run folder instead of training the MNIST label-noise run first.")
    Path run;

    @Option(names = "--methods", paramLabel = "NAMES", split = ",",
            description = "Methods to time (default: ewc-influence,influence-cg,influence-lissa,sgd-influence).")
    List<String> methods = DEFAULT_METHODS;

    @Option(names = "--generic",
            description = "Time the methods on the model exported to TorchScript and opened as a black box (the path"
                    + " of a user's own PyTorch model: autograd per example and double backward; docs/models.md)"
                    + " instead of amend's own network.")
    boolean generic;

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "3",
            description = "Timed repeats per method after one untimed run (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Mixin
    IdentifierOptions methodOptions;

    @Mixin
    SeedOptions seed;

    @Mixin
    ThreadOptions threads;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    /** What the timed methods ran on. */
    record Base(String source, int trainSize, int corrupted, int query) {
    }

    /** Everything bench-identify.json holds. */
    record Report(Base base, int repeats, int threads, Identifiers.Options options, List<IdentifyBench.Timing> timings,
            Double loadAverageStart, Double loadAverageEnd, Long peakRssBytes, Provenance provenance) {
    }

    @Override
    public Integer call() {
        Instant start = Instant.now();
        Double loadStart = IdentifyBench.loadAverage();
        Provenance provenance = RunOutput.provenance(spec, seed.seed(), start);
        Identifiers.Options options = benchOptions(methodOptions);
        TrainProgress progress = new TrainProgress(output);
        Base base;
        List<IdentifyBench.Timing> timings;
        try (IdentifyRun.Source built = run != null ? IdentifyRun.Source.load(run) : trainBase(progress);
                IdentifyRun.Source source = generic ? IdentifyBench.generic(built) : null) {
            IdentifyRun.Source timed = generic ? source : built;
            base = new Base((run != null ? run.toString() : "trained: mnist, label-flip, paper-cnn, seed " + seed.seed())
                    + (generic ? "; through the generic TorchScript path" : ""),
                    timed.train().size(), timed.corruption() == null ? 0 : timed.corruption().corruptedCount(),
                    timed.defaultQuery() == null ? 0 : timed.defaultQuery().length);
            timings = IdentifyBench.run(timed, methods, options, repeats, seed.seed(), progress::stage);
        }
        Report report = new Report(base, repeats, provenance.engine().threads(), options, timings, loadStart,
                IdentifyBench.loadAverage(), IdentifyBench.peakMemoryBytes(), provenance);
        Path folder = RunOutput.folder(output, "bench-identify");
        RunFiles.writeJson(folder.resolve(FILE), report);
        print(spec.commandLine().getOut(), report, folder.resolve(FILE));
        return 0;
    }

    private IdentifyRun.Source trainBase(TrainProgress progress) {
        TrainRunSpec runSpec = TrainRunSpec.paper("mnist", "label-flip", "paper-cnn", seed.seed())
                .withTrain(TrainConfig.baseDefaults(seed.seed()));
        return IdentifyRun.Source.of(TrainRun.run(runSpec, progress));
    }

    /** The bench's budgets for CG and LiSSA ({@link #BENCH_DEFAULTS}) with the options the user gave. */
    static Identifiers.Options benchOptions(IdentifierOptions given) {
        return given.applyTo(BENCH_DEFAULTS);
    }

    /** Every method's defaults, but CG and LiSSA on the bench's budgets and curvature. */
    static final Identifiers.Options BENCH_DEFAULTS = Identifiers.Options.DEFAULTS.withLinearInfluence(
            Identifiers.Options.DEFAULTS.linearInfluence().withCurvature(CURVATURE).withCgMaxIterations(CG_ITERATIONS)
                    .withLissaScale(LISSA_SCALE).withLissaDepth(LISSA_DEPTH));

    private static void print(PrintWriter out, Report r, Path file) {
        Base b = r.base();
        out.printf("run         %s: N %d, %d corrupted, |F_q| %d%n", b.source(), b.trainSize(), b.corrupted(), b.query());
        out.printf(Locale.ROOT, "timing      %d threads, one untimed run then the median of %d; load average %s at start,"
                + " %s at end%n", r.threads(), r.repeats(), load(r.loadAverageStart()), load(r.loadAverageEnd()));
        Table table = new Table("method", "median s", "min", "max", "paper K80 s", "target s", "met",
                "top-100 corrupted", "ROC-AUC", "peak RSS MB", "settings").withDecimals(2);
        for (IdentifyBench.Timing t : r.timings()) {
            Boolean met = t.met();
            table.addRow(t.method(), t.median(), t.seconds().stream().mapToDouble(Double::doubleValue).min().orElse(0),
                    t.seconds().stream().mapToDouble(Double::doubleValue).max().orElse(0), t.paperSeconds(),
                    t.targetSeconds() == null ? null
                            : (t.method().equals(Identifiers.SGD_INFLUENCE) ? "< " : "<= ") + format(t.targetSeconds()),
                    met == null ? "-" : met ? "yes" : "no",
                    String.format(Locale.ROOT, "%d (random %.0f)", t.noisyInTopK(), t.expectedRandom()),
                    String.format(Locale.ROOT, "%.3f", t.rocAuc()),
                    t.peakRssBytes() == null ? null : String.format(Locale.ROOT, "%.0f%s", t.peakRssBytes() / 1048576.0,
                            t.peakOfMethod() ? "" : " (process)"),
                    settings(t));
        }
        out.print(table);
        for (IdentifyBench.Timing t : r.timings()) {
            if (t.auxiliarySeconds() != null) {
                out.printf(Locale.ROOT, "%s: the backward pass only; its auxiliary plain-SGD model trained in %.1f s"
                        + " beforehand (the paper's time presumably includes its own training)%n", t.method(),
                        t.auxiliarySeconds());
            }
            if (!t.phases().isEmpty()) {
                out.printf("%s phases (last repeat): %s%n", t.method(), t.phases().entrySet().stream()
                        .map(e -> e.getKey() + " " + (e.getValue() instanceof Double d ? format(d) : e.getValue()))
                        .collect(Collectors.joining(", ")));
            }
        }
        out.printf(Locale.ROOT, "peak RSS    %.0f MB (whole process)%n",
                r.peakRssBytes() == null ? Double.NaN : r.peakRssBytes() / 1048576.0);
        Map<String, String> environment = r.provenance().environment();
        if (environment.keySet().stream().noneMatch(k -> k.startsWith("MALLOC_"))) {
            // Without the tuning libtorch runs 2-3x slower; the ./amend launcher sets it.
            out.println("malloc      not tuned (start amend through ./amend to get the speed it is meant to have)");
        }
        out.printf("wrote       %s%n", file);
        out.flush();
    }

    /** The settings that decide the time, in a few words. */
    private static String settings(IdentifyBench.Timing t) {
        Map<String, Object> s = t.settings();
        return switch (t.method()) {
            case Identifiers.INFLUENCE_CG -> "cg " + s.get("cg_max_iterations") + " it, damping " + s.get("damping") + ", "
                    + s.get("curvature");
            case Identifiers.INFLUENCE_LISSA -> "depth " + s.get("lissa_depth") + ", scale " + s.get("lissa_scale")
                    + ", d " + s.get("lissa_damping") + ", batch " + s.get("lissa_batch") + ", " + s.get("curvature");
            case Identifiers.SGD_INFLUENCE -> "last epochs " + s.get("last_epochs");
            case Identifiers.EWC_INFLUENCE -> "lambda " + s.get("lambda") + ", Adam 1e-3, patience " + s.get("patience");
            default -> "";
        };
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.3g", value);
    }

    private static String load(Double value) {
        return value == null ? "unknown" : String.format(Locale.ROOT, "%.2f", value);
    }
}
