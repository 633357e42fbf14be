package dev.amend.cli;

import dev.amend.treat.TreatmentFactory;
import picocli.CommandLine.Option;

/** {@code --start-candidate} of the experiment commands: one setting for every treatment they run. */
public final class StartCandidateOption {
    @Option(names = "--start-candidate", paramLabel = "true|false", arity = "1",
            defaultValue = "" + TreatmentFactory.DEFAULT_START_CANDIDATE,
            description = "Whether theta* competes in the early stopping of every treatment (default: "
                    + "${DEFAULT-VALUE}; docs/treatment.md).")
    boolean startCandidate;

    public boolean value() {
        return startCandidate;
    }
}
