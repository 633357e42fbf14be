package dev.amend.run.format;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.amend.model.Evaluation;
import dev.amend.run.FailureSets;
import dev.amend.run.ValidationSource;
import java.util.List;
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
 * @param acceptance whether the repair is recommended over theta*, judged without the test set
 * @param auto the candidates of {@code --top-k auto} and the chosen k, or null for a fixed selection
 * @param notes what the user was told about the repair's input, one sentence each, as amend printed
 *     them ({@code amend: note: ...}); empty when there was nothing to say, null in files written
 *     before amend recorded them
 */
public record RepairMetrics(String method, Map<String, Object> settings, Identification identification, Causes causes,
        Accuracies before, Accuracies after, Sizes sizes, @JsonProperty("parameter_distance") double parameterDistance,
        double seconds, Map<String, Object> details, Acceptance acceptance, AutoK auto, List<String> notes) {

    public RepairMetrics {
        notes = notes == null ? null : List.copyOf(notes);
    }

    /** The same metrics with the record of an automatic choice of k. */
    public RepairMetrics withAuto(AutoK a) {
        return new RepairMetrics(method, settings, identification, causes, before, after, sizes, parameterDistance,
                seconds, details, acceptance, a, notes);
    }

    /**
     * theta* and theta_rep on one check set (accuracy as a fraction, mean loss).
     *
     * @param size the number of examples
     */
    public record Check(int size, @JsonProperty("accuracy_before") double accuracyBefore,
            @JsonProperty("accuracy_after") double accuracyAfter, @JsonProperty("loss_before") double lossBefore,
            @JsonProperty("loss_after") double lossAfter) {

        public static Check of(Evaluation before, Evaluation after) {
            return new Check(before.size(), before.accuracy(), after.accuracy(), before.meanLoss(), after.meanLoss());
        }
    }

    /**
     * The repair acceptance check (docs/methods.md 3(e)): what a user can verify without test
     * labels. Accepted when accuracy on F_q_val rises and accuracy on the check set falls by at
     * most {@code tolerance}; otherwise theta* stays the recommended model.
     *
     * @param accepted whether theta_rep is recommended
     * @param reason one sentence saying why
     * @param checkSet which set decided: {@code validation} (V) or {@code unflagged-validation}
     *     (V without the examples the identification flags as causes), or null when there is none
     * @param tolerance the allowed fall of accuracy on the check set (a fraction: 0.005 = 0.5 points)
     * @param validation theta* and theta_rep on V, or null without V
     * @param unflaggedValidation the same on V without its flagged examples, or null when the
     *     identification cannot score V
     * @param queryValidation the same on F_q_val
     * @param checkLoss theta_rep's mean loss on V and F_q_val together, what {@code --top-k auto}
     *     minimises among accepted repairs
     * @param validationSource where V came from (a run's split, check data, or held out of T)
     */
    public record Acceptance(boolean accepted, String reason, @JsonProperty("check_set") String checkSet,
            double tolerance, Check validation, @JsonProperty("unflagged_validation") Check unflaggedValidation,
            @JsonProperty("F_q_val") Check queryValidation, @JsonProperty("check_loss") double checkLoss,
            @JsonProperty("validation_source") ValidationSource validationSource) {
    }

    /**
     * {@code --top-k auto}: every k tried, and the one chosen (the accepted candidate with the
     * lowest mean loss on V and F_q_val; null when none was accepted).
     */
    public record AutoK(List<Candidate> candidates, Integer chosen) {
        public AutoK {
            candidates = List.copyOf(candidates);
        }
    }

    /**
     * One k of {@code --top-k auto}.
     *
     * @param checkLoss mean loss of theta_rep on V and F_q_val together (what the choice minimises)
     * @param after theta_rep's accuracies on the test sets, reported, never used for the choice
     */
    public record Candidate(int k, boolean accepted, String reason, @JsonProperty("check_loss") double checkLoss,
            Integer corrupted, Accuracies after) {
    }

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
            return positions.length == 0 ? null : e.subset(positions).accuracy();
        }
    }

    /**
     * Sizes of the evaluated sets, of the training set D and of V (0 without V). When V was held
     * out of the test set, T and T\F do not count it.
     */
    public record Sizes(@JsonProperty("F_q") int fq, @JsonProperty("F_h") int fh,
            @JsonProperty("T_minus_F") int remaining, @JsonProperty("T") int test, @JsonProperty("D") int train,
            @JsonProperty("V") int validation) {
    }
}
