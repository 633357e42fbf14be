package dev.amend.experiment.paper;

import dev.amend.AmendException;
import dev.amend.data.Splits;
import dev.amend.experiment.Stats;
import dev.amend.identify.CauseSelection;
import dev.amend.identify.IdentificationMetrics;
import dev.amend.identify.Identifiers;
import dev.amend.report.LinePlot;
import dev.amend.report.Table;
import dev.amend.run.FailureSets;
import dev.amend.run.LoadedRun;
import dev.amend.run.Repair;
import dev.amend.run.RepairInput;
import dev.amend.run.RepairMemo;
import dev.amend.run.RepairResult;
import dev.amend.run.TrainRun;
import dev.amend.run.format.RepairMetrics;
import dev.amend.run.format.RunDirectory;
import dev.amend.treat.Treatment;
import dev.amend.treat.TreatmentFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * [T22] Fig. 6 (Appendix B.1), sample efficiency: identification and repair against the size of
 * the failure query set. On each base run, F_q is cut to its first q examples in a seeded order
 * (so the smaller query sets are nested in the larger ones, and q = 0 stands for all of F_q);
 * each method ranks D for that query set, and the top k are removed by fine-tuning on D\C as in
 * Fig. 3. Recorded: ROC-AUC and precision and recall of the top k against the corrupted examples,
 * and accuracy on F_h (the same holdout half for every q), T\F and T after the repair.
 * The paper removes every example with a negative score instead of a fixed k; a fixed k keeps
 * the repairs comparable across q (docs/results.md).
 */
public final class SampleEfficiency {
    /** The query sizes of the paper's figure are not stated; these span 5 to all of F_q (about 200 here). */
    public static final List<Integer> DEFAULT_SIZES = List.of(5, 10, 25, 50, 100, 0);
    /** Fig. 3's best k for EWC-influence on this protocol (docs/results.md). */
    public static final int DEFAULT_K = 100;

    private SampleEfficiency() {
    }

    /**
     * One method at one query size on one base run.
     *
     * @param size q as asked (0: all)
     * @param querySize |F_q| used
     * @param precision corrupted among the top k, divided by k
     * @param recall corrupted among the top k, divided by all corrupted
     */
    public record Point(long seed, String method, int size, int querySize, double rocAuc, double precision,
            double recall, RepairMetrics.Accuracies after, RepairMetrics.Accuracies before, double identifySeconds) {
    }

    /** One method at one query size over the base runs. */
    public record Summary(String method, int size, int runs, Stats.Stat querySize, Stats.Stat rocAuc,
            Stats.Stat precision, Stats.Stat recall, Stats.Stat fh, Stats.Stat remaining, Stats.Stat test,
            Stats.Stat testChange) {
    }

    /** results.json. */
    public record Report(List<Integer> sizes, int k, List<Summary> summary, List<Point> points) {
    }

    /** Runs the sweep on every run folder. */
    public static Report run(List<Path> runFolders, List<String> methods, Identifiers.Options options,
            List<Integer> sizes, int k, int maxEpochs, boolean startCandidate, TrainRun.Listener listener) {
        return run(runFolders, methods, options, sizes, k, maxEpochs, startCandidate, listener, null);
    }

    /**
     * {@link #run(List, List, Identifiers.Options, List, int, int, boolean, TrainRun.Listener)},
     * answering identifications and repairs that ran before in this process from {@code memo}
     * (null: compute them). Random removal's repair does not depend on F_q (its order is seeded
     * and fine-tuning on D\C stops on V), so on a run with V it is trained once per run and only
     * evaluated at each query size; the accuracies are those a repair per size would give.
     */
    public static Report run(List<Path> runFolders, List<String> methods, Identifiers.Options options,
            List<Integer> sizes, int k, int maxEpochs, boolean startCandidate, TrainRun.Listener listener,
            RepairMemo memo) {
        if (sizes.isEmpty() || sizes.stream().anyMatch(s -> s < 0)) {
            throw new AmendException("the query sizes must be at least 1 (0 for all of F_q), got " + sizes);
        }
        if (k < 1) {
            throw new AmendException("the k of the sample-efficiency repairs must be at least 1, got " + k);
        }
        List<Point> points = new ArrayList<>();
        for (Path folder : runFolders) {
            try (LoadedRun run = RunDirectory.load(folder)) {
                long seed = run.spec().seed();
                RepairInput full = RepairInput.of(run);
                FailureSets sets = full.failures();
                int[] query = sets.query();
                int[] order = Splits.permutation(query.length, seed);
                Treatment finetune = TreatmentFactory.builder("finetune-remaining").optSeed(seed)
                        .optMaxEpochs(maxEpochs).optStartCandidate(startCandidate).build();
                boolean randomOnce = full.validation() != null && full.validation().size() > 0;
                try (RandomRepair random = new RandomRepair()) {
                    for (int size : sizes) {
                        if (size > query.length) {
                            listener.stage("seed " + seed + ": |F_q| is " + query.length + ", skipping query size "
                                    + size);
                            continue;
                        }
                        int q = size == 0 ? query.length : size;
                        int[] chosen = new int[q];
                        for (int i = 0; i < q; i++) {
                            chosen[i] = query[order[i]];
                        }
                        Arrays.sort(chosen);
                        FailureSets cut = new FailureSets(sets.failures(), chosen, sets.holdout(), sets.remaining(),
                                sets.otherFailures(), sets.classes());
                        RepairInput input = new RepairInput(full.model(), full.train(), full.validation(),
                                full.test(), cut, full.corrupted());
                        Repair repair = Repair.of(input, seed, listener).withMemo(memo, folder);
                        for (String method : methods) {
                            Repair.Identified identified = repair.identify(Identifiers.create(method,
                                    options, seed,
                                    (r, max) -> listener.epoch(method + " fine-tuning", r, max)));
                            IdentificationMetrics metrics = new IdentificationMetrics(identified.ranking(),
                                    full.corrupted());
                            int kk = Math.min(k, metrics.size());
                            int found = metrics.noisyInTopK(kk);
                            RepairMetrics.Accuracies after = randomOnce && method.equals(Identifiers.RANDOM)
                                    ? random.after(repair, identified, CauseSelection.topK(kk), finetune)
                                    : repair.metrics(identified, CauseSelection.topK(kk), finetune).after();
                            Point p = new Point(seed, method, size, q, metrics.rocAuc(), found / (double) kk,
                                    metrics.noisyCount() == 0 ? Double.NaN : found / (double) metrics.noisyCount(),
                                    after, repair.before(), identified.identification().seconds());
                            points.add(p);
                            listener.stage(String.format(Locale.ROOT, "seed %d, |F_q| %d, %s: ROC-AUC %.3f, %d of the"
                                    + " top %d corrupted; after removal F_h %.3f, T %.4f", seed, q, method,
                                    p.rocAuc(), found, kk, value(p.after().fh()), value(p.after().test())));
                        }
                    }
                }
            }
        }
        return new Report(List.copyOf(sizes), k, summarise(methods, sizes, points), points);
    }

    /**
     * Random removal's repaired model on one base run, made at the first query size and kept open
     * for the others; each size evaluates it with its own failure sets (F_q's accuracy differs).
     */
    private static final class RandomRepair implements AutoCloseable {
        private RepairResult result;

        RepairMetrics.Accuracies after(Repair repair, Repair.Identified identified, CauseSelection selection,
                Treatment treatment) {
            if (result == null) {
                result = repair.treat(identified, selection, treatment);
                return result.metrics().after();
            }
            if (!Arrays.equals(result.causes(), selection.select(identified.ranking()))) {
                throw new IllegalStateException("random removal chose other causes at another query size");
            }
            return repair.evaluate(result.model());
        }

        @Override
        public void close() {
            if (result != null) {
                result.close();
            }
        }
    }

    static List<Summary> summarise(List<String> methods, List<Integer> sizes, List<Point> points) {
        List<Summary> out = new ArrayList<>();
        for (String method : methods) {
            for (int size : sizes) {
                List<Point> g = points.stream().filter(p -> p.method().equals(method) && p.size() == size).toList();
                if (g.isEmpty()) {
                    continue;
                }
                out.add(new Summary(method, size, g.size(), stat(g, Point::querySize), stat(g, Point::rocAuc),
                        stat(g, Point::precision), stat(g, Point::recall), stat(g, p -> value(p.after().fh())),
                        stat(g, p -> value(p.after().remaining())), stat(g, p -> value(p.after().test())),
                        stat(g, p -> value(p.after().test()) - value(p.before().test()))));
            }
        }
        return out;
    }

    private static Stats.Stat stat(List<Point> g, ToDoubleFunction<Point> f) {
        return Stats.of(g.stream().mapToDouble(f).toArray());
    }

    private static double value(Double v) {
        return v == null ? Double.NaN : v;
    }

    /** One row per method and query size. */
    public static Table table(Report report) {
        Table t = new Table("method", "|F_q|", "runs", "ROC-AUC", "precision@" + report.k(), "recall@" + report.k(),
                "F_h", "T\\F", "T", "T change");
        for (Summary s : report.summary()) {
            t.addRow(s.method(), s.size() == 0 ? String.format(Locale.ROOT, "all (%.0f)", s.querySize().mean())
                    : Integer.toString(s.size()), s.runs(), s.rocAuc().format(3), s.precision().format(3),
                    s.recall().format(3), s.fh().format(3), s.remaining().format(3), s.test().format(4),
                    s.testChange().format(4));
        }
        return t;
    }

    /** Four panels' worth of curves against |F_q| (log axis): one file per quantity. */
    public static Map<String, LinePlot> plots(Report report) {
        Map<String, LinePlot> out = new LinkedHashMap<>();
        out.put("fig6-roc-auc.png", plot(report, "ROC-AUC against the corrupted examples", Summary::rocAuc));
        out.put("fig6-precision.png", plot(report, "precision of the top " + report.k(), Summary::precision));
        out.put("fig6-F_h.png", plot(report, "accuracy on F_h after removing the top " + report.k(), Summary::fh));
        out.put("fig6-T_minus_F.png", plot(report, "accuracy on T\\F after removing the top " + report.k(),
                Summary::remaining));
        return out;
    }

    private static LinePlot plot(Report report, String yLabel, java.util.function.Function<Summary, Stats.Stat> f) {
        LinePlot.Builder plot = LinePlot.builder().optTitle("Fig. 6: sample efficiency").optXLabel("|F_q| (log)")
                .optYLabel(yLabel).optLogX(true);
        List<String> methods = report.summary().stream().map(Summary::method).distinct().toList();
        for (String method : methods) {
            List<Summary> curve = report.summary().stream().filter(s -> s.method().equals(method))
                    .sorted(java.util.Comparator.comparingDouble(s -> s.querySize().mean())).toList();
            plot.addSeries(LinePlot.Series.band(method, curve.stream().mapToDouble(s -> s.querySize().mean()).toArray(),
                    curve.stream().mapToDouble(s -> f.apply(s).mean()).toArray(),
                    curve.stream().mapToDouble(s -> f.apply(s).std()).toArray()).withStyle(LinePlot.Style.LINE_POINTS));
        }
        return plot.build();
    }
}
