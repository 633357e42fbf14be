package dev.amend.treat;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.train.TrainConfig.StopCriterion;
import java.util.Locale;

/**
 * What a treatment's early stopping watches (docs/methods.md 3): a check set and a metric,
 * written {@code SET:METRIC}, e.g. {@code validation:loss}.
 * <ul>
 *   <li>{@code validation}: the validation split V, held out when theta* was trained (for a model
 *       brought from elsewhere: its check data, or the part of the test set held out);</li>
 *   <li>{@code query}: F_q_val, the validation part of the failure query set;</li>
 *   <li>{@code validation+query}: both together;</li>
 *   <li>{@code clean}: D_c_val, the validation part of a trusted clean set (docs/methods.md 5);</li>
 *   <li>{@code clean+query}: D_c_val and F_q_val together (the retain treatment's default).</li>
 * </ul>
 * Without V a rule that asks for it watches F_q_val, and the result says so ({@link #describeFor}).
 */
public record StopRule(CheckSet set, StopCriterion metric) {

    /** The examples early stopping evaluates after every epoch. */
    public enum CheckSet {
        VALIDATION("validation"), QUERY("query"), VALIDATION_AND_QUERY("validation+query"), CLEAN("clean"),
        CLEAN_AND_QUERY("clean+query");

        private final String text;

        CheckSet(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Training on D\C (fine-tuning, retraining): the base validation loss. */
    public static final StopRule REMAINING_DEFAULT = new StopRule(CheckSet.VALIDATION, StopCriterion.LOSS);
    /** Fine-tuning on F_q ([T22] App. B.4): the loss on F_q_val. */
    public static final StopRule FAILURES_DEFAULT = new StopRule(CheckSet.QUERY, StopCriterion.LOSS);
    /** The combination of both: the loss on V and F_q_val together. */
    public static final StopRule COMBINED_DEFAULT = new StopRule(CheckSet.VALIDATION_AND_QUERY, StopCriterion.LOSS);
    /** EWC-deletion and Newton removal ([T22] Section 4.2, Fig. 5): accuracy on F_q_val. */
    public static final StopRule DELETION_DEFAULT = new StopRule(CheckSet.QUERY, StopCriterion.ACCURACY);
    /** The retain treatment (docs/methods.md 5): the loss on the clean set's D_c_val and F_q_val together. */
    public static final StopRule RETAIN_DEFAULT = new StopRule(CheckSet.CLEAN_AND_QUERY, StopCriterion.LOSS);

    public StopRule {
        if (set == null || metric == null) {
            throw new IllegalArgumentException("a stop rule needs a set and a metric");
        }
    }

    /** Parses {@code SET:METRIC}; anything else is the user's error, named by {@code setting}. */
    public static StopRule parse(String setting, String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        int colon = t.indexOf(':');
        String valid = "; valid: SET:METRIC with SET validation, query, validation+query, clean or clean+query and METRIC loss or accuracy";
        if (colon < 0) {
            throw new AmendException(setting + " '" + text + "' is not SET:METRIC" + valid);
        }
        CheckSet set = null;
        for (CheckSet c : CheckSet.values()) {
            if (c.text.equals(t.substring(0, colon).strip())) {
                set = c;
            }
        }
        if (set == null) {
            throw new AmendException("unknown check set '" + t.substring(0, colon).strip() + "' in " + setting + valid);
        }
        return new StopRule(set, StopCriterion.parse(setting, t.substring(colon + 1).strip()));
    }

    /** The check set of this rule for a problem; F_q_val stands in for a missing V. */
    ExampleSet checkSet(TreatmentProblem p) {
        if (set == CheckSet.CLEAN || set == CheckSet.CLEAN_AND_QUERY) {
            if (p.clean() == null) {
                throw new AmendException("the stop rule " + this + " needs a clean set; give one or choose another rule");
            }
            return set == CheckSet.CLEAN ? p.clean().validation() : p.clean().validation().concat(p.queryValidation());
        }
        if (set == CheckSet.QUERY || !hasValidation(p)) {
            return p.queryValidation();
        }
        return set == CheckSet.VALIDATION ? p.baseValidation() : p.baseValidation().concat(p.queryValidation());
    }

    /** The rule as it was applied to a problem, for metrics.json. */
    String describeFor(TreatmentProblem p) {
        if ((set == CheckSet.VALIDATION || set == CheckSet.VALIDATION_AND_QUERY) && !hasValidation(p)) {
            return new StopRule(CheckSet.QUERY, metric) + " (no base validation split)";
        }
        return toString();
    }

    private static boolean hasValidation(TreatmentProblem p) {
        return p.baseValidation() != null && p.baseValidation().size() > 0;
    }

    @Override
    public String toString() {
        return set + ":" + metric.name().toLowerCase(Locale.ROOT);
    }
}
