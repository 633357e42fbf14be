package dev.amend.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amend.AmendException;
import dev.amend.data.DataSpec;
import dev.amend.data.DatasetStore;
import dev.amend.data.ExampleSet;
import dev.amend.identify.RankingIo;
import dev.amend.provenance.RunFiles;
import dev.amend.run.IdentifyRun;
import dev.amend.run.ValidationSource;
import dev.amend.run.format.RepairDirectory;
import dev.amend.run.format.RepairMetrics;
import dev.amend.run.format.RunDirectory;
import dev.amend.util.AtomicFiles;
import dev.amend.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code report.html} of a result folder (docs/report.md): one self-contained page that says what
 * was run on what (provenance and spec), what came out (the before/after table and the
 * acceptance verdict of a repair, the metrics of a run or identification), the folder's plots,
 * and image grids: the most and least harmful training examples with their given and, when
 * known, original labels; for a repair the failures it fixed, those still failing and the
 * correct test examples it broke, each with the prediction before and after.
 *
 * <p>Reads only files: a training run, an identification, a treat or repair folder, or an
 * experiment folder (its PNG figures, table.md and the rows of {@code fig7*.csv} and
 * {@code fig8*.csv}). Images of a repair come from the folder itself; those of a run,
 * identification or experiment from the data its spec names, and are left out with a note when
 * that data cannot be read.
 */
public final class HtmlReport {
    /** The file written into the folder. */
    public static final String FILE = "report.html";
    private static final String PROVENANCE = RunFiles.PROVENANCE;
    private static final String RESULTS = "results.json";
    private static final String TABLE_MD = "table.md";
    private static final String PAPER_SUMMARY = "summary.json";
    private static final String PART_JSON = "part.json";

    private HtmlReport() {
    }

    /**
     * Writes {@code folder/report.html} atomically and returns it.
     *
     * @throws AmendException if {@code folder} is missing or holds no amend result
     */
    public static Path write(Path folder) {
        HtmlPage page = render(folder);
        Path file = folder.resolve(FILE);
        byte[] bytes = page.bytes();
        AtomicFiles.write(file, out -> out.write(bytes));
        return file;
    }

    /** The page for {@code folder}, not written. */
    public static HtmlPage render(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new AmendException("no amend result in " + folder + ": " + (Files.exists(folder)
                    ? "it is a file, not a folder" : "the folder does not exist"));
        }
        if (RepairDirectory.isRepairFolder(folder)) {
            return repair(folder);
        }
        if (RunDirectory.isRunFolder(folder)) {
            return run(folder);
        }
        if (IdentifyRun.isIdentifyFolder(folder)) {
            return identification(folder);
        }
        if (isPaperFolder(folder)) {
            return paper(folder);
        }
        if (isExperimentFolder(folder)) {
            return experiment(folder);
        }
        throw new AmendException("no amend result in " + folder + ": expected a run, identification, treat or repair,"
                + " or experiment folder (spec.json with the result files beside it)");
    }

    /** An {@code amend experiment paper} folder: summary.json beside the parts' folders. */
    private static boolean isPaperFolder(Path folder) {
        return Files.isRegularFile(folder.resolve(PAPER_SUMMARY)) && !paperParts(folder).isEmpty();
    }

    /** The finished parts of a paper folder (a part.json and an experiment's files), in name order. */
    private static List<Path> paperParts(Path folder) {
        try (Stream<Path> children = Files.list(folder)) {
            return children.filter(c -> Files.isRegularFile(c.resolve(PART_JSON)) && isExperimentFolder(c)).sorted()
                    .toList();
        } catch (IOException e) {
            throw new AmendException("cannot read folder " + folder + ": " + e.getMessage(), e);
        }
    }

    private static boolean isExperimentFolder(Path folder) {
        return Files.isRegularFile(folder.resolve(RunFiles.SPEC)) && (Files.isRegularFile(folder.resolve(RESULTS))
                || !files(folder, "fig", ".csv").isEmpty());
    }

    // ---- repair -------------------------------------------------------------------------------

    private static HtmlPage repair(Path folder) {
        RepairMetrics m = Json.read(folder.resolve(RepairDirectory.METRICS), RepairMetrics.class);
        JsonNode spec = tree(folder.resolve(RunFiles.SPEC));
        HtmlPage page = new HtmlPage("amend " + command(folder, "repair") + ": " + folder.getFileName());
        RepairMetrics.Acceptance acc = m.acceptance();
        if (acc != null) {
            page.verdict((acc.accepted() ? "ACCEPTED: use the repaired model. " : "NOT ACCEPTED: keep the original "
                    + "model. ") + acc.reason(), acc.accepted());
        }
        if (m.notes() != null && !m.notes().isEmpty()) {
            // What the command printed as amend: note: ..., beside the verdict it may qualify.
            page.heading(2, "Notes");
            m.notes().forEach(page::note);
        }
        provenance(page, folder, spec);

        page.heading(2, "Before and after");
        page.note("Accuracy of the original model (before) and the repaired one (after). A repair is good when the "
                + "held-out failures F_h rise while the rest of the test set T\\F stays where it was; the test sets "
                + "never decide anything, the acceptance check below uses only the validation split and F_q_val.");
        page.table(beforeAfter(m));
        RepairMetrics.Causes c = m.causes();
        page.paragraph(String.format(Locale.ROOT, "Causes: %d of %d training examples removed%s%s%s.", c.count(),
                m.sizes().train(), m.identification() == null ? "" : ", ranked by " + m.identification().method(),
                c.selection() == null ? "" : " (" + c.selection() + ")", c.corrupted() == null
                        ? "; ground truth unknown" : String.format(Locale.ROOT, "; %d of them truly corrupted (%.0f%%)",
                        c.corrupted(), 100.0 * c.corrupted() / Math.max(1, c.count()))));
        page.paragraph(String.format(Locale.ROOT, "Treatment: %s, %.1f s, ||theta_rep - theta*|| = %.4g.", m.method(),
                m.seconds(), m.parameterDistance()));
        if (acc != null) {
            page.heading(3, "Acceptance check");
            Table checks = new Table("check set", "size", "accuracy before", "accuracy after", "loss before",
                    "loss after");
            checkRow(checks, "validation", acc.validation());
            checkRow(checks, "unflagged validation", acc.unflaggedValidation());
            checkRow(checks, "F_q_val", acc.queryValidation());
            page.table(checks);
            page.note("Decided on " + (acc.checkSet() == null ? "no check set" : acc.checkSet()) + " with an allowed "
                    + "fall of " + String.format(Locale.ROOT, "%.1f", acc.tolerance() * 100) + " points: "
                    + acc.reason() + ".");
        }
        if (m.auto() != null) {
            autoSection(page, m.auto());
        }
        rankingQuality(page, folder);
        repairGrids(page, folder, spec);
        return page;
    }

    /**
     * The before/after table of a repair: accuracy of theta* and theta_rep on F_q, F_h, T\F and T
     * with the sizes and the change; the same table the command line prints.
     */
    public static Table beforeAfter(RepairMetrics m) {
        RepairMetrics.Accuracies b = m.before();
        RepairMetrics.Accuracies a = m.after();
        RepairMetrics.Sizes n = m.sizes();
        // With V held out of the test set (a model brought from elsewhere), T and T\\F are measured without it.
        ValidationSource v = m.acceptance() == null ? null : m.acceptance().validationSource();
        boolean heldOut = v != null && v.heldOutOfTest();
        Table table = new Table("set", "size", "before", "after", "change");
        row(table, "F_q (query failures)", n.fq(), b.fq(), a.fq());
        row(table, "F_h (holdout failures)", n.fh(), b.fh(), a.fh());
        row(table, heldOut ? "T\\F (rest of the test set, V out)" : "T\\F (rest of the test set)", n.remaining(),
                b.remaining(), a.remaining());
        row(table, heldOut ? "T (test set without V)" : "T (whole test set)", n.test(), b.test(), a.test());
        return table;
    }

    private static void row(Table table, String name, int size, Double before, Double after) {
        Double change = before == null || after == null ? null : after - before;
        table.addRow(name, size, before, after, change == null ? null : String.format(Locale.ROOT, "%+.4f", change));
    }

    private static void checkRow(Table t, String name, RepairMetrics.Check c) {
        if (c != null) {
            t.addRow(name, c.size(), c.accuracyBefore(), c.accuracyAfter(), c.lossBefore(), c.lossAfter());
        }
    }

    private static void autoSection(HtmlPage page, RepairMetrics.AutoK auto) {
        page.heading(3, "Choosing k (top-k:auto)");
        page.note("Each k was tried; the accepted candidate with the lowest loss on the validation split and F_q_val "
                + "is kept (marked *). The F_h and T columns are held-out measurements, not used for the choice.");
        Table t = new Table("k", "accepted", "check loss", "corrupted", "F_h after", "T\\F after", "T after");
        List<RepairMetrics.Candidate> cs = auto.candidates();
        double[] k = new double[cs.size()];
        double[] loss = new double[cs.size()];
        double[] fh = new double[cs.size()];
        double[] rest = new double[cs.size()];
        for (int i = 0; i < cs.size(); i++) {
            RepairMetrics.Candidate c = cs.get(i);
            t.addRow(c.k() + (auto.chosen() != null && auto.chosen() == c.k() ? " *" : ""), c.accepted() ? "yes" : "no",
                    c.checkLoss(), c.corrupted(), c.after().fh(), c.after().remaining(), c.after().test());
            k[i] = c.k();
            loss[i] = c.checkLoss();
            fh[i] = c.after().fh() == null ? Double.NaN : c.after().fh();
            rest[i] = c.after().remaining() == null ? Double.NaN : c.after().remaining();
        }
        page.table(t);
        if (cs.size() > 1) {
            page.plot(LinePlot.builder().optTitle("Accuracy after removing the top k").optXLabel("k (causes removed)")
                    .optYLabel("accuracy").optLogX(true).optYRange(0, 1).optSize(760, 380)
                    .addSeries(LinePlot.Series.line("F_h", k, fh).withStyle(LinePlot.Style.LINE_POINTS))
                    .addSeries(LinePlot.Series.line("T\\F", k, rest).withStyle(LinePlot.Style.LINE_POINTS))
                    .build(), "accuracy against k", "");
            page.plot(LinePlot.builder().optTitle("Check loss (what the choice minimises)").optXLabel("k (causes removed)")
                    .optYLabel("mean loss on V and F_q_val").optLogX(true).optSize(760, 320)
                    .addSeries(LinePlot.Series.line("check loss", k, loss).withStyle(LinePlot.Style.LINE_POINTS))
                    .build(), "check loss against k", "");
        }
    }

    private static void repairGrids(HtmlPage page, Path folder, JsonNode spec) {
        Path trainFile = folder.resolve(RepairDirectory.SHOWN_TRAIN);
        Path testFile = folder.resolve(RepairDirectory.SHOWN_TEST);
        if (!Files.isRegularFile(trainFile) || !Files.isRegularFile(testFile)) {
            page.heading(2, "Images");
            page.note("This folder was written before repairs saved the examples a report shows; run the repair again "
                    + "to see them.");
            return;
        }
        ExampleSet train = DatasetStore.load(trainFile);
        List<String[]> causes = csvRows(folder.resolve(RepairDirectory.CAUSES));
        Map<Integer, Integer> original = originalLabels(folder, spec);
        int top = Math.min(RepairDirectory.SHOWN, causes.size());
        page.heading(2, "The most harmful training examples");
        page.note("The first " + top + " of the " + causes.size() + " removed examples, most harmful first. Caption: "
                + "the label trained on" + (original == null ? "" : ", and the original label where the scenario changed"
                + " it (was ...)") + ".");
        List<Integer> topPositions = new ArrayList<>();
        List<String> topCaptions = new ArrayList<>();
        for (int j = 0; j < top; j++) {
            String[] f = causes.get(j);
            topPositions.add(j);
            topCaptions.add(trainCaption(train, j, Integer.parseInt(f[1]), original, null));
        }
        grid(page, train, topPositions, topCaptions, "most harmful (removed)");
        if (train.size() > top) {
            List<String[]> ranking = csvRows(folder.resolve(RankingIo.CSV));
            page.heading(2, "The least harmful training examples");
            page.note("The last " + (train.size() - top) + " of the ranking of all " + ranking.size() + " training "
                    + "examples, least harmful last; s is the score (higher = more harmful).");
            List<Integer> positions = new ArrayList<>();
            List<String> captions = new ArrayList<>();
            int first = ranking.size() - (train.size() - top);
            for (int j = top; j < train.size(); j++) {
                String[] f = ranking.get(first + j - top);
                positions.add(j);
                captions.add(trainCaption(train, j, Integer.parseInt(f[0]), original, Double.parseDouble(f[2])));
            }
            grid(page, train, positions, captions, "least harmful");
        }

        ExampleSet test = DatasetStore.load(testFile);
        Map<Integer, String[]> predictions = new HashMap<>();
        int fixed = 0;
        int failing = 0;
        int broken = 0;
        for (String[] f : csvRows(folder.resolve(RepairDirectory.PREDICTIONS))) {
            predictions.put(Integer.parseInt(f[0]), f);
            switch (kind(f)) {
                case FIXED -> fixed++;
                case FAILING -> failing++;
                case BROKEN -> broken++;
                default -> { }
            }
        }
        Map<Kind, List<Integer>> shown = new HashMap<>();
        Map<Kind, List<String>> captions = new HashMap<>();
        for (int i = 0; i < test.size(); i++) {
            String[] f = predictions.get(test.row(i));
            if (f == null) {
                continue;
            }
            Kind k = kind(f);
            shown.computeIfAbsent(k, x -> new ArrayList<>()).add(i);
            List<String> names = test.classNames();
            captions.computeIfAbsent(k, x -> new ArrayList<>()).add(String.format(Locale.ROOT, "%s%s -> %s, true %s",
                    f[2].startsWith("F_") ? f[2] + ": " : "", name(names, f[3]), name(names, f[4]), name(names, f[1])));
        }
        page.heading(2, "Test examples");
        page.note("Caption: the set (F_q the query failures the repair was shown, F_h the holdout failures it was not), "
                + "the prediction before -> after the repair, and the true label. Up to " + RepairDirectory.SHOWN
                + " of each kind; F_h first.");
        testGrid(page, test, shown, captions, Kind.FIXED, "Failures fixed", fixed);
        testGrid(page, test, shown, captions, Kind.FAILING, "Failures still failing", failing);
        testGrid(page, test, shown, captions, Kind.BROKEN, "Correct test examples the repair broke (T\\F now wrong)",
                broken);
    }

    private enum Kind { FIXED, FAILING, BROKEN, OTHER }

    private static Kind kind(String[] f) {
        boolean failure = f[2].equals("F_q") || f[2].equals("F_h");
        boolean right = f[4].equals(f[1]);
        if (failure) {
            return right ? Kind.FIXED : Kind.FAILING;
        }
        return f[2].equals("T_minus_F") && !right ? Kind.BROKEN : Kind.OTHER;
    }

    private static void testGrid(HtmlPage page, ExampleSet test, Map<Kind, List<Integer>> shown,
            Map<Kind, List<String>> captions, Kind kind, String title, int total) {
        List<Integer> positions = shown.getOrDefault(kind, List.of());
        page.heading(3, title + ": " + total);
        if (positions.isEmpty()) {
            page.note("None.");
            return;
        }
        page.note(positions.size() < total ? positions.size() + " of " + total + " shown." : "All shown.");
        grid(page, test, positions, captions.get(kind), title);
    }

    /** Original labels by position in D from the run's mask.csv, when the repair's run can be found. */
    private static Map<Integer, Integer> originalLabels(Path folder, JsonNode spec) {
        Path run = resolve(folder, text(spec, "run"));
        if (run == null || !Files.isRegularFile(run.resolve(RunDirectory.MASK))) {
            return null;
        }
        return originalLabels(run);
    }

    private static Map<Integer, Integer> originalLabels(Path run) {
        Map<Integer, Integer> original = new HashMap<>();
        for (String[] f : csvRows(run.resolve(RunDirectory.MASK))) {
            original.put(Integer.parseInt(f[0]), Integer.parseInt(f[3]));
        }
        return original;
    }

    private static String trainCaption(ExampleSet shown, int j, int position, Map<Integer, Integer> original,
            Double score) {
        List<String> names = shown.classNames();
        int label = shown.label(j);
        Integer was = original == null ? null : original.get(position);
        String text = names.get(label) + (was != null && was != label ? " (was " + names.get(was) + ")" : "");
        return score == null ? text : text + String.format(Locale.ROOT, " s=%.3g", score);
    }

    // ---- training run -------------------------------------------------------------------------

    private static HtmlPage run(Path folder) {
        JsonNode spec = tree(folder.resolve(RunFiles.SPEC));
        HtmlPage page = new HtmlPage("amend " + command(folder, "train") + ": " + folder.getFileName());
        provenance(page, folder, spec);
        JsonNode metrics = tree(folder.resolve(RunDirectory.METRICS));
        page.heading(2, "Results");
        Table sets = new Table("set", "size", "accuracy", "mean loss");
        sets.addRow("D (training, as trained on)", metrics.at("/train/size").asInt(),
                metrics.at("/train/accuracy").asDouble(), metrics.at("/train/loss").asDouble());
        sets.addRow("validation", metrics.at("/validation/size").asInt(), metrics.at("/validation/accuracy").asDouble(),
                metrics.at("/validation/loss").asDouble());
        sets.addRow("T (test)", metrics.at("/test/size").asInt(), metrics.at("/test/accuracy").asDouble(),
                metrics.at("/test/loss").asDouble());
        page.table(sets);
        page.paragraph(String.format(Locale.ROOT, "Scenario %s: %d of %d training examples corrupted (%d labels changed)."
                + " Failures F: %d misclassified test examples, halved into F_q (%d, for identification) and F_h (%d,"
                + " held out); T\\F: %d. Training: %s, %d epochs run, epoch %d kept, %.1f s.",
                metrics.at("/scenario/name").asText(), metrics.at("/train/corrupted").asInt(),
                metrics.at("/train/size").asInt(), metrics.at("/train/labelsChanged").asInt(),
                metrics.at("/failures/failures").asInt(), metrics.at("/failures/query").asInt(),
                metrics.at("/failures/holdout").asInt(), metrics.at("/failures/remaining").asInt(),
                metrics.at("/training/method").asText(), metrics.at("/training/epochsRun").asInt(),
                metrics.at("/training/bestEpoch").asInt(), metrics.at("/training/seconds").asDouble()));
        List<String[]> history = csvRows(folder.resolve(RunDirectory.HISTORY));
        if (!history.isEmpty()) {
            page.heading(2, "Training");
            double[] epoch = column(history, 0);
            // Markers help with a few epochs and clutter many.
            LinePlot.Style style = epoch.length <= 25 ? LinePlot.Style.LINE_POINTS : LinePlot.Style.LINE;
            page.plot(LinePlot.builder().optTitle("Loss per epoch").optXLabel("epoch").optYLabel("mean cross-entropy")
                    .optSize(760, 360).optIntegerX(true).addSeries(LinePlot.Series.line("training", epoch, column(history, 1))
                            .withStyle(style))
                    .addSeries(LinePlot.Series.line("validation", epoch, column(history, 3)).withStyle(style)).build(), "loss per epoch", "");
            page.plot(LinePlot.builder().optTitle("Validation accuracy per epoch").optXLabel("epoch")
                    .optYLabel("accuracy").optSize(760, 320).optIntegerX(true).addSeries(LinePlot.Series.line("validation", epoch,
                            column(history, 2)).withStyle(style)).build(),
                    "validation accuracy per epoch", "");
        }
        ExampleSet train = DatasetStore.load(folder.resolve(RunDirectory.TRAIN_DATA));
        Map<Integer, Integer> original = originalLabels(folder);
        List<Integer> corrupted = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (String[] f : csvRows(folder.resolve(RunDirectory.MASK))) {
            if (f[4].equals("1") && corrupted.size() < RepairDirectory.SHOWN) {
                int i = Integer.parseInt(f[0]);
                corrupted.add(i);
                captions.add(trainCaption(train, i, i, original, null));
            }
        }
        if (!corrupted.isEmpty()) {
            page.heading(2, "Corrupted training examples");
            page.note("The first " + corrupted.size() + " training examples the scenario corrupted, with the label "
                    + "trained on and the original label where it changed.");
            grid(page, train, corrupted, captions, "corrupted");
        }
        return page;
    }

    // ---- identification -----------------------------------------------------------------------

    private static HtmlPage identification(Path folder) {
        JsonNode spec = tree(folder.resolve(RunFiles.SPEC));
        HtmlPage page = new HtmlPage("amend " + command(folder, "identify") + ": " + folder.getFileName());
        provenance(page, folder, spec);
        JsonNode info = tree(folder.resolve(RankingIo.JSON));
        page.heading(2, "Ranking");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"method", info.path("method").asText()});
        rows.add(new String[] {"seconds", info.path("seconds").isNumber()
                ? String.format(Locale.ROOT, "%.2f", info.get("seconds").asDouble()) : "-"});
        rows.add(new String[] {"training examples N", info.path("n").asText()});
        rows.addAll(flatten(info.path("settings"), "settings.", 1));
        page.keyValues(rows);
        rankingQuality(page, folder);
        List<String[]> ranking = csvRows(folder.resolve(RankingIo.CSV));
        ExampleSet train = identificationTrain(folder, spec);
        if (train == null) {
            page.note("The training images are not shown: the run or data named in spec.json cannot be read from here.");
            return page;
        }
        Path run = resolve(folder, text(spec, "run"));
        Map<Integer, Integer> original = run != null && Files.isRegularFile(run.resolve(RunDirectory.MASK))
                ? originalLabels(run) : null;
        int shown = Math.min(RepairDirectory.SHOWN, ranking.size());
        page.heading(2, "The most harmful training examples");
        rankingGrid(page, train, ranking.subList(0, shown), original, "most harmful");
        page.heading(2, "The least harmful training examples");
        rankingGrid(page, train, ranking.subList(ranking.size() - shown, ranking.size()), original, "least harmful");
        return page;
    }

    private static void rankingGrid(HtmlPage page, ExampleSet train, List<String[]> rows, Map<Integer, Integer> original,
            String title) {
        List<Integer> positions = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (String[] f : rows) {
            int i = Integer.parseInt(f[0]);
            positions.add(i);
            captions.add(trainCaption(train, i, i, original, Double.parseDouble(f[2])));
        }
        page.note("Caption: the label trained on" + (original == null ? "" : " (was: the original label)")
                + " and the score s (higher = more harmful).");
        grid(page, train, positions, captions, title);
    }

    /** D of an identification: the run's train-data.bin, or the training part of the data its spec names. */
    private static ExampleSet identificationTrain(Path folder, JsonNode spec) {
        Path run = resolve(folder, text(spec, "run"));
        if (run != null && Files.isRegularFile(run.resolve(RunDirectory.TRAIN_DATA))) {
            return DatasetStore.load(run.resolve(RunDirectory.TRAIN_DATA));
        }
        ExampleSet train = dataTrain(spec);
        return train;
    }

    /** frac(k) of ranking.json against k, when the ground truth was known. */
    private static void rankingQuality(HtmlPage page, Path folder) {
        Path file = folder.resolve(RankingIo.JSON);
        if (!Files.isRegularFile(file)) {
            return;
        }
        JsonNode metrics = tree(file).path("metrics");
        if (!metrics.isObject() || metrics.path("noisy").asInt() == 0) {
            return;
        }
        page.heading(2, "Ranking quality");
        page.paragraph(String.format(Locale.ROOT, "%d of %d training examples were corrupted. ROC-AUC %.3f; the "
                + "selection of %d has precision %.3f and recall %.3f.", metrics.path("noisy").asInt(),
                metrics.path("n").asInt(), metrics.path("rocAuc").asDouble(), metrics.path("selected").asInt(),
                metrics.path("precision").asDouble(), metrics.path("recall").asDouble()));
        double[] ks = numbers(metrics.path("ks"));
        double[] fractions = numbers(metrics.path("fractions"));
        if (ks.length > 1 && ks.length == fractions.length) {
            page.plot(LinePlot.builder().optTitle("Corrupted examples among the top k").optXLabel("k")
                    .optYLabel("fraction corrupted in top k").optLogX(true).optYRange(0, 1).optSize(760, 360)
                    .addSeries(LinePlot.Series.line("ranking", ks, fractions).withStyle(LinePlot.Style.LINE_POINTS))
                    .build(), "fraction corrupted in the top k", "");
        }
    }

    // ---- experiment ---------------------------------------------------------------------------

    private static HtmlPage experiment(Path folder) {
        JsonNode spec = tree(folder.resolve(RunFiles.SPEC));
        HtmlPage page = new HtmlPage("amend " + command(folder, "experiment") + ": " + folder.getFileName());
        provenance(page, folder, spec);
        experimentBody(page, folder, spec, 2);
        return page;
    }

    /**
     * An {@code amend experiment paper} folder on one page: what ran, the seconds of every part,
     * then each finished part's table, figures and image grids in turn.
     */
    private static HtmlPage paper(Path folder) {
        JsonNode summary = tree(folder.resolve(PAPER_SUMMARY));
        HtmlPage page = new HtmlPage("amend " + command(folder, "experiment paper") + ": " + folder.getFileName());
        provenance(page, folder, summary.path("spec"));
        List<Path> parts = paperParts(folder);
        page.heading(2, "Parts");
        Table t = new Table("part", "seconds", "finished", "headline");
        for (Path part : parts) {
            JsonNode p = tree(part.resolve(PART_JSON));
            List<String> headline = new ArrayList<>();
            p.path("headline").fields().forEachRemaining(e -> headline.add(e.getKey() + ": " + e.getValue().asText()));
            t.addRow(part.getFileName().toString(), String.format(Locale.ROOT, "%.0f", p.path("seconds").asDouble()),
                    p.path("finished").asText(), String.join("; ", headline));
        }
        page.table(t);
        for (Path part : parts) {
            page.heading(2, "Part " + part.getFileName());
            experimentBody(page, part, tree(part.resolve(RunFiles.SPEC)), 3);
        }
        return page;
    }

    /** An experiment's table, figures (its own and its sub-folders' PNGs) and image grids, headed at {@code level}. */
    private static void experimentBody(HtmlPage page, Path folder, JsonNode spec, int level) {
        if (Files.isRegularFile(folder.resolve(TABLE_MD))) {
            page.heading(level, "Results");
            page.markdown(read(folder.resolve(TABLE_MD)));
        }
        List<Path> pngs = new ArrayList<>(files(folder, "", ".png"));
        try (Stream<Path> children = Files.list(folder)) {
            for (Path child : children.filter(Files::isDirectory).sorted().toList()) {
                pngs.addAll(files(child, "", ".png"));
            }
        } catch (IOException e) {
            throw new AmendException("cannot read folder " + folder + ": " + e.getMessage(), e);
        }
        if (!pngs.isEmpty()) {
            page.heading(level, "Figures");
            for (Path png : pngs) {
                // A plot written as PNG and SVG (LinePlot#writePngAndSvg) is inlined as its SVG.
                Path svg = LinePlot.svgSibling(png);
                if (Files.isRegularFile(svg)) {
                    page.svg(read(svg), svg.getFileName().toString(), folder.relativize(svg).toString());
                } else {
                    page.png(bytes(png), png.getFileName().toString(), folder.relativize(png).toString());
                }
            }
        }
        List<Path> grids = new ArrayList<>(files(folder, "fig2d", ".csv"));
        grids.addAll(files(folder, "fig7", ".csv"));
        grids.addAll(files(folder, "fig8", ".csv"));
        if (!grids.isEmpty()) {
            page.heading(level, "Least and most harmful training images (Fig. 2(d), 7 and 8)");
            ExampleSet train = dataTrain(spec);
            if (train == null) {
                page.note("The images are not shown: the data named in spec.json cannot be read from here.");
            }
            for (Path csv : grids) {
                figureGrid(page, csv, train, level + 1);
            }
        }
    }

    /**
     * A fig2d*.csv, fig7*.csv or fig8*.csv (the header names the columns: row, score, given_label
     * and original_label are read, others ignored; labels are class names or class numbers).
     */
    private static void figureGrid(HtmlPage page, Path csv, ExampleSet train, int level) {
        List<String[]> lines = csvLines(csv);
        page.heading(level, csv.getFileName().toString());
        if (lines.isEmpty()) {
            page.note("The file is empty.");
            return;
        }
        List<String> header = List.of(lines.get(0));
        int row = header.indexOf("row");
        int score = header.indexOf("score");
        int given = header.indexOf("given_label");
        int original = header.indexOf("original_label");
        if (row < 0 || score < 0 || given < 0) {
            throw new AmendException(csv + " has no row, score and given_label columns (its header: "
                    + String.join(",", header) + ")");
        }
        List<String[]> rows = lines.subList(1, lines.size());
        java.util.function.BiFunction<String[], Integer, String> at = (f, c) -> c >= 0 && c < f.length ? f[c] : "";
        if (train == null) {
            Table t = new Table("row", "score", "given label", "original label");
            rows.forEach(f -> t.addRow(at.apply(f, row), at.apply(f, score), at.apply(f, given), at.apply(f, original)));
            page.table(t);
            return;
        }
        Map<Integer, Integer> positionOfRow = new HashMap<>();
        for (int i = 0; i < train.size(); i++) {
            positionOfRow.put(train.row(i), i);
        }
        List<Integer> positions = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        List<String> names = train.classNames();
        for (String[] f : rows) {
            Integer i = null;
            try {
                i = positionOfRow.get(Integer.parseInt(at.apply(f, row)));
            } catch (NumberFormatException e) {
                // reported below
            }
            if (i == null) {
                throw new AmendException(csv + " names training row " + at.apply(f, row) + ", which the data of "
                        + "spec.json does not have");
            }
            positions.add(i);
            String g = at.apply(f, given);
            String o = at.apply(f, original);
            String was = !o.isEmpty() && !o.equals(g) ? " (was " + name(names, o) + ")" : "";
            captions.add(name(names, g) + was + " s=" + at.apply(f, score));
        }
        page.note("Caption: the label trained on, the original label where it differs, and the score s.");
        grid(page, train, positions, captions, csv.getFileName().toString());
    }

    /** The training part of the data a spec names (keys data, poolSize, dataSeed, searched at any depth), or null. */
    private static ExampleSet dataTrain(JsonNode spec) {
        JsonNode holder = spec.findParent("data");
        if (holder == null || !holder.get("data").isTextual()) {
            return null;
        }
        try {
            DataSpec data = DataSpec.parse(holder.get("data").asText());
            int pool = holder.path("poolSize").isNumber() ? holder.get("poolSize").asInt() : data.defaultPoolSize();
            long seed = holder.path("dataSeed").isNumber() ? holder.get("dataSeed").asLong() : 0;
            return data.load(pool, seed).train();
        } catch (AmendException e) {
            return null;
        }
    }

    // ---- shared -------------------------------------------------------------------------------

    /** What was run on what: the command line, versions and machine, and the spec. */
    private static void provenance(HtmlPage page, Path folder, JsonNode spec) {
        page.heading(2, "What was run");
        Path file = folder.resolve(PROVENANCE);
        if (Files.isRegularFile(file)) {
            JsonNode p = tree(file);
            StringBuilder line = new StringBuilder("amend");
            for (JsonNode a : p.path("arguments")) {
                line.append(' ').append(a.asText());
            }
            page.preformatted(line.toString());
            JsonNode engine = p.path("engine");
            page.keyValues(List.of(
                    new String[] {"started", p.path("startTime").asText()},
                    new String[] {"amend", p.path("amendVersion").asText()},
                    new String[] {"engine", engine.path("name").asText() + " " + engine.path("version").asText()
                            + " (DJL " + engine.path("djlVersion").asText() + "), " + engine.path("threads").asText()
                            + " thread(s)"},
                    new String[] {"machine", p.path("cpu").asText() + ", " + p.path("cores").asText() + " cores, "
                            + p.path("os").asText() + ", Java " + p.path("javaVersion").asText()},
                    new String[] {"seed", p.path("seed").asText()}));
        } else {
            page.note("No provenance.json in this folder.");
        }
        page.heading(3, "Settings (spec.json)");
        page.keyValues(flatten(spec, "", 1));
    }

    /** The command's name from provenance.json, or {@code fallback}. */
    private static String command(Path folder, String fallback) {
        Path file = folder.resolve(PROVENANCE);
        if (!Files.isRegularFile(file)) {
            return fallback;
        }
        String command = tree(file).path("command").asText("");
        return command.isEmpty() ? fallback : command;
    }

    /** name = value rows of a JSON object, nested objects as dotted names down to {@code depth}, deeper as JSON. */
    private static List<String[]> flatten(JsonNode node, String prefix, int depth) {
        List<String[]> rows = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isObject() && depth > 1) {
                rows.addAll(flatten(v, prefix + e.getKey() + ".", depth - 1));
            } else if (!v.isNull()) {
                rows.add(new String[] {prefix + e.getKey(), compact(v)});
            }
        }
        return rows;
    }

    /** A value as short text: numbers to four significant decimals, objects as "name=value, ...". */
    private static String compact(JsonNode v) {
        if (v.isFloatingPointNumber()) {
            double d = v.asDouble();
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return Long.toString((long) d);
            }
            String shortest = Double.toString(d);
            return shortest.length() <= 10 ? shortest : String.format(Locale.ROOT, "%.4g", d);
        }
        if (v.isValueNode()) {
            return v.asText();
        }
        StringBuilder text = new StringBuilder();
        if (v.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNull()) {
                    text.append(text.length() == 0 ? "" : ", ").append(e.getKey()).append('=')
                            .append(compact(e.getValue()));
                }
            }
        } else {
            for (JsonNode item : v) {
                text.append(text.length() == 0 ? "" : ", ").append(compact(item));
            }
        }
        return text.toString();
    }

    private static void grid(HtmlPage page, ExampleSet data, List<Integer> positions, List<String> captions,
            String alt) {
        if (!ImageGrid.canShow(data)) {
            // Feature vectors and images of other channel counts: the examples are listed, not drawn.
            page.paragraph(alt + ": rows " + positions.stream().map(i -> String.valueOf(data.row(i)))
                    .collect(java.util.stream.Collectors.joining(", ")) + " (not images amend can draw: "
                    + data.shapeString() + ")");
            return;
        }
        int[] indices = positions.stream().mapToInt(Integer::intValue).toArray();
        page.png(ImageGrid.builder(data).setIndices(indices).optCaptions(captions).optColumns(8).build().pngBytes(),
                alt, "");
    }

    /** A label as its class name: a class number is looked up, a name is kept. */
    private static String name(List<String> names, String label) {
        try {
            int c = Integer.parseInt(label);
            return c >= 0 && c < names.size() ? names.get(c) : label;
        } catch (NumberFormatException e) {
            return label;
        }
    }

    /** A path from a spec: as given (relative to the working folder), else beside the result folder's parent. */
    private static Path resolve(Path folder, String path) {
        if (path == null) {
            return null;
        }
        Path p = Path.of(path);
        if (Files.isDirectory(p)) {
            return p;
        }
        Path parent = folder.toAbsolutePath().getParent();
        if (!p.isAbsolute() && parent != null && Files.isDirectory(parent.resolve(p.getFileName()))) {
            return parent.resolve(p.getFileName());
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static JsonNode tree(Path file) {
        try {
            return Json.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new AmendException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static double[] numbers(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).asDouble();
        }
        return v;
    }

    private static double[] column(List<String[]> rows, int c) {
        return rows.stream().mapToDouble(f -> c < f.length && !f[c].isEmpty() ? Double.parseDouble(f[c]) : Double.NaN)
                .toArray();
    }

    /** The data lines of a CSV file with a header, split on commas. */
    private static List<String[]> csvRows(Path file) {
        List<String[]> lines = csvLines(file);
        return lines.isEmpty() ? lines : lines.subList(1, lines.size());
    }

    /** The non-blank lines of a CSV file, header included, split into fields (quoted fields as RFC 4180 has them). */
    private static List<String[]> csvLines(Path file) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        return read(file).lines().filter(l -> !l.isBlank()).map(HtmlReport::csvFields).toList();
    }

    private static String[] csvFields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields.toArray(String[]::new);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AmendException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AmendException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Files of {@code folder} (not below) whose names start and end as given, sorted by name. */
    private static List<Path> files(Path folder, String prefix, String suffix) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix) && n.endsWith(suffix);
            }).sorted().toList();
        } catch (IOException e) {
            throw new AmendException("cannot read folder " + folder + ": " + e.getMessage(), e);
        }
    }
}
