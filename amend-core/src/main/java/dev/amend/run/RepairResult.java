package dev.amend.run;

import dev.amend.identify.Ranking;
import dev.amend.model.ModelHandle;
import dev.amend.run.format.RepairMetrics;
import dev.amend.treat.TreatmentResult;

/**
 * One repair: the ranking it chose C from (null when C was given), C itself, theta_rep and what
 * it achieved. Owns theta_rep: close it when done.
 *
 * @param ranking Step I's ranking over D, or null
 * @param causes positions of C in D, most harmful first
 * @param treatment theta_rep with the treatment's facts
 * @param metrics before/after accuracies and the rest of metrics.json
 */
public record RepairResult(Ranking ranking, int[] causes, TreatmentResult treatment, RepairMetrics metrics)
        implements AutoCloseable {

    public RepairResult {
        causes = causes.clone();
    }

    /** theta_rep. */
    public ModelHandle model() {
        return treatment.model();
    }

    @Override
    public int[] causes() {
        return causes.clone();
    }

    @Override
    public void close() {
        treatment.model().close();
    }
}
