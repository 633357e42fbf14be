package dev.amend.cli;

import dev.amend.run.Repair;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --tolerance} and {@code --check-set}: the repair acceptance check of docs/methods.md 3(e),
 * which decides, without test labels, whether the repaired model is recommended over theta*.
 */
public final class AcceptanceOptions {
    @Option(names = "--tolerance", paramLabel = "POINTS", defaultValue = "0.5",
            description = "Accept a repair only if accuracy on the check set falls by at most this many points "
                    + "(default: ${DEFAULT-VALUE}) and accuracy on F_q_val rises.")
    double tolerance;

    @Option(names = "--check-set", paramLabel = "SET", defaultValue = "unflagged-validation",
            description = "What the acceptance check watches for damage: validation (the base validation split, which "
                    + "carries the training data's corruption) or unflagged-validation (the same without the examples "
                    + "the identification flags as causes; default: ${DEFAULT-VALUE}).")
    String checkSet;

    /** The check applied to a repair; a bad value is the user's error. */
    Repair apply(Repair repair) {
        if (!Double.isFinite(tolerance) || tolerance < 0 || tolerance > 100) {
            throw new dev.amend.AmendException("--tolerance must be a number of points in [0, 100], got " + tolerance);
        }
        return repair.withAcceptance(tolerance / 100, Repair.CheckSet.parse("--check-set", checkSet));
    }

    /** The settings, for spec.json. */
    Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("tolerance_points", tolerance);
        s.put("check_set", Repair.CheckSet.parse("--check-set", checkSet).text());
        return s;
    }
}
