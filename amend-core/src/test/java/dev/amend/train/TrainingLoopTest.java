package dev.amend.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import dev.amend.data.DataSpec;
import dev.amend.data.ExampleSet;
import dev.amend.data.LoadedData;
import dev.amend.data.Preprocessing;
import dev.amend.data.Splits;
import dev.amend.model.ModelHandle;
import dev.amend.model.ModelSpec;
import dev.amend.model.ModelSpec.Precision;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class TrainingLoopTest {

    static ModelSpec spec(String arch, ExampleSet d, Precision p, double alpha) {
        return new ModelSpec(arch, Map.of(), d.channels(), d.height(), d.width(), d.classNames(),
                Preprocessing.channelMean(d), p, alpha);
    }

    @Test
    @Tag("slow")
    void paperCnnTrainingIsBitwiseReproducibleAndLowersTheLoss() {
        LoadedData data = DataSpec.parse("mnist").load();
        Splits.Split split = Splits.trainValidation(data.train(), 0.1, 1);
        TrainConfig cfg = TrainConfig.paperDefaults(3).withMaxEpochs(3);
        double[] first;
        try (ModelHandle m = ModelHandle.create(spec("paper-cnn", split.kept(), Precision.FLOAT32, 0), 3)) {
            TrainResult r = TrainingLoop.train(m, split.kept(), split.heldOut(), cfg, null, EpochListener.NONE);
            assertThat(r.history().get(2).trainLoss()).isLessThan(r.history().get(0).trainLoss());
            first = m.getParameters();
        }
        try (ModelHandle m = ModelHandle.create(spec("paper-cnn", split.kept(), Precision.FLOAT32, 0), 3)) {
            TrainingLoop.train(m, split.kept(), split.heldOut(), cfg, null, EpochListener.NONE);
            assertThat(m.getParameters()).containsExactly(first);
        }
    }

    @Test
    void earlyStoppedMlpReachesAGoodTestAccuracyOnEmbeddedMnist() {
        LoadedData data = DataSpec.parse("mnist").load();
        Splits.Split split = Splits.trainValidation(data.train(), 0.1, 1);
        try (ModelHandle m = ModelHandle.create(spec("mlp", split.kept(), Precision.FLOAT32, 0), 4)) {
            TrainResult r = TrainingLoop.train(m, split.kept(), split.heldOut(), TrainConfig.baseDefaults(4), null,
                    EpochListener.NONE);
            double acc = m.evaluate(data.test()).accuracy();
            System.out.printf("mlp: %d epochs (best %d), test accuracy %.4f%n", r.epochsRun(), r.bestEpoch(), acc);
            assertThat(r.epochsRun()).isLessThan(100);
            assertThat(acc).isGreaterThan(0.88);
        }
    }

    @Test
    void theStartingPointIsKeptWhenTrainingNeverImprovesValidation() {
        LoadedData data = DataSpec.parse("mnist").load();
        ExampleSet small = data.train().subset(new int[] {0, 1, 2, 3, 4, 5, 6, 7});
        try (ModelHandle m = ModelHandle.create(spec("logreg", small, Precision.FLOAT32, 0), 5)) {
            double[] start = m.getParameters();
            // Ascent on the training loss can only make the validation loss worse.
            TrainResult r = TrainingLoop.train(m, small, small, TrainConfig.baseDefaults(5).withLossSign(-1).withPatience(2),
                    null, EpochListener.NONE);
            assertThat(r.bestEpoch()).isZero();
            assertThat(r.epochsRun()).isEqualTo(2);
            assertThat(m.getParameters()).containsExactly(start);
        }
    }

    @Test
    void aDivergingRunStopsWithAOneLineError() {
        LoadedData data = DataSpec.parse("mnist").load();
        ExampleSet small = data.train().subset(new int[] {0, 1, 2, 3});
        try (ModelHandle m = ModelHandle.create(spec("logreg", small, Precision.FLOAT32, 0), 6)) {
            TrainConfig cfg = TrainConfig.paperDefaults(6).withOptimizer(TrainConfig.Optimizer.SGD, Float.MAX_VALUE).withMaxEpochs(5);
            assertThatThrownBy(() -> TrainingLoop.train(m, small, null, cfg, null, EpochListener.NONE))
                    .isInstanceOf(AmendException.class).hasMessageStartingWith("training diverged");
        }
    }
}
