package dev.amend.cli;

import dev.amend.identify.CauseSelection;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * {@code --top-k}, {@code --top-fraction} and {@code --threshold}: how the cause set C is chosen
 * from a ranking (docs/methods.md 2), at most one of them. Without any, {@code --top-k auto}
 * (docs/methods.md 3(e)): the repair tries several k and keeps the accepted one. The threshold of
 * [T22] Algorithm 1 (every example with a score above 0) is no default: on Fashion-MNIST it
 * flagged three quarters of the training set.
 */
public final class CauseSelectionOptions {
    /** The three modes exclude each other. */
    static final class Mode {
        @Option(names = "--top-k", paramLabel = "K|auto", required = true,
                description = "Remove the K most harmful training examples (1 <= K < N), or auto (the default): try "
                        + "K = 25, 50, 100, 200, 400, 800 (at most N/2) and keep the accepted repair with the lowest "
                        + "loss on the validation split and F_q_val (docs/treatment.md).")
        String topK;

        @Option(names = "--top-fraction", paramLabel = "F", required = true,
                description = "Remove the round(F N) most harmful training examples, at least one and fewer than N "
                        + "(the paper's Fig. 5: 0.15).")
        Double topFraction;

        @Option(names = "--threshold", required = true,
                description = "Remove every example with a score above 0 ([T22] Algorithm 1).")
        boolean threshold;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Mode mode;

    /** The text of an automatic choice of k, as spec.json and metrics.json record it. */
    static final String AUTO = "top-k:auto";

    /** Whether k is chosen automatically: {@code --top-k auto}, or no selection option at all. */
    public boolean auto() {
        return mode == null || (mode.topK != null && mode.topK.strip().equalsIgnoreCase("auto"));
    }

    /** The fixed selection the options name, or null for {@link #auto()}; a bad K or F is the user's error. */
    public CauseSelection selection() {
        if (auto()) {
            return null;
        }
        if (mode.threshold) {
            return CauseSelection.threshold();
        }
        if (mode.topK != null) {
            int k;
            try {
                k = Integer.parseInt(mode.topK.strip());
            } catch (NumberFormatException e) {
                throw new dev.amend.AmendException("--top-k must be a whole number or auto, got '" + mode.topK + "'");
            }
            return CauseSelection.topK(k);
        }
        return CauseSelection.topFraction(mode.topFraction);
    }

    /** How C is chosen, as recorded in spec.json. */
    public String describe() {
        return auto() ? AUTO : selection().toString();
    }
}
