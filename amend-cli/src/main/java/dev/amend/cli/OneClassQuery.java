package dev.amend.cli;

import dev.amend.data.ExampleSet;
import dev.amend.identify.Identifiers;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A note for a query set whose failures all have one true label. EWC-influence explains the
 * failures by fine-tuning on them; with a single class that fine-tuning drifts towards predicting
 * the class everywhere, and the ranking measures the drift instead of the causes: on five MNIST
 * label-flip runs, F_q's failing 1s alone gave ROC-AUC 0.14-0.36 against the flipped labels,
 * all of F_q 0.96-1.00 (docs/identification.md, "Give all the failures, not one class of
 * them"). The note goes to stderr, so that stdout (tables, --json) stays what it was.
 */
final class OneClassQuery {
    static final String DOCS = "docs/identification.md, \"Give all the failures, not one class of them\"";

    private OneClassQuery() {
    }

    /** The one label every example of {@code query} has, or -1 when there are several (or none). */
    static int singleLabel(ExampleSet query) {
        if (query.size() == 0) {
            return -1;
        }
        int first = query.label(0);
        for (int i = 1; i < query.size(); i++) {
            if (query.label(i) != first) {
                return -1;
            }
        }
        return first;
    }

    /**
     * Writes the note to {@code err} when {@code method} (a canonical name, as both commands hold it)
     * is EWC-influence, the data has more than one class and every one of at least two failures of
     * {@code query} has the same true label; returns whether it did. A note never fails the run.
     */
    static boolean noteIfSingle(PrintWriter err, String method, ExampleSet query) {
        if (!Identifiers.EWC_INFLUENCE.equals(method) || query.numClasses() < 2 || query.size() < 2) {
            return false;
        }
        int label = singleLabel(query);
        if (label < 0) {
            return false;
        }
        err.printf(Locale.ROOT, "amend: note: all %d failures of the query set are of class %s: EWC-influence fits"
                + " one class's failures by drifting towards that class, and its ranking can come out inverted;"
                + " name every failure the model makes, not one class of them (%s)%n", query.size(),
                query.classNames().get(label), DOCS);
        err.flush();
        return true;
    }
}
