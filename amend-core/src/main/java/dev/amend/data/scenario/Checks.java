package dev.amend.data.scenario;

import dev.amend.AmendException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Validation shared by the scenario settings; every failure is a user error with one line. */
final class Checks {
    private Checks() {
    }

    /**
     * Refuses feature vectors (data of shape N x 1 x 1, as csv:...,features reads them) for a
     * scenario that changes pixels in [0, 1]: clipping features to [0, 1] would destroy them.
     */
    static void requirePixels(String scenario, dev.amend.data.ExampleSet train) {
        if (train.height() == 1 && train.width() == 1) {
            throw new AmendException(scenario + " changes pixel values in [0, 1], but the data are feature vectors ("
                    + train.shapeString() + "); use label-flip or none");
        }
    }

    /** {@code value} must lie in [0, 1]; returns it. */
    static double unitInterval(String option, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new AmendException("option " + option + " must be in [0, 1], got " + value);
        }
        return value;
    }

    /** A non-empty list of distinct, non-negative classes; returned as an immutable copy in ascending order. */
    static List<Integer> classes(List<Integer> classes) {
        if (classes.isEmpty()) {
            throw new AmendException("option classes must name at least one class");
        }
        Set<Integer> seen = new HashSet<>();
        for (int c : classes) {
            if (c < 0) {
                throw new AmendException("class " + c + " in option classes is negative");
            }
            if (!seen.add(c)) {
                throw new AmendException("class " + c + " is listed twice in option classes");
            }
        }
        return classes.stream().sorted().toList();
    }
}
