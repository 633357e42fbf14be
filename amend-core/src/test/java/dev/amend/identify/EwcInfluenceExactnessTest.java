package dev.amend.identify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.amend.model.LogregReference;
import dev.amend.train.TrainConfig;
import dev.amend.train.EpochListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/methods.md 2(a) and 6: EWC-influence's fine-tuning objective
 * mean_Q l + (N / 2M) sum_j F_j (theta_j - theta*_j)^2 + (lambda / 2M) ||theta - theta*||^2
 * on fixture (A), float64. The reference optimum is solved by Newton's method on the same
 * objective written out in plain doubles (own gradient, Hessian and Fisher); the library runs its
 * real path (Fisher pass, {@code Penalty}, {@code TrainingLoop}) as full-batch plain gradient descent
 * without early stopping, which converges to the same optimum, and its scores
 * r(z) = l(z; theta_F) - l(z; theta*) must match.
 */
class EwcInfluenceExactnessTest {
    private static LogregFixture fx;
    private static LogregReference trainRef;
    private static LogregReference queryRef;
    private static double[] thetaStar;
    private static double[] fisher;

    @BeforeAll
    static void setUp() {
        fx = new LogregFixture(11);
        float mean = fx.model.spec().inputMean()[0];
        trainRef = new LogregReference(fx.train, mean);
        queryRef = new LogregReference(fx.query, mean);
        thetaStar = fx.model.getParameters();
        fisher = trainRef.fisher(thetaStar);
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    /** r(z) for every z in D from the reference optimum of the penalised objective with weights w. */
    private static double[] referenceScores(double[] w) {
        double[] thetaF = queryRef.minimisePenalised(1, thetaStar, w, 1e-14);
        double[] before = trainRef.losses(thetaStar);
        double[] after = trainRef.losses(thetaF);
        double[] r = new double[before.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = after[i] - before[i];
        }
        return r;
    }

    /** Penalty weights (N / 2M) F_j * factor + lambda / 2M. */
    private static double[] weights(double lambda, double factor) {
        int n = fx.train.size();
        int m = fx.query.size();
        double[] w = new double[fisher.length];
        for (int j = 0; j < w.length; j++) {
            w[j] = factor * n / (2.0 * m) * fisher[j] + lambda / (2.0 * m);
        }
        return w;
    }

    private static Ranking library(double lambda, double lr, int epochs) {
        // F_q_fit = the whole query set; an empty F_q_val switches early stopping off (all epochs, last kept).
        IdentificationProblem p = new IdentificationProblem(fx.model, fx.train, fx.query, fx.query,
                fx.query.subset(new int[0]), null, null, null, 1);
        TrainConfig cfg = TrainConfig.paperDefaults(1).withOptimizer(TrainConfig.Optimizer.SGD, lr)
                .withBatchSize(fx.query.size()).withMaxEpochs(epochs).withPatience(epochs);
        return new EwcInfluence(lambda, cfg, EpochListener.NONE).identify(p);
    }

    @Test
    void referenceModelIsTheLibrarysModel() {
        double[] lib = fx.model.evaluate(fx.train).loss();
        double lossErr = LogregReference.relativeError(lib, trainRef.losses(thetaStar));
        double fisherErr = LogregReference.relativeError(fx.model.fisherDiagonal(fx.train), fisher);
        System.out.printf("reference vs library at theta*: losses %.3e, Fisher %.3e%n", lossErr, fisherErr);
        // Measured 1.8e-16 (losses) and 3.7e-16 (Fisher): same model, same flat parameter order.
        assertThat(lossErr).isLessThan(1e-13);
        assertThat(fisherErr).isLessThan(1e-12);
    }

    @Test
    void scoresMatchTheSolvedPenalisedOptimum() {
        for (double lambda : new double[] {0, 2}) {
            double[] ref = referenceScores(weights(lambda, 1));
            double[] wrong = referenceScores(weights(lambda, fx.query.size()));
            // The objective's Hessian at theta* has eigenvalues in [0.45, 2.08] (lambda 0) and
            // [0.55, 2.18] (lambda 2); gradient descent at lr 0.2 contracts by <= 0.91 per step, so
            // 500 full-batch steps reach float64 rounding.
            Ranking r = library(lambda, 0.2, 500);
            double err = LogregReference.relativeError(r.scores(), ref);
            double wrongErr = LogregReference.relativeError(wrong, ref);
            System.out.printf("ewc-influence lambda %.0f: relative error of r %.3e; penalty M times too strong: %.3e%n",
                    lambda, err, wrongErr);
            // Measured 1.1e-15 (lambda 0) and 8.3e-15 (lambda 2).
            assertThat(err).isLessThan(1e-12);
            // The penalty with N/2 in place of N/(2M) (sum-versus-mean scaling) moves r by 0.93-0.94
            // relative: the bound above tells them apart by twelve orders of magnitude.
            assertThat(wrongErr).isGreaterThan(0.1);
            if (lambda > 0) {
                // The prior as (lambda/2)||.||^2 beside the mean loss (not divided by M) moves r by 0.67.
                double priorErr = LogregReference.relativeError(
                        referenceScores(weights(lambda * fx.query.size(), 1)), ref);
                System.out.printf("ewc-influence: prior M times too strong: %.3e%n", priorErr);
                assertThat(priorErr).isGreaterThan(0.01);
            }
        }
    }
}
