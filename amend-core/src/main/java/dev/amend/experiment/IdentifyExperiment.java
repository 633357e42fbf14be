package dev.amend.experiment;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.data.scenario.CorruptedData;
import dev.amend.identify.IdentificationMetrics;
import dev.amend.identify.Identifiers;
import dev.amend.identify.Ranking;
import dev.amend.provenance.Provenance;
import dev.amend.provenance.RunFiles;
import dev.amend.report.ImageGrid;
import dev.amend.report.LinePlot;
import dev.amend.report.Table;
import dev.amend.run.IdentifyRun;
import dev.amend.run.TrainRun;
import dev.amend.run.TrainRunResult;
import dev.amend.run.format.TrainMetrics;
import dev.amend.run.format.TrainRunSpec;
import dev.amend.train.TrainConfig;
import dev.amend.util.AtomicFolders;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * [T22] Fig. 2(c, d) and Fig. 7 (docs/methods.md 4.3): for each of several seeds, train a base
 * model by the paper's protocol ({@link TrainRun}), score its training set with every
 * identification method for the failure query set F_q, and measure frac(k), the fraction of
 * corrupted examples among the k most harmful, on a log grid of k, plus the ROC-AUC. The
 * curves are averaged over the seeds (mean and sample standard deviation) and drawn with the
 * oracle dashed; the 16 most and least harmful examples of the first seed by EWC-influence are
 * shown as image grids. A method that fails on a seed (CG meeting negative curvature, LiSSA
 * diverging) is recorded with its message and left out of that seed's average, so that one
 * failure does not discard the other methods' hours of work.
 */
public final class IdentifyExperiment {
    public static final String RESULTS = "results.json";
    public static final String TABLE = "table.md";
    public static final String FIG_2C = "fig2c.png";
    public static final String FIG_2D_MOST = "fig2d-most-harmful.png";
    public static final String FIG_2D_LEAST = "fig2d-least-harmful.png";
    /** The methods of [T22] Fig. 2(c); SGD-influence with an auxiliary SGD model (the base models use Adam). */
    public static final List<String> DEFAULT_METHODS = List.of(Identifiers.EWC_INFLUENCE, Identifiers.INFLUENCE_CG,
            Identifiers.INFLUENCE_LISSA, Identifiers.SGD_INFLUENCE, Identifiers.RANDOM, Identifiers.ORACLE);
    /** Images per grid, as in [T22] Fig. 2(d). */
    static final int GRID_IMAGES = 16;
    /** Log-grid steps within a decade: dense enough for a smooth curve, round enough to read. */
    private static final int[] GRID_STEPS = {10, 15, 20, 30, 50, 70};
    /** The k shown in the printed table. */
    private static final int[] TABLE_KS = {10, 50, 100, 500, 1000};

    private IdentifyExperiment() {
    }

    /**
     * What the experiment is given, written as spec.json.
     *
     * @param base the base-model protocol of the first repetition; repetition r uses the seed
     *     {@code base.seed() + r} for everything (training scheme included)
     * @param seeds the number of repetitions
     * @param varyDataSeed draw the MNIST pool with each repetition's seed ([T22] varies the data
     *     subset between runs) instead of {@code base.dataSeed()}
     * @param methods method names ({@link Identifiers#NAMES})
     * @param kMax the largest k of the curves (capped at N)
     * @param options method settings, each applied to the methods that use it
     */
    public record Spec(TrainRunSpec base, int seeds, boolean varyDataSeed, List<String> methods, int kMax,
            Identifiers.Options options) {

        public Spec {
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(options, "options");
            if (seeds < 1) {
                throw new AmendException("the number of seeds must be at least 1, got " + seeds);
            }
            if (kMax < 1) {
                throw new AmendException("k-max must be at least 1, got " + kMax);
            }
            if (methods == null || methods.isEmpty()) {
                throw new AmendException("name at least one identification method");
            }
            List<String> canonical = new ArrayList<>();
            for (String m : methods) {
                String name = Identifiers.canonical(m);
                if (canonical.contains(name)) {
                    throw new AmendException("method " + name + " is listed twice");
                }
                canonical.add(name);
            }
            methods = List.copyOf(canonical);
            for (String m : methods) {
                // Validates names early; each method takes its own settings record.
                Identifiers.create(m, options, 0);
            }
        }

        /**
         * The paper's setting: the data's base-model protocol (3,000-digit MNIST pool, 90/10
         * split, paper CNN, Adam with early stopping on validation loss) for {@code scenario},
         * every method of Fig. 2(c), k up to 1,000.
         */
        public static Spec paper(String data, String scenario, String model, long firstSeed, int seeds) {
            TrainRunSpec base = TrainRunSpec.paper(data, scenario, model, firstSeed)
                    .withTrain(TrainConfig.baseDefaults(firstSeed));
            return new Spec(base, seeds, true, DEFAULT_METHODS, 1000, Identifiers.Options.defaults());
        }

        /** The run spec of repetition {@code r} (0-based). */
        public TrainRunSpec runSpec(int r) {
            long seed = base.seed() + r;
            long dataSeed = varyDataSeed ? seed : base.dataSeed();
            return new TrainRunSpec(base.data(), base.poolSize(), dataSeed, base.scenario(), base.model(),
                    base.modelOptions(), seed, base.valFraction(), base.l2(), base.precision(),
                    base.train().withSeed(seed), base.exactOptimum());
        }
    }

    /**
     * One repetition's base model.
     *
     * @param seed the run's seed
     * @param dataSeed the seed of the data draw
     * @param trainSize N = |D|
     * @param corrupted M, the corrupted examples in D
     * @param testAccuracy theta*'s accuracy on T
     * @param failures |F|
     * @param query |F_q|
     * @param failuresByClass F by true class (Fig. 2b)
     * @param trainingSeconds the base model's training time
     */
    public record SeedRun(long seed, long dataSeed, int trainSize, int corrupted, double testAccuracy, int failures,
            int query, List<TrainMetrics.ClassCount> failuresByClass, double trainingSeconds) {
    }

    /**
     * One method on one repetition.
     *
     * @param method the method
     * @param seed the repetition's seed
     * @param seconds identification seconds (docs/methods.md 4.3); NaN if it failed
     * @param rocAuc ROC-AUC of the scores against the corruption mask
     * @param fractions frac(k) at the experiment's k grid (NaN where k &gt; N)
     * @param settings the method's resolved settings (the auxiliary SGD model's included)
     * @param error the one-line message if the method failed, else null
     */
    public record MethodRun(String method, long seed, double seconds, double rocAuc, double[] fractions,
            Map<String, Object> settings, String error) {
    }

    /**
     * A method over all repetitions: mean and sample standard deviation (0 for one repetition)
     * over the repetitions where it succeeded.
     *
     * @param auxiliarySeconds for sgd-influence: mean training time of the auxiliary model (not
     *     in {@code meanSeconds}); else NaN
     */
    public record MethodSummary(String method, int runs, double[] meanFraction, double[] stdFraction, double meanRocAuc,
            double stdRocAuc, double meanSeconds, double stdSeconds, double auxiliarySeconds, List<String> errors) {
    }

    /** results.json: the k grid, the base models, the aggregated and the per-seed results. */
    public record Report(int[] ks, List<SeedRun> seeds, List<MethodSummary> summary, List<MethodRun> runs) {
    }

    /**
     * What {@link #run} produced: the report, and for the figures of the first repetition its
     * training set, ground truth and EWC-influence ranking (null without ewc-influence).
     */
    public record Result(Spec spec, Report report, ExampleSet firstTrain, CorruptedData firstCorruption,
            Ranking firstEwcRanking) {
    }

    /** Runs every repetition; user errors in the spec surface before the first model trains. */
    public static Result run(Spec spec, TrainRun.Listener listener) {
        List<SeedRun> seeds = new ArrayList<>();
        List<MethodRun> runs = new ArrayList<>();
        int[] ks = null;
        ExampleSet firstTrain = null;
        CorruptedData firstCorruption = null;
        Ranking firstEwc = null;
        for (int r = 0; r < spec.seeds(); r++) {
            TrainRunSpec runSpec = spec.runSpec(r);
            long seed = runSpec.seed();
            listener.stage("seed " + seed + " (" + (r + 1) + " of " + spec.seeds() + "): base model");
            try (TrainRunResult trained = TrainRun.run(runSpec, listener)) {
                IdentifyRun.Source source = IdentifyRun.Source.of(trained);
                if (ks == null) {
                    ks = kGrid(Math.min(spec.kMax(), trained.train().size()));
                }
                seeds.add(seedRun(trained));
                listener.stage(String.format(Locale.ROOT, "seed %d: test accuracy %.4f, |F| %d, |F_q| %d, %d of %d"
                        + " training examples corrupted", seed, trained.metrics().test().accuracy(),
                        trained.failures().failures().length, trained.failures().query().length,
                        trained.corruption().corruptedCount(), trained.train().size()));
                for (String method : spec.methods()) {
                    Scored scored = score(spec, source, method, seed, ks, listener);
                    runs.add(scored.run());
                    if (r == 0 && method.equals(Identifiers.EWC_INFLUENCE)) {
                        firstEwc = scored.ranking();
                    }
                }
                if (r == 0) {
                    firstTrain = trained.train();
                    firstCorruption = trained.corruption();
                }
            }
        }
        Report report = new Report(ks, seeds, summarise(spec.methods(), runs, ks.length), runs);
        return new Result(spec, report, firstTrain, firstCorruption, firstEwc);
    }

    /** A method's record and its ranking (null if it failed). */
    private record Scored(MethodRun run, Ranking ranking) {
    }

    private static Scored score(Spec spec, IdentifyRun.Source source, String method, long seed, int[] ks,
            TrainRun.Listener listener) {
        // Base models are trained with Adam, so SGD-influence scores with an auxiliary SGD model (docs/methods.md 2(c)).
        boolean auxiliary = Identifiers.needsTrajectory(method) && source.trajectory() == null;
        try {
            IdentifyRun.Result r = IdentifyRun.identify(source, source.query(), method, spec.options(),
                    auxiliary, null, seed, listener);
            IdentificationMetrics metrics = new IdentificationMetrics(r.ranking(), source.noisy());
            double[] fractions = new double[ks.length];
            for (int j = 0; j < ks.length; j++) {
                fractions[j] = ks[j] <= metrics.size() ? metrics.fractionInTopK(new int[] {ks[j]})[0] : Double.NaN;
            }
            listener.stage(String.format(Locale.ROOT, "seed %d: %s in %.1f s, ROC-AUC %.3f, frac(%d) %.3f", seed, method,
                    r.seconds(), metrics.rocAuc(), ks[ks.length - 1], fractions[ks.length - 1]));
            return new Scored(new MethodRun(method, seed, r.seconds(), metrics.rocAuc(), fractions, r.settings(), null),
                    r.ranking());
        } catch (AmendException e) {
            listener.stage("seed " + seed + ": " + method + " failed: " + e.getMessage());
            double[] none = new double[ks.length];
            Arrays.fill(none, Double.NaN);
            return new Scored(new MethodRun(method, seed, Double.NaN, Double.NaN, none, Map.of(), e.getMessage()), null);
        }
    }

    private static SeedRun seedRun(TrainRunResult run) {
        TrainMetrics m = run.metrics();
        return new SeedRun(run.spec().seed(), run.spec().dataSeed(), run.train().size(),
                run.corruption().corruptedCount(), m.test().accuracy(), m.failures().failures(), m.failures().query(),
                m.failures().byClass(), m.training().seconds());
    }

    /**
     * k = 1, 1.5, 2, 3, 5, 7 times the powers of ten up to {@code kMax}, rounded, and {@code kMax}
     * itself: about six points per decade of the log axis.
     */
    static int[] kGrid(int kMax) {
        return kGrid(kMax, GRID_STEPS);
    }

    /**
     * k = step/10 times the powers of ten up to {@code kMax} for each of {@code steps} (in
     * tenths), rounded down, and {@code kMax} itself.
     */
    public static int[] kGrid(int kMax, int[] steps) {
        TreeSet<Integer> ks = new TreeSet<>();
        for (long decade = 1; decade <= kMax; decade *= 10) {
            for (int step : steps) {
                long k = decade * step / 10;
                if (k >= 1 && k <= kMax) {
                    ks.add((int) k);
                }
            }
        }
        ks.add(kMax);
        return ks.stream().mapToInt(Integer::intValue).toArray();
    }

    private static List<MethodSummary> summarise(List<String> methods, List<MethodRun> runs, int points) {
        List<MethodSummary> out = new ArrayList<>();
        for (String method : methods) {
            List<MethodRun> ok = runs.stream().filter(r -> r.method().equals(method) && r.error() == null).toList();
            double[] mean = new double[points];
            double[] std = new double[points];
            for (int j = 0; j < points; j++) {
                int index = j;
                Stats.Stat stat = Stats.of(ok.stream().mapToDouble(r -> r.fractions()[index]).toArray());
                mean[j] = stat.mean();
                std[j] = stat.std();
            }
            Stats.Stat auc = Stats.of(ok.stream().mapToDouble(MethodRun::rocAuc).toArray());
            Stats.Stat seconds = Stats.of(ok.stream().mapToDouble(MethodRun::seconds).toArray());
            double[] auxiliary = ok.stream().map(r -> r.settings().get("auxiliary_model"))
                    .filter(a -> a instanceof Map<?, ?>)
                    .mapToDouble(a -> ((Number) ((Map<?, ?>) a).get("training_seconds")).doubleValue()).toArray();
            List<String> errors = runs.stream().filter(r -> r.method().equals(method) && r.error() != null)
                    .map(r -> "seed " + r.seed() + ": " + r.error()).toList();
            out.add(new MethodSummary(method, ok.size(), mean, std, auc.mean(), auc.std(), seconds.mean(),
                    seconds.std(), Stats.of(auxiliary).mean(), errors));
        }
        return out;
    }

    /**
     * The printed table: one row per method, frac(k) as mean ± std at a few k, ROC-AUC and
     * identification seconds.
     */
    public static Table table(Report report) {
        int[] ks = report.ks();
        List<Integer> columns = new ArrayList<>();
        for (int j = 0; j < ks.length; j++) {
            int k = ks[j];
            if (Arrays.stream(TABLE_KS).anyMatch(t -> t == k) || j == ks.length - 1) {
                columns.add(j);
            }
        }
        List<String> header = new ArrayList<>(List.of("method", "runs"));
        columns.forEach(j -> header.add("frac(" + ks[j] + ")"));
        header.addAll(List.of("ROC-AUC", "seconds"));
        Table table = new Table(header.toArray(String[]::new));
        for (MethodSummary s : report.summary()) {
            List<Object> row = new ArrayList<>(List.of(s.method(), s.runs()));
            columns.forEach(j -> row.add(Stats.format(s.meanFraction()[j], s.stdFraction()[j], 3)));
            row.add(Stats.format(s.meanRocAuc(), s.stdRocAuc(), 3));
            row.add(Stats.format(s.meanSeconds(), s.stdSeconds(), 1));
            table.addRow(row.toArray());
        }
        return table;
    }

    /**
     * Writes spec.json, provenance.json, {@value #RESULTS}, {@value #TABLE}, {@value #FIG_2C} and,
     * with EWC-influence, {@value #FIG_2D_MOST} and {@value #FIG_2D_LEAST} into {@code folder},
     * all or nothing. An earlier experiment folder there is replaced; any other non-empty folder
     * is refused.
     */
    public static void write(Path folder, Result result, Provenance provenance) {
        AtomicFolders.write(folder, "experiment folder", IdentifyExperiment::isExperimentFolder, tmp -> {
            RunFiles.writeSpec(tmp, result.spec());
            RunFiles.writeProvenance(tmp, provenance);
            RunFiles.writeJson(tmp.resolve(RESULTS), result.report());
            Files.writeString(tmp.resolve(TABLE), table(result.report()).toMarkdown());
            plot(result).writePngAndSvg(tmp.resolve(FIG_2C));
            // Image grids show grey or RGB images; feature vectors and other channel counts get none.
            if (result.firstEwcRanking() != null && (result.firstTrain().channels() == 1
                    || result.firstTrain().channels() == 3)) {
                int[] order = result.firstEwcRanking().order();
                int count = Math.min(GRID_IMAGES, order.length);
                int[] most = Arrays.copyOf(order, count);
                int[] least = new int[count];
                for (int i = 0; i < count; i++) {
                    least[i] = order[order.length - 1 - i];
                }
                grid(result, most, "Most harmful by EWC-influence (seed " + result.spec().base().seed() + ")")
                        .write(tmp.resolve(FIG_2D_MOST));
                grid(result, least, "Least harmful by EWC-influence (seed " + result.spec().base().seed() + ")")
                        .write(tmp.resolve(FIG_2D_LEAST));
            }
        });
    }

    /** Whether {@code folder} holds an experiment written by {@link #write}. */
    public static boolean isExperimentFolder(Path folder) {
        return Files.isRegularFile(folder.resolve(RunFiles.SPEC)) && Files.isRegularFile(folder.resolve(RESULTS));
    }

    /** Fig. 2(c): frac(k) against k on a log axis, mean ± std bands, the oracle dashed. */
    static LinePlot plot(Result result) {
        Report report = result.report();
        double[] x = Arrays.stream(report.ks()).asDoubleStream().toArray();
        String data = result.spec().base().data();
        String scenario = result.spec().base().scenario();
        // Paths of custom data and scenario parameters would run past the image's edge; the spec has them.
        String what = (data.length() <= 16 ? data + ", " : "") + scenario.split(":", 2)[0] + ", " + report.seeds().size()
                + (report.seeds().size() == 1 ? " seed" : " seeds");
        LinePlot.Builder plot = LinePlot.builder()
                .optTitle("Corrupted examples among the top-k (" + what + ")")
                .optXLabel("k (most harmful training examples)")
                .optYLabel("fraction corrupted in top-k")
                .optLogX(true)
                .optYRange(0, 1);
        for (MethodSummary s : report.summary()) {
            if (s.runs() == 0) {
                continue;
            }
            LinePlot.Series series = LinePlot.Series.band(s.method(), x, s.meanFraction(), s.stdFraction());
            if (s.method().equals(Identifiers.ORACLE)) {
                series = series.withStyle(LinePlot.Style.DASHED).withColor(Color.BLACK);
            }
            plot.addSeries(series);
        }
        return plot.build();
    }

    /** Fig. 2(d) / Fig. 7: captions "7 (was 1) r=0.83" for a changed label, "7 r=-0.01" otherwise. */
    private static ImageGrid grid(Result result, int[] positions, String title) {
        ExampleSet train = result.firstTrain();
        CorruptedData truth = result.firstCorruption();
        Ranking ranking = result.firstEwcRanking();
        List<String> names = train.classNames();
        List<String> captions = new ArrayList<>();
        for (int i : positions) {
            String label = names.get(train.label(i));
            String was = truth.isLabelChanged(i) ? " (was " + names.get(truth.originalLabel(i)) + ")"
                    : truth.isCorrupted(i) ? " (corrupted)" : "";
            captions.add(String.format(Locale.ROOT, "%s%s r=%.3g", label, was, ranking.score(i)));
        }
        return ImageGrid.builder(train).setIndices(positions).optCaptions(captions).optTitle(title).build();
    }
}
