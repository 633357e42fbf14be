package dev.amend.experiment;

import dev.amend.AmendException;
import dev.amend.experiment.Stats.Stat;
import dev.amend.identify.Identifiers;
import dev.amend.identify.Ranking;
import dev.amend.provenance.Provenance;
import dev.amend.provenance.RunFiles;
import dev.amend.report.LinePlot;
import dev.amend.report.Table;
import dev.amend.run.CleanData;
import dev.amend.run.LoadedRun;
import dev.amend.run.Repair;
import dev.amend.run.RepairInput;
import dev.amend.run.TrainRun;
import dev.amend.run.TrainedRun;
import dev.amend.run.format.RepairMetrics;
import dev.amend.run.format.RunDirectory;
import dev.amend.run.format.TrainRunSpec;
import dev.amend.treat.CleanSet;
import dev.amend.treat.Retain;
import dev.amend.treat.StopRule;
import dev.amend.treat.Treatment;
import dev.amend.treat.TreatmentFactory;
import dev.amend.treat.TreatmentProblem;
import dev.amend.treat.TreatmentResult;
import dev.amend.util.AtomicFolders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * The experiment of docs/methods.md 5.3: does retaining the beneficial part of the flagged
 * examples survive imprecise identification? On each base run (label noise), a clean set D_c is
 * drawn from T, D is ranked by EWC-influence, and cause sets are built two ways:
 * <ul>
 *   <li>controlled: k = round(M/2) examples (M = the corrupted examples of D) with precision p,
 *       the round(p k) highest-ranked corrupted and the k - round(p k) highest-ranked benign
 *       examples (the benign examples the method actually confuses);</li>
 *   <li>natural: the top fraction f of D.</li>
 * </ul>
 * Every cause set is treated by each method, all with the same D_c: no repair (theta*),
 * clean-data fine-tuning (theta* fine-tuned on D + D_c_fit, C ignored), delete-all (fine-tuned on
 * (D \ C) + D_c_fit: the retain treatment's counterfactual), EWC-deletion of C (early stopping on
 * D_c_val and F_q_val), retain (and three variants: without theta_del as a candidate of its final
 * fine-tuning, with tau 0.95, and the EWC variant), and oracle-correct (retain's last step with
 * the true labels as decisions: the upper bound). Results are written after every base
 * run, so an interrupted experiment keeps what it finished.
 */
public final class RetainExperiment {
    public static final String RESULTS = "results.json";
    public static final String TABLE = "table.md";
    public static final List<Double> DEFAULT_PRECISIONS = List.of(1.0, 0.75, 0.5, 0.25);
    /** docs/methods.md 5.3's natural sets: the top 5%, 15% and 30% of D. */
    public static final List<Double> DEFAULT_FRACTIONS = List.of(0.05, 0.15, 0.3);
    public static final String NO_REPAIR = "no repair";
    public static final String CLEAN_FINETUNE = "clean-data fine-tune";
    public static final String DELETE_ALL = "delete-all";
    public static final String EWC_DELETION = "ewc-deletion";
    public static final String RETAIN = "retain";
    public static final String RETAIN_EWC = "retain (ewc)";
    /**
     * retain with theta_del as a candidate of the final fine-tuning (epoch 0), the default
     * until measured against the first design on five seeds of two data sets.
     */
    public static final String RETAIN_CANDIDATE = "retain (theta_del candidate)";
    /** retain relabelling only at confidence >= {@value #STRICT_CONFIDENCE}. */
    public static final String RETAIN_STRICT = "retain (tau 0.95)";
    public static final double STRICT_CONFIDENCE = 0.95;
    public static final String ORACLE = "oracle-correct";
    public static final List<String> METHODS = List.of(NO_REPAIR, CLEAN_FINETUNE, DELETE_ALL, EWC_DELETION, RETAIN,
            RETAIN_CANDIDATE, RETAIN_STRICT, RETAIN_EWC, ORACLE);

    private RetainExperiment() {
    }

    /**
     * What the experiment is given (its spec.json).
     *
     * @param base the base-model protocol of the first repetition
     * @param seeds base runs, seeds base.seed(), base.seed() + 1, ...
     * @param varyDataSeed draw the MNIST pool with each repetition's seed
     * @param runs existing run folders instead of training base runs
     * @param precisions the precisions of the controlled cause sets
     * @param fractions the natural cause sets, as fractions of |D|
     * @param perClass |D_c| per class
     * @param relabelConfidence retain's tau
     * @param maxEpochs a cap on the epochs of every training
     */
    public record Spec(TrainRunSpec base, int seeds, boolean varyDataSeed, List<String> runs, List<Double> precisions,
            List<Double> fractions, int perClass, double relabelConfidence, int maxEpochs) {
        public Spec {
            runs = runs == null ? List.of() : List.copyOf(runs);
            precisions = List.copyOf(precisions);
            fractions = List.copyOf(fractions);
            if (runs.isEmpty() && seeds < 1) {
                throw new AmendException("--seeds must be at least 1, got " + seeds);
            }
            if (precisions.stream().anyMatch(p -> !(p >= 0 && p <= 1))) {
                throw new AmendException("every precision must be in [0, 1], got " + precisions);
            }
            if (fractions.stream().anyMatch(f -> !(f > 0 && f < 1))) {
                throw new AmendException("every fraction must be in (0, 1), got " + fractions);
            }
            if (precisions.isEmpty() && fractions.isEmpty()) {
                throw new AmendException("no cause set: give precisions or fractions");
            }
            if (maxEpochs < 1) {
                throw new AmendException("--epochs must be at least 1, got " + maxEpochs);
            }
        }

        TrainRunSpec runSpec(int r) {
            long seed = base.seed() + r;
            return new TrainRunSpec(base.data(), base.poolSize(), varyDataSeed ? seed : base.dataSeed(), base.scenario(),
                    base.model(), base.modelOptions(), seed, base.valFraction(), base.l2(), base.precision(),
                    base.train().withSeed(seed), base.exactOptimum());
        }
    }

    /**
     * One treated model.
     *
     * @param seed the base run's seed
     * @param set the cause set: {@code p=0.50} (controlled) or {@code top 15%} (natural)
     * @param precision the share of corrupted examples in C
     * @param causes |C|
     * @param method one of {@link #METHODS}
     * @param accuracy after the treatment (theta*'s for {@link #NO_REPAIR})
     * @param retain the decisions' summary (retain and its EWC variant), or null
     */
    public record Point(long seed, String set, double precision, int causes, String method,
            RepairMetrics.Accuracies accuracy, Retain.Summary retain) {
    }

    /** Mean ± std over base runs of one method on one cause set; the decision metrics of retain too. */
    public record Summary(String set, double precision, String method, int runs, double causes,
            Stat fh, Stat remaining, Stat test, Stat restorePrecision, Stat relabelAccuracy, Stat benignRecall) {
    }

    /** A method minus a reference on the same base run and cause set: mean ± std over runs. */
    public record Paired(String set, String method, String reference, int runs, Stat test, Stat fh,
            Stat remaining) {
    }

    /** Everything measured: results.json. */
    public record Result(Spec spec, List<Point> points, List<Summary> summary, List<Paired> paired) {
    }

    /**
     * Runs the experiment; after every base run the results so far are written to {@code folder}
     * (when not null) with {@code provenance}.
     */
    public static Result run(Spec spec, TrainRun.Listener listener, Path folder, Provenance provenance) {
        List<Point> points = new ArrayList<>();
        int count = spec.runs().isEmpty() ? spec.seeds() : spec.runs().size();
        Result result = null;
        for (int i = 0; i < count; i++) {
            try (TrainedRun run = spec.runs().isEmpty() ? TrainRun.run(spec.runSpec(i), listener)
                    : RunDirectory.load(Path.of(spec.runs().get(i)))) {
                long seed = run instanceof LoadedRun loaded ? loaded.spec().seed() : spec.runSpec(i).seed();
                listener.stage(String.format(Locale.ROOT, "retain: base run %d of %d (seed %d)", i + 1, count, seed));
                baseRun(spec, RepairInput.of(run), seed, listener, points);
            }
            result = new Result(spec, List.copyOf(points), summarise(points), paired(points));
            if (folder != null) {
                write(folder, result, provenance);
            }
        }
        return result;
    }

    private static void baseRun(Spec spec, RepairInput full, long seed, TrainRun.Listener listener,
            List<Point> points) {
        CleanData.Drawn drawn = CleanData.perClass(full, spec.perClass(), seed);
        RepairInput input = drawn.input();
        boolean[] mask = input.corrupted();
        int[] truth = input.originalLabels();
        if (mask == null || truth == null) {
            throw new AmendException("the retain experiment needs base runs with ground truth");
        }
        Repair repair = Repair.of(input, seed, listener).withCleanSet(CleanSet.split(drawn.clean(), seed));
        Ranking ranking = repair.identify(Identifiers.create(Identifiers.EWC_INFLUENCE, Identifiers.Options.defaults(),
                seed, (r, max) -> listener.epoch("ewc-influence fine-tuning", r, max))).ranking();
        Retain retain = (Retain) TreatmentFactory.builder("retain").optSeed(seed).optMaxEpochs(spec.maxEpochs())
                .optRelabelConfidence(spec.relabelConfidence()).build();
        Retain retainEwc = (Retain) TreatmentFactory.builder("retain").optSeed(seed).optMaxEpochs(spec.maxEpochs())
                .optRelabelConfidence(spec.relabelConfidence()).optVariant("ewc").build();
        Retain retainCandidate = (Retain) TreatmentFactory.builder("retain").optSeed(seed)
                .optMaxEpochs(spec.maxEpochs()).optRelabelConfidence(spec.relabelConfidence())
                .optCounterfactualCandidate(true).build();
        Retain retainStrict = (Retain) TreatmentFactory.builder("retain").optSeed(seed).optMaxEpochs(spec.maxEpochs())
                .optRelabelConfidence(STRICT_CONFIDENCE).build();
        Treatment ewcDeletion = TreatmentFactory.builder("ewc-deletion").optSeed(seed).optMaxEpochs(spec.maxEpochs())
                .optStopOn(new StopRule(StopRule.CheckSet.CLEAN_AND_QUERY,
                        dev.amend.train.TrainConfig.StopCriterion.ACCURACY)).build();
        Map<String, int[]> sets = causeSets(spec, ranking, mask);
        RepairMetrics.Accuracies before = repair.before();
        RepairMetrics.Accuracies cleanTuned = null;
        for (Map.Entry<String, int[]> e : sets.entrySet()) {
            int[] causes = e.getValue();
            String name = e.getKey();
            double precision = Arrays.stream(causes).filter(c -> mask[c]).count() / (double) causes.length;
            listener.stage(String.format(Locale.ROOT, "retain: cause set %s (|C| %d, precision %.2f)", name,
                    causes.length, precision));
            TreatmentProblem p = repair.treatmentProblem(causes, "retain");
            Function<String, Point> none = m -> new Point(seed, name, precision, causes.length, m, before, null);
            points.add(none.apply(NO_REPAIR));
            int[] old = Arrays.stream(causes).map(c -> input.train().label(c)).toArray();
            if (cleanTuned == null) {
                // C does not matter to clean-data fine-tuning: every example restored, from theta*.
                Retain.Decisions keepAll = Retain.Decisions.oracle(causes, old, input.train().labels());
                try (var m = retain.correct(p, input.model(), keepAll).model()) {
                    cleanTuned = repair.evaluate(m);
                }
            }
            points.add(new Point(seed, name, precision, causes.length, CLEAN_FINETUNE, cleanTuned, null));
            try (var m = ewcDeletion.apply(p).model()) {
                points.add(new Point(seed, name, precision, causes.length, EWC_DELETION, repair.evaluate(m), null));
            }
            TreatmentResult counterfactual = retain.counterfactual(p);
            try {
                points.add(new Point(seed, name, precision, causes.length, DELETE_ALL,
                        repair.evaluate(counterfactual.model()), null));
                Retain.Decisions d = retain.decide(p, counterfactual.model());
                Retain.Summary s = d.summary(mask, truth);
                try (var m = retain.correct(p, counterfactual.model(), d).model()) {
                    points.add(new Point(seed, name, precision, causes.length, RETAIN, repair.evaluate(m), s));
                }
                try (var m = retainCandidate.correct(p, counterfactual.model(), d).model()) {
                    points.add(new Point(seed, name, precision, causes.length, RETAIN_CANDIDATE, repair.evaluate(m),
                            s));
                }
                Retain.Decisions strict = retainStrict.decide(p, counterfactual.model());
                try (var m = retainStrict.correct(p, counterfactual.model(), strict).model()) {
                    points.add(new Point(seed, name, precision, causes.length, RETAIN_STRICT, repair.evaluate(m),
                            strict.summary(mask, truth)));
                }
                try (var m = retainEwc.correct(p, counterfactual.model(), d).model()) {
                    points.add(new Point(seed, name, precision, causes.length, RETAIN_EWC, repair.evaluate(m), s));
                }
                try (var m = retain.correct(p, counterfactual.model(), Retain.Decisions.oracle(causes, old, truth))
                        .model()) {
                    points.add(new Point(seed, name, precision, causes.length, ORACLE, repair.evaluate(m), null));
                }
            } finally {
                counterfactual.model().close();
            }
        }
    }

    /**
     * The controlled sets (docs/methods.md 5.3) and the natural ones, by name, each in rank order.
     * A controlled set needs round(p k) corrupted and k - round(p k) benign examples in D.
     */
    static Map<String, int[]> causeSets(Spec spec, Ranking ranking, boolean[] mask) {
        int n = mask.length;
        int[] order = ranking.top(n);
        int[] noisy = Arrays.stream(order).filter(i -> mask[i]).toArray();
        int[] benign = Arrays.stream(order).filter(i -> !mask[i]).toArray();
        int k = (int) Math.round(noisy.length / 2.0);
        Map<String, int[]> sets = new LinkedHashMap<>();
        if (k < 1 && !spec.precisions().isEmpty()) {
            throw new AmendException("the base run has no corrupted examples to build controlled cause sets from");
        }
        for (double p : spec.precisions()) {
            int kn = (int) Math.round(p * k);
            if (k - kn > benign.length) {
                throw new AmendException("too few benign examples for precision " + p);
            }
            int[] chosen = IntStream.concat(Arrays.stream(noisy, 0, kn), Arrays.stream(benign, 0, k - kn)).toArray();
            int[] rankOf = new int[n];
            for (int r = 0; r < n; r++) {
                rankOf[order[r]] = r;
            }
            sets.put(String.format(Locale.ROOT, "p=%.2f", p), Arrays.stream(chosen).boxed()
                    .sorted((a, b) -> Integer.compare(rankOf[a], rankOf[b])).mapToInt(Integer::intValue).toArray());
        }
        for (double f : spec.fractions()) {
            int size = Math.max(1, (int) Math.round(f * n));
            sets.put(String.format(Locale.ROOT, "top %.3g%%", 100 * f).replaceAll("\\.?0+%", "%"),
                    Arrays.copyOf(order, size));
        }
        return sets;
    }

    /** Groups the points by cause set (name) and method, in the order they first appear. */
    static List<Summary> summarise(List<Point> points) {
        Map<String, List<Point>> groups = new LinkedHashMap<>();
        for (Point p : points) {
            groups.computeIfAbsent(p.set() + "\u0000" + p.method(), key -> new ArrayList<>()).add(p);
        }
        List<Summary> out = new ArrayList<>();
        for (List<Point> g : groups.values()) {
            Point first = g.get(0);
            List<Retain.Summary> r = g.stream().map(Point::retain).filter(x -> x != null).toList();
            out.add(new Summary(first.set(), g.stream().mapToDouble(Point::precision).average().orElse(0),
                    first.method(), g.size(), g.stream().mapToInt(Point::causes).average().orElse(0),
                    stat(g, a -> a.fh()), stat(g, a -> a.remaining()), stat(g, a -> a.test()),
                    r.isEmpty() ? null : statOf(r, Retain.Summary::restorePrecision),
                    r.isEmpty() ? null : statOf(r, Retain.Summary::relabelAccuracy),
                    r.isEmpty() ? null : statOf(r, Retain.Summary::benignRecall)));
        }
        return out;
    }

    /** Retain and the other methods against delete-all, and retain against clean-data fine-tuning, per run. */
    static List<Paired> paired(List<Point> points) {
        List<Paired> out = new ArrayList<>();
        List<String> sets = points.stream().map(Point::set).distinct().toList();
        List<String[]> pairs = List.of(new String[] {RETAIN, DELETE_ALL}, new String[] {RETAIN_CANDIDATE, DELETE_ALL},
                new String[] {RETAIN_STRICT, DELETE_ALL}, new String[] {RETAIN_EWC, DELETE_ALL},
                new String[] {ORACLE, DELETE_ALL}, new String[] {EWC_DELETION, DELETE_ALL},
                new String[] {RETAIN, CLEAN_FINETUNE}, new String[] {RETAIN, NO_REPAIR});
        for (String set : sets) {
            for (String[] pair : pairs) {
                List<double[]> diffs = new ArrayList<>();
                for (Point a : points) {
                    if (!a.set().equals(set) || !a.method().equals(pair[0])) {
                        continue;
                    }
                    points.stream().filter(b -> b.set().equals(set) && b.method().equals(pair[1]) && b.seed() == a.seed())
                            .findFirst().ifPresent(b -> diffs.add(new double[] {
                                value(a.accuracy().test()) - value(b.accuracy().test()),
                                value(a.accuracy().fh()) - value(b.accuracy().fh()),
                                value(a.accuracy().remaining()) - value(b.accuracy().remaining())}));
                }
                if (!diffs.isEmpty()) {
                    out.add(new Paired(set, pair[0], pair[1], diffs.size(), column(diffs, 0), column(diffs, 1),
                            column(diffs, 2)));
                }
            }
        }
        return out;
    }

    private static Stat column(List<double[]> rows, int j) {
        return Stats.of(rows.stream().mapToDouble(r -> r[j]).toArray());
    }

    private static double value(Double v) {
        return v == null ? Double.NaN : v;
    }

    private static Stat stat(List<Point> g, Function<RepairMetrics.Accuracies, Double> f) {
        return Stats.of(g.stream().mapToDouble(p -> value(f.apply(p.accuracy()))).toArray());
    }

    private static Stat statOf(List<Retain.Summary> g, Function<Retain.Summary, Double> f) {
        double[] v = g.stream().map(f).filter(x -> x != null).mapToDouble(Double::doubleValue).toArray();
        return v.length == 0 ? null : Stats.of(v);
    }

    /** One row per cause set and method: accuracies as mean ± std over runs, retain's decision metrics. */
    public static Table table(Result result) {
        Table t = new Table("cause set", "precision", "method", "runs", "|C|", "F_h", "T\\F", "T", "restore prec.",
                "relabel acc.", "benign recall");
        for (Summary s : result.summary()) {
            t.addRow(s.set(), String.format(Locale.ROOT, "%.2f", s.precision()), s.method(), s.runs(),
                    (int) Math.round(s.causes()), s.fh().toString(), s.remaining().toString(), s.test().toString(),
                    text(s.restorePrecision()), text(s.relabelAccuracy()), text(s.benignRecall()));
        }
        return t;
    }

    /** The paired differences: one row per cause set and pair of methods. */
    public static Table pairedTable(Result result) {
        Table t = new Table("cause set", "method", "minus", "runs", "T", "F_h", "T\\F");
        for (Paired p : result.paired()) {
            t.addRow(p.set(), p.method(), p.reference(), p.runs(), signed(p.test()), signed(p.fh()), signed(p.remaining()));
        }
        return t;
    }

    private static String text(Stat s) {
        return s == null ? "-" : s.toString();
    }

    private static String signed(Stat s) {
        return String.format(Locale.ROOT, "%+.4f ± %.4f", s.mean(), s.std());
    }

    /**
     * Writes spec.json, provenance.json, results.json, table.md and the plots into {@code folder},
     * all or nothing; an earlier experiment folder there is replaced.
     */
    public static void write(Path folder, Result result, Provenance provenance) {
        AtomicFolders.write(folder, "experiment folder", TreatExperiment::isExperimentFolder, tmp -> {
            RunFiles.writeSpec(tmp, result.spec());
            RunFiles.writeProvenance(tmp, provenance);
            RunFiles.writeJson(tmp.resolve(RESULTS), result);
            Files.writeString(tmp.resolve(TABLE), table(result).toMarkdown()
                    + "\nPaired differences (same base run and cause set):\n\n" + pairedTable(result).toMarkdown());
            plot(result, tmp.resolve("retain-T.png"), s -> s.test(), "accuracy on T");
            plot(result, tmp.resolve("retain-F_h.png"), s -> s.fh(), "accuracy on F_h (holdout failures)");
            plot(result, tmp.resolve("retain-T_minus_F.png"), s -> s.remaining(), "accuracy on T\\F");
        });
    }

    /** One band per method (mean ± std over runs) against the precision of the controlled cause sets. */
    private static void plot(Result result, Path file, Function<Summary, Stat> stat, String yLabel) {
        LinePlot.Builder plot = LinePlot.builder().optTitle("Controlled cause sets: treatment against precision")
                .optXLabel("precision of C (share of flipped labels)").optYLabel(yLabel);
        for (String method : METHODS) {
            List<Summary> curve = result.summary().stream().filter(s -> s.method().equals(method)
                    && s.set().startsWith("p=")).sorted((a, b) -> Double.compare(a.precision(), b.precision())).toList();
            if (curve.isEmpty()) {
                continue;
            }
            ToDoubleFunction<Summary> x = Summary::precision;
            plot.addSeries(LinePlot.Series.band(method, curve.stream().mapToDouble(x).toArray(),
                    curve.stream().mapToDouble(s -> stat.apply(s).mean()).toArray(),
                    curve.stream().mapToDouble(s -> stat.apply(s).std()).toArray())
                    .withStyle(LinePlot.Style.LINE_POINTS));
        }
        plot.build().writePngAndSvg(file);
    }
}
