package dev.amend.identify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.amend.data.DataSpec;
import dev.amend.data.ExampleSet;
import dev.amend.data.LoadedData;
import dev.amend.data.Preprocessing;
import dev.amend.data.Splits;
import dev.amend.data.scenario.CorruptedData;
import dev.amend.data.scenario.ScenarioSpec;
import dev.amend.model.Evaluation;
import dev.amend.model.ModelHandle;
import dev.amend.model.ModelSpec;
import dev.amend.train.TrainConfig;
import dev.amend.train.TrainingLoop;
import dev.amend.train.EpochListener;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * [T22] Fig. 2(b, c) in small, with the default protocol: on the embedded MNIST with 45% of
 * the 1s labelled 7 (one-way flips), the failures concentrate in the noisy classes and EWC-influence's top-100
 * holds far more flipped labels than random selection would.
 */
@Tag("slow")
class EwcInfluenceMnistTest {

    @Test
    void topCausesAreMostlyFlippedLabels() {
        LoadedData data = DataSpec.parse("mnist").load();
        long seed = 1;
        CorruptedData corrupted = ScenarioSpec.parse("label-flip", data.kind(), 10).toScenario(List.of())
                .apply(data.train(), seed);
        Splits.Split split = Splits.trainValidation(corrupted.data(), 0.1, seed);
        ExampleSet train = split.kept();
        boolean[] noisy = new boolean[train.size()];
        int m = 0;
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] = corrupted.isCorrupted(split.keptIndices()[i]);
            m += noisy[i] ? 1 : 0;
        }
        ModelSpec spec = new ModelSpec("paper-cnn", Map.of(), 1, 28, 28, train.classNames(),
                Preprocessing.channelMean(train), ModelSpec.Precision.FLOAT32, 0);
        try (ModelHandle model = ModelHandle.create(spec, seed)) {
            TrainingLoop.train(model, train, split.heldOut(), TrainConfig.baseDefaults(seed), null, EpochListener.NONE);
            Evaluation test = model.evaluate(data.test());
            int[] failures = test.misclassified();
            int[] histogram = new int[10];
            for (int f : failures) {
                histogram[data.test().label(f)]++;
            }
            int[] query = Splits.halves(failures, seed).query();
            IdentificationProblem p = IdentificationProblem.of(model, train, data.test().subset(query), noisy, null, seed);
            Ranking r = EwcInfluence.withDefaults(seed).identify(p);
            IdentificationMetrics metrics = new IdentificationMetrics(r, noisy);
            int hits = metrics.noisyInTopK(100);
            double expectedRandom = 100.0 * m / train.size();
            System.out.printf("test accuracy %.4f, F by class %s, flipped in top-100: %d (random: %.1f), ROC-AUC %.3f%n",
                    test.accuracy(), Arrays.toString(histogram), hits, expectedRandom, metrics.rocAuc());
            // Fig. 2(b): the noisy classes hold the largest share of the failures.
            assertThat(histogram[1] + histogram[7]).isGreaterThan(failures.length / 4);
            assertThat(hits).isGreaterThan((int) (3 * expectedRandom));
        }
    }
}
