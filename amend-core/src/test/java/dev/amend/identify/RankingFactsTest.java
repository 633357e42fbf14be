package dev.amend.identify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.amend.model.ModelHandle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a method measures while it ranks comes back with its ranking, not from a field of the
 * method that the next run overwrites; the Fisher diagonal's cache says when it would be reused.
 */
class RankingFactsTest {
    private static LogregFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new LogregFixture(11);
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    @Test
    void ewcInfluenceReturnsThePhasesOfItsRunWithTheRanking() {
        CauseIdentifier ewc = Identifiers.create(Identifiers.EWC_INFLUENCE, Identifiers.Options.defaults(), 3);
        IdentificationProblem p = IdentificationProblem.of(fx.model, fx.train, fx.query, null, null, 3);
        Ranking first = ewc.identify(p);
        assertThat(first.facts()).containsOnlyKeys("fisher_seconds", "finetune_seconds", "scoring_seconds",
                "finetune_epochs_run", "finetune_best_epoch");
        assertThat((double) first.facts().get("fisher_seconds")).isGreaterThanOrEqualTo(0);
        assertThat((int) first.facts().get("finetune_epochs_run")).isGreaterThanOrEqualTo(1);
        Object firstFisher = first.facts().get("fisher_seconds");
        Ranking second = ewc.identify(p);
        assertThat(second.facts()).containsKey("fisher_seconds");
        // A second run leaves the first ranking's facts as they were.
        assertThat(first.facts().get("fisher_seconds")).isSameAs(firstFisher);
        assertThat(Identifiers.create(Identifiers.RANDOM, Identifiers.Options.defaults(), 3).identify(p).facts())
                .isEmpty();
    }

    @Test
    void conjugateGradientsSayWhetherTheyReachedTheTolerance() {
        IdentificationProblem p = IdentificationProblem.of(fx.model, fx.train, fx.query, null, null, 3);
        Identifiers.Options defaults = Identifiers.Options.defaults();
        Ranking stopped = Identifiers.create(Identifiers.INFLUENCE_CG,
                defaults.withLinearInfluence(defaults.linearInfluence().withCgMaxIterations(2)), 3).identify(p);
        assertThat(stopped.facts()).containsOnlyKeys("cg_iterations", "cg_relative_residual", "cg_converged");
        assertThat(stopped.facts()).containsEntry("cg_iterations", 2).containsEntry("cg_converged", false);
        assertThat((double) stopped.facts().get("cg_relative_residual")).isGreaterThan(1e-5);

        Ranking converged = Identifiers.create(Identifiers.INFLUENCE_CG, defaults, 3).identify(p);
        assertThat(converged.facts()).containsEntry("cg_converged", true);
        assertThat((int) converged.facts().get("cg_iterations")).isGreaterThan(2);
        assertThat((double) converged.facts().get("cg_relative_residual")).isLessThanOrEqualTo(1e-5);

        Ranking lissa = Identifiers.create(Identifiers.INFLUENCE_LISSA,
                defaults.withLinearInfluence(defaults.linearInfluence().withLissaScale(50).withLissaDepth(20)), 3)
                .identify(p);
        assertThat(lissa.facts()).containsExactly(java.util.Map.entry("lissa_scale", 50.0));
    }

    @Test
    void theFisherIsReportedCachedOnlyForTheSameDataAndParameters() {
        try (ModelHandle model = fx.model.copy()) {
            assertThat(model.hasCachedFisher(fx.train)).isFalse();
            model.fisherDiagonal(fx.train);
            assertThat(model.hasCachedFisher(fx.train)).isTrue();
            assertThat(model.hasCachedFisher(fx.query)).isFalse();
            double[] theta = model.getParameters();
            theta[0] += 1e-3;
            model.setParameters(theta);
            assertThat(model.hasCachedFisher(fx.train)).isFalse();
            model.fisherDiagonal(fx.train);
            model.forgetCached();
            assertThat(model.hasCachedFisher(fx.train)).isFalse();
        }
    }
}
