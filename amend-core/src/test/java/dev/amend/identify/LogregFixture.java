package dev.amend.identify;

import dev.amend.data.ExampleSet;
import dev.amend.model.ModelHandle;
import dev.amend.model.ModelSpec;
import dev.amend.train.Optimum;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * docs/methods.md 6 fixture (A): L2-regularised multinomial logistic regression, d = 20 features,
 * 3 classes, N = 200, alpha = 0.01, trained to ||grad R_D|| < 1e-10 in float64; the query set
 * is the 20 test examples with the largest loss.
 */
final class LogregFixture implements AutoCloseable {
    static final double ALPHA = 0.01;
    final ExampleSet train;
    final ExampleSet test;
    final ExampleSet query;
    final ModelHandle model;

    LogregFixture(long seed) {
        Random r = new Random(seed);
        double[][] teacher = new double[3][20];
        for (double[] row : teacher) {
            for (int j = 0; j < 20; j++) {
                row[j] = r.nextGaussian();
            }
        }
        train = sample(200, teacher, r);
        test = sample(200, teacher, r);
        ModelSpec spec = new ModelSpec("logreg", Map.of(), 1, 1, 20, ExampleSet.numberedClasses(3), new float[] {0},
                ModelSpec.Precision.FLOAT64, ALPHA);
        model = ModelHandle.create(spec, seed);
        Optimum.Result fit = Optimum.fit(model, train, 1e-10, 100);
        if (fit.gradientNorm() > 1e-10) {
            throw new IllegalStateException("fixture not converged: " + fit);
        }
        double[] loss = model.evaluate(test).loss();
        int[] worst = IntStream.range(0, test.size()).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -loss[i])).limit(20).mapToInt(Integer::intValue)
                .sorted().toArray();
        query = test.subset(worst);
    }

    /** Examples with a noisy teacher: 10% of labels drawn at random, so some training points hurt. */
    private static ExampleSet sample(int n, double[][] teacher, Random r) {
        float[] x = new float[n * 20];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double[] logits = new double[3];
            for (int j = 0; j < 20; j++) {
                float v = (float) r.nextGaussian();
                x[i * 20 + j] = v;
                for (int k = 0; k < 3; k++) {
                    logits[k] += 0.3 * teacher[k][j] * v;
                }
            }
            int best = 0;
            for (int k = 1; k < 3; k++) {
                best = logits[k] > logits[best] ? k : best;
            }
            y[i] = r.nextDouble() < 0.1 ? r.nextInt(3) : best;
        }
        return ExampleSet.of(x, y, 1, 1, 20, ExampleSet.numberedClasses(3));
    }

    /** All positions except i. */
    int[] without(int i) {
        return IntStream.range(0, train.size()).filter(j -> j != i).toArray();
    }

    static double[] pick(double[] a, int[] idx) {
        return Arrays.stream(idx).mapToDouble(i -> a[i]).toArray();
    }

    @Override
    public void close() {
        model.close();
    }
}
