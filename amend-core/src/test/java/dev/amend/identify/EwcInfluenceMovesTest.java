package dev.amend.identify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.amend.data.ExampleSet;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * EWC-influence's fine-tuning never keeps theta* itself (docs/methods.md 2(a) step 3): with
 * theta_F = theta* every score would be 0 and the ranking the order of D. The failing case is
 * built on purpose: F_q_val holds the failures of F_q_fit labelled with the model's own
 * predictions, so every step of fitting F_q_fit raises the loss of F_q_val, and theta* would
 * win an early stopping it took part in.
 */
class EwcInfluenceMovesTest {
    private static LogregFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new LogregFixture(5);
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    @Test
    void aStoppingSetThatOnlyGetsWorseStillGivesAnInformativeRanking() {
        ExampleSet fit = fx.query;
        int[] predicted = fx.model.evaluate(fit).predictions();
        ExampleSet val = fit.withLabels(predicted);
        double valLossAtThetaStar = fx.model.evaluate(val).meanLoss();
        IdentificationProblem p = new IdentificationProblem(fx.model, fx.train, fit, fit, val, null, null, null, 3);

        Ranking r = Identifiers.create(Identifiers.EWC_INFLUENCE, Identifiers.Options.defaults(), 3).identify(p);

        assertThat((int) r.facts().get("finetune_best_epoch")).isGreaterThanOrEqualTo(1);
        assertThat(Arrays.stream(r.scores()).filter(s -> s != 0).count()).isEqualTo(fx.train.size());
        assertThat(r.scores()).matches(s -> Arrays.stream(s).distinct().count() > fx.train.size() / 2);
        // The premise: the kept epoch is worse on F_q_val than theta*, so theta* would have won.
        assertThat(valLossAtThetaStar).isLessThan(lossOnValAfterOneEpochOfFitting(p));
    }

    /** F_q_val's mean loss after the first epoch, from the same fine-tuning the method runs. */
    private static double lossOnValAfterOneEpochOfFitting(IdentificationProblem p) {
        var cfg = EwcInfluence.defaultTraining(3).withMaxEpochs(1).withWeightDecay(false);
        double[] fisher = p.model().fisherDiagonal(p.train());
        double[] w = new double[fisher.length];
        int n = p.train().size();
        int m = p.queryFit().size();
        for (int j = 0; j < w.length; j++) {
            w[j] = n / (2.0 * m) * fisher[j];
        }
        try (var tuned = p.model().copy();
                var penalty = dev.amend.train.Penalty.quadratic(tuned, p.model().getParameters(), w, 1)) {
            dev.amend.train.TrainingLoop.train(tuned, p.queryFit(), null, cfg, penalty, dev.amend.train.EpochListener.NONE);
            return tuned.evaluate(p.queryValidation()).meanLoss();
        }
    }
}
