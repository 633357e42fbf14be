package dev.amend.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.amend.data.DataSpec;
import dev.amend.data.Dataset;
import dev.amend.data.LoadedData;
import dev.amend.data.Preprocessing;
import dev.amend.data.Splits;
import dev.amend.model.ModelHandle;
import dev.amend.model.ModelSpec;
import dev.amend.model.ModelSpec.Precision;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerTest {

    static ModelSpec spec(String arch, Dataset d, Precision p, double alpha) {
        return new ModelSpec(arch, Map.of(), d.channels(), d.height(), d.width(), d.classNames(),
                Preprocessing.channelMean(d), p, alpha);
    }

    @Test
    void paperCnnLearnsEmbeddedMnistAndIsReproducible() {
        LoadedData data = DataSpec.parse("mnist").load();
        Splits.Split split = Splits.trainValidation(data.train(), 0.1, 1);
        TrainConfig cfg = TrainConfig.paperDefaults(3).withMaxEpochs(Integer.getInteger("epochs", 4));
        double[] first;
        try (ModelHandle m = ModelHandle.create(spec("paper-cnn", split.kept(), Precision.FLOAT32, 0), 3)) {
            TrainResult r = Trainer.train(m, split.kept(), split.heldOut(), cfg, null,
                    (e, max) -> System.out.println("epoch " + e));
            double acc = m.evaluate(data.test()).accuracy();
            System.out.println("test accuracy after " + r.epochsRun() + " epochs: " + acc);
            assertThat(acc).isGreaterThan(0.8);
            first = m.getParameters();
        }
        try (ModelHandle m = ModelHandle.create(spec("paper-cnn", split.kept(), Precision.FLOAT32, 0), 3)) {
            Trainer.train(m, split.kept(), split.heldOut(), cfg.withMaxEpochs(4), null, TrainingListener.NONE);
            assertThat(m.getParameters()).containsExactly(first);
        }
    }
}
