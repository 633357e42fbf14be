package dev.amend.cli;

import dev.amend.AmendException;
import dev.amend.run.QuerySets;
import dev.amend.run.RepairInput;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --check-data} and {@code --check-fraction}: where the acceptance check of a model brought
 * from elsewhere gets its validation set V (docs/methods.md 3(e)). A run has its own.
 */
final class CheckDataOptions {
    @Option(names = "--check-data", paramLabel = "SPEC",
            description = "With --model: labelled examples the model was not trained on, used as the validation set V "
                    + "of the acceptance check (any --failures-data form); T stays whole.")
    String checkData;

    @Option(names = "--check-fraction", paramLabel = "X",
            description = "With --model and without --check-data: the fraction of the test examples held out as V "
                    + "(drawn with --seed) and left out of T, T\\F and every reported number: of all of them when F is "
                    + "the model's mistakes (found in the rest), of those outside F when --failures or --failures-data "
                    + "name it (default: " + RepairInput.DEFAULT_CHECK_FRACTION + ").")
    Double checkFraction;

    /** Refuses the options for a run, which has its own V, and both at once. */
    void check(boolean run) {
        if (run && (checkData != null || checkFraction != null)) {
            throw new AmendException("--run checks repairs on the run's own validation split; --check-data and"
                    + " --check-fraction are for --model");
        }
        if (checkData != null && checkFraction != null) {
            throw new AmendException("give either --check-data or --check-fraction, not both");
        }
    }

    /** {@code input} with its V: the check data, or the held-out part of its test set. */
    RepairInput apply(RepairInput input, long seed) {
        if (checkData != null) {
            return input.withCheckData(QuerySets.fromData(checkData, input.model().spec(), "the check data"));
        }
        return input.withHeldOutCheck(fraction(), seed);
    }

    /** The acceptance settings of spec.json with where V comes from. */
    Map<String, Object> settings(Map<String, Object> acceptance) {
        acceptance.put("check_data", QuerySets.absolute(checkData));
        acceptance.put("check_fraction", checkData == null ? fraction() : null);
        return acceptance;
    }

    private double fraction() {
        return checkFraction == null ? RepairInput.DEFAULT_CHECK_FRACTION : checkFraction;
    }
}
