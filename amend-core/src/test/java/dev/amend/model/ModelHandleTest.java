package dev.amend.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.model.ModelHandle.Curvature;
import dev.amend.model.ModelSpec.Precision;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ModelHandleTest {



    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void paperCnnHasThePapersParameterCount() {
        ExampleSet d = TestData.random(2, 1, 28, 28, 10, 1);
        try (ModelHandle m = ModelHandle.create(TestData.spec("paper-cnn", Map.of(), d, Precision.FLOAT32, 0), 0)) {
            assertThat(m.numParameters()).isEqualTo(65_642);
        }
    }

    @Test
    void flatParametersRoundTrip() {
        ExampleSet d = TestData.random(4, 1, 8, 8, 3, 2);
        try (ModelHandle m = ModelHandle.create(TestData.spec("paper-cnn", Map.of(), d, Precision.FLOAT64, 0), 3)) {
            double[] theta = TestData.randomVector(m.numParameters(), 4);
            m.setParameters(theta);
            assertThat(m.getParameters()).containsExactly(theta);
        }
    }

    @Test
    void perExampleGradientsEqualSingleExampleBackward() {
        ExampleSet d = TestData.random(7, 1, 8, 8, 3, 5);
        for (String arch : new String[] {"paper-cnn", "mlp", "resnet"}) {
            try (ModelHandle m = ModelHandle.create(TestData.spec(arch, Map.of(), d, Precision.FLOAT64, 0), 6)) {
                perturbZeroInitialisedWeights(m);
                double[][] g = m.perExampleGradients(d);
                for (int i = 0; i < d.size(); i++) {
                    double[] single = m.meanLossGradient(d.subset(new int[] {i}), false);
                    assertThat(TestData.relError(g[i], single)).as(arch + " example " + i).isLessThan(1e-12);
                }
            }
        }
    }

    /** Residual branches start at zero; move them so every gradient is non-trivial. */
    private static void perturbZeroInitialisedWeights(ModelHandle m) {
        double[] theta = m.getParameters();
        Random r = new Random(11);
        for (int i = 0; i < theta.length; i++) {
            if (theta[i] == 0) {
                theta[i] = 0.05 * r.nextGaussian();
            }
        }
        m.setParameters(theta);
    }

    @Test
    void fisherDiagonalEqualsBruteForceAndNotTheSquaredMeanGradient() {
        ExampleSet d = TestData.random(23, 1, 8, 8, 3, 7);
        try (ModelHandle m = ModelHandle.create(TestData.spec("paper-cnn", Map.of(), d, Precision.FLOAT64, 0), 8)) {
            double[] brute = new double[m.numParameters()];
            for (int i = 0; i < d.size(); i++) {
                double[] g = m.meanLossGradient(d.subset(new int[] {i}), false);
                for (int j = 0; j < g.length; j++) {
                    brute[j] += g[j] * g[j] / d.size();
                }
            }
            assertThat(TestData.relError(m.fisherDiagonal(d), brute)).isLessThan(1e-12);
            double[] mean = m.meanLossGradient(d, false);
            double[] squared = new double[mean.length];
            for (int j = 0; j < mean.length; j++) {
                squared[j] = mean[j] * mean[j];
            }
            assertThat(TestData.relError(squared, brute)).isGreaterThan(0.1);
        }
    }

    /**
     * The Fisher pass squares each parameter block of a chunk in float64 without forming the
     * (B, P) matrix; it equals the mean of the squared rows of that matrix, for float32 models too.
     */
    @Test
    void fisherDiagonalEqualsTheMeanSquareOfThePerExampleGradientMatrix() {
        ExampleSet d = TestData.random(57, 1, 8, 8, 3, 15);
        for (Precision precision : Precision.values()) {
            for (String arch : new String[] {"paper-cnn", "mlp", "resnet", "logreg"}) {
                try (ModelHandle m = ModelHandle.create(TestData.spec(arch, Map.of(), d, precision, 0), 16)) {
                    perturbZeroInitialisedWeights(m);
                    double[][] g = m.perExampleGradients(d);
                    double[] expected = new double[m.numParameters()];
                    for (double[] row : g) {
                        for (int j = 0; j < row.length; j++) {
                            expected[j] += row[j] * row[j] / d.size();
                        }
                    }
                    double err = TestData.relError(m.fisherDiagonal(d), expected);
                    assertThat(err).as(arch + " " + precision).isLessThan(1e-12);
                }
            }
        }
    }

    @Test
    void theFisherPassKeepsLossesEqualToEvaluateAtTheSameParametersOnly() {
        ExampleSet d = TestData.random(57, 1, 8, 8, 3, 13);
        for (Precision precision : Precision.values()) {
            double tolerance = precision == Precision.FLOAT64 ? 1e-12 : 1e-5;
            for (String arch : new String[] {"paper-cnn", "mlp", "resnet"}) {
                try (ModelHandle m = ModelHandle.create(TestData.spec(arch, Map.of(), d, precision, 0), 14)) {
                    perturbZeroInitialisedWeights(m);
                    m.fisherDiagonal(d);
                    double[] kept = m.losses(d);
                    assertThat(TestData.relError(kept, m.evaluate(d).loss())).as(arch + " " + precision)
                            .isLessThan(tolerance);
                    double[] theta = m.getParameters();
                    for (int i = 0; i < theta.length; i++) {
                        theta[i] *= 1.5;
                    }
                    m.setParameters(theta);
                    double[] moved = m.evaluate(d).loss();
                    assertThat(m.losses(d)).as(arch + " " + precision + " after a step").containsExactly(moved);
                    assertThat(TestData.relError(kept, moved)).isGreaterThan(1e-3);
                }
            }
        }
    }

    @Test
    void hessianVectorProductMatchesFiniteDifferencesOfGradients() {
        ExampleSet d = TestData.random(30, 1, 6, 6, 3, 9);
        // Smooth models only: with ReLU, finite differences cross kinks and are not a reference.
        for (String arch : new String[] {"mlp", "logreg"}) {
            Map<String, String> opts = arch.equals("mlp") ? Map.of("hidden", "8,8", "activation", "tanh") : Map.of();
            try (ModelHandle m = ModelHandle.create(TestData.spec(arch, opts, d, Precision.FLOAT64, 0.01), 10)) {
                double[] theta = m.getParameters();
                double[] v = TestData.randomVector(theta.length, 12);
                double eps = 1e-5;
                double[] plus = theta.clone();
                double[] minus = theta.clone();
                for (int i = 0; i < theta.length; i++) {
                    plus[i] += eps * v[i];
                    minus[i] -= eps * v[i];
                }
                m.setParameters(plus);
                double[] gp = m.meanLossGradient(d, true);
                m.setParameters(minus);
                double[] gm = m.meanLossGradient(d, true);
                m.setParameters(theta);
                double[] fd = new double[theta.length];
                for (int i = 0; i < fd.length; i++) {
                    fd[i] = (gp[i] - gm[i]) / (2 * eps);
                }
                assertThat(TestData.relError(m.hessianVectorProduct(d, v), fd)).as(arch).isLessThan(1e-6);
            }
        }
    }

    /**
     * Reference for ReLU networks: libtorch's double backward on fresh leaves (correct, but it
     * leaks through the parameter/gradient cycle, so the library does not use it).
     */
    private static double[] doubleBackwardHvp(ModelHandle m, ExampleSet d, double[] theta, double[] v) {
        try (NDManager scope = Engines.newManager()) {
            NDList leaves = m.toArrays(scope, theta);
            NDList vs = m.toArrays(scope, v);
            leaves.forEach(p -> p.setRequiresGradient(true));
            JniUtils.setGradMode(true);
            NDArray x = m.inputs(scope, d, 0, d.size());
            NDArray loss = ModelHandle.perExampleLoss(((NetworkModel) m).logits(x, leaves), ModelHandle.labels(scope, d, 0, d.size()))
                    .mean();
            JniUtils.backward((PtNDArray) loss, (PtNDArray) loss.onesLike(), true, true);
            NDArray s = null;
            double[] g = new double[0];
            NDList grads = new NDList();
            for (int i = 0; i < leaves.size(); i++) {
                NDArray gi = leaves.get(i).getGradient();
                grads.add(gi.duplicate());
                NDArray term = gi.mul(vs.get(i)).sum();
                s = s == null ? term : s.add(term);
            }
            g = ModelHandle.flatten(grads);
            JniUtils.backward((PtNDArray) s, (PtNDArray) s.onesLike(), false, false);
            JniUtils.setGradMode(false);
            NDList after = new NDList();
            leaves.forEach(p -> after.add(p.getGradient()));
            double[] total = ModelHandle.flatten(after);
            for (int i = 0; i < total.length; i++) {
                total[i] = total[i] - g[i] + m.spec().weightDecay() * v[i];
            }
            return total;
        }
    }

    @Test
    void hessianVectorProductOfReluNetworksMatchesDoubleBackward() {
        ExampleSet d = TestData.random(30, 1, 6, 6, 3, 9);
        for (String arch : new String[] {"paper-cnn", "resnet", "mlp"}) {
            try (ModelHandle m = ModelHandle.create(TestData.spec(arch, Map.of(), d, Precision.FLOAT64, 0.01), 10)) {
                perturbZeroInitialisedWeights(m);
                double[] v = TestData.randomVector(m.numParameters(), 12);
                double[] reference = doubleBackwardHvp(m, d, m.getParameters(), v);
                assertThat(TestData.relError(m.hessianVectorProduct(d, v), reference)).as(arch).isLessThan(1e-10);
            }
        }
    }

    @Test
    void hessianVectorProductsAreRepeatableAndSymmetric() {
        ExampleSet d = TestData.random(20, 1, 6, 6, 3, 13);
        try (ModelHandle m = ModelHandle.create(TestData.spec("paper-cnn", Map.of(), d, Precision.FLOAT64, 0), 14)) {
            double[] u = TestData.randomVector(m.numParameters(), 15);
            double[] v = TestData.randomVector(m.numParameters(), 16);
            double[] hv1 = m.hessianVectorProduct(d, v);
            double[] hv2 = m.hessianVectorProduct(d, v);
            assertThat(hv2).containsExactly(hv1);
            double uhv = dot(u, hv1);
            double vhu = dot(v, m.hessianVectorProduct(d, u));
            assertThat(Math.abs(uhv - vhu)).isLessThan(1e-10 * Math.max(1, Math.abs(uhv)));
        }
    }

    @Test
    void gaussNewtonEqualsHessianForLogisticRegressionAndIsPositiveForNetworks() {
        ExampleSet d = TestData.random(25, 1, 5, 5, 4, 17);
        try (ModelHandle m = ModelHandle.create(TestData.spec("logreg", Map.of(), d, Precision.FLOAT64, 0.1), 18)) {
            double[] v = TestData.randomVector(m.numParameters(), 19);
            assertThat(TestData.relError(m.curvatureVectorProduct(Curvature.GGN, d, v), m.hessianVectorProduct(d, v)))
                    .isLessThan(1e-12);
        }
        try (ModelHandle m = ModelHandle.create(TestData.spec("mlp", Map.of("activation", "tanh"), d, Precision.FLOAT64, 0), 20)) {
            for (int s = 0; s < 5; s++) {
                double[] v = TestData.randomVector(m.numParameters(), 21 + s);
                assertThat(dot(v, m.curvatureVectorProduct(Curvature.GGN, d, v))).isGreaterThanOrEqualTo(0);
            }
        }
    }

    @Test
    void empiricalFisherProductEqualsExplicitOuterProducts() {
        ExampleSet d = TestData.random(12, 1, 5, 5, 3, 22);
        try (ModelHandle m = ModelHandle.create(TestData.spec("mlp", Map.of("hidden", "6"), d, Precision.FLOAT64, 0), 23)) {
            double[] v = TestData.randomVector(m.numParameters(), 24);
            double[][] g = m.perExampleGradients(d);
            double[] expected = new double[v.length];
            for (double[] gi : g) {
                double gv = dot(gi, v);
                for (int j = 0; j < v.length; j++) {
                    expected[j] += gi[j] * gv / d.size();
                }
            }
            assertThat(TestData.relError(m.curvatureVectorProduct(Curvature.EMPIRICAL_FISHER, d, v), expected)).isLessThan(1e-12);
        }
    }

    @Test
    void evaluationMatchesPerExampleLosses() {
        ExampleSet d = TestData.random(9, 3, 8, 8, 4, 25);
        try (ModelHandle m = ModelHandle.create(TestData.spec("resnet", Map.of(), d, Precision.FLOAT32, 0), 26)) {
            Evaluation e = m.evaluate(d);
            assertThat(java.util.Arrays.stream(e.loss()).boxed()).hasSize(9).allMatch(l -> l > 0 && Double.isFinite(l));
            assertThat(e.accuracy()).isBetween(0.0, 1.0);
        }
    }

    @Test
    void dataOfAnotherShapeIsRejectedWithAOneLineMessage() {
        ExampleSet d = TestData.random(3, 1, 8, 8, 3, 27);
        ExampleSet other = TestData.random(3, 1, 6, 6, 3, 28);
        try (ModelHandle m = ModelHandle.create(TestData.spec("logreg", Map.of(), d, Precision.FLOAT32, 0), 29)) {
            assertThatThrownBy(() -> m.evaluate(other)).isInstanceOf(AmendException.class)
                    .hasMessage("the model expects 1x8x8 images but the data has 1x6x6");
        }
    }
}
