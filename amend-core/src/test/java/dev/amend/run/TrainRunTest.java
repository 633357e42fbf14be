package dev.amend.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.data.scenario.CorruptedData;
import dev.amend.model.ModelSpec.Precision;
import dev.amend.run.format.TrainMetrics;
import dev.amend.run.format.TrainRunSpec;
import dev.amend.train.TrainConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainRunTest {
    @TempDir
    static Path dataDir;

    private static String data;

    static TrainRunSpec spec(String scenario, String model, long seed) {
        if (data == null) {
            data = TinyData.csv(dataDir, 300, 200, 1);
        }
        return TrainRunSpec.paper(data, scenario, model, seed)
                .withTrain(TrainConfig.baseDefaults(seed).withMaxEpochs(3).withBatchSize(32));
    }

    @Test
    void labelFlipRunPartitionsTheDataAndRepeatsBitForBit() {
        TrainRunSpec spec = spec("label-flip:pairs=0-1", "logreg", 4);
        try (TrainRunResult first = TrainRun.run(spec, TrainRun.Listener.NONE);
                TrainRunResult second = TrainRun.run(spec, TrainRun.Listener.NONE)) {
            assertThat(second.model().getParameters()).containsExactly(first.model().getParameters());
            assertThat(second.failures().query()).containsExactly(first.failures().query());
            assertThat(second.train().rows()).containsExactly(first.train().rows());

            // D and validation: 90/10 of the 300 training rows, disjoint.
            assertThat(first.train().size()).isEqualTo(270);
            assertThat(first.validation().size()).isEqualTo(30);
            int[] all = IntStream.concat(IntStream.of(first.train().rows()), IntStream.of(first.validation().rows()))
                    .sorted().toArray();
            assertThat(all).containsExactly(IntStream.range(0, 300).toArray());

            // Flips only between 0 and 1, at about the default 45%.
            CorruptedData mask = first.corruption();
            assertThat(mask.labelChangedCount()).isPositive();
            for (int i : mask.labelChangedIndices()) {
                assertThat(mask.originalLabel(i)).isIn(0, 1);
                assertThat(first.train().label(i)).isEqualTo(1 - mask.originalLabel(i));
            }

            FailureSets f = first.failures();
            assertThat(f.failures()).isNotEmpty();
            assertThat(f.query().length).isEqualTo(f.failures().length / 2);
            assertThat(IntStream.concat(IntStream.of(f.query()), IntStream.of(f.holdout())).sorted().toArray())
                    .containsExactly(f.failures());
            assertThat(IntStream.concat(IntStream.of(f.failures()), IntStream.of(f.remaining())).sorted().toArray())
                    .containsExactly(IntStream.range(0, 200).toArray());
            assertThat(f.otherFailures()).isEmpty();
            int[] predictions = first.testEvaluation().predictions();
            assertThat(Arrays.stream(f.failures()).allMatch(i -> predictions[i] != first.test().label(i))).isTrue();
            assertThat(first.failureSet().size()).isEqualTo(f.failures().length);
            assertThat(first.remainingSet().size()).isEqualTo(f.remaining().length);

            TrainMetrics m = first.metrics();
            assertThat(m.test().accuracy()).isEqualTo(1 - (double) f.failures().length / 200);
            assertThat(m.failures().failureAccuracy()).isZero();
            assertThat(m.failures().remainingAccuracy()).isEqualTo(1.0);
            assertThat(m.failures().byClass().stream().mapToInt(TrainMetrics.ClassCount::count).sum())
                    .isEqualTo(f.failures().length);
            assertThat(m.training().epochsRun()).isBetween(1, 3);
            assertThat(m.train().labelsChanged()).isEqualTo(mask.labelChangedCount());
            assertThat(first.test().size()).isEqualTo(200);
        }
    }

    @Test
    void inputNoiseRestrictsFailuresToTheTargetClasses() {
        try (TrainRunResult run = TrainRun.run(spec("input-noise:classes=1;2,amount=0.5", "logreg", 2),
                TrainRun.Listener.NONE)) {
            assertThat(run.failures().classes()).containsExactly(1, 2);
            ExampleSet f = run.failureSet();
            for (int i = 0; i < f.size(); i++) {
                assertThat(f.label(i)).isIn(1, 2);
            }
            assertThat(run.corruption().corruptedCount()).isPositive();
            assertThat(run.corruption().labelChangedCount()).isZero();
            FailureSets sets = run.failures();
            assertThat(sets.failures().length + sets.remaining().length + sets.otherFailures().length).isEqualTo(200);
        }
    }

    @Test
    void poisoningTrainsVictimsAndRelabelsWithTheirPredictions() {
        StringBuilder stages = new StringBuilder();
        TrainRun.Listener listener = new TrainRun.Listener() {
            @Override
            public void stage(String message) {
                stages.append(message).append('\n');
            }
        };
        try (TrainRunResult run = TrainRun.run(spec("poison:classes=0,victims=2,eps=0.5", "logreg", 3), listener)) {
            assertThat(stages.toString()).contains("training victim 1/2", "training victim 2/2");
            CorruptedData mask = run.corruption();
            assertThat(mask.corruptedCount()).isPositive();
            for (int i : mask.corruptedIndices()) {
                assertThat(mask.originalLabel(i)).isZero();
            }
            // A strong FGSM step against a linear victim moves many images across its boundary.
            assertThat(mask.labelChangedCount()).isPositive();
            assertThat(run.failures().classes()).containsExactly(0);
        }
    }

    @Test
    void exactOptimumReachesTheGradientTolerance() {
        // 3x3 images keep the exact Hessian small (30 parameters): Newton builds it column by column.
        String small = TinyData.csv(dataDir.resolve("small"), 300, 100, 3, 2);
        TrainRunSpec spec = new TrainRunSpec(small, 3000, 0, "none", "logreg", Map.of(), 1,
                0, 0.01, Precision.FLOAT64, TrainConfig.baseDefaults(1), true);
        try (TrainRunResult run = TrainRun.run(spec, TrainRun.Listener.NONE)) {
            assertThat(run.metrics().training().method()).isEqualTo("exact");
            assertThat(run.metrics().training().gradientNorm()).isLessThanOrEqualTo(TrainRun.OPTIMUM_TOLERANCE);
            assertThat(run.train().size()).isEqualTo(300);
            assertThat(run.validation().size()).isZero();
            assertThat(run.metrics().validation().accuracy()).isNull();
        }
    }

    @Test
    void unknownModelOrScenarioIsAUserError() {
        assertThatThrownBy(() -> TrainRun.run(spec("none", "vgg", 1), TrainRun.Listener.NONE))
                .isInstanceOf(AmendException.class)
                .hasMessageStartingWith("unknown model 'vgg'");
        assertThatThrownBy(() -> TrainRun.run(spec("blur", "logreg", 1), TrainRun.Listener.NONE))
                .isInstanceOf(AmendException.class)
                .hasMessageStartingWith("unknown scenario 'blur'");
        assertThatThrownBy(() -> new TrainRunSpec("mnist", 3000, 0, "none", "logreg", Map.of(), 1, 0.1, 0,
                Precision.FLOAT32, TrainConfig.baseDefaults(1), true))
                .isInstanceOf(AmendException.class)
                .hasMessageContaining("float64");
    }
}
