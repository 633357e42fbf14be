package dev.amend.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amend.AmendException;
import dev.amend.experiment.paper.PaperExperiment;
import dev.amend.experiment.paper.PartStore;
import dev.amend.experiment.paper.RankingExperiment;
import dev.amend.identify.Identifiers;
import dev.amend.provenance.Provenance;
import dev.amend.run.TinyData;
import dev.amend.run.TrainRun;
import dev.amend.run.format.RunDirectory;
import dev.amend.treat.TreatmentFactory;
import dev.amend.util.AtomicFolders;
import dev.amend.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code amend experiment paper} on a tiny configuration (a logistic regression on 3x3 CSV
 * images, a few epochs, one or two seeds): the parts' bookkeeping and the resume logic. What the
 * numbers mean on MNIST is docs/results.md's business.
 */
class PaperExperimentTest {
    @TempDir
    static Path dir;

    private static final List<String> ALL_METHODS = List.of(Identifiers.EWC_INFLUENCE, Identifiers.INFLUENCE_CG,
            Identifiers.RANDOM, Identifiers.ORACLE);

    /** Tiny grids; {@code ks} for Fig. 3 so that a test can change the spec. */
    private static PaperExperiment.Spec spec(int seeds, List<String> parts, List<Integer> ks) {
        String data = TinyData.csv(dir.resolve("data"), 300, 200, 3, 5);
        return new PaperExperiment.Spec(data, 3000, 3, seeds, "logreg", Map.of(), "label-flip:pairs=0>1,rate=0.45",
                "input-noise:classes=0;1,fraction=0.3", 3, 1, parts, ALL_METHODS,
                Identifiers.Options.DEFAULTS.withLinearInfluence(
                        dev.amend.identify.LinearInfluence.Settings.DEFAULTS.withCgMaxIterations(3)), 50, ks,
                List.of(Identifiers.EWC_INFLUENCE, Identifiers.RANDOM), 1, List.of(20), List.of(0.01),
                List.of(0.1), 0.15, List.of(2, 5, 0), List.of(Identifiers.EWC_INFLUENCE, Identifiers.RANDOM), 10,
                List.of(Identifiers.EWC_INFLUENCE, Identifiers.RANDOM), 1,
                TreatmentFactory.DEFAULT_START_CANDIDATE, true);
    }

    private static Provenance provenance() {
        return Provenance.capture("experiment paper", List.of(), 3, Instant.now());
    }

    @Test
    void partsAreSkippedWhenFinishedRunWhenMissingAndRefusedWhenTheirSpecChanged() throws IOException {
        Path out = dir.resolve("resume");
        List<String> parts = List.of(PaperExperiment.FIG2, PaperExperiment.FIG3);
        PaperExperiment.Summary first = PaperExperiment.run(spec(1, parts, List.of(10, 20)), out, false, provenance(),
                TrainRun.Listener.NONE);

        assertThat(first.parts()).extracting(PaperExperiment.PartOutcome::status).containsExactly("ran", "ran");
        // One base run trained once, shared by both parts.
        assertThat(first.bases()).extracting(PaperExperiment.PartOutcome::part)
                .containsExactly("base/label-noise-seed-3");
        assertThat(RunDirectory.isRunFolder(out.resolve("base/label-noise-seed-3/run"))).isTrue();
        assertThat(PartStore.isPart(out.resolve(PaperExperiment.FIG2))).isTrue();
        assertThat(out.resolve(PaperExperiment.SUMMARY_JSON)).isRegularFile();
        assertThat(Files.readString(out.resolve(PaperExperiment.SUMMARY_MD))).contains("## fig2-identify",
                "## fig3-treat-k", "ewc-influence");
        assertThat(out.resolve("fig3-treat-k/treat-k-F_h.png")).isRegularFile();
        assertThat(out.resolve("fig3-treat-k/treat-k-F_h.svg")).content().startsWith("<?xml").contains("<svg");
        String fig3Finished = PartStore.read(out.resolve(PaperExperiment.FIG3)).finished();

        // An interruption after fig2: fig3's folder is missing; the rerun skips fig2 and the base run and runs fig3.
        AtomicFolders.deleteRecursively(out.resolve(PaperExperiment.FIG3));
        String fig2Finished = PartStore.read(out.resolve(PaperExperiment.FIG2)).finished();
        PaperExperiment.Summary resumed = PaperExperiment.run(spec(1, parts, List.of(10, 20)), out, false,
                provenance(), TrainRun.Listener.NONE);
        assertThat(resumed.parts()).extracting(PaperExperiment.PartOutcome::status)
                .containsExactly("finished earlier", "ran");
        assertThat(resumed.bases()).extracting(PaperExperiment.PartOutcome::status)
                .containsExactly("finished earlier");
        assertThat(PartStore.read(out.resolve(PaperExperiment.FIG2)).finished()).isEqualTo(fig2Finished);
        assertThat(PartStore.read(out.resolve(PaperExperiment.FIG3)).finished()).isNotEqualTo(fig3Finished);
        // The resumed fig3 starts from the same base run, so it gives the same numbers.
        assertThat(resumed.parts().get(1).headline()).isEqualTo(first.parts().get(1).headline());

        // A changed grid is refused before anything runs, naming the part and the field.
        assertThatThrownBy(() -> PaperExperiment.run(spec(1, parts, List.of(10, 30)), out, false, provenance(),
                TrainRun.Listener.NONE)).isInstanceOf(AmendException.class)
                .hasMessageContaining("part fig3-treat-k")
                .hasMessageContaining("settings.ks[1]: 20 -> 30")
                .hasMessageContaining("--force");
        // A file of the user's in the part to replace, or a folder of theirs in place of a missing part, is refused
        // before anything runs, and nothing is changed.
        Files.writeString(out.resolve("fig3-treat-k/mine.txt"), "notes");
        String baseFinished = PartStore.read(out.resolve("base/label-noise-seed-3")).finished();
        assertThatThrownBy(() -> PaperExperiment.run(spec(1, parts, List.of(10, 30)), out, true, provenance(),
                TrainRun.Listener.NONE)).isInstanceOf(AmendException.class)
                .hasMessageContaining("it holds mine.txt that amend did not write");
        Files.delete(out.resolve("fig3-treat-k/mine.txt"));
        Path fig2 = out.resolve(PaperExperiment.FIG2);
        Path aside = dir.resolve("fig2-aside");
        Files.move(fig2, aside);
        Files.createDirectories(fig2);
        Files.writeString(fig2.resolve("mine.txt"), "notes");
        assertThatThrownBy(() -> PaperExperiment.run(spec(1, parts, List.of(10, 30)), out, true, provenance(),
                TrainRun.Listener.NONE)).isInstanceOf(AmendException.class)
                .hasMessageContaining("is not an amend experiment part folder");
        assertThat(PartStore.read(out.resolve("base/label-noise-seed-3")).finished()).isEqualTo(baseFinished);
        AtomicFolders.deleteRecursively(fig2);
        Files.move(aside, fig2);
        // --force runs the changed part again and replaces it; the unchanged one stays.
        PaperExperiment.Summary forced = PaperExperiment.run(spec(1, parts, List.of(10, 30)), out, true, provenance(),
                TrainRun.Listener.NONE);
        assertThat(forced.parts()).extracting(PaperExperiment.PartOutcome::status)
                .containsExactly("finished earlier", "ran");
        JsonNode fig3 = Json.mapper().readTree(out.resolve("fig3-treat-k/spec.json").toFile());
        assertThat(fig3.get("settings").get("ks").toString()).isEqualTo("[10,30]");
    }

    @Test
    void identificationPartsCountCorruptedExamplesAndWriteTheImageFigures() throws IOException {
        Path out = dir.resolve("identify");
        PaperExperiment.run(spec(2, List.of(PaperExperiment.FIG2, PaperExperiment.FIG4), List.of(10)), out, false,
                provenance(), TrainRun.Listener.NONE);

        for (String part : List.of(PaperExperiment.FIG2, PaperExperiment.FIG4)) {
            JsonNode report = Json.mapper().readTree(out.resolve(part).resolve("results.json").toFile());
            JsonNode ks = report.get("ks");
            assertThat(report.get("runs")).hasSize(2 * ALL_METHODS.size());
            for (JsonNode run : report.get("runs")) {
                assertThat(run.get("error").isNull()).isTrue();
                JsonNode counts = run.get("corruptedInTop");
                int corrupted = report.get("bases").get(run.get("seed").asInt() - 3).get("corrupted").asInt();
                for (int j = 0; j < ks.size(); j++) {
                    int k = ks.get(j).asInt();
                    assertThat(counts.get(j).asInt()).isBetween(0, Math.min(k, corrupted));
                    if (run.get("method").asText().equals(Identifiers.ORACLE)) {
                        assertThat(counts.get(j).asInt()).isEqualTo(Math.min(k, corrupted));
                    }
                }
            }
        }
        // Input noise changes images, not labels: the noisy images are of the target classes 0 and 1.
        List<String> fig8 = Files.readAllLines(out.resolve("fig4-input-noise").resolve(PaperExperiment.FIG8_CSV));
        assertThat(fig8.get(0)).isEqualTo(RankingExperiment.CSV_HEADER);
        assertThat(fig8).hasSize(1 + RankingExperiment.GRID_IMAGES);
        for (String line : fig8.subList(1, fig8.size())) {
            String[] f = line.split(",");
            assertThat(f[4]).isEqualTo(f[5]);
            if (f[6].equals("true")) {
                assertThat(f[4]).isIn("0", "1");
            }
        }
        assertThat(out.resolve("fig4-input-noise/fig8-most-harmful.png")).isRegularFile();
        // Fig. 7: the least harmful first, so the scores ascend.
        List<String> fig7 = Files.readAllLines(out.resolve("fig2-identify").resolve(PaperExperiment.FIG7_CSV));
        assertThat(fig7).hasSize(1 + RankingExperiment.GRID_IMAGES);
        double previous = Double.NEGATIVE_INFINITY;
        for (String line : fig7.subList(1, fig7.size())) {
            String[] f = line.split(",");
            assertThat(Integer.parseInt(f[0])).isEqualTo(fig7.indexOf(line));
            double score = Double.parseDouble(f[3]);
            assertThat(score).isGreaterThanOrEqualTo(previous);
            previous = score;
            // A flipped label (0 -> 1) shows both labels.
            assertThat(f[6].equals("true")).isEqualTo(!f[4].equals(f[5]));
        }
        assertThat(out.resolve("fig2-identify/fig7-least-harmful.png")).isRegularFile();
        assertThat(out.resolve("fig2-identify/fig2c.png")).isRegularFile();
        assertThat(out.resolve("fig2-identify/fig2c.svg")).isRegularFile();
    }

    @Test
    void sampleEfficiencyCutsTheQuerySetAndTimeTableCoversBothScenarios() throws IOException {
        Path out = dir.resolve("sample");
        PaperExperiment.run(spec(1, List.of(PaperExperiment.FIG6, PaperExperiment.TABLE1), List.of(10)), out, false,
                provenance(), TrainRun.Listener.NONE);

        JsonNode fig6 = Json.mapper().readTree(out.resolve("fig6-sample-efficiency/results.json").toFile());
        int fullQuery = Files.readAllLines(out.resolve("base/label-noise-seed-3/run/splits/F_q.txt")).size();
        JsonNode points = fig6.get("points");
        // Two methods at sizes 2, 5 and all, on one base run.
        assertThat(points).hasSize(6);
        for (JsonNode p : points) {
            int size = p.get("size").asInt();
            assertThat(p.get("querySize").asInt()).isEqualTo(size == 0 ? fullQuery : size);
            assertThat(p.get("precision").asDouble()).isBetween(0.0, 1.0);
            // F_h is the same holdout whatever the query size: theta*'s accuracy on it is 0 before.
            assertThat(p.get("before").get("F_h").asDouble()).isZero();
        }
        assertThat(out.resolve("fig6-sample-efficiency/fig6-F_h.png")).isRegularFile();

        JsonNode table1 = Json.mapper().readTree(out.resolve("table1-time/results.json").toFile());
        assertThat(table1.get("timings")).hasSize(4);
        assertThat(table1.get("timings").get(0).get("scenario").asText()).isEqualTo("label-noise");
        assertThat(table1.get("timings").get(0).get("paperK80Seconds").asDouble()).isEqualTo(9.8);
        assertThat(table1.get("timings").get(2).get("scenario").asText()).isEqualTo("input-noise");
        assertThat(table1.get("timings").get(2).get("paperK80Seconds").asDouble()).isEqualTo(11.0);
        assertThat(table1.get("timings").get(3).get("paperK80Seconds").isNull()).isTrue();
        // Table 1 trained only the first base run of each scenario.
        assertThat(out.resolve("base/input-noise-seed-3/run")).isDirectory();
        assertThat(out.resolve("base/label-noise-seed-4")).doesNotExist();
    }

    @Test
    void laterPartsReuseTheIdentificationsAndRepairsOfEarlierOnesWithTheSameNumbers() throws IOException {
        Path out = dir.resolve("memo");
        PaperExperiment.Summary summary = PaperExperiment.run(spec(1, List.of(PaperExperiment.FIG3,
                PaperExperiment.FIG5, PaperExperiment.FIG6, PaperExperiment.FIG9), List.of(10, 20)), out, false,
                provenance(), TrainRun.Listener.NONE);

        // Fig. 5 and 9 rank with Fig. 3's EWC-influence; Fig. 6 at |F_q| = all ranks as Fig. 3 does (EWC-influence and
        // random's first draw) and repeats its top-10 removal; Fig. 9's fine-tuning reference is Fig. 5's.
        assertThat(summary.reused()).isEqualTo(new PaperExperiment.Reused(4, 2));
        assertThat(Files.readString(out.resolve(PaperExperiment.SUMMARY_MD))).contains("4 identifications, 2 repairs");
        JsonNode fig3 = Json.mapper().readTree(out.resolve("fig3-treat-k/results.json").toFile()).get("points");
        JsonNode fig6 = Json.mapper().readTree(out.resolve("fig6-sample-efficiency/results.json").toFile())
                .get("points");
        JsonNode ewcTop10 = point(fig3, "ewc-influence", 10);
        JsonNode randomTop10 = point(fig3, "random", 10);
        int randomPoints = 0;
        for (JsonNode p : fig6) {
            if (p.get("method").asText().equals(Identifiers.EWC_INFLUENCE) && p.get("size").asInt() == 0) {
                assertThat(p.get("after")).isEqualTo(ewcTop10.get("accuracy"));
            }
            if (p.get("method").asText().equals(Identifiers.RANDOM)) {
                // Trained once, at the first size, and only evaluated at the others: the accuracies
                // outside F_q are Fig. 3's repair of the same draw, made with all of F_q.
                randomPoints++;
                for (String set : List.of("F_h", "T_minus_F", "T")) {
                    assertThat(p.get("after").get(set)).isEqualTo(randomTop10.get("accuracy").get(set));
                }
            }
        }
        assertThat(randomPoints).isEqualTo(3);
        JsonNode fig5 = Json.mapper().readTree(out.resolve("fig5-tradeoff/results.json").toFile()).get("points");
        JsonNode fig9 = Json.mapper().readTree(out.resolve("fig9-finetune/results.json").toFile()).get("points");
        assertThat(point(fig9, "finetune-remaining", null)).isEqualTo(point(fig5, "finetune-remaining", null));
    }

    private static JsonNode point(JsonNode points, String series, Integer k) {
        for (JsonNode p : points) {
            if (p.get("series").asText().equals(series)
                    && (k == null ? p.get("parameter").isNull() : p.get("parameter").asDouble() == k)) {
                return p;
            }
        }
        throw new AssertionError("no point " + series + " " + k);
    }
}
