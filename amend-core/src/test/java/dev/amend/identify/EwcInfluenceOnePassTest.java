package dev.amend.identify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.amend.data.ExampleSet;
import dev.amend.model.ModelHandle;
import dev.amend.model.ModelSpec;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * theta*'s losses on D, the first term of r(z) (Eq. 11), come from the Fisher pass over D that
 * EWC-influence makes anyway; the scores equal those of a separate evaluation of D at theta*.
 */
class EwcInfluenceOnePassTest {

    @Test
    void scoresWithTheFisherPassesLossesEqualThoseOfASeparateEvaluation() {
        Random r = new Random(5);
        float[] x = new float[120 * 36];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        int[] y = new int[120];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextInt(3);
        }
        // The failures share one bright pattern and one class, so fitting them moves theta_F.
        for (int i = 100 * 36; i < x.length; i++) {
            x[i] = 0.8f + 0.2f * x[i];
        }
        java.util.Arrays.fill(y, 100, 120, 0);
        ExampleSet all = ExampleSet.of(x, y, 1, 6, 6, ExampleSet.numberedClasses(3));
        ExampleSet train = all.subset(java.util.stream.IntStream.range(0, 100).toArray());
        ExampleSet query = all.subset(java.util.stream.IntStream.range(100, 120).toArray());
        ModelSpec spec = new ModelSpec("mlp", Map.of("hidden", "16"), 1, 6, 6, ExampleSet.numberedClasses(3),
                new float[] {0.5f}, ModelSpec.Precision.FLOAT32, 0);
        try (ModelHandle model = ModelHandle.create(spec, 6)) {
            IdentificationProblem p = IdentificationProblem.of(model, train, query, null, null, 3);
            Ranking onePass = EwcInfluence.withDefaults(3).identify(p);
            assertThat(model.hasCachedFisher(train)).isTrue();
            model.forgetCached();
            IdentificationProblem evaluated = p.withTrainLoss(model.evaluate(train).loss());
            Ranking twoPasses = EwcInfluence.withDefaults(3).identify(evaluated);
            double num = 0;
            double den = 0;
            for (int i = 0; i < train.size(); i++) {
                double d = onePass.score(i) - twoPasses.score(i);
                num += d * d;
                den += twoPasses.score(i) * twoPasses.score(i);
            }
            assertThat(den).isPositive();
            assertThat(Math.sqrt(num / den)).isLessThan(1e-6);
        }
    }
}
