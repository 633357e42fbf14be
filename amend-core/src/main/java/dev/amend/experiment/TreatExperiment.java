package dev.amend.experiment;

import dev.amend.AmendException;
import dev.amend.experiment.Stats.Stat;
import dev.amend.identify.CauseSelection;
import dev.amend.identify.Identifiers;
import dev.amend.provenance.Provenance;
import dev.amend.provenance.RunFiles;
import dev.amend.report.LinePlot;
import dev.amend.report.Table;
import dev.amend.run.LoadedRun;
import dev.amend.run.Repair;
import dev.amend.run.RepairInput;
import dev.amend.run.RepairMemo;
import dev.amend.run.TrainRun;
import dev.amend.run.TrainedRun;
import dev.amend.run.format.RepairMetrics;
import dev.amend.run.format.RunDirectory;
import dev.amend.run.format.TrainRunSpec;
import dev.amend.treat.Treatment;
import dev.amend.treat.TreatmentFactory;
import dev.amend.util.AtomicFolders;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * The treatment experiments of [T22] on the label-noise scenario (docs/methods.md 4.3), each over
 * several base runs (seeds), reported as mean and standard deviation:
 * <ul>
 *   <li>{@link Kind#TREAT_K} (Fig. 3): remove the top k of each identification method's ranking
 *       (k on a log grid) and fine-tune on D\C; accuracy on F_q, F_h and T\F against k.
 *       References: random removal (the method {@code random}) and the semi-oracle, which
 *       removes exactly the corrupted examples.</li>
 *   <li>{@link Kind#TRADEOFF} (Fig. 5): C = the top 15% of D by EWC-influence; EWC-deletion
 *       and Newton removal (the paper's step, Eq. 14) over a gamma sweep, each a point
 *       (F_h accuracy, T\F accuracy); fine-tuning on D\C as the reference point.</li>
 *   <li>{@link Kind#FINETUNE} (Fig. 9): on the same C, fine-tuning on F_q with the L2 pull
 *       (mu sweep) against fine-tuning on D\C and their combination (mu sweep).</li>
 * </ul>
 * Every point also records theta*'s accuracies (series {@value #BEFORE}), for reference.
 */
public final class TreatExperiment {
    /** The series of theta* itself. */
    public static final String BEFORE = "theta*";
    /** The series of Fig. 3's reference that removes exactly the corrupted examples. */
    public static final String SEMI_ORACLE = "semi-oracle";
    public static final String RESULTS = "results.json";
    public static final String TABLE = "table.md";
    /** Fig. 3: log-spaced, the grid of {@code --top-k auto} (so its choice is read off the same repairs). */
    public static final List<Integer> DEFAULT_KS = Repair.AUTO_GRID;
    /** Random removals per base run and k, each paired with the same base run. */
    public static final int DEFAULT_RANDOM_DRAWS = 3;
    /** The suffix of the series that picks k per base run as {@code --top-k auto} does. */
    public static final String AUTO_SUFFIX = " auto";
    /**
     * Fig. 3's methods that finish in minutes on a CPU with their defaults; influence-cg and
     * influence-lissa need budgets (a full Hessian product over the MNIST D takes seconds).
     */
    public static final List<String> DEFAULT_METHODS = List.of(Identifiers.EWC_INFLUENCE, Identifiers.RANDOM);
    /**
     * Fig. 5: decades around the paper's range [0.01, 0.05], far enough to reach both cliffs and
     * the textbook steps (docs/treatment.md).
     */
    public static final List<Double> DEFAULT_GAMMAS = List.of(0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 100.0,
            1000.0);
    /** Fig. 9: the paper gives no grid; docs/methods.md 3(d). */
    public static final List<Double> DEFAULT_MUS = List.of(0.01, 0.1, 1.0, 10.0);
    public static final double DEFAULT_FRACTION = 0.15;

    /** Which figure. */
    public enum Kind {
        TREAT_K("treat-k"), TRADEOFF("tradeoff"), FINETUNE("finetune");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        /** The name of the experiment's command. */
        public String text() {
            return text;
        }
    }

    /**
     * What an experiment is given (its spec.json).
     *
     * @param kind the figure
     * @param base the base-model protocol of the first repetition (data, scenario, model, seed)
     * @param seeds how many base runs, with the seeds base.seed(), base.seed() + 1, ...
     * @param varyDataSeed draw the MNIST pool with each repetition's seed ([T22] varies the data
     *     subset between runs) instead of {@code base.dataSeed()}
     * @param runs existing run folders to use instead of training base runs (then their number
     *     replaces {@code seeds})
     * @param ks Fig. 3: the numbers of removed examples (those above N are skipped)
     * @param methods Fig. 3: the identification methods
     * @param methodOptions Fig. 3: their settings (each method takes its own record;
     *     {@link Identifiers.Options#DEFAULTS} for the defaults)
     * @param gammas Fig. 5: the deletion strengths
     * @param mus Fig. 9: the L2 weights
     * @param fraction Fig. 5 and 9: the top fraction of D removed ([T22] Section 4.2: 15%)
     * @param maxEpochs a cap on the epochs of every treatment
     * @param randomDraws Fig. 3: how many random removals per base run and k (method {@code random})
     * @param startCandidate whether theta* competes in the early stopping of every treatment but
     *     Newton removal ({@link TreatmentFactory#DEFAULT_START_CANDIDATE} unless a user asks)
     */
    public record Spec(Kind kind, TrainRunSpec base, int seeds, boolean varyDataSeed, List<String> runs,
            List<Integer> ks, List<String> methods, Identifiers.Options methodOptions, List<Double> gammas,
            List<Double> mus, double fraction, int maxEpochs, int randomDraws, boolean startCandidate) {

        public Spec {
            Objects.requireNonNull(methodOptions, "methodOptions");
            runs = runs == null ? List.of() : List.copyOf(runs);
            ks = List.copyOf(ks);
            methods = methods.stream().map(Identifiers::canonical).toList();
            gammas = List.copyOf(gammas);
            mus = List.copyOf(mus);
            if (runs.isEmpty() && seeds < 1) {
                throw new AmendException("--seeds must be at least 1, got " + seeds);
            }
            if (ks.isEmpty() || ks.stream().anyMatch(k -> k < 1)) {
                throw new AmendException("every k must be at least 1, got " + ks);
            }
            if (methods.isEmpty()) {
                throw new AmendException("no identification method given");
            }
            if (methods.contains(Identifiers.SGD_INFLUENCE)) {
                throw new AmendException("sgd-influence needs a recorded plain-SGD trajectory, which these experiments do"
                        + " not record; amend experiment identify compares it");
            }
            if (gammas.isEmpty() || mus.isEmpty()) {
                throw new AmendException("the gamma and mu grids must not be empty");
            }
            CauseSelection.topFraction(fraction);
            if (maxEpochs < 0) {
                throw new AmendException("--epochs must be at least 0, got " + maxEpochs);
            }
            if (randomDraws < 1) {
                throw new AmendException("--random-draws must be at least 1, got " + randomDraws);
            }
        }

        /** The treatment {@code name} of this experiment with the base run's seed. */
        TreatmentFactory.Builder treatment(String name, long seed) {
            TreatmentFactory.Builder b = TreatmentFactory.builder(name).optSeed(seed).optMaxEpochs(maxEpochs);
            return TreatmentFactory.takes(name, "start-candidate") ? b.optStartCandidate(startCandidate) : b;
        }

        /** The base-run spec of repetition {@code r} (0-based). */
        public TrainRunSpec runSpec(int r) {
            long seed = base.seed() + r;
            long dataSeed = varyDataSeed ? seed : base.dataSeed();
            return new TrainRunSpec(base.data(), base.poolSize(), dataSeed, base.scenario(), base.model(),
                    base.modelOptions(), seed, base.valFraction(), base.l2(), base.precision(),
                    base.train().withSeed(seed), base.exactOptimum());
        }
    }

    /**
     * One treated model.
     *
     * @param seed the base run's seed
     * @param series the curve or point cloud it belongs to (an identification method for Fig. 3,
     *     a treatment for Fig. 5 and 9, {@value #BEFORE}, {@value #SEMI_ORACLE})
     * @param parameter k (Fig. 3), gamma (Fig. 5) or mu (Fig. 9); null where none
     * @param causes |C|
     * @param corrupted corrupted examples in C
     * @param accuracy after the treatment
     * @param parameterDistance ||theta_rep - theta*||
     * @param seconds of the treatment
     * @param before theta*'s accuracies on the same base run
     * @param acceptance the acceptance check of the repair (null for theta* itself)
     */
    public record Point(long seed, String series, Double parameter, int causes, Integer corrupted,
            RepairMetrics.Accuracies accuracy, double parameterDistance, double seconds,
            RepairMetrics.Accuracies before, RepairMetrics.Acceptance acceptance) {
    }

    /**
     * Mean and standard deviation (over points: base runs, times the draws of random removal) of
     * one series at one parameter; {@code testChange} is T after minus T before, and
     * {@code accepted} the fraction of points the acceptance check accepted.
     */
    public record Summary(String series, Double parameter, int runs, double causes, Stat fq, Stat fh, Stat remaining,
            Stat test, Stat testChange, Double accepted) {
    }

    /**
     * A series against random removal of as many examples, paired by base run: per base run the
     * difference to the mean of that run's random draws, then mean and standard deviation over
     * the runs.
     */
    public record Paired(String series, Double parameter, int runs, Stat test, Stat fh, Stat remaining) {
    }

    /**
     * Everything measured: results.json.
     *
     * @param trainSize the mean |D| of the base runs
     */
    public record Result(Spec spec, List<Point> points, List<Summary> summary, List<Paired> paired,
            double trainSize) {
    }

    private TreatExperiment() {
    }

    /** Runs the experiment: trains (or loads) each base run, treats it, and summarises over the runs. */
    public static Result run(Spec spec, TrainRun.Listener listener) {
        return run(spec, listener, null);
    }

    /**
     * {@link #run(Spec, TrainRun.Listener)}, answering identifications and repairs that ran before
     * in this process from {@code memo} (null: compute everything); only base runs loaded from
     * folders take part, named by their folders.
     */
    public static Result run(Spec spec, TrainRun.Listener listener, RepairMemo memo) {
        List<Point> points = new ArrayList<>();
        double trainSize = 0;
        int count = spec.runs().isEmpty() ? spec.seeds() : spec.runs().size();
        for (int i = 0; i < count; i++) {
            try (TrainedRun run = baseRun(spec, i, listener)) {
                long seed = run instanceof LoadedRun loaded ? loaded.spec().seed() : spec.runSpec(i).seed();
                listener.stage(String.format(Locale.ROOT, "%s: base run %d of %d (seed %d)", spec.kind().text(), i + 1,
                        count, seed));
                Repair repair = Repair.of(RepairInput.of(run), seed, listener);
                if (!spec.runs().isEmpty()) {
                    repair.withMemo(memo, Path.of(spec.runs().get(i)));
                }
                trainSize += run.train().size() / (double) count;
                points.add(new Point(seed, BEFORE, null, 0, 0, repair.before(), 0, 0, repair.before(), null));
                switch (spec.kind()) {
                    case TREAT_K -> treatK(spec, repair, seed, listener, points);
                    case TRADEOFF -> tradeoff(spec, repair, seed, listener, points);
                    case FINETUNE -> finetune(spec, repair, seed, listener, points);
                }
            }
        }
        return new Result(spec, List.copyOf(points), summarise(points), paired(points), trainSize);
    }

    private static TrainedRun baseRun(Spec spec, int i, TrainRun.Listener listener) {
        if (!spec.runs().isEmpty()) {
            listener.stage("loading base run " + spec.runs().get(i));
            return RunDirectory.load(Path.of(spec.runs().get(i)));
        }
        return TrainRun.run(spec.runSpec(i), listener);
    }

    /**
     * Writes spec.json, provenance.json, {@value #RESULTS}, {@value #TABLE} and the figure(s)
     * into {@code folder}, all or nothing. An earlier experiment folder there is replaced; any
     * other non-empty folder is refused.
     */
    public static void write(Path folder, Result result, Provenance provenance) {
        AtomicFolders.write(folder, "experiment folder", TreatExperiment::isExperimentFolder, tmp -> {
            RunFiles.writeSpec(tmp, result.spec());
            RunFiles.writeProvenance(tmp, provenance);
            RunFiles.writeJson(tmp.resolve(RESULTS), result);
            Files.writeString(tmp.resolve(TABLE), table(result).toMarkdown()
                    + (result.paired().isEmpty() ? "" : "\nPaired with random removal (same base run, mean of its draws):\n\n"
                            + pairedTable(result).toMarkdown()));
            plot(result, tmp);
        });
    }

    /** Whether {@code folder} holds an experiment (spec.json and results.json). */
    public static boolean isExperimentFolder(Path folder) {
        return Files.isRegularFile(folder.resolve(RunFiles.SPEC)) && Files.isRegularFile(folder.resolve(RESULTS));
    }

    private static void treatK(Spec spec, Repair repair, long seed, TrainRun.Listener listener, List<Point> points) {
        int n = repair.input().train().size();
        Treatment finetune = spec.treatment("finetune-remaining", seed).build();
        for (String method : spec.methods()) {
            boolean random = method.equals(Identifiers.RANDOM);
            int draws = random ? spec.randomDraws() : 1;
            List<Point> own = new ArrayList<>();
            for (int d = 0; d < draws; d++) {
                // Each random draw its own order; the first draw keeps the base run's seed.
                long identifySeed = seed + 1_000_003L * d;
                Repair.Identified identified = repair.identify(Identifiers.create(method,
                        spec.methodOptions(), identifySeed,
                        (r, max) -> listener.epoch(method + " fine-tuning", r, max)));
                for (int k : spec.ks()) {
                    if (k > n) {
                        continue;
                    }
                    Point p = point(seed, method, (double) k, repair.metrics(identified, CauseSelection.topK(k),
                            finetune), repair.before());
                    points.add(p);
                    own.add(p);
                }
            }
            if (!random) {
                points.add(auto(seed, method, own, repair.before()));
            }
        }
        boolean[] mask = repair.input().corrupted();
        int[] corrupted = mask == null ? new int[0] : IntStream.range(0, n).filter(i -> mask[i]).toArray();
        if (corrupted.length > 0) {
            points.add(point(seed, SEMI_ORACLE, null, repair.metrics(corrupted, "all corrupted", finetune),
                    repair.before()));
        }
    }

    /**
     * What {@code --top-k auto} recommends on one base run, read off the repairs of the k grid:
     * the accepted repair with the lowest check loss, or theta* (no causes) when none is accepted.
     * The parameter is null so that the runs group into one summary row whatever k each chose.
     */
    static Point auto(long seed, String method, List<Point> candidates, RepairMetrics.Accuracies before) {
        Point best = null;
        for (Point p : candidates) {
            if (p.acceptance() != null && p.acceptance().accepted()
                    && (best == null || p.acceptance().checkLoss() < best.acceptance().checkLoss())) {
                best = p;
            }
        }
        if (best == null) {
            return new Point(seed, method + AUTO_SUFFIX, null, 0, 0, before, 0, 0, before, null);
        }
        return new Point(seed, method + AUTO_SUFFIX, null, best.causes(), best.corrupted(), best.accuracy(),
                best.parameterDistance(), best.seconds(), before, best.acceptance());
    }

    private static void tradeoff(Spec spec, Repair repair, long seed, TrainRun.Listener listener, List<Point> points) {
        Repair.Identified identified = identifyByEwc(repair, seed, listener);
        CauseSelection top = CauseSelection.topFraction(spec.fraction());
        for (double gamma : spec.gammas()) {
            for (String name : List.of("ewc-deletion", "newton-removal")) {
                Treatment t = spec.treatment(name, seed).optGamma(gamma).build();
                points.add(point(seed, name, gamma, repair.metrics(identified, top, t), repair.before()));
            }
        }
        reference(spec, repair, identified, seed, points);
    }

    private static void finetune(Spec spec, Repair repair, long seed, TrainRun.Listener listener, List<Point> points) {
        Repair.Identified identified = identifyByEwc(repair, seed, listener);
        CauseSelection top = CauseSelection.topFraction(spec.fraction());
        reference(spec, repair, identified, seed, points);
        for (double mu : spec.mus()) {
            for (String name : List.of("finetune-failures", "combined")) {
                Treatment t = spec.treatment(name, seed).optMu(mu).build();
                points.add(point(seed, name, mu, repair.metrics(identified, top, t), repair.before()));
            }
        }
    }

    /** Fine-tuning on D\C with C = the top fraction: the reference point of Fig. 5 and 9. */
    private static void reference(Spec spec, Repair repair, Repair.Identified identified, long seed,
            List<Point> points) {
        Treatment t = spec.treatment("finetune-remaining", seed).build();
        points.add(point(seed, "finetune-remaining", null, repair.metrics(identified,
                CauseSelection.topFraction(spec.fraction()), t), repair.before()));
    }

    private static Repair.Identified identifyByEwc(Repair repair, long seed, TrainRun.Listener listener) {
        return repair.identify(Identifiers.create(Identifiers.EWC_INFLUENCE, Identifiers.Options.defaults(), seed,
                (r, max) -> listener.epoch(Identifiers.EWC_INFLUENCE + " fine-tuning", r, max)));
    }

    private static Point point(long seed, String series, Double parameter, RepairMetrics m,
            RepairMetrics.Accuracies before) {
        return new Point(seed, series, parameter, m.causes().count(), m.causes().corrupted(), m.after(),
                m.parameterDistance(), m.seconds(), before, m.acceptance());
    }

    /** Groups the points by series and parameter, in the order they first appear. */
    static List<Summary> summarise(List<Point> points) {
        Map<String, List<Point>> groups = new LinkedHashMap<>();
        for (Point p : points) {
            groups.computeIfAbsent(p.series() + "\u0000" + p.parameter(), key -> new ArrayList<>()).add(p);
        }
        List<Summary> out = new ArrayList<>();
        for (List<Point> g : groups.values()) {
            Point first = g.get(0);
            double[] change = g.stream().mapToDouble(p -> value(p.accuracy().test()) - value(p.before().test()))
                    .toArray();
            List<Point> checked = g.stream().filter(p -> p.acceptance() != null).toList();
            Double accepted = checked.isEmpty() ? null
                    : checked.stream().filter(p -> p.acceptance().accepted()).count() / (double) checked.size();
            out.add(new Summary(first.series(), first.parameter(), g.size(),
                    g.stream().mapToInt(Point::causes).average().orElse(0),
                    stat(g, a -> a.fq()), stat(g, a -> a.fh()), stat(g, a -> a.remaining()), stat(g, a -> a.test()),
                    Stats.of(change), accepted));
        }
        return out;
    }

    private static double value(Double v) {
        return v == null ? Double.NaN : v;
    }

    /** Every non-random series of Fig. 3 against random removal of the same k, paired by base run. */
    static List<Paired> paired(List<Point> points) {
        Map<String, List<Point>> groups = new LinkedHashMap<>();
        for (Point p : points) {
            if (p.parameter() != null && !p.series().equals(Identifiers.RANDOM) && !p.series().endsWith(AUTO_SUFFIX)
                    && !p.series().equals(BEFORE)) {
                groups.computeIfAbsent(p.series() + "\u0000" + p.parameter(), key -> new ArrayList<>()).add(p);
            }
        }
        List<Paired> out = new ArrayList<>();
        for (List<Point> g : groups.values()) {
            List<Point> matched = g.stream().filter(p -> !randomDraws(points, p).isEmpty()).toList();
            if (!matched.isEmpty()) {
                out.add(new Paired(g.get(0).series(), g.get(0).parameter(), matched.size(),
                        difference(matched, points, RepairMetrics.Accuracies::test),
                        difference(matched, points, RepairMetrics.Accuracies::fh),
                        difference(matched, points, RepairMetrics.Accuracies::remaining)));
            }
        }
        return out;
    }

    /** The random removals of as many examples from the same base run as {@code p}. */
    private static List<Point> randomDraws(List<Point> points, Point p) {
        return points.stream().filter(q -> q.series().equals(Identifiers.RANDOM) && q.seed() == p.seed()
                && p.parameter().equals(q.parameter())).toList();
    }

    /** Per point, its accuracy minus the mean of its base run's random draws; mean and std over the points. */
    private static Stat difference(List<Point> matched, List<Point> points,
            Function<RepairMetrics.Accuracies, Double> f) {
        return Stats.of(matched.stream().mapToDouble(p -> value(f.apply(p.accuracy()))
                - randomDraws(points, p).stream().mapToDouble(q -> value(f.apply(q.accuracy()))).average()
                        .orElse(Double.NaN)).toArray());
    }

    private static Stat stat(List<Point> g, Function<RepairMetrics.Accuracies, Double> f) {
        return Stats.of(g.stream().mapToDouble(p -> value(f.apply(p.accuracy()))).toArray());
    }

    /** The summary as a table: one row per series and parameter, accuracies as mean ± std. */
    public static Table table(Result result) {
        String parameter = switch (result.spec().kind()) {
            case TREAT_K -> "k";
            case TRADEOFF -> "gamma";
            case FINETUNE -> "mu";
        };
        Table t = new Table("series", parameter, "runs", "|C|", "F_q", "F_h", "T\\F", "T", "T change", "accepted");
        for (Summary s : result.summary()) {
            t.addRow(s.series(), s.parameter() == null ? "-" : format(s.parameter()), s.runs(),
                    (int) Math.round(s.causes()), s.fq().toString(), s.fh().toString(), s.remaining().toString(),
                    s.test().toString(), s.testChange().toString(),
                    s.accepted() == null ? "-" : String.format(Locale.ROOT, "%.2f", s.accepted()));
        }
        return t;
    }

    /** The paired differences to random removal: one row per series and k. */
    public static Table pairedTable(Result result) {
        Table t = new Table("series", "k", "runs", "T - random", "F_h - random", "T\\F - random");
        for (Paired p : result.paired()) {
            t.addRow(p.series(), p.parameter() == null ? "-" : format(p.parameter()), p.runs(), p.test().toString(),
                    p.fh().toString(), p.remaining().toString());
        }
        return t;
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : String.format(Locale.ROOT, "%g", v)
                .replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /** The figure(s) of the experiment as PNG files in {@code folder}, each with its SVG beside it; returns the PNGs. */
    public static List<Path> plot(Result result, Path folder) {
        List<Path> files = new ArrayList<>();
        String top = Math.round(100 * result.spec().fraction()) + "%";
        switch (result.spec().kind()) {
            case TREAT_K -> {
                files.add(plotK(result, folder.resolve("treat-k-F_q.png"), Summary::fq, "accuracy on F_q (query)"));
                files.add(plotK(result, folder.resolve("treat-k-F_h.png"), Summary::fh, "accuracy on F_h (holdout)"));
                files.add(plotK(result, folder.resolve("treat-k-T_minus_F.png"), Summary::remaining,
                        "accuracy on T\\F"));
            }
            case TRADEOFF -> {
                files.add(scatter(result, folder.resolve("tradeoff.png"),
                        "Fig. 5: deletion over gamma, C = top " + top + " by EWC-influence", "gamma",
                        List.of("ewc-deletion", "newton-removal")));
                files.add(plotGamma(result, folder.resolve("tradeoff-gamma.png")));
            }
            case FINETUNE -> files.add(scatter(result, folder.resolve("finetune.png"),
                    "Fig. 9: fine-tuning on F_q vs on D\\C, C = top " + top + " by EWC-influence", "mu",
                    List.of("finetune-failures", "combined")));
        }
        return files;
    }

    /** Fig. 3: one band (mean ± std over runs) per method against k on a log axis; the semi-oracle dashed. */
    private static Path plotK(Result result, Path file, Function<Summary, Stat> stat, String yLabel) {
        LinePlot.Builder plot = LinePlot.builder()
                .optTitle("Remove the top k, fine-tune on D\\C (Fig. 3; Fig. 4 with input noise)")
                .optXLabel("k (training examples removed)").optYLabel(yLabel).optLogX(true);
        double minK = Double.POSITIVE_INFINITY;
        double maxK = 0;
        for (String method : result.spec().methods()) {
            List<Summary> curve = result.summary().stream().filter(s -> s.series().equals(method)).toList();
            if (curve.isEmpty()) {
                continue;
            }
            double[] x = curve.stream().mapToDouble(Summary::parameter).toArray();
            minK = Math.min(minK, x[0]);
            maxK = Math.max(maxK, x[x.length - 1]);
            plot.addSeries(LinePlot.Series.band(method, x, curve.stream().mapToDouble(s -> stat.apply(s).mean()).toArray(),
                    curve.stream().mapToDouble(s -> stat.apply(s).std()).toArray()).withStyle(LinePlot.Style.LINE_POINTS));
        }
        for (Summary s : result.summary()) {
            if (s.series().equals(SEMI_ORACLE) && maxK > 0) {
                double y = stat.apply(s).mean();
                plot.addSeries(new LinePlot.Series(SEMI_ORACLE + " (|C| " + Math.round(s.causes()) + ")",
                        new double[] {minK, maxK}, new double[] {y, y}, null, LinePlot.Style.DASHED, Color.GRAY));
            }
        }
        plot.build().writePngAndSvg(file);
        return file;
    }

    /**
     * The gammas at which the two deletion methods take the textbook steps, in amend's
     * normalisation (docs/treatment.md): the plain diagonal-Fisher Newton step of [G20],
     * theta* + F^{-1} sum_C g / (N - m), is gamma = N m / (N - m); the unscaled Eq. 15 (penalty
     * (N/2) F beside the summed loss of C) is gamma = 2m. m and N: the mean |C| and |D| of the runs.
     */
    static double[] referenceGammas(double m, double n) {
        return new double[] {n * m / (n - m), 2 * m};
    }

    /**
     * Fig. 5 against gamma itself: accuracy on F_h and on T\F of both deletion methods over the
     * sweep (log axis), with the gammas of the textbook steps marked where the sweep reaches them.
     */
    private static Path plotGamma(Result result, Path file) {
        LinePlot.Builder plot = LinePlot.builder().optTitle("Deletion strength: accuracy against gamma")
                .optXLabel("gamma (log)").optYLabel("accuracy").optLogX(true).optYRange(0, 1);
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        double m = 0;
        for (String method : List.of("ewc-deletion", "newton-removal")) {
            List<Summary> curve = result.summary().stream().filter(s -> s.series().equals(method)).toList();
            if (curve.isEmpty()) {
                continue;
            }
            double[] x = curve.stream().mapToDouble(Summary::parameter).toArray();
            lo = Math.min(lo, x[0]);
            hi = Math.max(hi, x[x.length - 1]);
            m = curve.get(0).causes();
            plot.addSeries(LinePlot.Series.band(method + " F_h", x, curve.stream().mapToDouble(s -> s.fh().mean())
                    .toArray(), curve.stream().mapToDouble(s -> s.fh().std()).toArray())
                    .withStyle(LinePlot.Style.LINE_POINTS));
            plot.addSeries(LinePlot.Series.band(method + " T\\F", x, curve.stream()
                    .mapToDouble(s -> s.remaining().mean()).toArray(), curve.stream()
                    .mapToDouble(s -> s.remaining().std()).toArray()).withStyle(LinePlot.Style.LINE_POINTS));
        }
        double[] refs = referenceGammas(m, result.trainSize());
        String[] names = {"plain Newton step", "unscaled Eq. 15"};
        for (int i = 0; i < refs.length; i++) {
            if (m > 0 && refs[i] >= lo && refs[i] <= hi) {
                plot.addSeries(new LinePlot.Series(String.format(Locale.ROOT, "%s (gamma %.3g)", names[i], refs[i]),
                        new double[] {refs[i], refs[i]}, new double[] {0, 1}, null, LinePlot.Style.DASHED,
                        i == 0 ? Color.GRAY : Color.DARK_GRAY));
            }
        }
        plot.build().writePngAndSvg(file);
        return file;
    }

    /** Fig. 5 and 9: accuracy on F_h against accuracy on T\F, one point per setting, each sweep joined in order. */
    private static Path scatter(Result result, Path file, String title, String parameter, List<String> sweeps) {
        LinePlot.Builder plot = LinePlot.builder().optTitle(title).optXLabel("accuracy on F_h (holdout failures)")
                .optYLabel("accuracy on T\\F (rest of the test set)");
        for (String sweep : sweeps) {
            List<Summary> curve = result.summary().stream().filter(s -> s.series().equals(sweep)).toList();
            if (!curve.isEmpty()) {
                String range = format(curve.get(0).parameter()) + ".." + format(curve.get(curve.size() - 1).parameter());
                plot.addSeries(new LinePlot.Series(sweep + " (" + parameter + " " + range + ")",
                        curve.stream().mapToDouble(s -> s.fh().mean()).toArray(),
                        curve.stream().mapToDouble(s -> s.remaining().mean()).toArray(), null,
                        LinePlot.Style.LINE_POINTS, null));
            }
        }
        for (Summary s : result.summary()) {
            if (s.series().equals("finetune-remaining")) {
                plot.addSeries(LinePlot.Series.points("finetune-remaining (D\\C)", new double[] {s.fh().mean()},
                        new double[] {s.remaining().mean()}));
            }
        }
        plot.build().writePngAndSvg(file);
        return file;
    }
}
