package dev.amend.experiment.paper;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.data.scenario.CorruptedData;
import dev.amend.experiment.Stats;
import dev.amend.identify.IdentificationMetrics;
import dev.amend.identify.Identifiers;
import dev.amend.identify.Ranking;
import dev.amend.report.ImageGrid;
import dev.amend.report.LinePlot;
import dev.amend.report.Table;
import dev.amend.run.IdentifyRun;
import dev.amend.run.TrainRun;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Identification on the base runs of one scenario, every method on every run: how many corrupted
 * training examples each method ranks among its top k, on a grid of k, and its ROC-AUC. [T22]
 * Fig. 2(c) (label noise: the fraction flipped) and Fig. 4, second row (random input noise: the
 * number of noisy images among the top k); docs/results.md. The first run's EWC-influence ranking
 * is kept for the image figures: Fig. 2(d) and 7 (most and least harmful under label noise) and
 * Fig. 8 (most harmful under input noise).
 */
public final class RankingExperiment {
    /** Images per grid, as in [T22] Fig. 2(d), 7 and 8. */
    public static final int GRID_IMAGES = 16;
    /** The header of fig7-least-harmful.csv and fig8-most-harmful.csv. */
    public static final String CSV_HEADER = "rank,position,row,score,given_label,original_label,corrupted";
    private static final int[] GRID_STEPS = {10, 20, 50};
    private static final int[] TABLE_KS = {10, 50, 100, 500, 1000};

    private RankingExperiment() {
    }

    /**
     * One method on one base run.
     *
     * @param method the method
     * @param seed the base run's seed
     * @param seconds identification seconds (NaN if it failed)
     * @param rocAuc ROC-AUC of the scores against the corruption mask
     * @param corruptedInTop corrupted examples among the top k, for each k of the grid
     * @param error the one-line message if the method failed, else null
     */
    public record MethodRun(String method, long seed, double seconds, double rocAuc, int[] corruptedInTop,
            String error) {
    }

    /**
     * A base run.
     *
     * @param seed its seed
     * @param trainSize N
     * @param corrupted corrupted examples in D
     * @param query |F_q|
     */
    public record BaseRun(long seed, int trainSize, int corrupted, int query) {
    }

    /** A method over the base runs where it succeeded: mean ± std of the counts, fractions, ROC-AUC and seconds. */
    public record Summary(String method, int runs, Stats.Stat[] count, Stats.Stat[] fraction, Stats.Stat rocAuc,
            Stats.Stat seconds, List<String> errors) {
    }

    /** results.json. */
    public record Report(String scenario, int[] ks, List<BaseRun> bases, List<Summary> summary, List<MethodRun> runs) {
    }

    /** The report with what the image figures need: the first run's D, ground truth and EWC-influence ranking. */
    public record Result(Report report, ExampleSet firstTrain, CorruptedData firstCorruption, Ranking firstEwc) {
    }

    /** Ranks D of every run in {@code runFolders} with every method. */
    public static Result run(String scenario, List<Path> runFolders, List<String> methods, Identifiers.Options options,
            int kMax, TrainRun.Listener listener) {
        List<MethodRun> runs = new ArrayList<>();
        List<BaseRun> bases = new ArrayList<>();
        int[] ks = null;
        ExampleSet firstTrain = null;
        CorruptedData firstCorruption = null;
        Ranking firstEwc = null;
        for (int r = 0; r < runFolders.size(); r++) {
            try (IdentifyRun.Source source = IdentifyRun.Source.load(runFolders.get(r))) {
                long seed = source.trainSeed();
                int n = source.train().size();
                if (ks == null) {
                    ks = kGrid(Math.min(kMax, n));
                }
                bases.add(new BaseRun(seed, n, source.corruption().corruptedCount(), source.defaultQuery().length));
                for (String method : methods) {
                    boolean auxiliary = Identifiers.needsTrajectory(method) && source.trajectory() == null;
                    try {
                        IdentifyRun.Result result = IdentifyRun.identify(source, source.query(), method,
                                options, auxiliary, null, seed, listener);
                        IdentificationMetrics metrics = new IdentificationMetrics(result.ranking(), source.noisy());
                        int[] counts = Arrays.stream(ks).map(k -> metrics.noisyInTopK(Math.min(k, n))).toArray();
                        runs.add(new MethodRun(method, seed, result.seconds(), metrics.rocAuc(), counts, null));
                        listener.stage(String.format(Locale.ROOT, "%s, seed %d: %s in %.1f s, ROC-AUC %.3f", scenario,
                                seed, method, result.seconds(), metrics.rocAuc()));
                        if (r == 0 && method.equals(Identifiers.EWC_INFLUENCE)) {
                            firstEwc = result.ranking();
                        }
                    } catch (AmendException e) {
                        listener.stage(scenario + ", seed " + seed + ": " + method + " failed: " + e.getMessage());
                        runs.add(new MethodRun(method, seed, Double.NaN, Double.NaN, null, e.getMessage()));
                    }
                }
                if (r == 0) {
                    firstTrain = source.train();
                    firstCorruption = source.corruption();
                }
            }
        }
        return new Result(new Report(scenario, ks, bases, summarise(methods, runs, ks), runs), firstTrain,
                firstCorruption, firstEwc);
    }

    /** k = 1, 2, 5 times the powers of ten up to {@code kMax}, and {@code kMax} itself. */
    static int[] kGrid(int kMax) {
        return dev.amend.experiment.IdentifyExperiment.kGrid(kMax, GRID_STEPS);
    }

    static List<Summary> summarise(List<String> methods, List<MethodRun> runs, int[] ks) {
        List<Summary> out = new ArrayList<>();
        for (String method : methods) {
            List<MethodRun> ok = runs.stream().filter(r -> r.method().equals(method) && r.error() == null).toList();
            Stats.Stat[] count = new Stats.Stat[ks.length];
            Stats.Stat[] fraction = new Stats.Stat[ks.length];
            for (int j = 0; j < ks.length; j++) {
                int index = j;
                double[] c = ok.stream().mapToDouble(r -> r.corruptedInTop()[index]).toArray();
                count[j] = Stats.of(c);
                fraction[j] = Stats.of(Arrays.stream(c).map(v -> v / ks[index]).toArray());
            }
            List<String> errors = runs.stream().filter(r -> r.method().equals(method) && r.error() != null)
                    .map(r -> "seed " + r.seed() + ": " + r.error()).toList();
            out.add(new Summary(method, ok.size(), count, fraction,
                    Stats.of(ok.stream().mapToDouble(MethodRun::rocAuc).toArray()),
                    Stats.of(ok.stream().mapToDouble(MethodRun::seconds).toArray()), errors));
        }
        return out;
    }

    /**
     * One row per method: the corrupted examples among the top k at a few k (as counts, or as
     * fractions with {@code fractions}), ROC-AUC and seconds, each mean ± std over the runs.
     */
    public static Table table(Report report, boolean fractions) {
        int[] ks = report.ks();
        List<Integer> columns = new ArrayList<>();
        for (int j = 0; j < ks.length; j++) {
            int k = ks[j];
            if (Arrays.stream(TABLE_KS).anyMatch(t -> t == k) || j == ks.length - 1) {
                columns.add(j);
            }
        }
        List<String> header = new ArrayList<>(List.of("method", "runs"));
        columns.forEach(j -> header.add((fractions ? "frac(" : "corrupted in top ") + ks[j] + (fractions ? ")" : "")));
        header.addAll(List.of("ROC-AUC", "seconds"));
        Table table = new Table(header.toArray(String[]::new));
        for (Summary s : report.summary()) {
            List<Object> row = new ArrayList<>(List.of(s.method(), s.runs()));
            columns.forEach(j -> row.add(fractions ? s.fraction()[j].format(3) : s.count()[j].format(1)));
            row.add(s.rocAuc().format(3));
            row.add(s.seconds().format(1));
            table.addRow(row.toArray());
        }
        return table;
    }

    /**
     * The curve figure: corrupted examples among the top k against k (log axis), mean ± std
     * bands, the oracle dashed; as fractions (Fig. 2(c)) or counts (Fig. 4, with the count a
     * random ranking would give, k M / N, dotted).
     */
    public static LinePlot plot(Report report, String title, boolean fractions) {
        double[] x = Arrays.stream(report.ks()).asDoubleStream().toArray();
        LinePlot.Builder plot = LinePlot.builder().optTitle(title).optXLabel("k (most harmful training examples)")
                .optYLabel(fractions ? "fraction corrupted in top-k" : "corrupted examples in top-k").optLogX(true);
        if (fractions) {
            plot.optYRange(0, 1);
        }
        for (Summary s : report.summary()) {
            if (s.runs() == 0) {
                continue;
            }
            Stats.Stat[] stats = fractions ? s.fraction() : s.count();
            LinePlot.Series series = LinePlot.Series.band(s.method(), x,
                    Arrays.stream(stats).mapToDouble(Stats.Stat::mean).toArray(),
                    Arrays.stream(stats).mapToDouble(Stats.Stat::std).toArray());
            if (s.method().equals(Identifiers.ORACLE)) {
                series = series.withStyle(LinePlot.Style.DASHED).withColor(Color.BLACK);
            }
            plot.addSeries(series);
        }
        return plot.build();
    }

    /** The {@code count} most harmful positions of the ranking (most harmful first). */
    public static int[] most(Ranking ranking, int count) {
        return Arrays.copyOf(ranking.order(), Math.min(count, ranking.size()));
    }

    /** The {@code count} least harmful positions of the ranking (least harmful first). */
    public static int[] least(Ranking ranking, int count) {
        int[] order = ranking.order();
        int c = Math.min(count, order.length);
        int[] out = new int[c];
        for (int i = 0; i < c; i++) {
            out[i] = order[order.length - 1 - i];
        }
        return out;
    }

    /**
     * The examples at {@code positions} of D as CSV ({@value #CSV_HEADER}): rank 1 is the first
     * position given; row is the example's row in the data set's training file; the labels are
     * class names; corrupted says whether the scenario changed the example (its label or image).
     */
    public static String csv(ExampleSet train, CorruptedData truth, Ranking ranking, int[] positions) {
        List<String> names = train.classNames();
        StringBuilder text = new StringBuilder(CSV_HEADER).append('\n');
        for (int r = 0; r < positions.length; r++) {
            int i = positions[r];
            text.append(r + 1).append(',').append(i).append(',').append(train.row(i)).append(',')
                    .append(String.format(Locale.ROOT, "%.6g", ranking.score(i))).append(',')
                    .append(quote(names.get(train.label(i)))).append(',')
                    .append(quote(names.get(truth.originalLabel(i)))).append(',')
                    .append(truth.isCorrupted(i)).append('\n');
        }
        return text.toString();
    }

    private static String quote(String field) {
        return field.contains(",") || field.contains("\"") ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
    }

    /** An image grid of the examples at {@code positions}, captioned "7 (was 1) r=0.83", "7 (noisy) r=..." or "7 r=...". */
    public static ImageGrid grid(ExampleSet train, CorruptedData truth, Ranking ranking, int[] positions, String title) {
        List<String> names = train.classNames();
        List<String> captions = new ArrayList<>();
        for (int i : positions) {
            String was = truth.isLabelChanged(i) ? " (was " + names.get(truth.originalLabel(i)) + ")"
                    : truth.isCorrupted(i) ? " (noisy)" : "";
            captions.add(String.format(Locale.ROOT, "%s%s r=%.3g", names.get(train.label(i)), was, ranking.score(i)));
        }
        return ImageGrid.builder(train).setIndices(positions).optCaptions(captions).optTitle(title).build();
    }

    /** Writes {@code name}.csv and {@code name}.png of the examples at {@code positions} into {@code folder}. */
    static void writeImages(Path folder, String name, Result result, int[] positions, String title)
            throws IOException {
        Files.writeString(folder.resolve(name + ".csv"),
                csv(result.firstTrain(), result.firstCorruption(), result.firstEwc(), positions));
        grid(result.firstTrain(), result.firstCorruption(), result.firstEwc(), positions, title)
                .write(folder.resolve(name + ".png"));
    }
}
