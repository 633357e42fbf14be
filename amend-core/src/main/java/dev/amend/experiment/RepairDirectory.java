package dev.amend.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amend.AmendException;
import dev.amend.data.Dataset;
import dev.amend.data.IdxWriter;
import dev.amend.identify.IdentificationMetrics;
import dev.amend.identify.RankingIo;
import dev.amend.model.ModelStore;
import dev.amend.provenance.Provenance;
import dev.amend.provenance.RunFiles;
import dev.amend.treat.Retain;
import dev.amend.util.AtomicFolders;
import dev.amend.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

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
    static final String CAUSES_HEADER = "rank,train_index,row,label,corrupted";
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
    private static String causesCsv(int[] causes, Dataset train, boolean[] corrupted, Retain.Decisions d) {
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
