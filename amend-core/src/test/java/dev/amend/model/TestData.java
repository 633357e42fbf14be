package dev.amend.model;

import dev.amend.data.ExampleSet;
import java.util.Map;
import java.util.Random;

/** Small synthetic data sets and model specs for exactness tests. */
final class TestData {
    private TestData() {
    }

    /** n random images in [0,1] of shape c x h x w with labels drawn from k classes. */
    static ExampleSet random(int n, int c, int h, int w, int k, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * c * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(k);
        }
        return ExampleSet.of(x, y, c, h, w, ExampleSet.numberedClasses(k));
    }

    static ModelSpec spec(String arch, Map<String, String> options, ExampleSet d, ModelSpec.Precision precision, double alpha) {
        float[] mean = new float[d.channels()];
        java.util.Arrays.fill(mean, 0.5f);
        return new ModelSpec(arch, options, d.channels(), d.height(), d.width(), d.classNames(), mean, precision, alpha);
    }

    /** ||a - b|| / ||b||. */
    static double relError(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.sqrt(num / Math.max(den, 1e-300));
    }

    /** n standard normal numbers drawn from {@code seed}. */
    static double[] randomVector(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }
}
