package dev.amend.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amend.AmendException;
import dev.amend.identify.Identifiers;
import dev.amend.model.ModelSpec.Precision;
import dev.amend.provenance.Provenance;
import dev.amend.run.TinyData;
import dev.amend.run.TrainRun;
import dev.amend.run.format.TrainRunSpec;
import dev.amend.train.TrainConfig;
import dev.amend.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentifyExperimentTest {
    @TempDir
    static Path dir;

    private static IdentifyExperiment.Spec spec(List<String> methods, int seeds) {
        String data = TinyData.csv(dir.resolve("data"), 300, 200, 3, 5);
        TrainRunSpec base = new TrainRunSpec(data, 3000, 0, "label-flip:pairs=0-1", "logreg", Map.of(), 3, 0.1, 0,
                Precision.FLOAT32, TrainConfig.baseDefaults(3).withMaxEpochs(4).withBatchSize(32), false);
        // LiSSA's default depth of 10,000 steps is for real runs; 100 keep the test fast.
        return new IdentifyExperiment.Spec(base, seeds, true, methods, 50,
                Identifiers.Options.DEFAULTS.withLinearInfluence(
                        dev.amend.identify.LinearInfluence.Settings.DEFAULTS.withLissaDepth(100)));
    }

    @Test
    void everyMethodOnEverySeedGivesCurvesTableAndFigures() throws IOException {
        IdentifyExperiment.Result result = IdentifyExperiment.run(spec(IdentifyExperiment.DEFAULT_METHODS, 2),
                TrainRun.Listener.NONE);
        IdentifyExperiment.Report report = result.report();

        assertThat(report.seeds()).extracting(IdentifyExperiment.SeedRun::seed).containsExactly(3L, 4L);
        // The pool is drawn per seed, the data seed follows the run seed.
        assertThat(report.seeds()).extracting(IdentifyExperiment.SeedRun::dataSeed).containsExactly(3L, 4L);
        assertThat(report.ks()).startsWith(1, 2, 3, 5, 7, 10).endsWith(50);
        assertThat(report.runs()).hasSize(12).allSatisfy(r -> assertThat(r.error()).isNull());
        assertThat(report.summary()).extracting(IdentifyExperiment.MethodSummary::method)
                .containsExactlyElementsOf(IdentifyExperiment.DEFAULT_METHODS);

        IdentifyExperiment.MethodSummary oracle = report.summary().get(5);
        assertThat(oracle.runs()).isEqualTo(2);
        int[] corrupted = report.seeds().stream().mapToInt(IdentifyExperiment.SeedRun::corrupted).toArray();
        for (int j = 0; j < report.ks().length; j++) {
            int k = report.ks()[j];
            double expected = (Math.min(k, corrupted[0]) / (double) k + Math.min(k, corrupted[1]) / (double) k) / 2;
            assertThat(oracle.meanFraction()[j]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
        }
        IdentifyExperiment.MethodSummary sgd = report.summary().get(3);
        assertThat(sgd.auxiliarySeconds()).isPositive();
        assertThat(IdentifyExperiment.table(report).toString()).contains("ewc-influence", "frac(10)", "frac(50)",
                "ROC-AUC", "±");

        Path out = dir.resolve("experiment");
        IdentifyExperiment.write(out, result, Provenance.capture(List.of("experiment", "identify"), 3, Instant.now()));
        for (String file : List.of("spec.json", "provenance.json", "results.json", "table.md", "fig2c.png",
                "fig2c.svg", "fig2d-most-harmful.png", "fig2d-least-harmful.png")) {
            assertThat(out.resolve(file)).as(file).isRegularFile();
        }
        assertThat(ImageIO.read(out.resolve("fig2c.png").toFile()).getWidth()).isEqualTo(800);
        JsonNode json = Json.mapper().readTree(out.resolve("results.json").toFile());
        assertThat(json.get("summary")).hasSize(6);
        assertThat(json.get("runs").get(0).get("fractions")).hasSize(report.ks().length);
    }

    @Test
    void aFailingMethodIsRecordedAndTheOthersGoOn() {
        // A LiSSA scale far below the curvature makes the recursion blow up.
        IdentifyExperiment.Spec base = spec(List.of("influence-lissa", "random"), 1);
        IdentifyExperiment.Spec diverging = new IdentifyExperiment.Spec(base.base(), 1, true, base.methods(), 50,
                Identifiers.Options.DEFAULTS.withLinearInfluence(
                        dev.amend.identify.LinearInfluence.Settings.DEFAULTS.withLissaScale(1e-4).withLissaDepth(200)));
        IdentifyExperiment.Result result = IdentifyExperiment.run(diverging, TrainRun.Listener.NONE);

        IdentifyExperiment.MethodSummary lissa = result.report().summary().get(0);
        assertThat(lissa.runs()).isZero();
        assertThat(lissa.errors()).singleElement().asString().startsWith("seed 3: LiSSA diverged");
        assertThat(result.report().summary().get(1).runs()).isEqualTo(1);
        assertThat(result.firstEwcRanking()).isNull();
        assertThat(IdentifyExperiment.table(result.report()).toString()).contains("influence-lissa");
    }

    @Test
    void specMistakesAreFoundBeforeAnyTraining() {
        assertThatThrownBy(() -> spec(List.of("ewc-influence", "EWC-influence"), 1)).isInstanceOf(AmendException.class)
                .hasMessage("method ewc-influence is listed twice");
        assertThatThrownBy(() -> spec(List.of("influence"), 1)).isInstanceOf(AmendException.class)
                .hasMessageStartingWith("unknown identification method 'influence'");
        assertThatThrownBy(() -> spec(List.of("random"), 0)).isInstanceOf(AmendException.class)
                .hasMessage("the number of seeds must be at least 1, got 0");
    }

    @Test
    void kGridHasAboutSixPointsPerDecadeAndEndsAtTheLimit() {
        assertThat(IdentifyExperiment.kGrid(1000)).containsExactly(1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200,
                300, 500, 700, 1000);
        assertThat(IdentifyExperiment.kGrid(40)).containsExactly(1, 2, 3, 5, 7, 10, 15, 20, 30, 40);
    }
}
