package dev.amend.treat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.identify.InverseHvp;
import dev.amend.model.ModelHandle;
import dev.amend.train.Optimum;
import dev.amend.train.TrainConfig;
import dev.amend.util.Vectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docs/methods.md 6 items 9-11 on fixture (A): logistic regression at its optimum. */
class TreatmentTest {
    private static ExampleSet train;
    private static ExampleSet query;
    private static ModelHandle model;

    @BeforeAll
    static void setUp() {
        train = TreatFixture.data(5);
        query = train.subset(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        model = TreatFixture.fitted(train);
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    private static TreatmentProblem problem(int[] causes) {
        return new TreatmentProblem(model, train, causes, query, query, null, null, 1, null);
    }

    private static double[] retrained(TreatmentProblem p) {
        try (ModelHandle m = model.copy()) {
            Optimum.fit(m, p.remaining(), 1e-10, 100);
            return m.getParameters();
        }
    }

    private static NewtonRemoval exactNewton(double gamma) {
        return new NewtonRemoval(NewtonRemoval.Step.EXACT, gamma, false, false,
                InverseHvp.Config.defaults(InverseHvp.Solver.EXACT, 1).withDamping(0), StopRule.DELETION_DEFAULT);
    }

    @Test
    void newtonRemovalLandsNearTheRetrainedOptimum() {
        double[] thetaStar = model.getParameters();
        int[][] causeSets = {{17}, {3, 14, 25, 36, 47, 58, 69, 80, 91, 102}};
        double[] bounds = {0.05, 0.2};
        for (int c = 0; c < causeSets.length; c++) {
            TreatmentProblem p = problem(causeSets[c]);
            double[] target = retrained(p);
            try (ModelHandle rep = exactNewton(1).apply(p).model()) {
                double err = Vectors.norm(Vectors.axpy(rep.getParameters(), -1, target));
                double move = Vectors.norm(Vectors.axpy(target, -1, thetaStar));
                System.out.printf("newton removal of %d: error / retraining move = %.4f%n", causeSets[c].length, err / move);
                assertThat(err).isLessThan(bounds[c] * move);
            }
        }
    }

    /**
     * LiSSA in place of the exact solve lands on the same step. Full batches make the recursion a
     * deterministic Neumann series, so the bound tests the solver rather than minibatch noise
     * (with the default batch of 64 a single recursion is about 20% off here).
     */
    @Test
    void newtonRemovalWithLissaLandsNearTheExactStep() {
        TreatmentProblem p = problem(new int[] {3, 14, 25, 36, 47, 58, 69, 80, 91, 102});
        double[] thetaStar = model.getParameters();
        try (ModelHandle exact = exactNewton(1).apply(p).model();
                ModelHandle lissa = new NewtonRemoval(NewtonRemoval.Step.EXACT, 1, false, false,
                        InverseHvp.Config.defaults(InverseHvp.Solver.LISSA, 1).withDamping(0)
                                .withLissa(0, 1e-4, 1500, 1, train.size()), StopRule.DELETION_DEFAULT).apply(p).model()) {
            double[] step = Vectors.axpy(exact.getParameters(), -1, thetaStar);
            double err = Vectors.norm(Vectors.axpy(lissa.getParameters(), -1, exact.getParameters()));
            System.out.printf("newton removal with LiSSA: distance to the exact step / step = %.4f%n",
                    err / Vectors.norm(step));
            assertThat(err).isLessThan(0.02 * Vectors.norm(step));
        }
    }

    @Test
    void gammaZeroLeavesTheModelBitwiseUnchanged() {
        try (ModelHandle rep = exactNewton(0).apply(problem(new int[] {1, 2})).model()) {
            assertThat(rep.getParameters()).containsExactly(model.getParameters());
        }
    }

    @Test
    void ewcDeletionRaisesTheLossOfTheCausesAndKeepsTheRest() {
        int[] causes = new int[20];
        for (int i = 0; i < causes.length; i++) {
            causes[i] = 10 + 7 * i;
        }
        TreatmentProblem p = problem(causes);
        TrainConfig cfg = TrainConfig.paperDefaults(2).withMaxEpochs(30).withPatience(30);
        double causeBefore = model.evaluate(p.causeSet()).meanLoss();
        double restBefore = model.evaluate(p.remaining()).meanLoss();
        TreatmentResult r = new EwcDeletion(EwcDeletion.Settings.DEFAULTS.withGamma(0.03), cfg, StopRule.DELETION_DEFAULT)
                .apply(new TreatmentProblem(model, train, causes, query, p.remaining(), null, null, 1, null));
        try (ModelHandle rep = r.model()) {
            double causeAfter = rep.evaluate(p.causeSet()).meanLoss();
            double restAfter = rep.evaluate(p.remaining()).meanLoss();
            System.out.printf("ewc-deletion: loss of C %.4f -> %.4f, of D\\C %.4f -> %.4f, |dtheta| %.4f%n", causeBefore,
                    causeAfter, restBefore, restAfter, r.parameterDistance());
            assertThat(causeAfter).isGreaterThan(causeBefore);
            assertThat(restAfter).isLessThan(restBefore + 0.5 * (causeAfter - causeBefore));
        }
    }

    @Test
    void badCauseSetsAreUserErrors() {
        assertThatThrownBy(() -> problem(new int[0])).isInstanceOf(AmendException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> problem(new int[] {1, 1})).isInstanceOf(AmendException.class)
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> problem(new int[] {500})).isInstanceOf(AmendException.class)
                .hasMessageContaining("outside");
    }
}
