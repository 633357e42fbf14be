package dev.amend.treat;

import java.util.Map;

/**
 * Step II of a repair (docs/methods.md 3): removes the effect of the causes C from theta* and
 * returns the repaired model theta_rep (a new handle; theta* is never changed).
 */
public interface Treatment {

    /** The method's name as used on the command line (e.g. "ewc-deletion"). */
    String name();

    /** Every setting that determines the result. */
    Map<String, Object> settings();

    /** Produces theta_rep; the caller closes the returned model. */
    TreatmentResult apply(TreatmentProblem problem);
}
