package dev.amend.experiment;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.amend.model.Evaluation;
import java.util.Map;

/**
 * What a repair achieved, written as {@code metrics.json} of a treat or repair folder (schema in
 * docs/metrics.md). Accuracies are fractions in [0, 1], {@code null} for an empty set.
 *
 * @param method the treatment's name
 * @param settings the treatment's settings
 * @param identification how the ranking was made, or null when it was read from a file
 * @param causes the removed cause set C
 * @param before theta*'s accuracies
 * @param after theta_rep's accuracies
 * @param sizes the number of examples in each evaluated set
 * @param parameterDistance ||theta_rep - theta*|| (Euclidean, over all parameters)
 * @param seconds wall-clock seconds of the treatment (identification and evaluation excluded)
 * @param details what the treatment reports about itself (epochs run and kept, Newton's step fraction)
 */
public record RepairMetrics(String method, Map<String, Object> settings, Identification identification, Causes causes,
        Accuracies before, Accuracies after, Sizes sizes, @JsonProperty("parameter_distance") double parameterDistance,
        double seconds, Map<String, Object> details) {

    /**
     * How C was found.
     *
     * @param method the identification method (or "external" for a ranking without ranking.json)
     * @param settings its settings, empty when unknown
     * @param seconds wall-clock seconds from theta* and F_q to the ranking, or null when not measured here
     */
    public record Identification(String method, Map<String, Object> settings, Double seconds) {
    }

    /**
     * The cause set.
     *
     * @param selection how C was chosen from the ranking ({@code top-k:100}, {@code threshold}, ...), or
     *     null when C was given directly
     * @param count |C|
     * @param corrupted how many examples of C the scenario had corrupted (for label flips: how many
     *     were truly flipped), or null without ground truth
     */
    public record Causes(String selection, int count, Integer corrupted) {
    }

    /** Accuracy on the failure query set, the holdout failures, the rest of the test set, and all of it. */
    public record Accuracies(@JsonProperty("F_q") Double fq, @JsonProperty("F_h") Double fh,
            @JsonProperty("T_minus_F") Double remaining, @JsonProperty("T") Double test) {

        /** The accuracies of a model whose predictions on T are {@code test}. */
        public static Accuracies of(Evaluation test, FailureSets sets) {
            return new Accuracies(accuracy(test, sets.query()), accuracy(test, sets.holdout()),
                    accuracy(test, sets.remaining()), test.size() == 0 ? null : test.accuracy());
        }

        private static Double accuracy(Evaluation e, int[] positions) {
            if (positions.length == 0) {
                return null;
            }
            int[] predictions = e.predictions();
            int[] labels = e.labels();
            int right = 0;
            for (int i : positions) {
                right += predictions[i] == labels[i] ? 1 : 0;
            }
            return (double) right / positions.length;
        }
    }

    /** Sizes of the evaluated sets and of the training set D. */
    public record Sizes(@JsonProperty("F_q") int fq, @JsonProperty("F_h") int fh,
            @JsonProperty("T_minus_F") int remaining, @JsonProperty("T") int test, @JsonProperty("D") int train) {
    }
}
