package dev.amend.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.identify.InverseHvp.Solver;
import dev.amend.model.ModelHandle;
import dev.amend.train.Optimum;
import dev.amend.util.Vectors;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docs/methods.md 6, items 3, 4 and 6 on fixture (A). */
class LinearInfluenceTest {
    private static LogregFixture fx;
    private static Ranking exact;

    @BeforeAll
    static void setUp() {
        fx = new LogregFixture(7);
        IdentificationProblem p = IdentificationProblem.of(fx.model, fx.train, fx.query, null, null, 1);
        exact = new LinearInfluence(InverseHvp.Config.defaults(Solver.EXACT, 1).withDamping(0)).identify(p);
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    @Test
    void exactInfluencePredictsLeaveOneOutRetraining() {
        int n = fx.train.size();
        int[] order = exact.order();
        int[] extremes = IntStream.concat(IntStream.of(order).limit(40), IntStream.of(order).skip(n - 40)).toArray();
        double qStar = fx.model.evaluate(fx.query).meanLoss();
        double[] predicted = new double[extremes.length];
        double[] actual = new double[extremes.length];
        double[] thetaStar = fx.model.getParameters();
        for (int j = 0; j < extremes.length; j++) {
            int z = extremes[j];
            try (ModelHandle loo = ModelHandle.of(fx.model.spec(), thetaStar)) {
                Optimum.fit(loo, fx.train.subset(fx.without(z)), 1e-10, 50);
                actual[j] = loo.evaluate(fx.query).meanLoss() - qStar;
            }
            predicted[j] = -exact.score(z) / n;
        }
        double r = Vectors.pearson(predicted, actual);
        System.out.println("exact influence vs leave-one-out, Pearson over 80 extremes: " + r);
        assertThat(r).isGreaterThan(0.95);
        for (int j = 0; j < 10; j++) {
            assertThat(Math.signum(predicted[j])).isEqualTo(Math.signum(actual[j]));
        }
    }

    @Test
    void conjugateGradientsMatchTheCholeskySolve() {
        double[] v = fx.model.meanLossGradient(fx.query, false);
        double[] direct = InverseHvp.solve(fx.model, fx.train, v, InverseHvp.Config.defaults(Solver.EXACT, 1).withDamping(0));
        double[] cg = InverseHvp.solve(fx.model, fx.train, v,
                InverseHvp.Config.defaults(Solver.CG, 1).withDamping(0).withCg(1e-12, 1000));
        assertThat(Vectors.norm(Vectors.axpy(cg, -1, direct)) / Vectors.norm(direct)).isLessThan(1e-8);
        IdentificationProblem p = IdentificationProblem.of(fx.model, fx.train, fx.query, null, null, 1);
        Ranking r = new LinearInfluence(InverseHvp.Config.defaults(Solver.CG, 1).withDamping(0)).identify(p);
        assertThat(Vectors.pearson(r.scores(), exact.scores())).isGreaterThan(0.9999);
    }

    @Test
    void lissaConvergesToTheDampedSolutionAndAgreesWithExactInfluence() {
        double[] v = fx.model.meanLossGradient(fx.query, false);
        double lmax = InverseHvp.largestEigenvalue(fx.model, fx.train, ModelHandle.Curvature.HESSIAN, 50, 3);
        double s = 1.5 * lmax;
        double d = 0.01;
        double[] target = InverseHvp.solve(fx.model, fx.train, v,
                InverseHvp.Config.defaults(Solver.EXACT, 1).withDamping(s * d));
        // Full-batch products (batch = N): the recursion is deterministic and converges geometrically.
        double[] full = InverseHvp.solve(fx.model, fx.train, v,
                InverseHvp.Config.defaults(Solver.LISSA, 1).withDamping(0).withLissa(s, d, 2000, 1, fx.train.size()));
        assertThat(Vectors.norm(Vectors.axpy(full, -1, target)) / Vectors.norm(target)).isLessThan(1e-3);
        double[] stochastic = InverseHvp.solve(fx.model, fx.train, v,
                InverseHvp.Config.defaults(Solver.LISSA, 1).withDamping(0).withLissa(s, d, 1000, 10, 16));
        double cosine = Vectors.dot(stochastic, target) / Vectors.norm(stochastic) / Vectors.norm(target);
        assertThat(cosine).isGreaterThan(0.95);
        IdentificationProblem p = IdentificationProblem.of(fx.model, fx.train, fx.query, null, null, 1);
        Ranking r = new LinearInfluence(InverseHvp.Config.defaults(Solver.LISSA, 1).withLissa(s, 0.001, 3000, 1, 64))
                .identify(p);
        assertThat(Vectors.pearson(r.scores(), exact.scores())).isGreaterThan(0.95);
    }

    @Test
    void lissaWithTooSmallAScaleReportsDivergence() {
        double lmax = InverseHvp.largestEigenvalue(fx.model, fx.train, ModelHandle.Curvature.HESSIAN, 50, 3);
        double[] v = fx.model.meanLossGradient(fx.query, false);
        assertThatThrownBy(() -> InverseHvp.solve(fx.model, fx.train, v,
                InverseHvp.Config.defaults(Solver.LISSA, 1).withLissa(lmax / 4, 0.001, 5000, 1, fx.train.size())))
                .isInstanceOf(AmendException.class).hasMessageStartingWith("LiSSA diverged");
    }

    @Test
    void baselinesAreSeededPermutationsAndTheOracleNeedsTheMask() {
        boolean[] noisy = new boolean[fx.train.size()];
        Random r = new Random(3);
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] = r.nextDouble() < 0.2;
        }
        IdentificationProblem p = IdentificationProblem.of(fx.model, fx.train, fx.query, noisy, null, 5);
        Ranking oracle = new OracleIdentifier().identify(p);
        long m = IntStream.range(0, noisy.length).filter(i -> noisy[i]).count();
        for (int k = 0; k < m; k++) {
            assertThat(noisy[oracle.order()[k]]).isTrue();
        }
        Ranking a = new RandomIdentifier().identify(p);
        Ranking b = new RandomIdentifier().identify(p);
        assertThat(a.order()).containsExactly(b.order());
        IdentificationProblem noMask = IdentificationProblem.of(fx.model, fx.train, fx.query, null, null, 5);
        assertThatThrownBy(() -> new OracleIdentifier().identify(noMask)).isInstanceOf(AmendException.class);
    }

    @Test
    void anEmptyQuerySetIsAUserError() {
        ExampleSet empty = fx.query.subset(new int[0]);
        assertThatThrownBy(() -> IdentificationProblem.of(fx.model, fx.train, empty, null, null, 1))
                .isInstanceOf(AmendException.class).hasMessageContaining("empty");
    }
}
