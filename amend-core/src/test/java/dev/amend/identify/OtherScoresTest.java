package dev.amend.identify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scores of examples outside D come from the same run as D's (docs/methods.md 3(e)): given D
 * itself as the other examples, every method that scores others reproduces its own ranking's
 * scores, and a method that cannot returns none.
 */
class OtherScoresTest {
    private static LogregFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new LogregFixture(7);
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    @Test
    void theTrainingSetScoredAsOtherExamplesGetsItsOwnScores() {
        IdentificationProblem p = IdentificationProblem.of(fx.model, fx.train, fx.query, null, null, 3)
                .withOthers(fx.train);
        for (String method : new String[] {"ewc-influence", "influence-cg", "exact"}) {
            Ranking r = Identifiers.create(method, Identifiers.Options.defaults(), 3).identify(p);
            double[] others = r.otherScores();
            assertThat(others).as(method).isNotNull().hasSize(fx.train.size());
            for (int i = 0; i < others.length; i++) {
                assertThat(others[i]).as(method + " example " + i)
                        .isCloseTo(r.score(i), org.assertj.core.data.Offset.offset(1e-9 * (1 + Math.abs(r.score(i)))));
            }
        }
        assertThat(Identifiers.create("random", Identifiers.Options.defaults(), 3).identify(p).otherScores()).isNull();
        assertThat(Identifiers.create("ewc-influence", Identifiers.Options.defaults(), 3)
                .identify(p.withOthers(null)).otherScores()).isNull();
    }
}
