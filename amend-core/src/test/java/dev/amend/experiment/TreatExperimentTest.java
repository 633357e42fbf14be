package dev.amend.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import dev.amend.identify.Identifiers;
import dev.amend.provenance.Provenance;
import dev.amend.run.TinyData;
import dev.amend.run.TrainRun;
import dev.amend.run.format.TrainRunSpec;
import dev.amend.train.TrainConfig;
import dev.amend.treat.TreatmentFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three treatment experiments, wired end to end on tiny data with logistic regression and a few epochs. */
class TreatExperimentTest {
    @TempDir
    static Path dir;

    private static TreatExperiment.Spec spec(TreatExperiment.Kind kind, int seeds) {
        String data = TinyData.csv(dir.resolve("data"), 300, 200, 4);
        TrainRunSpec base = new TrainRunSpec(data, 3000, 0, "label-flip:pairs=0-1,rate=0.3", "logreg", Map.of(), 3, 0.1,
                0, dev.amend.model.ModelSpec.Precision.FLOAT32, TrainConfig.baseDefaults(3).withMaxEpochs(3), false);
        return new TreatExperiment.Spec(kind, base, seeds, true, List.of(), List.of(5, 20, 100000),
                List.of("ewc-influence", "random"), Identifiers.Options.DEFAULTS, List.of(0.01, 0.05), List.of(0.1, 10.0), 0.15, 2, 2,
                TreatmentFactory.DEFAULT_START_CANDIDATE);
    }

    @Test
    void treatKRemovesTheTopKOfEveryMethodAndTheSemiOracleOverSeeds() {
        TreatExperiment.Result result = TreatExperiment.run(spec(TreatExperiment.Kind.TREAT_K, 2), TrainRun.Listener.NONE);

        // Per seed: theta*, ewc-influence at 2 k (100000 > N is skipped) and its auto choice, 2 random draws
        // at 2 k, the semi-oracle.
        assertThat(result.points()).hasSize(2 * (1 + 2 + 1 + 4 + 1));
        assertThat(result.points().stream().map(TreatExperiment.Point::seed).distinct()).containsExactly(3L, 4L);
        List<TreatExperiment.Summary> summary = result.summary();
        assertThat(summary).extracting(TreatExperiment.Summary::series).containsExactly(TreatExperiment.BEFORE,
                "ewc-influence", "ewc-influence", "ewc-influence auto", "random", "random", TreatExperiment.SEMI_ORACLE);
        assertThat(summary).extracting(TreatExperiment.Summary::runs).containsExactly(2, 2, 2, 2, 4, 4, 2);
        // The random draws remove different examples from the same base run.
        assertThat(result.points().stream().filter(p -> p.series().equals("random") && p.seed() == 3
                && p.parameter() == 20.0).map(p -> p.corrupted() + " " + p.parameterDistance()).distinct())
                .hasSize(2);
        assertThat(result.paired()).extracting(TreatExperiment.Paired::parameter).containsExactly(5.0, 20.0);
        assertThat(result.paired()).allSatisfy(p -> assertThat(p.runs()).isEqualTo(2));
        // auto picks one of the grid's repairs (or keeps theta*) on each base run.
        for (TreatExperiment.Point p : result.points()) {
            if (p.series().endsWith(TreatExperiment.AUTO_SUFFIX)) {
                assertThat(p.causes()).isIn(0, 5, 20);
            }
        }
        assertThat(summary.get(1).parameter()).isEqualTo(5.0);
        assertThat(summary.get(1).causes()).isEqualTo(5.0);
        assertThat(summary.get(0).fh().mean()).isZero();
        assertThat(summary.get(0).remaining().mean()).isEqualTo(1.0);
        for (TreatExperiment.Point p : result.points()) {
            if (p.series().equals(TreatExperiment.SEMI_ORACLE)) {
                assertThat(p.corrupted()).isEqualTo(p.causes()).isPositive();
            }
        }
        assertThat(TreatExperiment.table(result).toString()).contains("semi-oracle", "±");
    }

    @Test
    void tradeoffAndFinetuneSweepTheirParameterAndWriteTheirFigures() {
        Provenance provenance = Provenance.capture(List.of(), 3, Instant.now());
        TreatExperiment.Result tradeoff = TreatExperiment.run(spec(TreatExperiment.Kind.TRADEOFF, 1),
                TrainRun.Listener.NONE);
        TreatExperiment.Result finetune = TreatExperiment.run(spec(TreatExperiment.Kind.FINETUNE, 1),
                TrainRun.Listener.NONE);

        assertThat(tradeoff.summary()).extracting(TreatExperiment.Summary::series).containsExactly(TreatExperiment.BEFORE,
                "ewc-deletion", "newton-removal", "ewc-deletion", "newton-removal", "finetune-remaining");
        assertThat(tradeoff.summary().get(1).causes()).isEqualTo(Math.round(0.15 * 270));
        assertThat(finetune.summary()).extracting(TreatExperiment.Summary::series).containsExactly(TreatExperiment.BEFORE,
                "finetune-remaining", "finetune-failures", "combined", "finetune-failures", "combined");
        assertThat(finetune.summary().get(2).parameter()).isEqualTo(0.1);

        Path folder = dir.resolve("tradeoff");
        TreatExperiment.write(folder, tradeoff, provenance);
        assertThat(folder.resolve("tradeoff.png")).isRegularFile();
        assertThat(folder.resolve("tradeoff-gamma.png")).isRegularFile();
        assertThat(folder.resolve("tradeoff.svg")).isRegularFile();
        assertThat(folder.resolve("tradeoff-gamma.svg")).isRegularFile();
        assertThat(tradeoff.trainSize()).isEqualTo(270);
        assertThat(folder.resolve(TreatExperiment.RESULTS)).isRegularFile();
        assertThat(folder.resolve(TreatExperiment.TABLE)).isRegularFile();
        Path k = dir.resolve("finetune");
        TreatExperiment.write(k, finetune, provenance);
        assertThat(k.resolve("finetune.png")).isRegularFile();
        assertThat(k.resolve("finetune.svg")).isRegularFile();
    }

    @Test
    void theTextbookStepsSitWhereTheirFormulasPutThem() {
        // N = 2700, m = 405 (15%): the plain Newton step at N m / (N - m), the unscaled Eq. 15 at 2m.
        assertThat(TreatExperiment.referenceGammas(405, 2700)).containsExactly(2700.0 * 405 / 2295, 810.0);
    }

    @Test
    void badGridsAreUserErrors() {
        TreatExperiment.Spec s = spec(TreatExperiment.Kind.TREAT_K, 1);
        assertThatThrownBy(() -> new TreatExperiment.Spec(s.kind(), s.base(), 1, true, List.of(), List.of(0),
                s.methods(), s.methodOptions(), s.gammas(), s.mus(), 0.15, 2, 1, s.startCandidate()))
                .isInstanceOf(AmendException.class);
        assertThatThrownBy(() -> new TreatExperiment.Spec(s.kind(), s.base(), 1, true, List.of(), s.ks(),
                List.of("sgd-influence"), s.methodOptions(), s.gammas(), s.mus(), 0.15, 2, 1, s.startCandidate()))
                .isInstanceOf(AmendException.class)
                .hasMessageContaining("trajectory");
        assertThatThrownBy(() -> new TreatExperiment.Spec(s.kind(), s.base(), 1, true, List.of(), s.ks(),
                List.of("magic"), s.methodOptions(), s.gammas(), s.mus(), 0.15, 2, 1, s.startCandidate()))
                .isInstanceOf(AmendException.class);
        assertThatThrownBy(() -> new TreatExperiment.Spec(s.kind(), s.base(), 1, true, List.of(), s.ks(), s.methods(),
                s.methodOptions(), s.gammas(), s.mus(), 1.5, 2, 1, s.startCandidate()))
                .isInstanceOf(AmendException.class);
    }
}
