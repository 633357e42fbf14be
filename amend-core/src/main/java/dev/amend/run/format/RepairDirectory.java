package dev.amend.run.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amend.AmendException;
import dev.amend.data.DatasetStore;
import dev.amend.data.ExampleSet;
import dev.amend.data.IdxWriter;
import dev.amend.identify.IdentificationMetrics;
import dev.amend.identify.RankingIo;
import dev.amend.model.ModelStore;
import dev.amend.provenance.Provenance;
import dev.amend.provenance.RunFiles;
import dev.amend.run.FailureSets;
import dev.amend.run.RepairInput;
import dev.amend.run.RepairResult;
import dev.amend.treat.Retain;
import dev.amend.util.AtomicFolders;
import dev.amend.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The folder of a treatment or repair (layout in docs/metrics.md): the repaired model, the
 * before/after metrics, the removed causes, and for a repair that identified them the ranking;
 * with spec.json and provenance.json. Written atomically: all files or none, so a treatment
 * that fails (diverges, say) leaves nothing behind.
 */
public final class RepairDirectory {
    public static final String MODEL = "model";
    public static final String METRICS = "metrics.json";
    public static final String CAUSES = "causes.csv";
    /** theta*'s and theta_rep's prediction for every test example. */
    public static final String PREDICTIONS = "predictions.csv";
    /** The training examples report.html shows: the most harmful causes, then the least harmful of the ranking. */
    public static final String SHOWN_TRAIN = "examples-train.bin";
    /** The test examples report.html shows: failures fixed, failures still failing, correct ones broken. */
    public static final String SHOWN_TEST = "examples-test.bin";
    /** How many examples of each kind report.html shows ([T22] Fig. 2d, 7 and 8 show 16). */
    public static final int SHOWN = 16;
    static final String CAUSES_HEADER = "rank,train_index,row,label,corrupted";
    static final String PREDICTIONS_HEADER = "row,label,set,before,after";
    /** The columns causes.csv adds for the retain treatment. */
    static final String RETAIN_COLUMNS = ",decision,new_label,confidence";
    /** The corrected training set of the retain treatment, in the IDX format {@code idx:} reads. */
    public static final String RELABELLED_IMAGES = "relabelled-train-images-idx3-ubyte";
    public static final String RELABELLED_LABELS = "relabelled-train-labels-idx1-ubyte";

    private RepairDirectory() {
    }

    /**
     * Writes {@code result} into {@code folder}. An earlier repair folder there is replaced;
     * any other non-empty folder (a training run, say, whose model must stay untouched) is
     * refused before anything is written.
     *
     * @param spec what the command was given, written as spec.json
     * @param hook writes further files into the folder before it appears (a TorchScript export), or null
     */
    public static void write(Path folder, RepairResult result, RepairInput input, Object spec, Provenance provenance,
            AtomicFolders.Writer hook) {
        Objects.requireNonNull(provenance, "provenance");
        AtomicFolders.write(folder, "repair folder", RepairDirectory::isRepairFolder, tmp -> {
            RunFiles.writeSpec(tmp, spec);
            RunFiles.writeProvenance(tmp, provenance);
            ModelStore.save(result.model(), tmp.resolve(MODEL));
            Files.writeString(tmp.resolve(CAUSES), causesCsv(result.causes(), input.train(), input.corrupted(),
                    decisions(result)));
            if (result.ranking() != null) {
                RepairMetrics.Identification id = result.metrics().identification();
                RankingIo.RankingWriter ranking = RankingIo.writer(result.ranking(), input.train());
                if (id != null) {
                    ranking.optSettings(id.settings());
                    if (id.seconds() != null) {
                        ranking.optSeconds(id.seconds());
                    }
                }
                if (input.hasGroundTruth()) {
                    boolean[] mask = input.corrupted();
                    IdentificationMetrics m = new IdentificationMetrics(result.ranking(), mask);
                    ranking.optCorrupted(mask).optMetrics(m.summary(result.causes(),
                            IdentificationMetrics.standardKs(input.train().size())));
                }
                ranking.write(tmp);
            }
            int[] before = input.model().evaluate(input.test()).predictions();
            int[] after = result.model().evaluate(input.test()).predictions();
            Files.writeString(tmp.resolve(PREDICTIONS), predictionsCsv(input.test(), input.failures(), before, after));
            DatasetStore.save(input.train().subset(shownTrain(result)), tmp.resolve(SHOWN_TRAIN));
            DatasetStore.save(input.test().subset(shownTest(input.test(), input.failures(), after)),
                    tmp.resolve(SHOWN_TEST));
            if (hook != null) {
                hook.write(tmp);
            }
            // Last, so that a folder with metrics.json is a complete one even if renamed by hand.
            RunFiles.writeJson(tmp.resolve(METRICS), result.metrics());
        });
    }

    /** Whether {@code folder} holds a treat or repair result: a metrics.json with before and after. */
    public static boolean isRepairFolder(Path folder) {
        Path metrics = folder.resolve(METRICS);
        if (!Files.isRegularFile(metrics) || !Files.isDirectory(folder.resolve(MODEL))) {
            return false;
        }
        try {
            JsonNode tree = Json.mapper().readTree(metrics.toFile());
            return tree.has("before") && tree.has("after");
        } catch (IOException e) {
            return false;
        }
    }

    /** The top of C, then the bottom of the ranking (least harmful last), as positions in D. */
    static int[] shownTrain(RepairResult result) {
        int[] causes = result.causes();
        IntStream top = Arrays.stream(causes, 0, Math.min(SHOWN, causes.length));
        if (result.ranking() == null) {
            return top.toArray();
        }
        int[] order = result.ranking().order();
        int n = order.length;
        return IntStream.concat(top, Arrays.stream(order, Math.max(0, n - SHOWN), n)).toArray();
    }

    /**
     * Up to {@link #SHOWN} test examples of each kind, as positions in T: failures (F_h first,
     * the repair's honest measure, then F_q) that theta_rep classifies correctly, failures it
     * still gets wrong, and examples of T\F that it now gets wrong.
     */
    static int[] shownTest(ExampleSet test, FailureSets sets, int[] after) {
        int[] failures = IntStream.concat(Arrays.stream(sets.holdout()), Arrays.stream(sets.query())).toArray();
        IntStream fixed = Arrays.stream(failures).filter(i -> after[i] == test.label(i)).limit(SHOWN);
        IntStream failing = Arrays.stream(failures).filter(i -> after[i] != test.label(i)).limit(SHOWN);
        IntStream broken = Arrays.stream(sets.remaining()).filter(i -> after[i] != test.label(i)).limit(SHOWN);
        return IntStream.concat(IntStream.concat(fixed, failing), broken).toArray();
    }

    /** Every test example: its row, true label, set (F_q, F_h, T_minus_F or other) and both predictions. */
    private static String predictionsCsv(ExampleSet test, FailureSets sets, int[] before, int[] after) {
        String[] set = new String[test.size()];
        Arrays.fill(set, "other");
        for (int i : sets.query()) {
            set[i] = "F_q";
        }
        for (int i : sets.holdout()) {
            set[i] = "F_h";
        }
        for (int i : sets.remaining()) {
            set[i] = "T_minus_F";
        }
        StringBuilder csv = new StringBuilder(PREDICTIONS_HEADER).append('\n');
        for (int i = 0; i < test.size(); i++) {
            csv.append(test.row(i)).append(',').append(test.label(i)).append(',').append(set[i]).append(',')
                    .append(before[i]).append(',').append(after[i]).append('\n');
        }
        return csv.toString();
    }

    /** The retain treatment's decisions of a result, or null for any other treatment. */
    public static Retain.Decisions decisions(RepairResult result) {
        return result.treatment().details().get(Retain.DECISIONS) instanceof Retain.Decisions d ? d : null;
    }

    /**
     * Writes the retain treatment's corrected training set (D with the relabelled examples' new
     * labels, without the deleted ones, in training order) into {@code folder} as an IDX pair;
     * grey images only.
     *
     * @throws AmendException if the result has no decisions or the images are not grey
     */
    public static void writeRelabelled(Path folder, RepairResult result, RepairInput input) {
        Retain.Decisions d = decisions(result);
        if (d == null) {
            throw new AmendException("only the retain treatment relabels training examples");
        }
        IdxWriter.write(d.corrected(input.train()), folder.resolve(RELABELLED_IMAGES), folder.resolve(RELABELLED_LABELS),
                false);
    }

    /**
     * C by rank: position in D, row of the user's training file, label trained on, corrupted (1/0,
     * empty if unknown); for the retain treatment also its decision, the label after it (empty
     * when deleted) and the counterfactual model's probability of its predicted class.
     */
    private static String causesCsv(int[] causes, ExampleSet train, boolean[] corrupted, Retain.Decisions d) {
        StringBuilder csv = new StringBuilder(CAUSES_HEADER).append(d == null ? "" : RETAIN_COLUMNS).append('\n');
        for (int r = 0; r < causes.length; r++) {
            int i = causes[r];
            csv.append(r + 1).append(',').append(i).append(',').append(train.row(i)).append(',').append(train.label(i))
                    .append(',').append(corrupted == null ? "" : corrupted[i] ? "1" : "0");
            if (d != null) {
                int label = d.newLabel(r);
                csv.append(',').append(d.decisions()[r].text()).append(',').append(label < 0 ? "" : label).append(',')
                        .append(String.format(Locale.ROOT, "%.4f", d.confidence()[r]));
            }
            csv.append('\n');
        }
        return csv.toString();
    }
}
