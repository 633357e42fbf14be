package dev.amend.identify;

import dev.amend.data.ExampleSet;
import java.util.Map;

/**
 * Step I of a repair (docs/methods.md 2): scores every training example for how much it caused the
 * failures of the query set. Implementations are configured at construction and may be run on
 * many problems; they never change the problem's model.
 */
public interface CauseIdentifier {

    /** The method's name as used on the command line (e.g. "ewc-influence"). */
    String name();

    /** Every setting that determines the result, for ranking.json and spec.json. */
    Map<String, Object> settings();

    /** Scores the training set: higher = more harmful to the query set. */
    Ranking identify(IdentificationProblem problem);

    /**
     * Scores other labelled examples, such as the base validation split, exactly as the last
     * {@link #identify} scored the training set (same theta_F, same inverse-Hessian vector), so
     * that a repair can leave out of its acceptance check the examples the identification would
     * flag (docs/methods.md 3(e)). Null when the method cannot score examples outside D or has
     * not run yet.
     */
    default double[] scoreOthers(ExampleSet examples) {
        return null;
    }
}
