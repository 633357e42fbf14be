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

    /**
     * Scores the training set: higher = more harmful to the query set; methods that can also
     * score the problem's other examples on the same scale return those scores with the ranking.
     */
    Ranking identify(IdentificationProblem problem);

}
