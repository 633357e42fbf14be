package dev.amend.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amend.data.Dataset;
import dev.amend.identify.IdentificationMetrics;
import dev.amend.identify.RankingIo;
import dev.amend.model.ModelStore;
import dev.amend.provenance.Provenance;
import dev.amend.provenance.RunFiles;
import dev.amend.util.AtomicFolders;
import dev.amend.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
            Files.writeString(tmp.resolve(CAUSES), causesCsv(result.causes(), input.train(), input.corrupted()));
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

    /** C by rank: position in D, row of the user's training file, label trained on, corrupted (1/0, empty if unknown). */
    private static String causesCsv(int[] causes, Dataset train, boolean[] corrupted) {
        StringBuilder csv = new StringBuilder(CAUSES_HEADER).append('\n');
        for (int r = 0; r < causes.length; r++) {
            int i = causes[r];
            csv.append(r + 1).append(',').append(i).append(',').append(train.row(i)).append(',').append(train.label(i))
                    .append(',').append(corrupted == null ? "" : corrupted[i] ? "1" : "0").append('\n');
        }
        return csv.toString();
    }
}
