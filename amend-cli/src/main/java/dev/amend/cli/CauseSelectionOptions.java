package dev.amend.cli;

import dev.amend.identify.CauseSelection;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * {@code --top-k}, {@code --top-fraction} and {@code --threshold}: how the cause set C is chosen
 * from a ranking (METHODS.md 2), at most one of them; without any, the threshold of
 * [T22] Algorithm 1 (every example with a score above 0).
 */
public final class CauseSelectionOptions {
    /** The three modes exclude each other. */
    static final class Mode {
        // Integer, not int: picocli would otherwise not tell "--top-k 0" from "not given"; 0 must be refused.
        @Option(names = "--top-k", paramLabel = "K", required = true,
                description = "Remove the K most harmful training examples (1 <= K <= N).")
        Integer topK;

        @Option(names = "--top-fraction", paramLabel = "F", required = true,
                description = "Remove the round(F N) most harmful training examples, 0 < F <= 1 (the paper's Fig. 5: "
                        + "0.15).")
        Double topFraction;

        @Option(names = "--threshold", required = true,
                description = "Remove every example with a score above 0 ([T22] Algorithm 1; the default).")
        boolean threshold;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Mode mode;

    /** The selection the options name; a bad K or F is the user's error. */
    public CauseSelection selection() {
        if (mode == null || mode.threshold) {
            return CauseSelection.threshold();
        }
        if (mode.topK != null) {
            return CauseSelection.topK(mode.topK);
        }
        return CauseSelection.topFraction(mode.topFraction);
    }
}
