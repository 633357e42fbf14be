package dev.amend.treat;

import dev.amend.data.ExampleSet;
import dev.amend.model.ModelHandle;
import dev.amend.model.ModelSpec;
import dev.amend.train.Optimum;
import java.util.Map;
import java.util.Random;

/**
 * docs/methods.md 6 fixture (A) as the treatment tests use it: 200 examples of 20 Gaussian
 * features in 3 classes (15% random labels), and float64 L2 logistic regression (alpha 0.01)
 * fitted to its optimum by Newton's method.
 */
final class TreatFixture {
    private TreatFixture() {
    }

    /** The data drawn from {@code new Random(seed)}. */
    static ExampleSet data(long seed) {
        Random r = new Random(seed);
        int n = 200;
        float[] x = new float[n * 20];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < 20; j++) {
                x[i * 20 + j] = (float) r.nextGaussian();
                s += x[i * 20 + j] * (j < 10 ? 1 : -0.5);
            }
            y[i] = r.nextDouble() < 0.15 ? r.nextInt(3) : (s > 0.8 ? 0 : s < -0.8 ? 1 : 2);
        }
        return ExampleSet.of(x, y, 1, 1, 20, ExampleSet.numberedClasses(3));
    }

    /** Logistic regression at its optimum on {@code train} (gradient norm below 1e-10). */
    static ModelHandle fitted(ExampleSet train) {
        ModelHandle model = ModelHandle.create(new ModelSpec("logreg", Map.of(), 1, 1, 20, ExampleSet.numberedClasses(3),
                new float[] {0}, ModelSpec.Precision.FLOAT64, 0.01), 1);
        Optimum.fit(model, train, 1e-10, 100);
        return model;
    }
}
