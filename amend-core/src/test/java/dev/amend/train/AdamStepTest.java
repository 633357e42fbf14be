package dev.amend.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.amend.data.ExampleSet;
import dev.amend.model.LogregReference;
import dev.amend.model.ModelHandle;
import org.junit.jupiter.api.Test;

/**
 * docs/methods.md 2(a) and 3: the {@link TrainingLoop}'s Adam is PyTorch's (betas 0.9 / 0.999, eps
 * 1e-8, bias corrections, L2 weight decay added to the gradient). One, two and three full-batch
 * steps on logistic regression (float64) against Adam computed by hand in plain doubles with
 * the reference gradient.
 */
class AdamStepTest {

    /** theta after k Adam steps from theta0 on sign-less mean_D l + (alpha/2)||theta||^2, by hand. */
    private static double[] adamByHand(LogregReference ref, double[] theta0, double alpha, double lr, int steps) {
        return adamByHand(ref, theta0, alpha, lr, steps, 1e-8, true);
    }

    private static double[] adamByHand(LogregReference ref, double[] theta0, double alpha, double lr, int steps,
            double eps, boolean biasCorrection) {
        double b1 = 0.9;
        double b2 = 0.999;
        int p = theta0.length;
        double[] theta = theta0.clone();
        double[] m = new double[p];
        double[] v = new double[p];
        for (int t = 1; t <= steps; t++) {
            double[] g = ref.meanGradient(theta);
            for (int j = 0; j < p; j++) {
                g[j] += alpha * theta[j];
                m[j] = b1 * m[j] + (1 - b1) * g[j];
                v[j] = b2 * v[j] + (1 - b2) * g[j] * g[j];
                double mHat = biasCorrection ? m[j] / (1 - Math.pow(b1, t)) : m[j];
                double vHat = biasCorrection ? v[j] / (1 - Math.pow(b2, t)) : v[j];
                theta[j] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        }
        return theta;
    }

    private static double[] minus(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    @Test
    void adamStepsAreTheHandComputedOnes() {
        // Feature 0 is scaled by 1e-8, so the gradients of its three weights are of the size of
        // eps (1e-9 to 1e-8) and the test pins where eps enters the update.
        ExampleSet base = PenaltyTest.gaussianData(40, 5, 21);
        float[] x = base.pixels().clone();
        for (int i = 0; i < base.size(); i++) {
            x[i * 5] *= 1e-8f;
        }
        ExampleSet data = base.withImages(x);
        LogregReference ref = new LogregReference(data, 0);
        double lr = 0.01;
        for (double alpha : new double[] {0, 0.1}) {
            for (int steps = 1; steps <= 3; steps++) {
                try (ModelHandle model = ModelHandle.create(PenaltyTest.logreg(5, alpha), 22)) {
                    double[] theta0 = model.getParameters();
                    if (alpha == 0) {
                        // start feature 0's weights at 0: no other term then lifts their gradients
                        // above eps
                        for (int k = 0; k < 3; k++) {
                            theta0[k * 5] = 0;
                        }
                        model.setParameters(theta0);
                    }
                    double[] expected = minus(adamByHand(ref, theta0, alpha, lr, steps), theta0);
                    TrainConfig cfg = TrainConfig.paperDefaults(1).withOptimizer(TrainConfig.Optimizer.ADAM, lr)
                            .withBatchSize(data.size()).withMaxEpochs(steps).withWeightDecay(alpha > 0);
                    TrainingLoop.train(model, data, null, cfg, null, EpochListener.NONE);
                    double[] step = minus(model.getParameters(), theta0);
                    double err = LogregReference.maxComponentRelativeError(step, expected);
                    System.out.printf("adam, alpha %.1f, %d steps: largest relative error of a component %.3e%n", alpha,
                            steps, err);
                    // Measured 9e-16 to 2.8e-15.
                    assertThat(err).isLessThan(1e-12);
                    // What the bound tells apart: Adam without bias corrections (the first step 3.2 lr
                    // instead of lr; measured relative difference 2.2 to 3.1) ...
                    double noCorrection = LogregReference.maxComponentRelativeError(
                            minus(adamByHand(ref, theta0, alpha, lr, steps, 1e-8, false), theta0), expected);
                    assertThat(noCorrection).isGreaterThan(0.5);
                    if (alpha == 0) {
                        // ... and without eps: the weights of feature 0 (|g| 2.6e-10 to 2.6e-9) would move
                        // by lr per step instead of 0.03-0.2 lr (measured largest relative difference 35).
                        double noEps = LogregReference.maxComponentRelativeError(
                                minus(adamByHand(ref, theta0, alpha, lr, steps, 0, true), theta0), expected);
                        System.out.printf("  hand Adam without bias corrections: %.3e, without eps: %.3e%n",
                                noCorrection, noEps);
                        assertThat(noEps).isGreaterThan(0.5);
                    }
                }
            }
        }
    }
}
